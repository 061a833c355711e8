from __future__ import annotations

from django.urls import reverse

from plans.models import PlanStatus, Task, TaskStatus, TaskUpdate, UpdateKind
from plans.tests.base import PlansTestCase


class CancelTestCase(PlansTestCase):
    def url(self) -> str:
        return reverse("plans:task_cancel", args=[self.task.pk])

    def test_it_cancels_with_a_reason(self) -> None:
        sub = Task.objects.create(plan=self.plan, parent=self.task, content="Cấp tỉnh", lead_unit=self.unit)
        self.login(self.coordinator)
        r = self.client.post(self.url(), {"reason": "Nhiệm vụ đã được Bộ giao cho đơn vị khác"})
        self.assertRedirects(r, reverse("plans:task_detail", args=[self.task.pk]), fetch_redirect_response=False)
        self.task.refresh_from_db()
        sub.refresh_from_db()
        self.assertEqual(
            (self.task.status, self.task.cancel_reason),
            (TaskStatus.CANCELLED, "Nhiệm vụ đã được Bộ giao cho đơn vị khác"),
        )
        self.assertEqual(sub.status, TaskStatus.CANCELLED)
        update = TaskUpdate.objects.get(kind=UpdateKind.CANCEL)
        self.assertEqual((update.author, update.text), (self.coordinator, "Nhiệm vụ đã được Bộ giao cho đơn vị khác"))
        r = self.client.get(reverse("plans:task_detail", args=[self.task.pk]))
        self.assertContains(r, "Cancelled")
        self.assertIsNone(r.context["progress_form"])

    def test_a_cancelled_sub_task_no_longer_counts_for_its_parent(self) -> None:
        a = Task.objects.create(plan=self.plan, parent=self.task, content="a", lead_unit=self.unit, progress=100)
        b = Task.objects.create(plan=self.plan, parent=self.task, content="b", lead_unit=self.unit)
        a.set_progress(100)
        a.save()
        self.task.roll_up()
        self.task.refresh_from_db()
        self.assertEqual(self.task.progress, 50)
        self.login(self.coordinator)
        self.client.post(reverse("plans:task_cancel", args=[b.pk]), {"reason": "Không còn phù hợp"})
        self.task.refresh_from_db()
        self.assertEqual((self.task.progress, self.task.status), (100, TaskStatus.DONE))

    def test_the_reason_is_required(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), {"reason": ""})
        self.assertContains(r, "Give the reason for cancelling.")
        self.task.refresh_from_db()
        self.assertEqual(self.task.status, TaskStatus.IN_PROGRESS)

    def test_a_cancelled_task_is_not_cancelled_again(self) -> None:
        self.task.status = TaskStatus.CANCELLED
        self.task.cancel_reason = "Lần đầu"
        self.task.save()
        self.login(self.coordinator)
        r = self.client.post(self.url(), {"reason": "Lần hai"})
        self.assertRedirects(r, reverse("plans:task_detail", args=[self.task.pk]), fetch_redirect_response=False)
        self.task.refresh_from_db()
        self.assertEqual(self.task.cancel_reason, "Lần đầu")
        self.assertFalse(TaskUpdate.objects.filter(kind=UpdateKind.CANCEL).exists())

    def test_it_is_refused_on_a_closed_plan(self) -> None:
        self.plan.status = PlanStatus.CLOSED
        self.plan.save()
        self.login(self.coordinator)
        self.client.post(self.url(), {"reason": "x"})
        self.task.refresh_from_db()
        self.assertEqual(self.task.status, TaskStatus.IN_PROGRESS)

    def test_it_is_for_managers(self) -> None:
        for persona, status in ((self.unit_head, 403), (self.staff, 403), (self.overseer, 403), (self.outsider, 404)):
            self.login(persona)
            self.assertEqual(self.client.post(self.url(), {"reason": "x"}).status_code, status)
        self.task.refresh_from_db()
        self.assertEqual(self.task.status, TaskStatus.IN_PROGRESS)
