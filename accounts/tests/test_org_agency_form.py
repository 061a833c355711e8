from __future__ import annotations

from datetime import date

from django.urls import reverse

from accounts.models import Agency, AgencyKind
from cchc.test import BaseTestCase

CREATE = reverse("org:agency_create")


def agency_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Sở Tài chính tỉnh Bình Phước",
        "short_name": "Sở Tài chính",
        "abbreviation": "STC",
        "code": "stc-bp",
        "kind": AgencyKind.DEPARTMENT,
        "parent": "",
        "parent_body_name": "UBND TỈNH BÌNH PHƯỚC",
        "place_name": "Bình Phước",
        "address": "",
        "phone": "",
        "email": "",
        "website": "",
        "valid_from": "",
        "valid_to": "",
        "successor": "",
    }
    data.update(overrides)
    return data


class AgencyCreateTestCase(BaseTestCase):
    def test_it_creates_an_agency(self) -> None:
        self.login(self.admin)
        r = self.client.post(CREATE, agency_data(parent=self.province.pk, valid_from="01/01/2026"))
        agency = Agency.objects.get(code="stc-bp")
        self.assertRedirects(r, reverse("org:agency_detail", args=[agency.pk]))
        self.assertEqual(agency.province, self.province)
        self.assertEqual(agency.valid_from, date(2026, 1, 1))

    def test_it_refuses_a_duplicate_abbreviation_in_the_province(self) -> None:
        self.login(self.admin)
        r = self.client.post(CREATE, agency_data(parent=self.province.pk, abbreviation="sngv"))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Another agency of this province already uses this abbreviation.")
        self.assertFalse(Agency.objects.filter(code="stc-bp").exists())

    def test_it_allows_the_abbreviation_of_a_closed_agency(self) -> None:
        Agency.objects.filter(pk=self.other_agency.pk).update(valid_to=date(2025, 1, 1))
        self.login(self.admin)
        r = self.client.post(CREATE, agency_data(parent=self.province.pk, abbreviation="STP"))
        self.assertEqual(r.status_code, 302)

    def test_it_needs_an_end_date_for_a_successor(self) -> None:
        self.login(self.admin)
        r = self.client.post(CREATE, agency_data(successor=self.agency.pk))
        self.assertContains(r, "Set the end date when the agency has a successor.")
        self.assertFalse(Agency.objects.filter(code="stc-bp").exists())

    def test_it_refuses_an_end_date_before_the_start(self) -> None:
        self.login(self.admin)
        r = self.client.post(CREATE, agency_data(valid_from="02/01/2026", valid_to="01/01/2026"))
        self.assertContains(r, "The end date must not be before the start date.")
        self.assertFalse(Agency.objects.filter(code="stc-bp").exists())

    def test_it_is_for_administrators_only(self) -> None:
        for person in (self.coordinator, self.overseer, self.leader):
            self.login(person)
            self.assertEqual(self.client.get(CREATE).status_code, 403)
            self.assertEqual(self.client.post(CREATE, agency_data()).status_code, 403)
        self.assertFalse(Agency.objects.filter(code="stc-bp").exists())


class AgencyEditTestCase(BaseTestCase):
    def url(self, agency: Agency | None = None) -> str:
        return reverse("org:agency_edit", args=[(agency or self.agency).pk])

    def data(self, **overrides: object) -> dict[str, object]:
        a = self.agency
        base = agency_data(
            name=a.name,
            short_name=a.short_name,
            abbreviation=a.abbreviation,
            code=a.code,
            kind=a.kind,
            parent=a.parent_id,
            parent_body_name=a.parent_body_name,
            place_name=a.place_name,
        )
        base.update(overrides)
        return base

    def test_it_edits_every_field(self) -> None:
        self.login(self.admin)
        r = self.client.post(
            self.url(),
            self.data(
                name="Sở Ngoại vụ (mới)",
                email="sngv@example.org",
                website="sngv.example.org",
                valid_to="30/06/2026",
                successor=self.other_agency.pk,
            ),
        )
        self.assertRedirects(r, reverse("org:agency_detail", args=[self.agency.pk]))
        self.agency.refresh_from_db()
        self.assertEqual(self.agency.name, "Sở Ngoại vụ (mới)")
        self.assertEqual(self.agency.website, "https://sngv.example.org")
        self.assertEqual((self.agency.valid_to, self.agency.successor), (date(2026, 6, 30), self.other_agency))

    def test_it_keeps_the_province_right_when_an_agency_moves(self) -> None:
        other_province = Agency.objects.create(
            code="ubnd-dn",
            kind=AgencyKind.PROVINCE,
            name="UBND tỉnh Đồng Nai",
            short_name="UBND Đồng Nai",
            abbreviation="UBND",
            place_name="Đồng Nai",
        )
        child = Agency.objects.create(
            code="child", parent=self.agency, name="Trung tâm", short_name="TT", abbreviation="TT", place_name="BP"
        )
        self.login(self.admin)
        r = self.client.post(self.url(), self.data(parent=other_province.pk))
        self.assertEqual(r.status_code, 302)
        self.agency.refresh_from_db()
        child.refresh_from_db()
        self.assertEqual((self.agency.province, child.province), (other_province, other_province))

    def test_it_refuses_a_cycle(self) -> None:
        child = Agency.objects.create(
            code="child", parent=self.agency, name="Trung tâm", short_name="TT", abbreviation="TT", place_name="BP"
        )
        self.login(self.admin)
        r = self.client.post(self.url(), self.data(parent=child.pk))
        self.assertContains(r, "An agency cannot be placed under itself.")
        self.agency.refresh_from_db()
        self.assertEqual(self.agency.parent, self.province)

    def test_it_refuses_a_duplicate_abbreviation(self) -> None:
        self.login(self.admin)
        r = self.client.post(self.url(), self.data(abbreviation="STP"))
        self.assertContains(r, "Another agency of this province already uses this abbreviation.")
        self.agency.refresh_from_db()
        self.assertEqual(self.agency.abbreviation, "SNgV")

    def test_it_is_for_administrators_only(self) -> None:
        self.login(self.coordinator)
        self.assertEqual(self.client.post(self.url(), self.data(name="X")).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.agency.refresh_from_db()
        self.assertEqual(self.agency.name, "Sở Ngoại vụ tỉnh Bình Phước")
