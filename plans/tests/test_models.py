"""Rules that live on the models and workflow functions: states, roll-up, occurrences, numbering, targets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import time_machine

from plans import actions
from plans.models import (
    Comparator,
    MetricKind,
    Plan,
    PlanStatus,
    Recurrence,
    Target,
    TargetStatus,
    TargetValue,
    Task,
    TaskState,
    TaskStatus,
)
from plans.tests.base import PlansTestCase


class TaskStateTestCase(PlansTestCase):
    def new_task(self, **fields: object) -> Task:
        return Task(plan=self.plan, lead_unit=self.unit, content="x", **fields)

    def test_it_is_overdue_when_open_past_due(self) -> None:
        task = self.new_task(due_date=date(2026, 6, 30), status=TaskStatus.IN_PROGRESS)
        self.assertEqual(task.state(date(2026, 6, 30)), TaskState.IN_PROGRESS)
        self.assertEqual(task.state(date(2026, 7, 1)), TaskState.OVERDUE)

    def test_it_tells_early_on_time_and_late(self) -> None:
        due = date(2026, 6, 30)
        self.assertEqual(
            self.new_task(due_date=due, status=TaskStatus.DONE, completed_on=date(2026, 6, 1)).state(),
            TaskState.DONE_EARLY,
        )
        self.assertEqual(
            self.new_task(due_date=due, status=TaskStatus.DONE, completed_on=due).state(), TaskState.DONE_ON_TIME
        )
        self.assertEqual(
            self.new_task(due_date=due, status=TaskStatus.DONE, completed_on=date(2026, 7, 2)).state(),
            TaskState.DONE_LATE,
        )
        self.assertEqual(self.new_task(status=TaskStatus.DONE, completed_on=due).state(), TaskState.DONE)

    def test_a_cancelled_task_is_never_overdue(self) -> None:
        task = self.new_task(due_date=date(2020, 1, 1), status=TaskStatus.CANCELLED)
        self.assertEqual(task.state(date(2026, 1, 1)), TaskState.CANCELLED)

    def test_progress_sets_the_status(self) -> None:
        task = self.new_task()
        task.set_progress(30, today=date(2026, 3, 1))
        self.assertEqual((task.status, task.completed_on), (TaskStatus.IN_PROGRESS, None))
        task.set_progress(100, today=date(2026, 3, 2))
        self.assertEqual((task.status, task.completed_on), (TaskStatus.DONE, date(2026, 3, 2)))
        task.set_progress(0)
        self.assertEqual((task.status, task.completed_on), (TaskStatus.NOT_STARTED, None))

    def test_it_folds_its_text_for_search(self) -> None:
        self.assertEqual(list(Task.objects.search("ra soat, cong bo")), [self.task])
        self.assertEqual(list(Task.objects.search("RÀ SOÁT")), [self.task])
        self.assertEqual(list(Task.objects.search("không có")), [])


class StateFilterTestCase(PlansTestCase):
    def test_the_filter_agrees_with_the_state_of_each_task(self) -> None:
        today = date(2026, 6, 30)
        due = date(2026, 6, 30)
        cases: list[dict[str, Any]] = [
            dict(status=TaskStatus.NOT_STARTED, due_date=None),
            dict(status=TaskStatus.NOT_STARTED, due_date=due),
            dict(status=TaskStatus.IN_PROGRESS, due_date=date(2026, 7, 1)),
            dict(status=TaskStatus.IN_PROGRESS, due_date=date(2026, 6, 29)),
            dict(status=TaskStatus.DONE, due_date=due, completed_on=date(2026, 6, 1)),
            dict(status=TaskStatus.DONE, due_date=due, completed_on=due),
            dict(status=TaskStatus.DONE, due_date=due, completed_on=date(2026, 7, 1)),
            dict(status=TaskStatus.DONE, due_date=None, completed_on=due),
            dict(status=TaskStatus.CANCELLED, due_date=date(2026, 1, 1), cancel_reason="x"),
        ]
        tasks = [Task.objects.create(plan=self.plan, lead_unit=self.unit, content="x", **c) for c in cases]
        done = {TaskState.DONE_EARLY, TaskState.DONE_ON_TIME, TaskState.DONE}
        for state in (
            TaskState.NOT_STARTED,
            TaskState.IN_PROGRESS,
            TaskState.OVERDUE,
            TaskState.DONE,
            TaskState.DONE_LATE,
            TaskState.CANCELLED,
        ):
            with self.subTest(state=state):
                in_python = {
                    t.pk
                    for t in tasks
                    if t.state(today) == state or (state == TaskState.DONE and t.state(today) in done)
                }
                in_sql = set(
                    Task.objects.filter(pk__in=[t.pk for t in tasks])
                    .filter(Task.state_filter(state, today))
                    .values_list("pk", flat=True)
                )
                self.assertEqual(in_sql, in_python)


class RollUpTestCase(PlansTestCase):
    def child(self, progress: int, status: str = TaskStatus.IN_PROGRESS) -> Task:
        return Task.objects.create(
            plan=self.plan, parent=self.task, lead_unit=self.unit, content="con", progress=progress, status=status
        )

    def test_the_parent_is_the_mean_of_children_that_count(self) -> None:
        self.child(100, TaskStatus.DONE)
        self.child(50)
        last = self.child(0, TaskStatus.CANCELLED)
        last.roll_up()
        self.task.refresh_from_db()
        self.assertEqual(self.task.progress, 75)
        self.assertEqual(self.task.status, TaskStatus.IN_PROGRESS)

    def test_the_parent_is_done_when_every_child_counted_is(self) -> None:
        first = self.child(100, TaskStatus.DONE)
        first.completed_on = date(2026, 5, 3)
        first.save()
        self.child(10, TaskStatus.CANCELLED)
        first.roll_up()
        self.task.refresh_from_db()
        self.assertEqual((self.task.progress, self.task.status), (100, TaskStatus.DONE))
        self.assertEqual(self.task.completed_on, date(2026, 5, 3))

    def test_a_progress_update_rolls_up(self) -> None:
        child = self.child(0)
        self.child(0)
        actions.post_progress(child, self.staff, text="Xong", progress=100)
        self.task.refresh_from_db()
        self.assertEqual(self.task.progress, 50)


class OccurrenceTestCase(PlansTestCase):
    def test_a_monthly_task_gets_twelve_occurrences(self) -> None:
        task = Task.objects.create(
            plan=self.plan, lead_unit=self.unit, content="Báo cáo CCHC", recurrence=Recurrence.MONTHLY, label="3"
        )
        task.coordinating_units.set([self.office])
        made = task.generate_occurrences()
        self.assertEqual(len(made), 12)
        self.assertEqual(made[0].content, "Báo cáo CCHC (Tháng 1/2026)")
        self.assertEqual((made[5].label, made[5].due_date), ("3.6", date(2026, 6, 30)))
        self.assertEqual(list(made[0].coordinating_units.all()), [self.office])
        self.assertEqual(task.generate_occurrences(), [], "a second call adds nothing")

    def test_a_continuous_task_is_checked_each_quarter(self) -> None:
        task = Task.objects.create(
            plan=self.plan, lead_unit=self.unit, content="Tuyên truyền", recurrence=Recurrence.CONTINUOUS
        )
        self.assertEqual(
            [t.due_text for t in task.generate_occurrences()],
            ["Quý I/2026", "Quý II/2026", "Quý III/2026", "Quý IV/2026"],
        )


class NumberingTestCase(PlansTestCase):
    def issue(self, title: str, on: date) -> Plan:
        plan = Plan.objects.create(agency=self.agency, year=on.year + 1, title=title, status=PlanStatus.SUBMITTED)
        return actions.transition(plan, "issue", self.leader, issued_on=on)

    def test_numbers_follow_the_agency_register_and_restart_each_year(self) -> None:
        first = self.issue("A", date(2026, 3, 1))
        second = self.issue("B", date(2026, 9, 1))
        next_year = self.issue("C", date(2027, 1, 5))
        other = Plan.objects.create(agency=self.other_agency, year=2027, title="D", status=PlanStatus.SUBMITTED)
        other = actions.transition(other, "issue", self.outsider, issued_on=date(2026, 4, 1))
        self.assertEqual([first.symbol, second.symbol, next_year.symbol], ["01/KH-SNgV", "02/KH-SNgV", "01/KH-SNgV"])
        self.assertEqual((first.register_year, next_year.register_year), (2026, 2027))
        self.assertEqual(other.symbol, "01/KH-STP")
        self.assertEqual(first.status, PlanStatus.ISSUED)
        self.assertEqual(first.versions.get().status, PlanStatus.ISSUED)

    def test_it_refuses_a_step_the_status_does_not_allow(self) -> None:
        with self.assertRaises(actions.ActionError):
            actions.transition(self.draft_plan, "issue", self.leader)
        self.draft_plan.refresh_from_db()
        self.assertIsNone(self.draft_plan.number)

    def test_returning_to_draft_needs_a_reason(self) -> None:
        actions.transition(self.draft_plan, "submit", self.coordinator)
        with self.assertRaises(actions.ActionError):
            actions.transition(self.draft_plan, "return", self.leader)
        plan = actions.transition(self.draft_plan, "return", self.leader, note="Bổ sung chỉ tiêu")
        self.assertEqual(plan.status, PlanStatus.DRAFT)

    def test_a_legal_basis_finds_the_issued_plan_it_cites(self) -> None:
        province_plan = Plan.objects.create(
            agency=self.province,
            year=2026,
            title="CCHC tỉnh",
            number=520,
            register_year=2025,
            symbol="520/KH-UBND",
            issued_on=date(2025, 12, 1),
            status=PlanStatus.ISSUED,
        )
        self.assertEqual(self.basis.find_document(), province_plan)
        self.basis.issued_on = date(2025, 12, 2)
        self.assertIsNone(self.basis.find_document())


class TargetTestCase(PlansTestCase):
    def new_target(self, comparator: str, value: int, value_max: int | None = None) -> Target:
        return Target(
            plan=self.plan,
            statement="x",
            metric_kind=MetricKind.COUNT,
            comparator=comparator,
            value=Decimal(value),
            value_max=None if value_max is None else Decimal(value_max),
        )

    def test_it_compares_actual_values(self) -> None:
        self.assertTrue(self.new_target(Comparator.GTE, 50).meets(Decimal(50)))
        self.assertFalse(self.new_target(Comparator.GTE, 50).meets(Decimal("49.9")))
        self.assertTrue(self.new_target(Comparator.LTE, 5).meets(Decimal(5)))
        self.assertTrue(self.new_target(Comparator.EQ, 100).meets(Decimal(100)))
        self.assertTrue(self.new_target(Comparator.RANGE, 3, 5).meets(Decimal(4)))
        self.assertFalse(self.new_target(Comparator.RANGE, 3, 5).meets(Decimal(6)))

    def test_it_is_at_risk_during_the_period_and_not_met_after(self) -> None:
        low = TargetValue(target=self.target, period_label="Q1", period_end=date(2026, 3, 31), actual=Decimal(45))
        high = TargetValue(target=self.target, period_label="Q2", period_end=date(2026, 6, 30), actual=Decimal(60))
        self.assertEqual(self.target.status_for(None), TargetStatus.NOT_MEASURED)
        self.assertEqual(self.target.status_for(high), TargetStatus.MET)
        self.assertEqual(self.target.status_for(low, date(2026, 12, 31)), TargetStatus.AT_RISK)
        self.assertEqual(self.target.status_for(low, date(2027, 1, 1)), TargetStatus.NOT_MET)

    def test_a_range_must_be_ordered(self) -> None:
        target = self.new_target(Comparator.RANGE, 5, 3)
        with self.assertRaisesMessage(Exception, "The lower value must not be greater than the upper value."):
            target.clean()

    def test_it_shows_the_goal(self) -> None:
        self.assertEqual(self.target.display_goal(), "≥ 50 %")
        self.assertEqual(self.draft_target.display_goal(), "3–5 sáng kiến")


class CopyTestCase(PlansTestCase):
    @time_machine.travel(date(2026, 11, 20))
    def test_a_copy_shifts_dates_and_keeps_no_history(self) -> None:
        copy = actions.copy_plan(self.plan, self.coordinator)
        self.assertEqual((copy.year, copy.status, copy.number, copy.symbol), (2027, PlanStatus.DRAFT, None, ""))
        self.assertEqual(copy.title, "Cải cách hành chính năm 2027")
        task = copy.tasks.get()
        self.assertEqual((task.due_date, task.due_text, task.progress), (date(2027, 6, 30), "Quý II/2027", 0))
        self.assertEqual(list(task.coordinating_units.all()), [self.office])
        self.assertFalse(task.updates.exists())
        self.assertEqual(copy.targets.get().values.count(), 0)
        self.assertEqual(copy.sections.get().title, "NHIỆM VỤ")
        self.assertEqual(copy.legal_bases.count(), 1)
        self.assertFalse(copy.versions.exists())
