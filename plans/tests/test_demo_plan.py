from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import TestCase

from accounts.middleware import SESSION_FLAG
from accounts.models import User
from plans import demo
from plans.models import (
    Mention,
    Plan,
    PlanKind,
    PlanStatus,
    Recurrence,
    ReformArea,
    TargetStatus,
    TaskState,
    TaskStatus,
    TaskUpdate,
    UpdateKind,
)

TODAY = date(2026, 5, 4)
AREAS = {
    "direction",
    "institutional",
    "procedures",
    "apparatus",
    "civil_service",
    "public_finance",
    "digital_government",
}


def load_demo() -> None:
    call_command("load_demo", stdout=StringIO())


def states(plan: Plan, today: date) -> Counter[str]:
    return Counter(task.state(today) for task in plan.tasks.all())


class DemoPlanTestCase(TestCase):
    old: Plan
    current: Plan

    @classmethod
    def setUpTestData(cls) -> None:
        with time_machine.travel("2026-05-04 09:00 +07:00"):
            load_demo()
        cls.old = Plan.objects.get(year=2022)
        cls.current = Plan.objects.get(year=2026, kind=PlanKind.REFORM)

    def area_pk(self, code: str) -> int:
        return ReformArea.objects.get(code=code).pk

    def test_it_loads_plan_41_of_seed_002(self) -> None:
        plan = self.old
        self.assertEqual(plan.agency.code, "sngv-binhphuoc")
        self.assertEqual(plan.title, "Cải cách hành chính Nhà nước của Sở Ngoại vụ năm 2022")
        self.assertEqual((plan.number, plan.symbol, plan.register_year), (41, "41/KH-SNgV", 2021))
        self.assertEqual((plan.issued_on, plan.place), (date(2021, 12, 28), "Bình Phước"))
        self.assertEqual((plan.signer_position, plan.signer_name), ("Giám đốc", "Phạm Thị Anh Thư"))
        self.assertEqual(plan.recipients.splitlines()[0], "UBND tỉnh (b/c)")
        basis = plan.legal_bases.get()
        self.assertEqual((basis.doc_type, basis.symbol, basis.issued_on), ("QĐ", "3223/QĐ-UBND", date(2021, 12, 27)))
        self.assertEqual(basis.issuer, "UBND tỉnh")

    def test_it_keeps_the_outline_and_the_free_text(self) -> None:
        top = list(self.old.sections.filter(parent__isnull=True).values_list("label", flat=True))
        self.assertEqual(top, ["I", "II", "III", "IV", "V", "VI"])
        procedures = self.old.sections.get(parent__label="II", label="2")
        self.assertEqual(
            (procedures.title, procedures.area_id), ("Cải cách thủ tục hành chính", self.area_pk("procedures"))
        )
        self.assertTrue(self.old.purpose.startswith("Nhằm xây dựng hệ thống các cơ quan hành chính"))
        self.assertIn("a) Công tác CCHC phải được tiến hành đồng bộ", self.old.requirements)
        self.assertIn("Thông tư số 26/2019/TT-BTC", self.old.budget)
        self.assertIn("Văn phòng Sở có trách nhiệm theo dõi", self.old.organisation)

    def test_it_has_the_39_tasks_and_the_reporting_duties(self) -> None:
        top = self.old.tasks.filter(parent__isnull=True)
        self.assertEqual(top.count(), 43)
        first = top.get(order=1)
        self.assertEqual((first.section_id, first.label), (self.old.sections.get(title="Cải cách thể chế").pk, "a"))
        self.assertTrue(first.content.startswith("Đổi mới tư duy trong công tác xây dựng"))
        duties = top.filter(order__gt=39)
        self.assertEqual(
            sorted(duties.values_list("recurrence", flat=True)),
            sorted([Recurrence.MONTHLY, Recurrence.QUARTERLY, Recurrence.HALF_YEARLY, Recurrence.YEARLY]),
        )
        self.assertEqual(set(duties.values_list("lead_unit__abbreviation", flat=True)), {"VP"})
        self.assertEqual(set(duties.values_list("section__title", flat=True)), {"Văn phòng Sở"})

    def test_it_maps_tasks_to_every_area_with_plausible_units(self) -> None:
        top = self.old.tasks.filter(parent__isnull=True)
        self.assertEqual(set(top.values_list("area__code", flat=True)), AREAS)
        leads = {
            code: set(top.filter(area__code=code).values_list("lead_unit__abbreviation", flat=True)) for code in AREAS
        }
        self.assertEqual(leads["procedures"], {"QLBG", "HTQT", "LS"})
        for code in ("institutional", "apparatus", "civil_service", "public_finance"):
            self.assertEqual(leads[code], {"VP"}, code)
        self.assertIn("VP", leads["digital_government"])
        self.assertTrue(all(task.output for task in top))
        self.assertTrue(top.filter(coordinating_units__isnull=False).exists())

    def test_it_spreads_the_deadlines_across_2022(self) -> None:
        tasks = self.old.tasks.all()
        self.assertTrue(all(t.due_date and t.due_date.year == 2022 for t in tasks))
        months = {t.due_date.month for t in tasks.filter(parent__isnull=True, recurrence="") if t.due_date}
        self.assertTrue({3, 6, 9, 12} <= months)
        continuous = tasks.filter(recurrence=Recurrence.CONTINUOUS, due_text="Thường xuyên")
        self.assertEqual(continuous.count(), 9)
        for task in continuous:
            self.assertEqual(task.children.count(), 4)
        monthly = tasks.get(order=40)
        self.assertEqual(monthly.children.count(), 12)

    def test_it_closes_2022_mostly_done(self) -> None:
        self.assertEqual(self.old.status, PlanStatus.CLOSED)
        counts = Counter(self.old.tasks.values_list("status", flat=True))
        self.assertGreater(counts[TaskStatus.DONE], 0.9 * sum(counts.values()))
        self.assertEqual(counts[TaskStatus.CANCELLED], 1)
        self.assertTrue(self.old.tasks.get(status=TaskStatus.CANCELLED).cancel_reason)
        self.assertEqual(list(self.old.versions.values_list("note", flat=True)), [
            "Tổng kết thực hiện Kế hoạch năm 2022", "Ban hành"
        ])  # fmt: skip

    def test_it_attaches_the_18_targets_of_seed_004_with_values(self) -> None:
        targets = self.old.targets.select_related("plan", "responsible_unit")
        self.assertEqual(targets.count(), 18)
        self.assertTrue(all(t.responsible_unit and t.area for t in targets))
        initiatives = targets.get(order=3)
        self.assertEqual(initiatives.display_goal(), "3–5 sáng kiến")
        statuses = Counter(t.status_for(t.values.first(), TODAY) for t in targets)
        self.assertEqual(sum(statuses.values()), 18)
        self.assertEqual(set(statuses), {TargetStatus.MET, TargetStatus.NOT_MET})

    def test_it_issues_this_years_copy(self) -> None:
        plan = self.current
        self.assertEqual(plan.copied_from, self.old)
        self.assertEqual(plan.title, "Cải cách hành chính Nhà nước của Sở Ngoại vụ năm 2026")
        self.assertEqual(plan.status, PlanStatus.IN_PROGRESS)
        self.assertEqual((plan.number, plan.symbol, plan.register_year), (1, "01/KH-SNgV", 2026))
        self.assertEqual(plan.issued_on, date(2026, 1, 5))
        self.assertEqual(plan.signer_name, User.objects.get(username="giamdoc").full_name)
        self.assertEqual(
            list(plan.versions.values_list("status", flat=True)),
            [PlanStatus.IN_PROGRESS, PlanStatus.ISSUED, PlanStatus.SUBMITTED],
        )
        self.assertEqual(plan.tasks.count(), self.old.tasks.count())
        self.assertEqual(plan.targets.count(), 18)

    def test_it_gives_this_years_tasks_every_state(self) -> None:
        counts = states(self.current, TODAY)
        for state in (
            TaskState.NOT_STARTED,
            TaskState.IN_PROGRESS,
            TaskState.OVERDUE,
            TaskState.DONE_EARLY,
            TaskState.DONE_ON_TIME,
            TaskState.DONE_LATE,
            TaskState.CANCELLED,
        ):
            self.assertGreater(counts[state], 0, state)
        self.assertEqual(counts[TaskState.CANCELLED], 1)
        cancelled = self.current.tasks.get(status=TaskStatus.CANCELLED)
        self.assertTrue(cancelled.updates.filter(kind=UpdateKind.CANCEL, text=cancelled.cancel_reason).exists())
        extended = self.current.tasks.get(updates__kind=UpdateKind.EXTEND)
        self.assertEqual(extended.due_date, TODAY + timedelta(days=30))
        soon = self.current.tasks.open().filter(due_date__gte=TODAY, due_date__lte=TODAY + timedelta(days=14))
        self.assertTrue(soon.filter(lead_unit__abbreviation="HTQT").exists())
        self.assertTrue(self.current.tasks.overdue(TODAY).filter(lead_unit__abbreviation="HTQT").exists())

    def test_it_has_updates_links_and_mentions(self) -> None:
        updates = TaskUpdate.objects.filter(task__plan=self.current)
        by_staff = updates.filter(author__username="chuyenvien", kind=UpdateKind.PROGRESS)
        self.assertTrue(by_staff.exclude(links="").filter(progress__gt=0, text__gt="").exists())
        self.assertTrue(by_staff.filter(created__date__lte=TODAY).exists())
        self.assertFalse(updates.filter(created__date__gt=TODAY).exists())
        self.assertTrue(updates.filter(author__username="truongphong", kind=UpdateKind.CONTRIBUTION).exists())
        mention = Mention.objects.get(person__username="vanphong")
        self.assertIsNone(mention.seen_at)
        self.assertIn("@vanphong", mention.update.text)
        self.assertEqual(mention.update.author, User.objects.get(username="chuyenvien"))
        self.assertTrue(Mention.objects.filter(person__username="truongphong", seen_at__isnull=True).exists())

    def test_it_measures_this_years_targets(self) -> None:
        targets = self.current.targets.select_related("plan")
        statuses = Counter(t.status_for(t.values.first(), TODAY) for t in targets)
        self.assertEqual(set(statuses), {TargetStatus.MET, TargetStatus.AT_RISK, TargetStatus.NOT_MEASURED})
        value = targets.get(order=8).values.get()
        self.assertEqual((value.period_label, value.period_end), ("Tháng 4/2026", date(2026, 4, 30)))
        self.assertEqual(value.recorded_by, User.objects.get(username="chuyenvien"))

    def test_it_has_a_plan_waiting_for_approval(self) -> None:
        plan = Plan.objects.get(kind=PlanKind.INDEX, status=PlanStatus.SUBMITTED)
        self.assertEqual((plan.year, plan.status, plan.number), (2026, PlanStatus.SUBMITTED, None))
        self.assertEqual(plan.tasks.count(), 4)
        self.assertFalse(plan.tasks.filter(due_date__lte=TODAY).exists())
        self.assertEqual(plan.versions.get().status, PlanStatus.SUBMITTED)

    def test_it_reads_only_its_own_data_files(self) -> None:
        self.assertEqual(demo.DATA.parent, Path(demo.__file__).resolve().parent)
        self.assertEqual(len(demo.seed("seed002")["tasks"]), 43)
        self.assertEqual(len(demo.seed("seed004")["targets"]), 18)

    @time_machine.travel("2026-05-04 09:00 +07:00")
    def test_it_fills_the_home_pages(self) -> None:
        links: dict[str, str] = {}

        def home(username: str) -> dict[str, int]:
            self.client.force_login(User.objects.get(username=username))
            session = self.client.session
            session[SESSION_FLAG] = True
            session.save()
            self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
            r = self.client.get("/")
            links.update({str(i.text): i.url for s in r.context["sections"] for i in s.items})
            return {str(i.text): i.count for s in r.context["sections"] for i in s.items}

        def listed(text: str, state: str) -> int:
            """What the list the home page links to counts: the two must agree."""
            return int(self.client.get(links[text]).context["counts"][state])

        coordinator = home("vanphong")
        self.assertEqual(coordinator["Overdue tasks of the agency"], 3)
        self.assertEqual(listed("Overdue tasks of the agency", "overdue"), 3)
        self.assertGreater(coordinator["Targets at risk"], 0)
        self.assertTrue(any(text.startswith("You were mentioned") for text in coordinator))
        self.assertEqual(home("giamdoc")["Plans submitted for your approval"], 1)
        unit_head = home("truongphong")
        self.assertEqual(unit_head["Overdue tasks of your unit"], 2)
        self.assertEqual(listed("Overdue tasks of your unit", "overdue"), 2)
        soon = unit_head["Tasks of your unit due in the next 14 days"]
        self.assertGreater(soon, 0)
        self.assertEqual(listed("Tasks of your unit due in the next 14 days", "all"), soon)


class DemoDatesTestCase(TestCase):
    def test_it_has_overdue_and_upcoming_tasks_whatever_the_day(self) -> None:
        for day in ("2026-01-02", "2026-03-31", "2026-07-01", "2026-12-31"):
            Plan.objects.filter(year__gt=2022).delete()
            with self.subTest(day=day), time_machine.travel(f"{day} 09:00 +07:00"):
                load_demo()
                today = date.fromisoformat(day)
                plan = Plan.objects.get(year=today.year, kind=PlanKind.REFORM)
                counts = states(plan, today)
                for state in (TaskState.OVERDUE, TaskState.DONE_EARLY, TaskState.DONE_ON_TIME, TaskState.DONE_LATE):
                    self.assertGreater(counts[state], 0, state)
                self.assertTrue(plan.tasks.open().filter(due_date__range=(today, today + timedelta(days=14))).exists())
                self.assertFalse(plan.tasks.filter(completed_on__gt=today).exists())
                self.assertFalse(TaskUpdate.objects.filter(created__date__gt=today).exists())
                for start, due in plan.tasks.values_list("start_date", "due_date"):
                    self.assertTrue(start is None or due is None or start <= due)
