from __future__ import annotations

from datetime import date

from django.urls import reverse

from accounts.models import Membership, Role, Unit
from plans.models import PlanStatus, Recurrence, Section, Task, TaskStatus, TaskUpdate
from plans.tests.base import PlansTestCase


def task_data(t: PlansTestCase, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "section": t.section.pk,
        "parent": "",
        "label": "2",
        "content": "Số hóa kết quả giải quyết thủ tục hành chính",
        "area": t.area.pk,
        "lead_unit": t.unit.pk,
        "coordinating_units": [t.office.pk],
        "assignees": [t.staff.pk],
        "start_date": "01/02/2026",
        "due_date": "30/09/2026",
        "due_text": "",
        "recurrence": "",
        "output": "Kết quả được số hóa",
        "priority": "2",
    }
    data.update(overrides)
    return data


class TaskCreateTestCase(PlansTestCase):
    def url(self) -> str:
        return reverse("plans:task_create", args=[self.plan.pk])

    def new_task(self) -> Task:
        return Task.objects.get(plan=self.plan, label="2")

    def test_it_creates_a_task(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), task_data(self))
        task = self.new_task()
        self.assertRedirects(r, reverse("plans:task_detail", args=[task.pk]), fetch_redirect_response=False)
        self.assertEqual(task.agency, self.agency)
        self.assertEqual((task.start_date, task.due_date), (date(2026, 2, 1), date(2026, 9, 30)))
        self.assertEqual((task.lead_unit, task.section, task.area), (self.unit, self.section, self.area))
        self.assertEqual(list(task.coordinating_units.all()), [self.office])
        self.assertEqual(list(task.assignees.all()), [self.staff])
        self.assertEqual(task.status, TaskStatus.NOT_STARTED)

    def test_it_shows_the_form_with_the_agency_units_and_people(self) -> None:
        Unit.objects.create(agency=self.agency, name="Phòng đã giải thể", abbreviation="GT", valid_to=date(2020, 1, 1))
        self.login(self.coordinator)
        r = self.client.get(self.url())
        self.assertContains(r, "Phòng Hợp tác quốc tế")
        self.assertContains(r, "Phạm Minh Tuấn (HTQT)")
        self.assertNotContains(r, "Phòng đã giải thể")
        self.assertNotContains(r, "Đỗ Thị Lan")
        self.assertEqual(r.context["nav_active"], "tasks")

    def test_it_offers_only_people_in_force(self) -> None:
        # A person who left the unit is no longer offered.
        Membership.objects.filter(user=self.staff, role=Role.STAFF).update(valid_to=date(2020, 1, 1))
        self.login(self.coordinator)
        r = self.client.get(self.url())
        self.assertNotContains(r, "Phạm Minh Tuấn")

    def test_it_reads_the_due_date_from_the_printed_period(self) -> None:
        self.login(self.coordinator)
        self.client.post(self.url(), task_data(self, due_date="", due_text="Quý III/2026"))
        task = self.new_task()
        self.assertEqual((task.due_date, task.due_text, task.recurrence), (date(2026, 9, 30), "Quý III/2026", ""))

    def test_it_reads_a_month_in_the_plan_year(self) -> None:
        self.login(self.coordinator)
        self.client.post(self.url(), task_data(self, start_date="", due_date="", due_text="Tháng 6"))
        self.assertEqual(self.new_task().due_date, date(2026, 6, 30))

    def test_it_refuses_an_unreadable_period_without_a_date(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), task_data(self, due_date="", due_text="Khi có yêu cầu"))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Could not read this period; enter a date (dd/mm/yyyy).")
        self.assertFalse(Task.objects.filter(label="2").exists())

    def test_it_keeps_an_unreadable_period_when_a_date_is_given(self) -> None:
        self.login(self.coordinator)
        self.client.post(self.url(), task_data(self, due_date="15/10/2026", due_text="Khi có yêu cầu"))
        self.assertEqual((self.new_task().due_date, self.new_task().due_text), (date(2026, 10, 15), "Khi có yêu cầu"))

    def test_it_creates_occurrences_of_a_recurring_task(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(
            self.url(), task_data(self, start_date="", due_date="", due_text="Thường xuyên", recurrence="")
        )
        task = self.new_task()
        self.assertEqual((task.recurrence, task.due_date), (Recurrence.CONTINUOUS, date(2026, 12, 31)))
        children = list(task.children.order_by("due_date"))
        self.assertEqual([c.due_text for c in children], ["Quý I/2026", "Quý II/2026", "Quý III/2026", "Quý IV/2026"])
        self.assertEqual(list(children[0].assignees.all()), [self.staff])
        messages = [str(m) for m in r.wsgi_request._messages]  # type: ignore[attr-defined]
        self.assertEqual(messages, ["The task was added with 4 occurrences, one per period."])

    def test_it_creates_monthly_occurrences_when_asked(self) -> None:
        self.login(self.coordinator)
        self.client.post(
            self.url(), task_data(self, start_date="01/07/2026", due_date="31/12/2026", recurrence="monthly")
        )
        self.assertEqual(self.new_task().children.count(), 6)

    def test_it_refuses_a_due_date_before_the_start(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), task_data(self, start_date="01/10/2026", due_date="30/09/2026"))
        self.assertContains(r, "The due date must not be before the start date.", count=1)
        self.assertFalse(Task.objects.filter(label="2").exists())

    def test_it_refuses_a_date_in_another_format(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), task_data(self, due_date="2026-13-45"))
        self.assertEqual(r.status_code, 200)
        self.assertFalse(Task.objects.filter(label="2").exists())

    def test_it_requires_the_lead_unit_once(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), task_data(self, lead_unit="", assignees=[]))
        self.assertContains(r, "Choose the lead unit.", count=1)
        self.assertFalse(Task.objects.filter(label="2").exists())

    def test_it_refuses_a_unit_of_another_agency(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), task_data(self, lead_unit=self.other_unit.pk, assignees=[]))
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.context["form"].errors["lead_unit"])
        self.assertFalse(Task.objects.filter(label="2").exists())

    def test_it_refuses_the_lead_unit_as_coordinating_unit(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), task_data(self, coordinating_units=[self.unit.pk, self.office.pk]))
        self.assertContains(r, "The lead unit cannot also be a coordinating unit.")
        self.assertFalse(Task.objects.filter(label="2").exists())

    def test_it_refuses_responsible_people_outside_the_lead_unit(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), task_data(self, assignees=[self.staff.pk, self.coordinator.pk]))
        self.assertContains(r, "Not a member of the lead unit Phòng Hợp tác quốc tế: Trần Văn Bình.")
        self.assertFalse(Task.objects.filter(label="2").exists())

    def test_it_refuses_people_of_another_agency(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), task_data(self, assignees=[self.outsider.pk]))
        self.assertTrue(r.context["form"].errors["assignees"])
        self.assertFalse(Task.objects.filter(label="2").exists())

    def test_it_takes_the_area_from_the_section(self) -> None:
        section = Section.objects.create(plan=self.plan, label="III", title="Số hóa", area=self.area)
        self.login(self.coordinator)
        self.client.post(self.url(), task_data(self, section=section.pk, area=""))
        self.assertEqual(self.new_task().area, self.area)

    def test_it_prefills_a_sub_task_from_its_parent(self) -> None:
        self.login(self.coordinator)
        r = self.client.get(self.url() + f"?parent={self.task.pk}")
        form = r.context["form"]
        self.assertEqual(form.initial["parent"], self.task)
        self.assertEqual((form.initial["section"], form.initial["lead_unit"]), (self.section, self.unit))

    def test_it_ignores_a_bad_parent_in_the_address(self) -> None:
        self.login(self.coordinator)
        for value in ("abc", "²", str(self.draft_task.pk)):
            r = self.client.get(self.url() + f"?parent={value}&section={value}")
            self.assertEqual(r.status_code, 200)
            self.assertIsNone(r.context["form"].initial["parent"])

    def test_it_rolls_progress_up_to_the_parent(self) -> None:
        self.login(self.coordinator)
        self.client.post(self.url(), task_data(self, parent=self.task.pk, section=""))
        sub = self.new_task()
        self.assertEqual((sub.parent, sub.section), (self.task, self.section))
        self.task.refresh_from_db()
        self.assertEqual((self.task.progress, self.task.status), (0, TaskStatus.NOT_STARTED))

    def test_it_refuses_a_parent_from_another_plan(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), task_data(self, parent=self.draft_task.pk))
        self.assertTrue(r.context["form"].errors["parent"])
        self.assertFalse(Task.objects.filter(label="2").exists())

    def test_it_adds_tasks_to_an_issued_plan(self) -> None:
        self.plan.status = PlanStatus.ISSUED
        self.plan.save()
        self.login(self.coordinator)
        self.assertEqual(self.client.post(self.url(), task_data(self)).status_code, 302)
        self.assertTrue(Task.objects.filter(label="2").exists())

    def test_it_refuses_a_closed_plan(self) -> None:
        self.plan.status = PlanStatus.CLOSED
        self.plan.save()
        self.login(self.coordinator)
        r = self.client.post(self.url(), task_data(self))
        self.assertRedirects(r, reverse("plans:detail", args=[self.plan.pk]), fetch_redirect_response=False)
        self.assertFalse(Task.objects.filter(label="2").exists())

    def test_it_is_for_the_plan_managers(self) -> None:
        for persona, status in ((self.leader, 403), (self.unit_head, 403), (self.staff, 403), (self.outsider, 404)):
            self.login(persona)
            self.assertEqual(self.client.post(self.url(), task_data(self)).status_code, status)
        self.assertFalse(Task.objects.filter(label="2").exists())
        self.login(self.admin)
        self.assertEqual(self.client.post(self.url(), task_data(self)).status_code, 302)


