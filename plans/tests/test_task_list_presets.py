"""The preset task lists: my tasks, my unit's tasks, overdue tasks."""

from __future__ import annotations

from datetime import date

import time_machine

from accounts.models import Unit
from plans.models import TaskStatus
from plans.tests.lists_base import ListsTestCase

MINE = "/plans/tasks/mine/"
UNIT = "/plans/tasks/unit/"
OVERDUE = "/plans/tasks/overdue/"


@time_machine.travel(date(2026, 5, 1), tick=False)
class MyTasksTestCase(ListsTestCase):
    def test_it_lists_my_tasks_and_my_units_unassigned_ones(self) -> None:
        # `task` is assigned to the staff persona; `draft_task`, led by the same unit, to nobody.
        self.login(self.staff)
        response = self.client.get(MINE)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<h1>My tasks</h1>", html=True)
        self.assertEqual(self.pks(response), [self.task.pk, self.draft_task.pk])
        self.assertEqual(response.context["nav_active"], "tasks")
        # The unit head is not among the task's responsible people.
        self.login(self.unit_head)
        self.assertEqual(self.pks(self.client.get(MINE)), [self.draft_task.pk])

    def test_it_lists_tasks_assigned_in_another_unit(self) -> None:
        consular = Unit.objects.create(agency=self.agency, name="Phòng Lãnh sự", abbreviation="LS")
        elsewhere = self.add("Việc được giao riêng", lead_unit=consular, due_date=date(2026, 9, 1))
        elsewhere.assignees.set([self.coordinator])
        self.add("Việc chung của Phòng Lãnh sự", lead_unit=consular)
        self.login(self.coordinator)
        self.assertEqual(self.pks(self.client.get(MINE)), [elsewhere.pk])

    def test_it_lists_open_tasks_first(self) -> None:
        done = self.add("Đã xong", status=TaskStatus.DONE, progress=100, due_date=date(2026, 2, 1))
        done.assignees.set([self.staff])
        self.login(self.staff)
        self.assertEqual(self.pks(self.client.get(MINE)), [self.task.pk, self.draft_task.pk, done.pk])

    def test_it_shows_an_empty_list_to_people_without_tasks(self) -> None:
        self.login(self.leader)
        response = self.client.get(MINE)
        self.assertEqual(self.pks(response), [])
        self.assertContains(response, "There are no tasks in this list.")
        self.login(self.outsider)
        self.assertEqual(self.pks(self.client.get(MINE)), [])

    def test_it_applies_the_filters_too(self) -> None:
        self.login(self.staff)
        self.assertEqual(self.pks(self.client.get(MINE, {"plan": self.draft_plan.pk})), [self.draft_task.pk])
        self.assertEqual(self.pks(self.client.get(MINE, {"q": "ra soat"})), [self.task.pk])
        self.assertContains(self.client.get(MINE), "/plans/tasks/export.xlsx?view=mine")

    def test_it_runs_a_fixed_number_of_queries(self) -> None:
        self.login(self.staff)
        with self.assertNumQueries(14):
            self.client.get(MINE)
        for i in range(20):
            self.add(f"Việc {i}").assignees.set([self.staff])
        with self.assertNumQueries(14):
            response = self.client.get(MINE)
        self.assertEqual(len(self.pks(response)), 22)


@time_machine.travel(date(2026, 5, 1), tick=False)
class UnitTasksTestCase(ListsTestCase):
    def test_it_lists_what_the_unit_leads_or_coordinates(self) -> None:
        helped = self.add("Văn phòng chủ trì, phòng phối hợp", lead_unit=self.office)
        helped.coordinating_units.set([self.unit])
        self.add("Văn phòng tự làm", lead_unit=self.office)
        self.login(self.unit_head)
        response = self.client.get(UNIT)
        self.assertContains(response, "<h1>My unit&#x27;s tasks</h1>", html=True)
        self.assertEqual(sorted(self.pks(response)), sorted([self.task.pk, self.draft_task.pk, helped.pk]))

    def test_it_lists_the_office_tasks_for_the_coordinator(self) -> None:
        led = self.add("Văn phòng tự làm", lead_unit=self.office)
        self.login(self.coordinator)
        self.assertEqual(sorted(self.pks(self.client.get(UNIT))), sorted([self.task.pk, led.pk]))

    def test_it_explains_the_empty_list_to_people_without_a_unit(self) -> None:
        for persona in (self.leader, self.admin, self.overseer):
            self.login(persona)
            response = self.client.get(UNIT)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(self.pks(response), [])
            self.assertContains(response, "You do not work in a unit, so there is no unit task list for you.")

    def test_it_never_shows_another_agency(self) -> None:
        self.login(self.outsider)
        self.assertEqual(self.pks(self.client.get(UNIT)), [self.foreign_task.pk])


@time_machine.travel(date(2026, 7, 10), tick=False)
class OverdueTasksTestCase(ListsTestCase):
    def test_it_lists_open_tasks_past_due_oldest_first_with_days_late(self) -> None:
        older = self.add("Quá hạn lâu", due_date=date(2026, 5, 31))
        self.add("Xong muộn", status=TaskStatus.DONE, progress=100, due_date=date(2026, 5, 1))
        self.add("Đã huỷ", status=TaskStatus.CANCELLED, cancel_reason="Thôi", due_date=date(2026, 5, 1))
        self.add("Chưa đến hạn", due_date=date(2026, 7, 10))
        self.login(self.staff)
        response = self.client.get(OVERDUE)
        self.assertContains(response, "<h1>Overdue tasks</h1>", html=True)
        self.assertEqual(self.pks(response), [older.pk, self.task.pk])
        self.assertEqual([row.days_late for row in response.context["rows"]], [40, 10])
        self.assertContains(response, "40 days late")
        self.assertContains(response, "10 days late")
        self.assertContains(response, "Overdue")

    def test_it_never_shows_another_agency(self) -> None:
        self.login(self.outsider)
        self.assertEqual(self.pks(self.client.get(OVERDUE)), [self.foreign_task.pk])
        self.login(self.coordinator)
        self.assertEqual(self.pks(self.client.get(OVERDUE)), [self.task.pk])

    def test_it_says_one_day_late(self) -> None:
        self.add("Hôm qua", due_date=date(2026, 7, 9))
        self.login(self.staff)
        self.assertContains(self.client.get(OVERDUE), "1 day late")

    def test_it_runs_a_fixed_number_of_queries(self) -> None:
        self.login(self.coordinator)
        with self.assertNumQueries(16):
            self.client.get(OVERDUE)
        for i in range(20):
            self.add(f"Trễ {i}", due_date=date(2026, 6, 1)).coordinating_units.set([self.office])
        with self.assertNumQueries(16):
            response = self.client.get(OVERDUE)
        self.assertEqual(len(self.pks(response)), 21)
