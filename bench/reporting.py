"""Timings of the province's status page and of drafting and printing a consolidated report.

Builds a province of A agencies x U units x 12 monthly periods of last year in a
throwaway SQLite database: each unit leads T tasks of its agency's plan (spread
over the year and over every state, a third with progress posted in the
period), each period has every unit's report in a mix of states (accepted, on
time or late, submitted, returned, draft, missing) and most agencies sent their
consolidated report. Then it times (a) the overseer's province status page and
inbox (Django test client, median of N) with their query counts, and (b)
`consolidate.draft` for one agency-period, and the DOCX and PDF of the report.

    .venv/bin/python bench/reporting.py
    .venv/bin/python bench/reporting.py --agencies 10 --units 5 --tasks 10 --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any

from common import measure, print_figures, print_header, throwaway_database

WORDS = [
    "Rà soát, công bố thủ tục hành chính",
    "Tuyên truyền cải cách hành chính",
    "Rà soát văn bản quy phạm pháp luật",
    "Số hóa hồ sơ, kết quả giải quyết",
    "Kiểm tra công tác cải cách hành chính",
    "Đào tạo, bồi dưỡng công chức",
]


def build(agencies: int, units: int, tasks: int, year: int) -> dict[str, Any]:
    """Create the province; return the overseer's id and one agency-period to consolidate."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Agency, AgencyKind, Membership, Role, Unit, User
    from lib.text import search_text
    from plans.models import Plan, PlanStatus, ReformArea, Task, TaskStatus, TaskUpdate, UpdateKind
    from reports import calendar
    from reports.models import (
        AgencyReport,
        AgencyReportStatus,
        Frequency,
        ReportingPeriod,
        ReportingSchedule,
        ReportStatus,
        UnitReport,
    )

    zone = timezone.get_current_timezone()

    def moment(day: date, hour: int = 9) -> datetime:
        return datetime.combine(day, clock(hour), tzinfo=zone)

    with transaction.atomic():
        province = Agency.objects.create(
            code="province", kind=AgencyKind.PROVINCE, name="Ủy ban nhân dân tỉnh Bench", short_name="UBND tỉnh",
            abbreviation="UBND", place_name="Bench",
        )  # fmt: skip
        Agency.objects.bulk_create(
            Agency(
                code=f"s{a}", kind=AgencyKind.DEPARTMENT, parent=province, province=province,
                name=f"Sở {a} tỉnh Bench", short_name=f"Sở {a}", abbreviation=f"S{a}",
                parent_body_name="UBND TỈNH BENCH", place_name="Bench",
            )
            for a in range(agencies)
        )  # fmt: skip
        agency_list = list(Agency.objects.filter(province=province).order_by("pk"))
        Unit.objects.bulk_create(
            Unit(agency=agency, name=f"Phòng {u}", abbreviation=f"P{u}", is_coordinator=u == 0, order=u)
            for agency in agency_list
            for u in range(units)
        )
        unit_ids: dict[int, list[int]] = {}
        for unit_id, agency_id in Unit.objects.order_by("order").values_list("pk", "agency_id"):
            unit_ids.setdefault(agency_id, []).append(unit_id)
        overseer = User.objects.create(username="overseer", full_name="Hoàng Văn Nam", password="!")
        Membership.objects.create(user=overseer, agency=agency_list[0], role=Role.OVERSEER)
        User.objects.bulk_create(
            User(username=f"leader{a.pk}", full_name=f"Nguyễn Văn {a.pk}", position="Giám đốc", password="!")
            for a in agency_list
        )
        leaders = dict(User.objects.filter(username__startswith="leader").values_list("username", "pk"))
        Membership.objects.bulk_create(
            Membership(user_id=leaders[f"leader{a.pk}"], agency=a, role=Role.LEADER) for a in agency_list
        )
        Plan.objects.bulk_create(
            Plan(
                agency=a, year=year, title=f"Cải cách hành chính năm {year}", status=PlanStatus.IN_PROGRESS,
                symbol=f"01/KH-{a.abbreviation}", number=1, register_year=year - 1, issued_on=date(year - 1, 12, 20),
                search_text=f"cai cach hanh chinh nam {year}",
            )
            for a in agency_list
        )  # fmt: skip
        plans = dict(Plan.objects.values_list("agency_id", "pk"))
        areas = list(ReformArea.objects.exclude(code="other").order_by("order"))
        rows = []
        for a in agency_list:
            for u, unit_id in enumerate(unit_ids[a.pk]):
                for n in range(tasks):
                    due = date(year, 1, 10) + timedelta(days=(n * 17 + u * 5) % 350)
                    status = [TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.DONE,
                              TaskStatus.CANCELLED][n % 5]  # fmt: skip
                    content = f"{WORDS[n % len(WORDS)]} (đợt {n})"
                    rows.append(
                        Task(
                            plan_id=plans[a.pk], agency=a, order=u * tasks + n, label=str(n), content=content,
                            area=areas[n % len(areas)], lead_unit_id=unit_id, start_date=date(year, 1, 1),
                            due_date=due, status=status,
                            progress={TaskStatus.DONE: 100, TaskStatus.IN_PROGRESS: 50}.get(status, 0),
                            completed_on=due + timedelta(days=n % 7 - 3) if status == TaskStatus.DONE else None,
                            cancel_reason="Không còn phù hợp" if status == TaskStatus.CANCELLED else "",
                            search_text=search_text(content),
                        )
                    )  # fmt: skip
        Task.objects.bulk_create(rows, batch_size=2000)
        updates = [
            TaskUpdate(
                task_id=pk, kind=UpdateKind.PROGRESS, text=f"Đã triển khai {pk % 9 + 1} nội dung của nhiệm vụ.",
                progress=50, created=moment(due - timedelta(days=5)),
            )
            for pk, due in Task.objects.values_list("pk", "due_date")
            if pk % 3 == 0 and due is not None
        ]  # fmt: skip
        TaskUpdate.objects.bulk_create(updates, batch_size=2000)

        schedule = ReportingSchedule(frequency=Frequency.MONTHLY)
        ReportingPeriod.objects.bulk_create(
            ReportingPeriod(
                agency=a, frequency=Frequency.MONTHLY, year=year, number=month,
                opened_at=moment(date(year, month, 7)), **calendar.dates(schedule, year, month),
            )
            for a in agency_list
            for month in range(1, 13)
        )  # fmt: skip
        periods = list(ReportingPeriod.objects.filter(frequency=Frequency.MONTHLY))
        reports = []
        for period in periods:
            for index, unit_id in enumerate(unit_ids[period.agency_id]):
                kind = (index + period.number + period.agency_id) % 6
                first = {0: 1, 1: 1, 2: 0, 3: 4, 4: 1}.get(kind)  # days after the cut-off; 5: missing
                report_status = {0: ReportStatus.ACCEPTED, 1: ReportStatus.SUBMITTED, 2: ReportStatus.ACCEPTED,
                          3: ReportStatus.ACCEPTED, 4: ReportStatus.RETURNED}.get(kind, ReportStatus.DRAFT)  # fmt: skip
                at = moment(period.cutoff + timedelta(days=first)) if first is not None else None
                reports.append(
                    UnitReport(
                        period=period, agency_id=period.agency_id, unit_id=unit_id, status=report_status,
                        results="Hoàn thành các nhiệm vụ được giao trong tháng." if at else "",
                        limitations="Nhân lực còn thiếu." if at else "", proposals="", next_tasks="",
                        first_submitted_at=at, submitted_at=at, version=1 if at else 0,
                    )
                )  # fmt: skip
        UnitReport.objects.bulk_create(reports, batch_size=2000)
        sent = []
        for period in periods:
            if (period.agency_id + period.number) % 5 == 0:
                continue  # not sent
            at = moment(period.agency_due + timedelta(days=(period.agency_id + period.number) % 3 - 1), 15)
            sent.append(
                AgencyReport(
                    period=period, agency_id=period.agency_id,
                    status=[AgencyReportStatus.RECEIVED, AgencyReportStatus.SENT,
                            AgencyReportStatus.RETURNED][period.number % 3],
                    title=f"Kết quả thực hiện công tác cải cách hành chính tháng {period.number} năm {year}",
                    first_sent_at=at, sent_at=at,
                )
            )  # fmt: skip
        AgencyReport.objects.bulk_create(sent, batch_size=1000)
    target = ReportingPeriod.objects.get(agency=agency_list[1], frequency=Frequency.MONTHLY, year=year, number=6)
    return {"overseer": overseer.pk, "period": target.pk}