class TaskEditTestCase(PlansTestCase):
    def url(self) -> str:
        return reverse("plans:task_edit", args=[self.task.pk])

    def test_it_saves_the_task(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), task_data(self, label="1", content="Rà soát thủ tục", coordinating_units=[]))
        self.assertRedirects(r, reverse("plans:task_detail", args=[self.task.pk]), fetch_redirect_response=False)
        self.task.refresh_from_db()
        self.assertEqual((self.task.content, self.task.due_date), ("Rà soát thủ tục", date(2026, 9, 30)))
        self.assertEqual(self.task.coordinating_units.count(), 0)
        self.assertEqual(self.task.progress, 40)  # progress is reported, not edited

    def test_it_keeps_a_closed_lead_unit_it_already_has(self) -> None:
        self.unit.valid_to = date(2026, 1, 31)
        self.unit.save()
        self.login(self.coordinator)
        r = self.client.get(self.url())
        self.assertContains(r, "Phòng Hợp tác quốc tế")

    def test_it_does_not_offer_the_task_or_its_sub_tasks_as_parent(self) -> None:
        sub = Task.objects.create(plan=self.plan, parent=self.task, content="Rà soát cấp tỉnh", lead_unit=self.unit)
        self.login(self.coordinator)
        r = self.client.post(self.url(), task_data(self, parent=sub.pk))
        self.assertTrue(r.context["form"].errors["parent"])
        self.task.refresh_from_db()
        self.assertIsNone(self.task.parent)

    def test_it_rolls_up_both_parents_when_a_sub_task_moves(self) -> None:
        other = Task.objects.create(plan=self.plan, label="2", content="Số hóa", lead_unit=self.unit)
        done = Task.objects.create(plan=self.plan, parent=self.task, label="1.1", content="a", lead_unit=self.unit)
        Task.objects.create(plan=self.plan, parent=self.task, label="1.2", content="b", lead_unit=self.unit)
        done.set_progress(100)
        done.save()
        self.task.roll_up()
        self.task.refresh_from_db()
        self.assertEqual(self.task.progress, 50)
        self.login(self.coordinator)
        data = task_data(self, label="1.2", content="b", parent=other.pk, start_date="", due_date="", assignees=[])
        data["coordinating_units"] = []
        r = self.client.post(reverse("plans:task_edit", args=[Task.objects.get(label="1.2").pk]), data)
        self.assertEqual(r.status_code, 302)
        self.task.refresh_from_db()
        other.refresh_from_db()
        self.assertEqual((self.task.progress, self.task.status), (100, TaskStatus.DONE))
        self.assertEqual((other.progress, other.status), (0, TaskStatus.NOT_STARTED))

    def test_it_is_refused_on_a_closed_plan(self) -> None:
        self.plan.status = PlanStatus.CLOSED
        self.plan.save()
        self.login(self.coordinator)
        r = self.client.post(self.url(), task_data(self, content="Đổi"))
        self.assertRedirects(r, reverse("plans:task_detail", args=[self.task.pk]), fetch_redirect_response=False)
        self.task.refresh_from_db()
        self.assertEqual(self.task.content, "Rà soát, công bố thủ tục hành chính")

    def test_it_is_for_the_plan_managers(self) -> None:
        for persona, status in ((self.unit_head, 403), (self.staff, 403), (self.overseer, 403), (self.outsider, 404)):
            self.login(persona)
            self.assertEqual(self.client.post(self.url(), task_data(self, content="Đổi")).status_code, status)
        self.task.refresh_from_db()
        self.assertEqual(self.task.content, "Rà soát, công bố thủ tục hành chính")


