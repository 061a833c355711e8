from __future__ import annotations

from datetime import date

import time_machine
from django.urls import reverse

from accounts.models import Membership, Role, Unit
from cchc.test import BaseTestCase


@time_machine.travel(date(2026, 3, 2), tick=False)
class PersonListTestCase(BaseTestCase):
    def url(self) -> str:
        return reverse("org:person_list", args=[self.agency.pk])

    def names(self, **params: str) -> list[str]:
        r = self.client.get(self.url(), params)
        self.assertEqual(r.status_code, 200)
        return [p.full_name for p in r.context["page"].object_list]

    def test_it_lists_the_people_of_the_agency(self) -> None:
        self.login(self.staff)
        self.assertEqual(self.names(), ["Lê Thị Mai", "Nguyễn Thị Hà", "Phạm Minh Tuấn", "Trần Văn Bình"])

    def test_it_searches_by_name_username_and_email(self) -> None:
        self.login(self.coordinator)
        self.assertEqual(self.names(q="Mai"), ["Lê Thị Mai"])
        self.assertEqual(self.names(q="unithead"), ["Lê Thị Mai"])
        self.assertEqual(self.names(q="staff@example"), ["Phạm Minh Tuấn"])
        self.assertEqual(self.names(q="outsider"), [])

    def test_it_filters_by_unit_and_role(self) -> None:
        self.login(self.coordinator)
        self.assertEqual(self.names(unit=str(self.unit.pk)), ["Lê Thị Mai", "Phạm Minh Tuấn"])
        self.assertEqual(self.names(unit=str(self.unit.pk), role=Role.STAFF), ["Phạm Minh Tuấn"])
        self.assertEqual(self.names(role=Role.LEADER), ["Nguyễn Thị Hà"])
        # A unit of another agency or nonsense is ignored rather than an error.
        self.assertEqual(len(self.names(unit=str(self.other_unit.pk), role="boss", page="x")), 4)

    def test_it_leaves_out_people_whose_role_ended(self) -> None:
        Membership.objects.filter(user=self.staff).update(valid_to=date(2026, 1, 1))
        self.login(self.coordinator)
        self.assertNotIn("Phạm Minh Tuấn", self.names())

    def test_it_answers_htmx_with_the_table_only(self) -> None:
        self.login(self.coordinator)
        r = self.client.get(self.url(), {"q": "Mai"}, headers={"HX-Request": "true"})
        self.assertContains(r, "Lê Thị Mai")
        self.assertNotContains(r, "<html")
        r = self.client.get(self.url(), headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
        self.assertContains(r, "<html")

    def test_it_paginates_by_50(self) -> None:
        unit = Unit.objects.create(agency=self.agency, name="Phòng Lãnh sự", abbreviation="LS")
        for i in range(55):
            self._person(f"p{i:02}", f"Z Người {i:02}", self.agency, Role.STAFF, unit)
        self.login(self.coordinator)
        self.assertEqual(len(self.names()), 50)
        self.assertEqual(len(self.names(page="2")), 9)
        r = self.client.get(self.url(), {"unit": str(unit.pk), "page": "2"})
        self.assertContains(r, f"?unit={unit.pk}&amp;page=1")

    def test_it_hides_other_agencies(self) -> None:
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_it_runs_a_fixed_number_of_queries(self) -> None:
        for i in range(10):
            person = self._person(f"p{i:02}", f"Người {i:02}", self.agency, Role.STAFF, self.unit)
            Membership.objects.create(user=person, agency=self.agency, role=Role.LEADER)
        self.login(self.coordinator)
        with self.assertNumQueries(11):
            r = self.client.get(self.url())
        self.assertEqual(len(r.context["page"].object_list), 14)
