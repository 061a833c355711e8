"""Reassigning many tasks at once from a list: each keeps its own history entry."""

from __future__ import annotations

from typing import Any

from accounts.models import Membership, Role, Unit
from plans.models import PlanStatus, Task, TaskUpdate, UpdateKind
from plans.tests.lists_base import ListsTestCase

URL = "/plans/tasks/bulk/"


class BulkAssignTestCase(ListsTestCase):
    def post(self, **data: Any) -> Any:
        return self.client.post(URL, data)

    def reassigns(self) -> list[tuple[int, dict[str, Any]]]:
        return [(u.task_id, u.details) for u in TaskUpdate.objects.filter(kind=UpdateKind.REASSIGN).order_by("task_id")]

    def messages(self, response: Any) -> list[str]:
        return [str(m) for m in response.context["messages"]] if response.context else []

    def test_it_moves_the_ticked_tasks_to_another_lead_unit(self) -> None:
        second = self.add("Nhiệm vụ thứ hai")
        self.login(self.coordinator)
        response = self.post(tasks=[self.task.pk, second.pk], lead_unit=self.office.pk)
        self.assertRedirects(response, "/plans/tasks/", fetch_redirect_response=False)
        self.task.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual((self.task.lead_unit, second.lead_unit), (self.office, self.office))
        change = {"lead_unit": ["Phòng Hợp tác quốc tế", "Văn phòng Sở"]}
        self.assertEqual(self.reassigns(), [(self.task.pk, change), (second.pk, change)])
        self.assertEqual(TaskUpdate.objects.get(task=second).author, self.coordinator)
        response = self.client.get("/plans/tasks/")
        self.assertIn("2 tasks reassigned.", self.messages(response))

    def test_it_hands_the_tasks_to_other_people(self) -> None:
        self.login(self.coordinator)
        self.post(tasks=[self.task.pk, self.draft_task.pk], assignees=[self.unit_head.pk])
        self.assertEqual(list(self.task.assignees.all()), [self.unit_head])
        self.assertEqual(list(self.draft_task.assignees.all()), [self.unit_head])
        self.assertEqual(
            self.reassigns(),
            [
                (self.task.pk, {"assignees": [["Phạm Minh Tuấn"], ["Lê Thị Mai"]]}),
                (self.draft_task.pk, {"assignees": [[], ["Lê Thị Mai"]]}),
            ],
        )

    def test_it_goes_back_to_the_list_with_its_filters(self) -> None:
        self.login(self.coordinator)
        response = self.post(tasks=[self.task.pk], lead_unit=self.office.pk, next="/plans/tasks/mine/?q=ra+soat&page=2")
        self.assertRedirects(response, "/plans/tasks/mine/?q=ra+soat&page=2", fetch_redirect_response=False)

    def test_it_never_goes_back_to_another_site(self) -> None:
        self.login(self.coordinator)
        for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
            with self.subTest(next=target):
                response = self.post(tasks=[self.task.pk], lead_unit=self.office.pk, next=target)
                self.assertRedirects(response, "/plans/tasks/", fetch_redirect_response=False)

    def test_it_refuses_people_who_do_not_manage_the_plan(self) -> None:
        for persona in (self.leader, self.unit_head, self.staff, self.overseer):
            with self.subTest(persona=persona.username):
                self.login(persona)
                response = self.post(tasks=[self.task.pk], lead_unit=self.office.pk)
                self.assertEqual(response.status_code, 403)
        self.task.refresh_from_db()
        self.assertEqual(self.task.lead_unit, self.unit)
        self.assertEqual(self.reassigns(), [])

    def test_it_does_not_show_other_agencies_tasks(self) -> None:
        self.login(self.outsider)
        self.assertEqual(self.post(tasks=[self.task.pk], lead_unit=self.other_unit.pk).status_code, 404)
        # One task of someone else among one's own: nothing changes.
        self.login(self.coordinator)
        response = self.post(tasks=[self.task.pk, self.foreign_task.pk], lead_unit=self.office.pk)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.post(tasks=["abc"], lead_unit=self.office.pk).status_code, 404)
        self.assertEqual(self.post(tasks=[999999], lead_unit=self.office.pk).status_code, 404)
        self.task.refresh_from_db()
        self.foreign_task.refresh_from_db()
        self.assertEqual((self.task.lead_unit, self.foreign_task.lead_unit), (self.unit, self.other_unit))
        self.assertEqual(self.reassigns(), [])

    def test_it_refuses_a_unit_of_another_agency(self) -> None:
        self.login(self.coordinator)
        response = self.post(tasks=[self.task.pk], lead_unit=self.other_unit.pk)
        self.assertRedirects(response, "/plans/tasks/", fetch_redirect_response=False)
        self.assertEqual(self.reassigns(), [])
        self.assertIn(
            "Select a valid choice. That choice is not one of the available choices.",
            self.messages(self.client.get("/plans/tasks/")),
        )

    def test_an_administrator_cannot_mix_agencies_and_units(self) -> None:
        self.login(self.admin)
        self.post(tasks=[self.task.pk, self.foreign_task.pk], lead_unit=self.office.pk)
        self.assertEqual(self.reassigns(), [])
        messages = self.messages(self.client.get("/plans/tasks/"))
        self.assertIn("Văn phòng Sở is not a unit of the agency of task “Nhiệm vụ bí mật của Sở Tư pháp”.", messages)
        # Each to its own agency's unit works.
        self.post(tasks=[self.foreign_task.pk], lead_unit=Unit.objects.create(agency=self.other_agency, name="P2").pk)
        self.assertEqual(len(self.reassigns()), 1)

    def test_it_refuses_people_who_do_not_work_in_the_lead_unit(self) -> None:
        self.login(self.coordinator)
        # The coordinator works in the Office, not in the tasks' lead unit.
        self.post(tasks=[self.task.pk], assignees=[self.coordinator.pk])
        self.assertEqual(list(self.task.assignees.all()), [self.staff])
        messages = self.messages(self.client.get("/plans/tasks/"))
        self.assertIn(
            "Trần Văn Bình does not work in Phòng Hợp tác quốc tế, the lead unit of task “1) Rà soát, công bố thủ tục "
            "hành chính”.",
            messages,
        )
        # People of the new lead unit may take it with the move.
        Membership.objects.create(user=self.leader, agency=self.agency, unit=self.office, role=Role.STAFF)
        self.post(tasks=[self.task.pk], lead_unit=self.office.pk, assignees=[self.leader.pk])
        self.task.refresh_from_db()
        self.assertEqual((self.task.lead_unit, list(self.task.assignees.all())), (self.office, [self.leader]))
        self.assertEqual(len(self.reassigns()), 1)

    def test_it_asks_for_tasks_and_for_a_change(self) -> None:
        self.login(self.coordinator)
        self.post(lead_unit=self.office.pk)
        self.assertIn("Tick the tasks to reassign.", self.messages(self.client.get("/plans/tasks/")))
        self.post(tasks=[self.task.pk])
        self.assertIn("Choose a new lead unit or responsible people.", self.messages(self.client.get("/plans/tasks/")))
        self.assertEqual(self.reassigns(), [])

    def test_it_leaves_tasks_that_need_no_change_or_are_in_a_closed_plan(self) -> None:
        closed = self.add("Kế hoạch đã đóng")
        self.plan.status = PlanStatus.CLOSED
        self.plan.save()
        open_plan_task = Task.objects.create(plan=self.draft_plan, content="Đã ở Văn phòng", lead_unit=self.office)
        self.login(self.coordinator)
        self.post(tasks=[closed.pk, open_plan_task.pk, self.draft_task.pk], lead_unit=self.office.pk)
        self.assertEqual(
            self.reassigns(), [(self.draft_task.pk, {"lead_unit": ["Phòng Hợp tác quốc tế", "Văn phòng Sở"]})]
        )
        closed.refresh_from_db()
        self.assertEqual(closed.lead_unit, self.unit)
        messages = self.messages(self.client.get("/plans/tasks/"))
        self.assertIn("1 task reassigned.", messages)
        self.assertIn("2 tasks were left as they were (nothing to change, or their plan is closed).", messages)

    def test_it_only_accepts_posts(self) -> None:
        self.login(self.coordinator)
        self.assertEqual(self.client.get(URL).status_code, 405)

    def test_it_asks_anonymous_people_to_sign_in(self) -> None:
        response = self.post(tasks=[self.task.pk], lead_unit=self.office.pk)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login", response["Location"])
        self.assertEqual(self.reassigns(), [])
