from __future__ import annotations

from datetime import date

import time_machine
from django.urls import reverse

from accounts.models import Agency, Membership, Role, Unit
from cchc.test import BaseTestCase


@time_machine.travel(date(2026, 3, 2), tick=False)
class AgencyDetailTestCase(BaseTestCase):
    def url(self, agency: Agency | None = None) -> str:
        return reverse("org:agency_detail", args=[(agency or self.agency).pk])

    def test_it_shows_facts_units_and_people(self) -> None:
        Unit.objects.create(
            agency=self.agency,
            name="Phòng Lãnh sự cũ",
            abbreviation="LS",
            valid_to=date(2025, 12, 31),
            successor=self.unit,
        )
        self.login(self.staff)
        r = self.client.get(self.url())
        self.assertContains(r, "Sở Ngoại vụ tỉnh Bình Phước")
        self.assertEqual([u.abbreviation for u in r.context["current_units"]], ["HTQT", "VP"])
        self.assertEqual([u.abbreviation for u in r.context["closed_units"]], ["LS"])
        self.assertContains(r, "Closed on 31/12/2025")
        names = [person.full_name for person, roles in r.context["people"]]
        self.assertEqual(sorted(names), sorted(["Nguyễn Thị Hà", "Trần Văn Bình", "Lê Thị Mai", "Phạm Minh Tuấn"]))
        self.assertContains(r, "Unit head – Phòng Hợp tác quốc tế")
        self.assertNotContains(r, reverse("org:unit_create", args=[self.agency.pk]))
        self.assertNotContains(r, reverse("org:agency_edit", args=[self.agency.pk]))

    def test_it_shows_management_links_to_the_coordinator(self) -> None:
        self.login(self.coordinator)
        r = self.client.get(self.url())
        self.assertContains(r, reverse("org:unit_create", args=[self.agency.pk]))
        self.assertContains(r, reverse("org:person_create", args=[self.agency.pk]))
        self.assertContains(r, reverse("org:import", args=[self.agency.pk]))
        self.assertNotContains(r, reverse("org:agency_edit", args=[self.agency.pk]))

    def test_it_shows_the_edit_link_to_administrators(self) -> None:
        self.login(self.admin)
        r = self.client.get(self.url())
        self.assertContains(r, reverse("org:agency_edit", args=[self.agency.pk]))

    def test_it_hides_other_agencies(self) -> None:
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.assertEqual(self.client.get(reverse("org:agency_detail", args=[99999])).status_code, 404)

    def test_it_lets_the_overseer_see_every_agency_of_the_province(self) -> None:
        self.login(self.overseer)
        self.assertEqual(self.client.get(self.url(self.other_agency)).status_code, 200)

    def test_it_shows_predecessors_and_successor(self) -> None:
        old = Agency.objects.create(
            code="old",
            parent=self.province,
            name="Sở cũ",
            short_name="Sở cũ",
            abbreviation="SC",
            place_name="Bình Phước",
            valid_to=date(2025, 7, 1),
            successor=self.agency,
        )
        self.login(self.admin)
        r = self.client.get(self.url())
        self.assertEqual(r.context["predecessors"], [old])
        r = self.client.get(self.url(old))
        self.assertEqual(r.context["successor"], self.agency)

    def test_it_runs_a_fixed_number_of_queries(self) -> None:
        for i in range(5):
            unit = Unit.objects.create(agency=self.agency, name=f"Phòng {i}", abbreviation=f"P{i}")
            person = self._person(f"p{i}", f"Người {i}", self.agency, Role.STAFF, unit)
            Membership.objects.create(user=person, agency=self.agency, role=Role.LEADER)
        self.login(self.coordinator)
        with self.assertNumQueries(11):
            r = self.client.get(self.url())
        self.assertEqual(len(r.context["people"]), 9)
