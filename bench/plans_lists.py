"""Query counts and timings of the task lists and their export with thousands of tasks.

Builds one agency with U units, P people per unit and N tasks (in a few plans,
each with coordinating units and responsible people, spread over the year and
over every state) in a throwaway SQLite database, signs in as the coordinator,
a unit head and an administrator and requests each list page, a filtered and a
searched page, the timeline and the Excel export a few times. Prints figures
only: query counts belong in tests (assertNumQueries), times do not.

    .venv/bin/python bench/plans_lists.py --tasks 5000
"""

from __future__ import annotations

import argparse
import time
from datetime import date, timedelta

from common import measure, print_figures, print_header, throwaway_database

# Words of real appendix rows, so that searching has something to find and to miss.
WORDS = [
    "Rà soát, công bố thủ tục hành chính",
    "Tuyên truyền cải cách hành chính",
    "Quán triệt nghị quyết của Đảng ủy",
    "Số hóa hồ sơ, kết quả giải quyết",
    "Kiểm tra công tác cải cách hành chính",
    "Đào tạo, bồi dưỡng công chức",
]


def build(tasks: int, units: int, people: int, today: date) -> dict[str, int]:
    """Create the agency, its people, plans and tasks; return the user id of each persona."""
    from django.db import transaction

    from accounts.models import Agency, AgencyKind, Membership, Role, Unit, User
    from lib.text import search_text
    from plans.models import Plan, PlanStatus, ReformArea, Task, TaskStatus

    with transaction.atomic():
        province = Agency.objects.create(
            code="province", kind=AgencyKind.PROVINCE, name="Ủy ban nhân dân tỉnh Bench", short_name="UBND tỉnh"
        )
        agency = Agency.objects.create(
            code="agency",
            kind=AgencyKind.DEPARTMENT,
            parent=province,
            name="Sở Bench tỉnh Bench",
            short_name="Sở Bench",
            abbreviation="SB",
            place_name="Bench",
        )
        Unit.objects.bulk_create(
            Unit(agency=agency, name=f"Phòng {u}", abbreviation=f"P{u}", is_coordinator=u == 0, order=u)
            for u in range(units)
        )
        unit_list = list(Unit.objects.filter(agency=agency).order_by("order"))
        User.objects.bulk_create(
            [
                User(username=f"u{u}-{p}", full_name=f"Nguyễn Văn {u}-{p}", password="!")
                for u in range(units)
                for p in range(people)
            ]
            + [User(username="admin", full_name="Quản trị Bench", password="!", is_superuser=True)]
        )
        ids = dict(User.objects.values_list("username", "pk"))
        roles = []
        for u, unit in enumerate(unit_list):
            for p in range(people):
                role = (
                    (Role.COORDINATOR if p == 0 else Role.STAFF)
                    if u == 0
                    else (Role.UNIT_HEAD if p == 0 else Role.STAFF)
                )
                roles.append(Membership(user_id=ids[f"u{u}-{p}"], agency=agency, unit=unit, role=role))
        roles.append(Membership(user_id=ids["admin"], agency=agency, role=Role.ADMIN))
        Membership.objects.bulk_create(roles)

        year = today.year
        plans = [
            Plan.objects.create(agency=agency, year=y, title=f"Cải cách hành chính năm {y}", status=status)
            for y, status in (
                (year - 1, PlanStatus.CLOSED),
                (year, PlanStatus.IN_PROGRESS),
                (year + 1, PlanStatus.DRAFT),
            )
        ]
        areas = list(ReformArea.objects.all())
        rows = []
        for n in range(tasks):
            plan = plans[n % 3]
            due = date(plan.year, 1, 1) + timedelta(days=(n * 7) % 365)
            status = [TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.CANCELLED][n % 4]
            content = f"{WORDS[n % len(WORDS)]} (đợt {n})"
            rows.append(
                Task(
                    plan=plan,
                    agency=agency,
                    order=n,
                    label=str(n),
                    content=content,
                    area=areas[n % len(areas)],
                    lead_unit=unit_list[n % units],
                    due_date=due,
                    due_text=f"Tháng {due.month}/{due.year}",
                    status=status,
                    progress={TaskStatus.DONE: 100, TaskStatus.IN_PROGRESS: 50}.get(status, 0),
                    completed_on=due + timedelta(days=n % 5 - 2) if status == TaskStatus.DONE else None,
                    cancel_reason="Không còn phù hợp" if status == TaskStatus.CANCELLED else "",
                    output="Báo cáo kết quả",
                    search_text=search_text(content, "Báo cáo kết quả", str(n), f"Tháng {due.month}/{due.year}"),
                )
            )
        Task.objects.bulk_create(rows, batch_size=1000)
        task_ids = list(Task.objects.filter(agency=agency).order_by("order").values_list("pk", "lead_unit_id"))
        coordinating = Task.coordinating_units.through
        assignees = Task.assignees.through
        unit_ids = [u.pk for u in unit_list]
        coordinating.objects.bulk_create(
            [
                coordinating(task_id=pk, unit_id=unit_ids[(unit_ids.index(lead) + k) % units])
                for pk, lead in task_ids
                for k in (1, 2)
            ],
            batch_size=2000,
        )
        assignees.objects.bulk_create(
            [
                assignees(task_id=pk, user_id=ids[f"u{unit_ids.index(lead)}-{1 + n % (people - 1)}"])
                for n, (pk, lead) in enumerate(task_ids)
                if n % 3  # every third task has nobody yet: the unit's own
            ],
            batch_size=2000,
        )
    return {"coordinator": ids["u0-0"], "unit_head": ids["u1-0"], "staff": ids["u1-1"], "admin": ids["admin"]}


def pages(year: int) -> list[tuple[str, str]]:
    from django.urls import reverse

    tasks = reverse("plans:task_list")
    return [
        ("all tasks", tasks),
        ("all, page 40", f"{tasks}?page=40"),
        ("search 'cai cach'", f"{tasks}?q=cai+cach"),
        ("overdue state", f"{tasks}?state=overdue"),
        ("quarter + unit", f"{tasks}?period={year}-Q2&unit=2"),
        ("my tasks", reverse("plans:my_tasks")),
        ("my unit's tasks", reverse("plans:unit_tasks")),
        ("overdue tasks", reverse("plans:overdue_tasks")),
        ("timeline", reverse("plans:timeline")),
        ("export, all", reverse("plans:task_export")),
        ("export, mine", f"{reverse('plans:task_export')}?view=mine"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--units", type=int, default=8, help="units of the agency")
    parser.add_argument("--people", type=int, default=6, help="people per unit")
    parser.add_argument("--repeat", type=int, default=3, help="timed requests per page")
    args = parser.parse_args()
    if args.tasks < 1 or args.units < 3 or args.people < 2:
        parser.error("--tasks must be at least 1, --units at least 3 and --people at least 2")

    with throwaway_database():
        from django.utils import timezone

        today = timezone.localdate()
        started = time.perf_counter()
        personas = build(args.tasks, args.units, args.people, today)
        print(
            f"Built 1 agency x {args.units} units x {args.people} people with {args.tasks} tasks "
            f"in {time.perf_counter() - started:.1f} s (SQLite, DEBUG=1)\n"
        )
        print_header(20)
        for persona, user_id in personas.items():
            print_figures(measure(persona, user_id, pages(today.year), args.repeat), 20)


if __name__ == "__main__":
    main()
