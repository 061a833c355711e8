from __future__ import annotations

from datetime import date

import time_machine
from django.urls import reverse

from accounts.models import Membership, Role, Unit
from cchc.test import BaseTestCase


def unit_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Phòng Lãnh sự",
        "short_name": "Phòng LS",
        "abbreviation": "LS",
        "order": "3",
        "valid_from": "",
    }
    data.update(overrides)
    return data


class UnitCreateTestCase(BaseTestCase):
    def url(self) -> str:
        return reverse("org:unit_create", args=[self.agency.pk])

    def test_it_creates_a_unit(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), unit_data(is_coordinator="on"))
        unit = Unit.objects.get(agency=self.agency, abbreviation="LS")
        self.assertRedirects(r, reverse("org:unit_detail", args=[unit.pk]))
        self.assertEqual((unit.name, unit.order, unit.is_coordinator), ("Phòng Lãnh sự", 3, True))

    def test_it_refuses_a_duplicate_abbreviation_in_the_agency(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), unit_data(abbreviation="htqt"))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Another unit of this agency already uses this abbreviation.")
        self.assertEqual(Unit.objects.filter(agency=self.agency).count(), 2)

    def test_it_allows_an_abbreviation_used_in_another_agency(self) -> None:
        self.login(self.admin)
        r = self.client.post(reverse("org:unit_create", args=[self.other_agency.pk]), unit_data(abbreviation="HTQT"))
        self.assertEqual(r.status_code, 302)

    def test_it_is_for_coordinators_and_administrators(self) -> None:
        self.login(self.leader)
        self.assertEqual(self.client.post(self.url(), unit_data()).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.post(self.url(), unit_data()).status_code, 404)
        self.assertFalse(Unit.objects.filter(abbreviation="LS").exists())


@time_machine.travel(date(2026, 3, 2), tick=False)
class UnitEditTestCase(BaseTestCase):
    def url(self) -> str:
        return reverse("org:unit_edit", args=[self.unit.pk])

    def test_it_closes_a_unit_with_a_successor(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(
            self.url(),
            unit_data(name=self.unit.name, abbreviation="HTQT", valid_to="01/03/2026", successor=self.office.pk),
        )
        self.assertRedirects(r, reverse("org:unit_detail", args=[self.unit.pk]), fetch_redirect_response=False)
        self.unit.refresh_from_db()
        self.assertEqual((self.unit.valid_to, self.unit.successor), (date(2026, 3, 1), self.office))
        messages = [str(m) for m in r.wsgi_request._messages]  # type: ignore[attr-defined]
        self.assertIn("2 people still belong to this unit after it closes.", messages[1])

    def test_it_frees_the_abbreviation_of_a_closed_unit(self) -> None:
        self.unit.valid_to = date(2026, 3, 1)
        self.unit.save()
        self.login(self.coordinator)
        r = self.client.post(reverse("org:unit_create", args=[self.agency.pk]), unit_data(abbreviation="HTQT"))
        self.assertEqual(r.status_code, 302)

    def test_it_only_offers_units_of_the_same_agency_as_successor(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(
            self.url(), unit_data(abbreviation="HTQT", valid_to="01/03/2026", successor=self.other_unit.pk)
        )
        self.assertEqual(r.status_code, 200)
        self.assertIn("successor", r.context["form"].errors)
        self.unit.refresh_from_db()
        self.assertIsNone(self.unit.valid_to)

    def test_it_refuses_renaming_to_a_used_abbreviation(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), unit_data(abbreviation="VP"))
        self.assertContains(r, "Another unit of this agency already uses this abbreviation.")
        self.unit.refresh_from_db()
        self.assertEqual(self.unit.abbreviation, "HTQT")

    def test_it_is_for_coordinators_of_the_agency(self) -> None:
        self.login(self.unit_head)
        self.assertEqual(self.client.get(self.url()).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url()).status_code, 404)


@time_machine.travel(date(2026, 3, 2), tick=False)
class UnitDetailTestCase(BaseTestCase):
    def url(self) -> str:
        return reverse("org:unit_detail", args=[self.unit.pk])

    def test_it_shows_the_head_first_then_members(self) -> None:
        self.login(self.staff)
        r = self.client.get(self.url())
        self.assertEqual([m.user for m in r.context["members"]], [self.unit_head, self.staff])
        self.assertEqual(r.context["heads"], [self.unit_head])
        self.assertEqual(r.context["nav_active"], "org")
        self.assertNotContains(r, reverse("org:unit_edit", args=[self.unit.pk]))

    def test_it_leaves_out_ended_roles(self) -> None:
        Membership.objects.filter(user=self.staff).update(valid_to=date(2026, 1, 1))
        self.login(self.coordinator)
        r = self.client.get(self.url())
        self.assertEqual([m.user for m in r.context["members"]], [self.unit_head])
        self.assertContains(r, reverse("org:unit_edit", args=[self.unit.pk]))

    def test_it_hides_units_of_other_agencies(self) -> None:
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_it_runs_a_fixed_number_of_queries(self) -> None:
        for i in range(5):
            self._person(f"p{i}", f"Người {i}", self.agency, Role.STAFF, self.unit)
        self.login(self.coordinator)
        with self.assertNumQueries(9):
            r = self.client.get(self.url())
        self.assertEqual(len(r.context["members"]), 7)