class TaskDeleteTestCase(PlansTestCase):
    def test_it_asks_before_deleting(self) -> None:
        self.login(self.coordinator)
        r = self.client.get(reverse("plans:task_delete", args=[self.draft_task.pk]))
        self.assertContains(r, "Delete the task")
        self.assertTrue(Task.objects.filter(pk=self.draft_task.pk).exists())

    def test_it_deletes_a_task_of_a_draft_plan(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(reverse("plans:task_delete", args=[self.draft_task.pk]))
        self.assertRedirects(r, reverse("plans:detail", args=[self.draft_plan.pk]), fetch_redirect_response=False)
        self.assertFalse(Task.objects.filter(pk=self.draft_task.pk).exists())

    def test_it_rolls_the_parent_up_again(self) -> None:
        done = Task.objects.create(plan=self.draft_plan, parent=self.draft_task, content="a", lead_unit=self.unit)
        done.set_progress(100, today=date(2026, 1, 5))
        done.save()
        other = Task.objects.create(plan=self.draft_plan, parent=self.draft_task, content="b", lead_unit=self.unit)
        self.draft_task.roll_up()
        self.draft_task.refresh_from_db()
        self.assertEqual(self.draft_task.progress, 50)
        self.login(self.coordinator)
        self.client.post(reverse("plans:task_delete", args=[other.pk]))
        self.draft_task.refresh_from_db()
        self.assertEqual((self.draft_task.progress, self.draft_task.status), (100, TaskStatus.DONE))

    def test_it_tells_to_cancel_a_task_of_an_issued_plan(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(reverse("plans:task_delete", args=[self.task.pk]))
        self.assertRedirects(r, reverse("plans:task_detail", args=[self.task.pk]), fetch_redirect_response=False)
        messages = [str(m) for m in r.wsgi_request._messages]  # type: ignore[attr-defined]
        self.assertIn("Cancel the task instead", messages[0])
        self.assertTrue(Task.objects.filter(pk=self.task.pk).exists())
        self.assertTrue(TaskUpdate.objects.filter(task=self.task).exists())

    def test_it_is_for_the_plan_managers(self) -> None:
        for persona, status in ((self.leader, 403), (self.staff, 403), (self.outsider, 404)):
            self.login(persona)
            self.assertEqual(
                self.client.post(reverse("plans:task_delete", args=[self.draft_task.pk])).status_code, status
            )
        self.assertTrue(Task.objects.filter(pk=self.draft_task.pk).exists())
