"""The timeline: the tasks people carry out, by month of their due date, for one year."""

from __future__ import annotations

from datetime import date
from typing import Any

import time_machine

from accounts.models import Unit
from plans.list_views import PER_MONTH
from plans.models import Recurrence, ReformArea, Task
from plans.tests.lists_base import ListsTestCase

URL = "/plans/tasks/timeline/"


@time_machine.travel(date(2026, 5, 1), tick=False)
class TimelineTestCase(ListsTestCase):
    def months(self, response: Any) -> dict[int, list[int]]:
        """Month number → pks of the tasks shown in it."""
        return {m.start.month: [t.pk for t in m.tasks] for m in response.context["months"]}

    def test_it_shows_the_twelve_months_of_this_year(self) -> None:
        march = self.add("Báo cáo quý I", due_date=date(2026, 3, 31))
        self.add("Năm sau", due_date=date(2027, 1, 15))
        self.login(self.staff)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["year"], 2026)
        self.assertEqual(response.context["nav_active"], "tasks")
        months = self.months(response)
        self.assertEqual(list(months), list(range(1, 13)))
        self.assertEqual(months[3], [march.pk])
        self.assertEqual(months[6], [self.task.pk])
        self.assertEqual(sum(len(pks) for pks in months.values()), 2)
        self.assertContains(response, "Timeline 2026")
        self.assertContains(response, "Báo cáo quý I")
        self.assertContains(response, "In progress")  # the state badge
        self.assertContains(response, "No tasks due.")
        self.assertContains(response, "timeline-month current")  # May, this month

    def test_it_shows_another_year(self) -> None:
        next_year = self.add("Năm sau", due_date=date(2027, 1, 15))
        self.login(self.staff)
        response = self.client.get(URL, {"year": "2027"})
        self.assertEqual(self.months(response)[1], [next_year.pk])
        self.assertContains(response, "?year=2026")
        self.assertContains(response, "?year=2028")
        # Nonsense falls back to this year.
        self.assertEqual(self.client.get(URL, {"year": "abc"}).context["year"], 2026)
        self.assertEqual(self.client.get(URL, {"year": "99999"}).context["year"], 2026)

    def test_it_shows_occurrences_and_sub_tasks_not_their_parent(self) -> None:
        recurring = self.add(
            "Báo cáo định kỳ",
            start_date=date(2026, 1, 1),
            due_date=date(2026, 12, 31),
            recurrence=Recurrence.QUARTERLY,
        )
        children = recurring.generate_occurrences()
        self.assertEqual(len(children), 4)
        self.login(self.staff)
        months = self.months(self.client.get(URL))
        self.assertNotIn(recurring.pk, [pk for pks in months.values() for pk in pks])
        self.assertEqual(months[3], [children[0].pk])
        self.assertEqual(months[6], [self.task.pk, children[1].pk])
        self.assertEqual(months[9], [children[2].pk])
        self.assertEqual(months[12], [children[3].pk])

    def test_it_filters_by_area_and_unit(self) -> None:
        direction = ReformArea.objects.get(code="direction")
        consular = Unit.objects.create(agency=self.agency, name="Phòng Lãnh sự", abbreviation="LS")
        led = self.add("Chỉ đạo", area=direction, lead_unit=consular, due_date=date(2026, 6, 15))
        self.login(self.coordinator)
        self.assertEqual(self.months(self.client.get(URL))[6], [led.pk, self.task.pk])
        self.assertEqual(self.months(self.client.get(URL, {"area": direction.pk}))[6], [led.pk])
        self.assertEqual(self.months(self.client.get(URL, {"unit": consular.pk}))[6], [led.pk])
        # A unit's timeline also has the tasks it coordinates.
        self.assertEqual(self.months(self.client.get(URL, {"unit": self.office.pk}))[6], [self.task.pk])

    def test_it_never_shows_another_agency(self) -> None:
        self.login(self.outsider)
        response = self.client.get(URL)
        self.assertEqual(self.months(response)[3], [self.foreign_task.pk])
        self.assertEqual(self.months(response)[6], [])
        self.assertNotContains(response, "Rà soát")

    def test_it_links_to_the_rest_of_a_busy_month(self) -> None:
        Task.objects.bulk_create(
            Task(
                plan=self.plan,
                agency=self.agency,
                content=f"Việc {i}",
                area=self.area,
                lead_unit=self.unit,
                due_date=date(2026, 9, 1),
            )
            for i in range(PER_MONTH + 3)
        )
        self.login(self.staff)
        response = self.client.get(URL, {"area": str(self.area.pk)})
        september = response.context["months"][8]
        self.assertEqual(len(september.tasks), PER_MONTH)
        self.assertEqual(september.total, PER_MONTH + 3)
        self.assertContains(response, "and 3 more")
        self.assertContains(response, "/plans/tasks/?area=")  # the filters go along …
        self.assertContains(response, "period=2026-09")  # … with the month
        response = self.client.get(URL)
        self.assertContains(response, "and 3 more")
        self.assertEqual(response.context["total"], PER_MONTH + 4)

    def test_it_links_to_its_export(self) -> None:
        self.login(self.staff)
        self.assertContains(
            self.client.get(URL, {"year": "2026"}), "/plans/tasks/export.xlsx?year=2026&amp;view=timeline"
        )

    def test_it_runs_a_fixed_number_of_queries(self) -> None:
        """Session, user, memberships; area and unit choices; the tasks with their month totals; session saved."""
        self.login(self.staff)
        with self.assertNumQueries(9):
            self.client.get(URL)
        for i in range(20):
            self.add(f"Việc {i}", due_date=date(2026, 1 + i % 12, 10))
        with self.assertNumQueries(9):
            response = self.client.get(URL)
        self.assertEqual(response.context["total"], 21)