def timed(run: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Median and slowest time in ms of `repeat` runs after one that warms caches; the last result."""
    result = run()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), max(timings), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agencies", type=int, default=40)
    parser.add_argument("--units", type=int, default=10, help="units per agency")
    parser.add_argument("--tasks", type=int, default=20, help="tasks per unit")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each measure")
    args = parser.parse_args()
    if args.agencies < 2 or args.units < 1 or args.tasks < 1:
        parser.error("--agencies must be at least 2, --units and --tasks at least 1")

    with throwaway_database():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse
        from django.utils import timezone

        from lib.nd30 import docx, pdf
        from reports import consolidate
        from reports.models import AgencyReport, ReportingPeriod, UnitReport

        year = timezone.localdate().year - 1
        started = time.perf_counter()
        ids = build(args.agencies, args.units, args.tasks, year)
        print(
            f"Built {args.agencies} agencies x {args.units} units x 12 monthly periods of {year}, "
            f"{args.agencies * args.units * args.tasks} tasks, {UnitReport.objects.count()} unit reports, "
            f"{AgencyReport.objects.count()} consolidated reports in {time.perf_counter() - started:.1f} s "
            "(SQLite, DEBUG=1)\n"
        )
        status = reverse("reports:province_status")
        pages = [
            ("status (default)", status),
            ("status, month 6", f"{status}?year={year}&period=monthly-6"),
            ("inbox", reverse("reports:inbox")),
            ("inbox, returned", f"{reverse('reports:inbox')}?status=returned"),
        ]
        print_header(20)
        print_figures(measure("overseer", ids["overseer"], pages, args.repeat), 20)

        period = ReportingPeriod.objects.select_related("agency").get(pk=ids["period"])
        today = period.agency_due
        with CaptureQueriesContext(connection) as ctx:
            draft_ms, draft_max, report = timed(lambda: consolidate.draft(period, None, today), args.repeat)
        queries = len(ctx.captured_queries) // (args.repeat + 1)
        AgencyReport.objects.filter(period=period).delete()
        report.save()
        document = consolidate.document(AgencyReport.objects.select_related("agency", "period").get(pk=report.pk))
        docx_ms, docx_max, docx_bytes = timed(lambda: docx.render(consolidate.document(report)), args.repeat)
        pdf_ms, pdf_max, pdf_bytes = timed(lambda: pdf.render(consolidate.document(report)), args.repeat)
        tasks = report.figures["total"]["total"]
        print(
            f"\nConsolidated report of {period.agency.short_name}, {period.label} "
            f"({tasks} tasks, {len(document.body)} blocks):"
        )
        print(f"{'step':<28} {'queries':>8} {'KB':>7} {'median ms':>10} {'max ms':>8}")
        print(f"{'consolidate.draft':<28} {queries:>8} {'':>7} {draft_ms:>10.1f} {draft_max:>8.1f}")
        print(f"{'DOCX (lib.nd30.docx)':<28} {'':>8} {len(docx_bytes) / 1024:>7.0f} {docx_ms:>10.1f} {docx_max:>8.1f}")
        print(f"{'PDF (lib.nd30.pdf)':<28} {'':>8} {len(pdf_bytes) / 1024:>7.0f} {pdf_ms:>10.1f} {pdf_max:>8.1f}")


if __name__ == "__main__":
    main()
