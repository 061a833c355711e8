from __future__ import annotations

from datetime import date
from typing import Any

import time_machine
from django.urls import reverse

from accounts.models import Membership, Role, User
from plans.models import PlanStatus, TaskUpdate, UpdateKind
from plans.tests.base import PlansTestCase


class ReassignTestCase(PlansTestCase):
    colleague: User
    clerk: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.colleague = cls._person("colleague", "Vũ Thị Hoa", cls.agency, Role.STAFF, cls.unit)
        cls.clerk = cls._person("clerk", "Đặng Văn Khoa", cls.agency, Role.STAFF, cls.office)

    def url(self) -> str:
        return reverse("plans:task_reassign", args=[self.task.pk])

    def latest(self) -> TaskUpdate | None:
        return TaskUpdate.objects.filter(task=self.task, kind=UpdateKind.REASSIGN).first()

    def post(self, **data: Any) -> Any:
        return self.client.post(self.url(), data)

    def test_a_manager_moves_the_task_to_another_unit(self) -> None:
        self.login(self.coordinator)
        r = self.post(
            lead_unit=self.office.pk, coordinating_units=[self.unit.pk], assignees=[self.clerk.pk], note="Theo chỉ đạo"
        )
        self.assertRedirects(r, reverse("plans:task_detail", args=[self.task.pk]), fetch_redirect_response=False)
        self.task.refresh_from_db()
        self.assertEqual(self.task.lead_unit, self.office)
        self.assertEqual(list(self.task.coordinating_units.all()), [self.unit])
        self.assertEqual(list(self.task.assignees.all()), [self.clerk])
        update = self.latest()
        assert update is not None
        self.assertEqual((update.author, update.text), (self.coordinator, "Theo chỉ đạo"))
        self.assertEqual(update.details["lead_unit"], ["Phòng Hợp tác quốc tế", "Văn phòng Sở"])
        self.assertEqual(update.details["assignees"], [["Phạm Minh Tuấn"], ["Đặng Văn Khoa"]])
        r = self.client.get(reverse("plans:task_detail", args=[self.task.pk]))
        self.assertContains(r, "<del>Phòng Hợp tác quốc tế</del> → <ins>Văn phòng Sở</ins>")

    def test_a_manager_must_choose_people_of_the_new_unit(self) -> None:
        self.login(self.coordinator)
        r = self.post(lead_unit=self.office.pk, coordinating_units=[], assignees=[self.staff.pk])
        self.assertContains(r, "Not a member of the lead unit Văn phòng Sở: Phạm Minh Tuấn.")
        self.task.refresh_from_db()
        self.assertEqual(self.task.lead_unit, self.unit)
        self.assertIsNone(self.latest())

    def test_it_says_when_nothing_changed(self) -> None:
        self.login(self.coordinator)
        r = self.post(lead_unit=self.unit.pk, coordinating_units=[self.office.pk], assignees=[self.staff.pk])
        self.assertContains(r, "Nothing changed.")
        self.assertIsNone(self.latest())

    def test_the_unit_head_changes_the_people_of_the_unit(self) -> None:
        self.login(self.unit_head)
        r = self.client.get(self.url())
        self.assertNotIn("lead_unit", r.context["form"].fields)
        self.assertContains(r, "Vũ Thị Hoa")
        self.assertNotContains(r, "Đặng Văn Khoa")  # works in the Office
        r = self.post(assignees=[self.colleague.pk, self.staff.pk], lead_unit=self.office.pk)
        self.assertEqual(r.status_code, 302)
        self.task.refresh_from_db()
        self.assertEqual(self.task.lead_unit, self.unit)  # ignored: only managers move tasks between units
        self.assertEqual(set(self.task.assignees.all()), {self.colleague, self.staff})
        update = self.latest()
        assert update is not None
        self.assertEqual(update.details, {"assignees": [["Phạm Minh Tuấn"], ["Phạm Minh Tuấn", "Vũ Thị Hoa"]]})

    def test_the_unit_head_cannot_give_the_task_to_another_unit_people(self) -> None:
        self.login(self.unit_head)
        r = self.post(assignees=[self.clerk.pk])
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.context["form"].errors["assignees"])
        self.assertEqual(list(self.task.assignees.all()), [self.staff])
        self.assertIsNone(self.latest())

    def test_a_unit_head_of_another_unit_is_refused(self) -> None:
        head = self._person("head2", "Bùi Văn Long", self.agency, Role.UNIT_HEAD, self.office)
        self.login(head)
        self.assertEqual(self.post(assignees=[self.clerk.pk]).status_code, 403)
        self.assertIsNone(self.latest())

    @time_machine.travel(date(2026, 3, 1), tick=False)
    def test_a_person_who_left_the_unit_is_not_offered(self) -> None:
        Membership.objects.filter(user=self.colleague).update(valid_to=date(2026, 2, 1))
        self.login(self.unit_head)
        self.assertNotContains(self.client.get(self.url()), "Vũ Thị Hoa")
        self.assertEqual(self.post(assignees=[self.colleague.pk]).status_code, 200)
        self.assertIsNone(self.latest())

    def test_it_is_refused_on_a_closed_plan(self) -> None:
        self.plan.status = PlanStatus.CLOSED
        self.plan.save()
        self.login(self.coordinator)
        r = self.post(lead_unit=self.office.pk, assignees=[])
        self.assertRedirects(r, reverse("plans:task_detail", args=[self.task.pk]), fetch_redirect_response=False)
        self.task.refresh_from_db()
        self.assertEqual(self.task.lead_unit, self.unit)

    def test_it_is_refused_to_others(self) -> None:
        for persona, status in ((self.staff, 403), (self.leader, 403), (self.overseer, 403), (self.outsider, 404)):
            self.login(persona)
            self.assertEqual(self.post(assignees=[self.colleague.pk]).status_code, status)
        self.assertIsNone(self.latest())
