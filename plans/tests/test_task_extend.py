from __future__ import annotations

from datetime import date

import time_machine
from django.urls import reverse

from plans.models import PlanStatus, Task, TaskUpdate, UpdateKind
from plans.tests.base import PlansTestCase


class ExtendTestCase(PlansTestCase):
    def url(self, task: Task | None = None) -> str:
        return reverse("plans:task_extend", args=[(task or self.task).pk])

    def test_it_extends_and_keeps_both_dates(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), {"new_due_date": "30/09/2026", "reason": "Chờ hướng dẫn của Bộ"})
        self.assertRedirects(r, reverse("plans:task_detail", args=[self.task.pk]), fetch_redirect_response=False)
        self.task.refresh_from_db()
        self.assertEqual(self.task.due_date, date(2026, 9, 30))
        update = TaskUpdate.objects.get(kind=UpdateKind.EXTEND)
        self.assertEqual((update.old_due_date, update.new_due_date), (date(2026, 6, 30), date(2026, 9, 30)))
        self.assertEqual((update.author, update.text), (self.coordinator, "Chờ hướng dẫn của Bộ"))
        r = self.client.get(reverse("plans:task_detail", args=[self.task.pk]))
        self.assertContains(r, "<del>30/06/2026</del> → <ins>30/09/2026</ins>")

    @time_machine.travel(date(2026, 8, 1), tick=False)
    def test_an_extended_task_is_no_longer_overdue(self) -> None:
        self.assertEqual(self.task.state(), "overdue")
        self.login(self.coordinator)
        self.client.post(self.url(), {"new_due_date": "30/09/2026", "reason": "Chờ hướng dẫn"})
        self.task.refresh_from_db()
        self.assertEqual(self.task.state(), "in_progress")

    def test_the_new_date_must_be_later(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), {"new_due_date": "30/06/2026", "reason": "x"})
        self.assertContains(r, "The new due date must be later than the current one (30/06/2026).")
        self.task.refresh_from_db()
        self.assertEqual(self.task.due_date, date(2026, 6, 30))
        self.assertFalse(TaskUpdate.objects.filter(kind=UpdateKind.EXTEND).exists())

    def test_the_reason_is_required(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), {"new_due_date": "30/09/2026", "reason": "  "})
        self.assertContains(r, "Give the reason for the extension.")
        self.assertFalse(TaskUpdate.objects.filter(kind=UpdateKind.EXTEND).exists())

    def test_it_refuses_a_bad_date(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), {"new_due_date": "31/02/2026", "reason": "x"})
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.context["form"].errors["new_due_date"])
        self.assertFalse(TaskUpdate.objects.filter(kind=UpdateKind.EXTEND).exists())

    def test_it_is_refused_on_a_closed_plan(self) -> None:
        self.plan.status = PlanStatus.CLOSED
        self.plan.save()
        self.login(self.coordinator)
        self.client.post(self.url(), {"new_due_date": "30/09/2026", "reason": "x"})
        self.task.refresh_from_db()
        self.assertEqual(self.task.due_date, date(2026, 6, 30))

    def test_it_is_for_managers(self) -> None:
        for persona, status in ((self.unit_head, 403), (self.staff, 403), (self.leader, 403), (self.outsider, 404)):
            self.login(persona)
            r = self.client.post(self.url(), {"new_due_date": "30/09/2026", "reason": "x"})
            self.assertEqual(r.status_code, status)
        self.assertFalse(TaskUpdate.objects.filter(kind=UpdateKind.EXTEND).exists())
