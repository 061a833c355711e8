from __future__ import annotations

from datetime import date
from decimal import Decimal

from plans.models import TargetValue, Task, TaskState, TaskStatus, TaskUpdate, UpdateKind
from reports import prefill
from reports.tests.base import ReportsTestCase, at


class PrefillTestCase(ReportsTestCase):
    def test_it_gives_the_state_as_it_stood_on_a_day(self) -> None:
        task = Task(
            plan=self.plan,
            content="x",
            lead_unit=self.unit,
            due_date=date(2026, 3, 1),
            status=TaskStatus.DONE,
            completed_on=date(2026, 3, 20),
            progress=100,
        )
        self.assertEqual(prefill.state_at(task, date(2026, 3, 14)), TaskState.OVERDUE)
        self.assertEqual(prefill.state_at(task, date(2026, 3, 25)), TaskState.DONE_LATE)
        task.due_date = date(2026, 6, 30)
        self.assertEqual(prefill.state_at(task, date(2026, 3, 14)), TaskState.IN_PROGRESS)
        task.status = TaskStatus.CANCELLED
        self.assertEqual(prefill.state_at(task, date(2026, 3, 14)), TaskState.CANCELLED)

    def test_it_takes_the_tasks_that_belong_to_the_period(self) -> None:
        finished = Task.objects.create(
            plan=self.plan,
            content="Xong năm trước",
            lead_unit=self.unit,
            status=TaskStatus.DONE,
            completed_on=date(2025, 12, 1),
            progress=100,
        )
        later = Task.objects.create(
            plan=self.plan, content="Bắt đầu quý II", lead_unit=self.unit, start_date=date(2026, 4, 1)
        )
        other = Task.objects.create(plan=self.plan, content="Đơn vị khác", lead_unit=self.office)
        parent = Task.objects.create(plan=self.plan, content="Cha", lead_unit=self.unit)
        child = Task.objects.create(plan=self.plan, parent=parent, content="Con", lead_unit=self.unit)
        ids = set(prefill.period_tasks(self.period, [self.unit.pk]).values_list("pk", flat=True))
        self.assertEqual(ids, {self.task.pk, child.pk})
        self.assertNotIn(finished.pk, ids)
        self.assertNotIn(later.pk, ids)
        self.assertNotIn(other.pk, ids)

    def test_it_lists_the_updates_and_evidence_of_the_window(self) -> None:
        TaskUpdate.objects.filter(pk=self.update.pk).update(created=at(2026, 2, 1))
        before = TaskUpdate.objects.create(
            task=self.task, kind=UpdateKind.PROGRESS, author=self.staff, text="Cũ", progress=10
        )
        TaskUpdate.objects.filter(pk=before.pk).update(created=at(2025, 12, 10))
        after = TaskUpdate.objects.create(
            task=self.task, kind=UpdateKind.PROGRESS, author=self.staff, text="Sau", progress=60
        )
        TaskUpdate.objects.filter(pk=after.pk).update(created=at(2026, 3, 15))
        comment = TaskUpdate.objects.create(
            task=self.task, kind=UpdateKind.COMMENT, author=self.staff, text="Bình luận"
        )
        TaskUpdate.objects.filter(pk=comment.pk).update(created=at(2026, 2, 2))
        TaskUpdate.objects.filter(pk=self.update.pk).update(links="https://example.org/qd\nSố 12/QĐ")
        data = prefill.unit_data(self.period, self.unit.pk, today=date(2026, 3, 20))
        updates = data["tasks"][0]["updates"]
        self.assertEqual([u["text"] for u in updates], ["Đã rà soát 10 thủ tục"])
        self.assertEqual(updates[0]["date"], "2026-02-01")
        self.assertEqual(updates[0]["links"], ["https://example.org/qd", "Số 12/QĐ"])
        self.assertEqual(updates[0]["files"], [])
        self.assertEqual(data["as_of"], "2026-03-14")
        self.assertEqual(data["counts"]["total"], 1)

    def test_it_takes_the_latest_target_value_by_the_cutoff(self) -> None:
        TargetValue.objects.filter(pk=self.value.pk).update(period_end=date(2026, 3, 10))
        TargetValue.objects.create(
            target=self.target,
            period_label="Tháng 4/2026",
            period_end=date(2026, 4, 30),
            actual=Decimal(70),
            recorded_by=self.staff,
        )
        TargetValue.objects.create(
            target=self.target,
            period_label="Tháng 1/2026",
            period_end=date(2026, 1, 31),
            actual=Decimal(20),
            recorded_by=self.staff,
        )
        target = prefill.unit_data(self.period, self.unit.pk, today=date(2026, 3, 20))["targets"][0]
        self.assertEqual((target["actual"], target["period_label"]), ("45", "Quý I/2026"))

    def test_it_gives_the_progress_posted_by_the_cutoff_for_work_finished_later(self) -> None:
        task = Task.objects.create(
            plan=self.plan, content="Số hóa hồ sơ", lead_unit=self.unit, due_date=date(2026, 6, 30)
        )
        for day, value in ((date(2026, 2, 10), 40), (date(2026, 3, 20), 100)):
            TaskUpdate.objects.create(
                task=task,
                kind=UpdateKind.PROGRESS,
                author=self.staff,
                progress=value,
                created=at(day.year, day.month, day.day),
            )
        task.set_progress(100, today=date(2026, 3, 20))
        task.save()
        row = next(r for r in prefill.unit_data(self.period, self.unit.pk)["tasks"] if r["id"] == task.pk)
        # At the cut-off (14/3) it stood at 40%, not finished.
        self.assertEqual((row["state"], row["progress"], row["completed_on"]), (TaskState.IN_PROGRESS, 40, None))
