"""The list of every visible task: scope, filters, state counts, order, pagination, query count."""

from __future__ import annotations

from datetime import date

import time_machine

from accounts.models import Unit
from plans.models import Plan, PlanStatus, ReformArea, Task, TaskStatus
from plans.tests.lists_base import ListsTestCase

URL = "/plans/tasks/"


@time_machine.travel(date(2026, 5, 1), tick=False)
class TaskListTestCase(ListsTestCase):
    def states(self) -> dict[str, Task]:
        """One task in each state (with `task` in progress and `draft_task` not started)."""
        return {
            "not_started": self.add("Chưa bắt đầu", due_date=date(2026, 6, 1)),
            "overdue": self.add("Quá hạn", due_date=date(2026, 4, 1)),
            "done": self.add(
                "Xong sớm",
                status=TaskStatus.DONE,
                progress=100,
                due_date=date(2026, 4, 30),
                completed_on=date(2026, 4, 20),
            ),
            "done_late": self.add(
                "Xong muộn",
                status=TaskStatus.DONE,
                progress=100,
                due_date=date(2026, 3, 31),
                completed_on=date(2026, 4, 10),
            ),
            "cancelled": self.add("Đã huỷ", status=TaskStatus.CANCELLED, cancel_reason="Không còn phù hợp"),
        }

    def test_it_lists_the_tasks_of_the_agency(self) -> None:
        self.login(self.staff)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(set(self.pks(response)), {self.task.pk, self.draft_task.pk})
        self.assertContains(response, "Rà soát, công bố thủ tục hành chính")
        self.assertContains(response, f'href="/plans/tasks/{self.task.pk}/"')
        self.assertContains(response, "01/KH-SNgV")
        self.assertContains(response, "Thủ tục hành chính")  # the area
        self.assertContains(response, "Phòng Hợp tác quốc tế")  # lead unit
        self.assertContains(response, "Văn phòng Sở")  # coordinating unit
        self.assertContains(response, "Phạm Minh Tuấn")  # responsible person
        self.assertContains(response, "30/06/2026")
        self.assertContains(response, "Quý II/2026")
        self.assertContains(response, "In progress")
        self.assertContains(response, 'value="40"')
        self.assertEqual(response.context["nav_active"], "tasks")
        self.assertNotContains(response, "Nhiệm vụ bí mật")

    def test_it_never_shows_another_agency_to_the_outsider(self) -> None:
        self.login(self.outsider)
        response = self.client.get(URL)
        self.assertEqual(self.pks(response), [self.foreign_task.pk])
        self.assertNotContains(response, "Rà soát")
        self.assertNotContains(response, "Phòng Hợp tác quốc tế")
        self.assertNotContains(response, "01/KH-SNgV")
        # A filter naming our plan or unit is not one of the outsider's choices.
        response = self.client.get(URL, {"plan": self.plan.pk, "unit": self.unit.pk})
        self.assertEqual(self.pks(response), [self.foreign_task.pk])
        self.assertTrue(response.context["form"].errors)

    def test_it_shows_every_agency_to_administrators_and_overseers(self) -> None:
        for persona in (self.admin, self.overseer):
            self.login(persona)
            response = self.client.get(URL)
            self.assertEqual(set(self.pks(response)), {self.task.pk, self.draft_task.pk, self.foreign_task.pk})
            response = self.client.get(URL, {"agency": self.other_agency.pk})
            self.assertEqual(self.pks(response), [self.foreign_task.pk])

    def test_it_offers_the_agency_filter_only_to_those_who_see_many_agencies(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(URL, {"agency": self.other_agency.pk})
        self.assertNotIn("agency", response.context["form"].fields)
        self.assertEqual(set(self.pks(response)), {self.task.pk, self.draft_task.pk})
        self.login(self.admin)
        self.assertContains(self.client.get(URL), 'name="agency"')

    def test_it_filters_by_plan_and_year(self) -> None:
        self.login(self.coordinator)
        self.assertEqual(self.pks(self.client.get(URL, {"plan": self.plan.pk})), [self.task.pk])
        self.assertEqual(self.pks(self.client.get(URL, {"plan": self.draft_plan.pk})), [self.draft_task.pk])
        self.assertEqual(self.pks(self.client.get(URL, {"year": "2027"})), [self.draft_task.pk])
        self.assertEqual(self.pks(self.client.get(URL, {"year": "2026"})), [self.task.pk])

    def test_it_filters_by_area(self) -> None:
        direction = ReformArea.objects.get(code="direction")
        led = self.add("Chỉ đạo, điều hành", area=direction)
        self.login(self.coordinator)
        self.assertEqual(self.pks(self.client.get(URL, {"area": direction.pk})), [led.pk])
        self.assertEqual(
            set(self.pks(self.client.get(URL, {"area": self.area.pk}))), {self.task.pk, self.draft_task.pk}
        )

    def test_it_filters_by_unit_including_the_tasks_it_coordinates(self) -> None:
        consular = Unit.objects.create(agency=self.agency, name="Phòng Lãnh sự", abbreviation="LS")
        led = self.add("Việc của Phòng Lãnh sự", lead_unit=consular)
        self.login(self.coordinator)
        self.assertEqual(self.pks(self.client.get(URL, {"unit": consular.pk})), [led.pk])
        # The Office leads nothing but coordinates `task`: it is listed once.
        self.assertEqual(self.pks(self.client.get(URL, {"unit": self.office.pk})), [self.task.pk])
        led.coordinating_units.set([self.office, self.unit])
        self.assertEqual(set(self.pks(self.client.get(URL, {"unit": self.office.pk}))), {self.task.pk, led.pk})
        response = self.client.get(URL, {"unit": self.unit.pk})
        self.assertEqual(sorted(self.pks(response)), sorted({self.task.pk, self.draft_task.pk, led.pk}))

    def test_it_filters_by_state_and_counts_each_state(self) -> None:
        made = self.states()
        self.login(self.coordinator)
        response = self.client.get(URL)
        self.assertEqual(
            response.context["counts"],
            {
                "all": 7,
                "not_started": 2,
                "in_progress": 1,
                "overdue": 1,
                "done": 1,
                "done_late": 1,
                "cancelled": 1,
            },
        )
        for state, task in made.items():
            with self.subTest(state=state):
                pks = self.pks(self.client.get(URL, {"state": state}))
                self.assertIn(task.pk, pks)
                self.assertEqual(len(pks), 2 if state == "not_started" else 1)
        self.assertEqual(self.pks(self.client.get(URL, {"state": "in_progress"})), [self.task.pk])
        # The counts are those of the other filters: the tabs still show every state.
        response = self.client.get(URL, {"state": "overdue"})
        self.assertEqual(response.context["counts"]["all"], 7)
        self.assertContains(response, "?state=overdue")

    def test_it_lists_open_tasks_first_by_due_date(self) -> None:
        made = self.states()
        self.login(self.coordinator)
        self.assertEqual(
            self.pks(self.client.get(URL)),
            [
                made["overdue"].pk,
                made["not_started"].pk,
                self.task.pk,
                self.draft_task.pk,
                made["done_late"].pk,
                made["done"].pk,
                made["cancelled"].pk,
            ],
        )

    def test_it_filters_by_due_month_quarter_and_dates(self) -> None:
        april = self.add("Tháng tư", due_date=date(2026, 4, 15))
        july = self.add("Tháng bảy", due_date=date(2026, 7, 1))
        self.login(self.coordinator)
        self.assertEqual(self.pks(self.client.get(URL, {"period": "2026-06"})), [self.task.pk])
        self.assertEqual(self.pks(self.client.get(URL, {"period": "2026-04"})), [april.pk])
        self.assertEqual(self.pks(self.client.get(URL, {"period": "2026-Q2"})), [april.pk, self.task.pk])
        self.assertEqual(self.pks(self.client.get(URL, {"period": "2026-q3"})), [july.pk])
        response = self.client.get(URL, {"due_from": "01/06/2026", "due_to": "01/07/2026"})
        self.assertEqual(self.pks(response), [self.task.pk, july.pk])
        self.assertEqual(self.pks(self.client.get(URL, {"due_to": "30/04/2026"})), [april.pk])
        self.assertContains(self.client.get(URL, {"period": "2026-Q2"}), "Quarter II/2026")

    def test_it_shows_bad_filters_as_errors_and_lists_without_them(self) -> None:
        self.login(self.coordinator)
        for params in (
            {"period": "quý hai"},
            {"period": "2026-13"},
            {"due_from": "32/13/2026"},
            {"due_from": "01/07/2026", "due_to": "01/06/2026"},
            {"state": "asleep", "area": "x", "year": "abc", "plan": "999999", "page": "99"},
        ):
            with self.subTest(params=params):
                response = self.client.get(URL, params)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["form"].errors)
                self.assertEqual(set(self.pks(response)), {self.task.pk, self.draft_task.pk})
        response = self.client.get(URL, {"period": "2026-13"})
        self.assertContains(response, "Choose a month (2026-06) or a quarter (2026-Q2).")
        response = self.client.get(URL, {"due_from": "01/07/2026", "due_to": "01/06/2026"})
        self.assertContains(response, "The end must not be before the start.")

    def test_it_says_when_nothing_matches(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(URL, {"q": "không có nhiệm vụ này"})
        self.assertEqual(self.pks(response), [])
        self.assertContains(response, "No task matches these filters.")

    def test_it_paginates_by_50_keeping_the_filters(self) -> None:
        Task.objects.bulk_create(
            Task(plan=self.plan, agency=self.agency, content=f"Việc {i:02}", lead_unit=self.unit, order=i)
            for i in range(60)
        )
        self.login(self.coordinator)
        response = self.client.get(URL, {"plan": self.plan.pk})
        self.assertEqual(len(self.pks(response)), 50)
        self.assertContains(response, f"?plan={self.plan.pk}&amp;page=2")
        self.assertEqual(len(self.pks(self.client.get(URL, {"plan": str(self.plan.pk), "page": "2"}))), 11)

    def test_it_links_to_the_export_with_the_same_filters(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(URL, {"q": "rà soát", "state": "in_progress"})
        self.assertContains(response, "/plans/tasks/export.xlsx?q=r%C3%A0+so%C3%A1t&amp;state=in_progress&amp;view=all")

    def test_it_offers_bulk_reassignment_only_for_tasks_the_person_manages(self) -> None:
        self.login(self.staff)
        response = self.client.get(URL)
        self.assertNotContains(response, 'name="tasks"')
        self.assertIsNone(response.context["bulk_form"])
        self.login(self.coordinator)
        response = self.client.get(URL)
        self.assertContains(response, f'name="tasks" value="{self.task.pk}"')
        self.assertContains(response, 'action="/plans/tasks/bulk/"')
        self.assertContains(response, 'name="next" value="/plans/tasks/"')
        form = response.context["bulk_form"]
        self.assertEqual(set(form.fields["lead_unit"].queryset), {self.office, self.unit})
        self.assertEqual(set(form.fields["assignees"].queryset), {self.coordinator, self.unit_head, self.staff})

    def test_it_swaps_only_the_results_for_htmx(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(URL, {"q": "rà soát"}, headers={"HX-Request": "true"})
        self.assertNotContains(response, "<html")
        self.assertContains(response, "Rà soát, công bố")
        response = self.client.get(URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
        self.assertContains(response, "<html")

    def test_it_keeps_rare_filters_folded_until_used(self) -> None:
        self.login(self.coordinator)
        self.assertContains(self.client.get(URL), '<details class="more-filters">')
        self.assertContains(self.client.get(URL, {"due_from": "01/06/2026"}), '<details class="more-filters" open>')

    def test_it_names_unreadable_filters_above_htmx_results(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(URL, {"due_from": "32/13/2026"}, headers={"HX-Request": "true"})
        self.assertContains(response, "Some filters could not be read and were left out:")
        self.assertContains(response, "Due from: Enter a valid date.")

    def test_it_runs_a_fixed_number_of_queries(self) -> None:
        """Session, user, memberships; plan, area, unit choices; counts; page count; rows and two prefetches;
        bulk form units and people; the session saved again (three queries)."""
        self.login(self.coordinator)
        with self.assertNumQueries(16):
            response = self.client.get(URL, {"q": "rà soát"})
        self.assertEqual(len(self.pks(response)), 1)
        for i in range(20):
            task = self.add(f"Rà soát lần {i}", due_date=date(2026, 6, 1))
            task.coordinating_units.set([self.office])
            task.assignees.set([self.staff, self.unit_head])
        with self.assertNumQueries(16):
            response = self.client.get(URL, {"q": "rà soát"})
        self.assertEqual(len(self.pks(response)), 21)

    def test_it_runs_a_fixed_number_of_queries_for_administrators(self) -> None:
        """Also the second factor's device and the agency choices; people are offered within one agency only."""
        self.login(self.admin)
        with self.assertNumQueries(17):
            response = self.client.get(URL)
        self.assertNotIn("assignees", response.context["bulk_form"].fields)
        self.assertContains(response, "Filter the list by agency to choose responsible people as well.")
        with self.assertNumQueries(18):
            response = self.client.get(URL, {"agency": self.agency.pk})
        self.assertIn("assignees", response.context["bulk_form"].fields)
        plan = Plan.objects.create(agency=self.other_agency, year=2026, title="Khác", status=PlanStatus.IN_PROGRESS)
        for i in range(20):
            self.add(f"Việc {i}", plan=plan, lead_unit=self.other_unit).assignees.set([self.outsider])
        with self.assertNumQueries(17):
            response = self.client.get(URL)
        self.assertEqual(len(self.pks(response)), 23)
        with self.assertNumQueries(18):
            response = self.client.get(URL, {"agency": self.other_agency.pk})
        self.assertEqual(len(self.pks(response)), 21)

    def test_it_asks_anonymous_people_to_sign_in(self) -> None:
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 302)
