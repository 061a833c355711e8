"""The demo reform plans of Sở Ngoại vụ Bình Phước (loaded by `manage.py load_demo`).

Two plans of the same agency:

- 41/KH-SNgV, "Cải cách hành chính Nhà nước của Sở Ngoại vụ năm 2022" (seed 002):
  its document block, legal basis, free-text sections, outline and 39 tasks,
  plus four reporting duties of Văn phòng Sở (section VI.1) as recurring tasks.
  The 18 targets of the agency's other 2022 text (seed 004) are attached to
  this same plan rather than to a separate targets plan, so one plan page
  shows tasks and targets together. It is closed, mostly done. The four
  targets measured on one-stop dossiers (`INDICATOR_TARGETS`) are linked to
  their service indicator: `services.demo` computes their values from the
  demo dossiers; the others carry typed values (`TARGET_VALUES`).
- The plan for the current year, copied from it with `copy_plan`, submitted,
  issued (so it takes a number of the register) and started. Its tasks are
  placed around `today`: done early, on time and late, in progress with
  updates, overdue, due within days, one cancelled, one extended, a comment
  with @mentions, and measured target values (met, at risk, not measured).
- A small plan to raise the agency's PAR Index this year, submitted by the
  Office and waiting for the director's approval.

The data files in `demo_data/` are copies of the shared seeds; lead units,
deadlines and outputs are the demo's own. A plan found by agency, year, kind
and title is left as it is, so loading twice creates nothing new.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, Unit, User
from documents import demo as documents_demo
from documents import register
from lib import periods
from plans import actions
from plans.models import (
    Comparator,
    LegalBasis,
    Measurement,
    MetricKind,
    Plan,
    PlanKind,
    PlanStatus,
    ReformArea,
    Section,
    Target,
    TargetValue,
    Task,
    TaskUpdate,
    UpdateKind,
)

DATA = Path(__file__).resolve().parent / "demo_data"
SEED_YEAR = 2022


@cache
def seed(name: str) -> dict[str, Any]:
    with (DATA / f"{name}.json").open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


@dataclass(frozen=True)
class Scenario:
    """How one task of the current plan stands, in days from `today`."""

    due: int
    state: str  # done, overdue, open, cancelled, extended
    progress: int = 0
    done: int | None = None  # day it was completed
    author: str = "vanphong"
    note: str = ""
    links: str = ""


# Keyed by the task's number in seed002.json (its `order` in both plans).
SCENARIOS: dict[int, Scenario] = {
    1: Scenario(45, "done", 100, done=-2, note="Đã ban hành báo cáo kết quả công tác xây dựng, thi hành pháp luật."),
    2: Scenario(-20, "done", 100, done=-20, note="Đã kiểm tra 04 văn bản QPPL, không phát hiện sai sót."),
    8: Scenario(
        10,
        "done",
        100,
        done=-3,
        author="chuyenvien",
        note="Đã cập nhật đầy đủ 32 TTHC của Sở trên phần mềm Dịch vụ công của tỉnh.",
        links="https://dichvucong.binhphuoc.gov.vn",
    ),
    9: Scenario(-5, "overdue", 0),
    11: Scenario(
        9,
        "open",
        60,
        author="chuyenvien",
        note="Đã đưa 12/20 TTHC lên dịch vụ công trực tuyến toàn trình; đang phối hợp Phòng Lãnh sự cấu hình "
        "thanh toán trực tuyến.",
        links="https://dichvucong.gov.vn\nCông văn số 112/SNgV-HTQT",
    ),
    13: Scenario(20, "open", 70, note="Đã kiểm tra 15/21 TTHC thuộc lĩnh vực biên giới."),
    14: Scenario(-30, "overdue", 50, note="Đã trình dự thảo Quyết định kiện toàn tổ chức, chờ ý kiến Sở Nội vụ."),
    15: Scenario(25, "open", 40, note="Đã tổng hợp dự thảo chức năng, nhiệm vụ của 3/4 phòng."),
    17: Scenario(-40, "done", 100, done=-25, note="Đề án tinh giản biên chế đã trình UBND tỉnh (chậm 15 ngày)."),
    21: Scenario(
        60, "cancelled", note="Nội dung kiểm tra tài sản công đã lồng ghép vào kế hoạch thanh tra năm của Sở."
    ),
    24: Scenario(40, "open", 40, author="chuyenvien", note="Đã xây dựng danh mục dữ liệu chuyên ngành đối ngoại."),
    29: Scenario(-3, "extended", 60, note="Đánh giá nội bộ ISO đã xong; chờ tổ chức chứng nhận đánh giá lại."),
    34: Scenario(
        -12, "overdue", 30, author="truongphong", note="Đã liên hệ Sở Ngoại vụ Bình Dương, chờ lịch làm việc."
    ),
    35: Scenario(6, "open", 0),
}

# The seed-004 targets measured on one-stop dossiers: a phrase of their statement → service indicator.
INDICATOR_TARGETS = {
    "giải quyết trước và đúng hạn": "on_time_rate",
    "hồ sơ thủ tục hành chính thuộc danh mục dịch vụ công trực tuyến": "online_rate",
    "được triển khai thanh toán trực tuyến": "online_payment_rate",
    "giao dịch thanh toán trực tuyến": "online_payment_transactions",
}


def indicator_of(statement: str) -> str:
    """The service indicator that measures a seed-004 target, "" when it is typed by hand."""
    return next((code for phrase, code in INDICATOR_TARGETS.items() if phrase in statement), "")


# Target number in seed004.json: (value at the end of 2022, value this year or None when not measured yet).
# The targets of INDICATOR_TARGETS (5, 11, 12, 13) are computed from the dossiers instead.
TARGET_VALUES: dict[int, tuple[float, float | None]] = {
    1: (100, 100),
    2: (100, 100),
    3: (2, 1),
    4: (100, None),
    6: (100, 100),
    7: (100, 100),
    8: (100, 85),
    9: (100, 100),
    10: (45, 62),
    14: (100, None),
    15: (100, 60),
    16: (100, None),
    17: (98, 97),
    18: (85, 82),
}


@dataclass
class Context:
    agency: Agency
    units: dict[str, Unit]
    people: dict[str, User]
    areas: dict[str, ReformArea]

    def unit_of(self, username: str) -> Unit | None:
        return {"chuyenvien": self.units["HTQT"], "truongphong": self.units["HTQT"]}.get(username)


@transaction.atomic
def load(agency: Agency, units: dict[str, Unit], people: dict[str, User], today: date) -> list[Plan]:
    """Create the demo plans that are missing; return the ones created.

    `units` maps the agency's unit abbreviations (VP, TTr, QLBG, HTQT, LS) to
    units; `people` maps usernames (giamdoc, vanphong, truongphong, chuyenvien).
    """
    ctx = Context(agency, units, people, {a.code: a for a in ReformArea.objects.all()})
    created: list[Plan] = []
    title = seed("seed002")["document"]["title"]
    base = _find(agency, SEED_YEAR, title)
    if base is None:
        base = _create_seed_plan(ctx)
        created.append(base)
    if today.year > SEED_YEAR and _find(agency, today.year, title.replace(str(SEED_YEAR), str(today.year))) is None:
        created.append(_create_current_plan(ctx, base, today))
    if _find(agency, today.year, INDEX_TITLE % today.year, PlanKind.INDEX) is None:
        created.append(_create_index_plan(ctx, today))
    # The rest of the outgoing register, numbered after the plans issued above.
    documents_demo.load(agency, people, today)
    return created


def _find(agency: Agency, year: int, title: str, kind: str = PlanKind.REFORM) -> Plan | None:
    return Plan.objects.filter(agency=agency, year=year, kind=kind, title=title).first()


def _at(day: date, hour: int = 16) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


# The 2022 plan -----------------------------------------------------------


def _create_seed_plan(ctx: Context) -> Plan:
    data = seed("seed002")
    doc, text = data["document"], data["text"]
    issued_on = date.fromisoformat(doc["date"])
    plan = Plan.objects.create(
        agency=ctx.agency,
        kind=PlanKind.REFORM,
        year=doc["year"],
        title=doc["title"],
        doc_type=doc["type"],
        number=int(doc["number"]),
        register_year=issued_on.year,
        symbol=doc["symbol"],
        place=doc["place"],
        issued_on=issued_on,
        signer_authority=doc["signer"]["authority"] or "",
        signer_position=doc["signer"]["position"],
        signer_name=doc["signer"]["name"],
        recipients="\n".join(doc["recipients"]),
        purpose=text["purpose"],
        requirements=text["requirements"],
        budget=text["budget"],
        organisation=text["organisation"],
        status=PlanStatus.IN_PROGRESS,
        created_by=ctx.people["vanphong"],
    )
    # Line 41 of the register of the year of issue, which has reached this number.
    register.record_outgoing(
        ctx.agency,
        code_number=int(doc["number"]),
        code_notation=doc["symbol"].split("/", 1)[1],
        type_code=doc["type"],
        issued_date=issued_on,
        subject=plan.title,
        signer_position=plan.signer_position,
        signer_full_name=plan.signer_name,
        to_places=plan.recipients,
        issued_amount=len(doc["recipients"]),
        sent_date=issued_on,
        created_by=ctx.people["vanphong"],
        source=plan,
    )
    for order, basis in enumerate(data["legal_bases"], start=1):
        LegalBasis.objects.create(
            plan=plan,
            order=order,
            doc_type=basis["type"],
            symbol=basis["symbol"],
            issued_on=date.fromisoformat(basis["date"]),
            issuer=basis["issuer"],
            summary=basis["summary"],
        )
    sections = _create_sections(ctx, plan, data["sections"])
    for spec in data["tasks"]:
        _create_task(ctx, plan, sections, spec)
    area_sections = {s.area_id: s for s in reversed(list(sections.values())) if s.area_id}
    for spec in seed("seed004")["targets"]:
        area = ctx.areas[spec["area"]]
        indicator = indicator_of(spec["statement"])
        Target.objects.create(
            plan=plan,
            agency=ctx.agency,
            section=area_sections.get(area.pk),
            order=spec["no"],
            statement=spec["statement"],
            area=area,
            metric_kind=MetricKind(spec["metric_kind"]),
            comparator=Comparator(spec["comparator"]),
            value=Decimal(spec["value"]),
            value_max=Decimal(spec["value_max"]) if spec["value_max"] is not None else None,
            unit_of_measure=spec["unit_of_measure"],
            responsible_unit=ctx.units[spec["responsible_unit"]],
            measurement=Measurement.INDICATOR if indicator else Measurement.MANUAL,
            indicator_code=indicator,
        )
    actions.record_version(plan, ctx.people["giamdoc"], "Ban hành")
    _carry_out_seed_plan(ctx, plan)
    return actions.transition(plan, "close", ctx.people["vanphong"], note="Tổng kết thực hiện Kế hoạch năm 2022")


def _create_sections(ctx: Context, plan: Plan, nodes: list[dict[str, Any]]) -> dict[tuple[str, ...], Section]:
    sections: dict[tuple[str, ...], Section] = {}
    order = 0

    def walk(items: list[dict[str, Any]], path: tuple[str, ...], parent: Section | None) -> None:
        nonlocal order
        for node in items:
            order += 1
            key = (*path, node["label"])
            sections[key] = Section.objects.create(
                plan=plan,
                parent=parent,
                label=node["label"],
                title=node["title"],
                order=order,
                area=ctx.areas[node["area"]] if node["area"] else None,
            )
            walk(node["children"], key, sections[key])

    walk(nodes, (), None)
    return sections


def _create_task(ctx: Context, plan: Plan, sections: dict[tuple[str, ...], Section], spec: dict[str, Any]) -> Task:
    due = periods.parse_due(spec["due"], plan.year)
    lead = ctx.units[spec["lead_unit"]]
    task = Task.objects.create(
        plan=plan,
        agency=ctx.agency,
        section=sections[tuple(spec["section"])],
        order=spec["no"],
        label=spec["label"],
        content=spec["content"],
        area=ctx.areas[spec["area"]],
        lead_unit=lead,
        start_date=date(plan.year, 1, 1),
        due_date=due.date,
        due_text=spec["due"],
        recurrence=due.recurrence,
        output=spec["output"],
    )
    task.coordinating_units.set([ctx.units[abbr] for abbr in spec["coordinating_units"]])
    if lead.abbreviation == "HTQT":
        task.assignees.set([ctx.people["chuyenvien"]])
    task.generate_occurrences()
    return task


# Not finished by the end of 2022: (progress, note); and the one cancelled.
SEED_PLAN_OPEN = {
    9: (70, "Đã rà soát 14/20 TTHC; chuyển tiếp sang năm 2023."),
    32: (80, "Đã tự đánh giá Chỉ số CCHC, chờ kết quả thẩm định của Sở Nội vụ."),
}
SEED_PLAN_CANCELLED = {26: "Trục liên thông văn bản do Sở Thông tin và Truyền thông triển khai chung cho toàn tỉnh."}
# Days from the due date to completion, in turn: early, on time, late.
_OFFSETS = [-12, 0, -5, 6, -20, 0, -3, 9]


def _carry_out_seed_plan(ctx: Context, plan: Plan) -> None:
    vanphong = ctx.people["vanphong"]
    top = {t.order: t for t in plan.tasks.filter(parent__isnull=True)}
    for number, reason in SEED_PLAN_CANCELLED.items():
        update = actions.cancel(top[number], vanphong, reason=reason)
        TaskUpdate.objects.filter(pk=update.pk).update(created=_at(date(SEED_YEAR, 8, 15)))
    for number, (progress, note) in SEED_PLAN_OPEN.items():
        _progress(ctx, top[number], vanphong, date(SEED_YEAR, 12, 20), progress, note)
    skip = {top[n].pk for n in (*SEED_PLAN_OPEN, *SEED_PLAN_CANCELLED)}
    leaves = plan.tasks.filter(children__isnull=True).exclude(pk__in=skip).exclude(parent_id__in=skip)
    for index, task in enumerate(leaves.order_by("due_date", "order", "pk").select_related("lead_unit")):
        due = task.due_date or date(SEED_YEAR, 12, 31)
        day = due + timedelta(days=_OFFSETS[index % len(_OFFSETS)])
        _progress(ctx, task, _author_for(ctx, task), min(day, date(SEED_YEAR + 1, 1, 10)), 100, "Đã hoàn thành.")
    _roll_up_parents(plan)
    for target in plan.targets.filter(measurement=Measurement.MANUAL):
        end_of_year, _now = TARGET_VALUES[target.order]
        TargetValue.objects.create(
            target=target,
            period_label=f"Năm {SEED_YEAR}",
            period_end=date(SEED_YEAR, 12, 31),
            actual=Decimal(str(end_of_year)),
            recorded_by=_recorder(ctx, target),
            recorded_at=_at(date(SEED_YEAR + 1, 1, 5), 9),
        )


# The current plan --------------------------------------------------------


def _create_current_plan(ctx: Context, base: Plan, today: date) -> Plan:
    vanphong, giamdoc = ctx.people["vanphong"], ctx.people["giamdoc"]
    plan = actions.copy_plan(base, vanphong, year=today.year)
    plan.signer_name = giamdoc.full_name
    plan.signer_position = giamdoc.position or plan.signer_position
    plan.save(update_fields=["signer_name", "signer_position"])
    for task in plan.tasks.filter(lead_unit=ctx.units["HTQT"]):
        task.assignees.set([ctx.people["chuyenvien"]])
    actions.transition(plan, "submit", vanphong)
    actions.transition(plan, "issue", giamdoc, issued_on=min(today, date(today.year, 1, 5)))
    plan = actions.transition(plan, "start", vanphong)
    _place_around(ctx, plan, today)
    _measure(ctx, plan, today)
    return plan


def _place_around(ctx: Context, plan: Plan, today: date) -> None:
    """Give the tasks states that are real on `today`, whatever day the demo is loaded."""
    vanphong = ctx.people["vanphong"]
    top = {t.order: t for t in plan.tasks.filter(parent__isnull=True).select_related("lead_unit", "plan")}
    for number, scenario in SCENARIOS.items():
        _play(ctx, top[number], scenario, today)
    # Everything else follows its printed deadline: done when it is past, under way in the current period.
    placed = [top[n].pk for n in SCENARIOS]
    rest = plan.tasks.filter(children__isnull=True).exclude(pk__in=placed).select_related("lead_unit", "plan")
    for index, task in enumerate(rest.order_by("due_date", "order", "pk")):
        author = _author_for(ctx, task)
        if task.due_date and task.due_date < today:
            day = min(today, task.due_date + timedelta(days=_OFFSETS[index % len(_OFFSETS)]))
            _progress(ctx, task, author, day, 100, "Đã hoàn thành.")
        elif task.start_date and task.start_date <= today and index % 3 == 0:
            _progress(ctx, task, author, today - timedelta(days=1), 30, "Đang triển khai, đã tổng hợp số liệu.")
    _roll_up_parents(plan)
    # Discussion: a question to the Office, and a reminder to the unit head.
    comment = actions.comment(
        top[24],
        ctx.people["chuyenvien"],
        "@vanphong đề nghị Văn phòng cung cấp danh mục cơ sở dữ liệu dùng chung của Sở để Phòng HTQT kết nối.",
    )
    TaskUpdate.objects.filter(pk=comment.pk).update(created=_at(today - timedelta(days=1), 10))
    actions.comment(
        top[34],
        vanphong,
        "@truongphong nhiệm vụ đã quá hạn, đề nghị Phòng HTQT báo cáo tiến độ trước cuộc họp giao ban.",
    )


def _play(ctx: Context, task: Task, scenario: Scenario, today: date) -> None:
    vanphong = ctx.people["vanphong"]
    author = ctx.people[scenario.author]
    due = today + timedelta(days=scenario.due)
    task.due_date = due
    task.due_text = f"{due.day}/{due.month}/{due.year}"
    if task.start_date is None or task.start_date > due:
        task.start_date = due - timedelta(days=30)
    task.save(update_fields=["due_date", "due_text", "start_date"])
    if scenario.state == "cancelled":
        update = actions.cancel(task, vanphong, reason=scenario.note)
        TaskUpdate.objects.filter(pk=update.pk).update(created=_at(today - timedelta(days=7)))
        return
    if scenario.state == "done":
        finished = today + timedelta(days=scenario.done or 0)
        _progress(ctx, task, author, finished - timedelta(days=15), 50, "Đang triển khai.")
        _progress(ctx, task, author, finished, 100, scenario.note, scenario.links)
        return
    if scenario.progress:
        _progress(ctx, task, author, today - timedelta(days=4), scenario.progress, scenario.note, scenario.links)
    if scenario.state == "extended":
        update = actions.extend(
            task,
            vanphong,
            new_due_date=today + timedelta(days=30),
            reason="Lùi thời hạn theo lịch đánh giá của tổ chức chứng nhận.",
        )
        TaskUpdate.objects.filter(pk=update.pk).update(created=_at(today - timedelta(days=2)))
    if task.coordinating_units.filter(abbreviation="HTQT").exists():
        _progress(
            ctx,
            task,
            ctx.people["truongphong"],
            today - timedelta(days=2),
            None,
            "Phòng HTQT đã gửi Văn phòng dự thảo phần việc của phòng.",
        )


def _measure(ctx: Context, plan: Plan, today: date) -> None:
    # The last month that has ended this year; in January, the month so far.
    if today.month > 1:
        end = periods.month_end(today.year, today.month - 1)
        label = f"Tháng {today.month - 1}/{today.year}"
    else:
        end, label = today, f"Đến {today.day}/{today.month}/{today.year}"
    for target in plan.targets.filter(measurement=Measurement.MANUAL).select_related("plan"):
        _end_of_year, actual = TARGET_VALUES[target.order]
        if actual is None:
            continue
        value = actions.record_value(
            target, _recorder(ctx, target), period_label=label, period_end=end, actual=Decimal(str(actual))
        )
        TargetValue.objects.filter(pk=value.pk).update(recorded_at=_at(min(today, end + timedelta(days=3)), 9))


# The plan waiting for approval --------------------------------------------

INDEX_TITLE = "Nâng cao Chỉ số cải cách hành chính của Sở Ngoại vụ năm %d"
# content, area, lead unit, coordinating units, days from today to the deadline, output
INDEX_TASKS = [
    (
        "Rà soát kết quả Chỉ số CCHC năm trước của Sở; xác định các tiêu chí, tiêu chí thành phần bị điểm thấp "
        "và nguyên nhân",
        "direction",
        "VP",
        [],
        30,
        "Báo cáo phân tích Chỉ số CCHC",
    ),
    (
        "Khắc phục các tiêu chí bị điểm thấp về thủ tục hành chính: công khai đầy đủ TTHC, số hóa hồ sơ và kết quả "
        "giải quyết TTHC",
        "procedures",
        "LS",
        ["QLBG", "HTQT"],
        60,
        "100% hồ sơ TTHC được số hóa",
    ),
    (
        "Khảo sát sự hài lòng của người dân, tổ chức đối với sự phục vụ của Sở",
        "direction",
        "VP",
        ["LS"],
        75,
        "Báo cáo kết quả khảo sát",
    ),
    (
        "Hoàn thiện hồ sơ, tài liệu kiểm chứng tự đánh giá Chỉ số CCHC của Sở",
        "direction",
        "VP",
        ["TTr", "QLBG", "HTQT", "LS"],
        90,
        "Hồ sơ tự đánh giá gửi Sở Nội vụ",
    ),
]


def _create_index_plan(ctx: Context, today: date) -> Plan:
    vanphong = ctx.people["vanphong"]
    plan = Plan.objects.create(
        agency=ctx.agency,
        kind=PlanKind.INDEX,
        year=today.year,
        title=INDEX_TITLE % today.year,
        place=ctx.agency.place_name,
        signer_position="Giám đốc",
        signer_name=ctx.people["giamdoc"].full_name,
        recipients="Sở Nội vụ (b/c)\nBan Giám đốc Sở\nCác phòng thuộc Sở\nLưu: VT, VP",
        purpose="Cải thiện thứ hạng Chỉ số cải cách hành chính của Sở; khắc phục các tiêu chí bị điểm thấp.",
        created_by=vanphong,
    )
    for order, (content, area, lead, coordinating, days, output) in enumerate(INDEX_TASKS, start=1):
        due = today + timedelta(days=days)
        task = Task.objects.create(
            plan=plan,
            agency=ctx.agency,
            order=order,
            label=str(order),
            content=content,
            area=ctx.areas[area],
            lead_unit=ctx.units[lead],
            start_date=today,
            due_date=due,
            due_text=f"{due.day}/{due.month}/{due.year}",
            output=output,
        )
        task.coordinating_units.set([ctx.units[abbr] for abbr in coordinating])
    return actions.transition(plan, "submit", vanphong)


# Helpers -----------------------------------------------------------------


def _author_for(ctx: Context, task: Task) -> User:
    """Who reports for the lead unit: only HTQT has demo people of its own; the Office reports for the others."""
    return ctx.people["chuyenvien"] if task.lead_unit.abbreviation == "HTQT" else ctx.people["vanphong"]


def _recorder(ctx: Context, target: Target) -> User:
    unit = target.responsible_unit
    return ctx.people["chuyenvien"] if unit is not None and unit.abbreviation == "HTQT" else ctx.people["vanphong"]


def _progress(
    ctx: Context, task: Task, author: User, day: date, progress: int | None, text: str, links: str = ""
) -> TaskUpdate:
    """A dated progress update (or a contribution when `progress` is None); parents roll up at the end."""
    contribution = progress is None
    update = TaskUpdate.objects.create(
        task=task,
        kind=UpdateKind.CONTRIBUTION if contribution else UpdateKind.PROGRESS,
        author=author,
        unit=ctx.unit_of(author.username) or (None if contribution else task.lead_unit),
        text=text,
        progress=progress,
        links=links,
        created=_at(day),
    )
    if progress is not None:
        task.set_progress(progress, today=day)
        task.save(update_fields=["progress", "status", "completed_on"])
    return update


def _roll_up_parents(plan: Plan) -> None:
    for parent in plan.tasks.filter(children__isnull=False).distinct():
        parent.roll_up()
