from __future__ import annotations

from datetime import date

import time_machine
from django.urls import reverse

from accounts.models import Agency, AgencyKind
from cchc.test import BaseTestCase

URL = reverse("org:agency_list")


@time_machine.travel(date(2026, 3, 2), tick=False)
class AgencyListTestCase(BaseTestCase):
    def test_it_requires_sign_in(self) -> None:
        r = self.client.get(URL)
        self.assertRedirects(r, f"{reverse('accounts:login')}?next={URL}", fetch_redirect_response=False)

    def test_it_shows_a_member_only_their_agencies(self) -> None:
        self.login(self.staff)
        r = self.client.get(URL)
        self.assertContains(r, "Sở Ngoại vụ tỉnh Bình Phước")
        self.assertNotContains(r, "Sở Tư pháp tỉnh Bình Phước")
        self.assertNotContains(r, reverse("org:agency_create"))
        self.assertEqual(r.context["nav_active"], "org")

    def test_it_shows_an_overseer_the_tree_of_the_province(self) -> None:
        self.login(self.overseer)
        r = self.client.get(URL)
        rows = [(agency.code, depth) for agency, depth in r.context["rows"]]
        self.assertEqual(rows[0], ("ubnd-bp", 0))
        self.assertEqual({code for code, depth in rows[1:]}, {"snv-bp", "sngv-bp", "stp-bp"})
        self.assertTrue(all(depth == 1 for code, depth in rows[1:]))

    def test_it_lists_closed_agencies_after_current_ones_with_their_successor(self) -> None:
        merged = Agency.objects.create(
            code="old",
            parent=self.province,
            name="A Sở cũ",
            short_name="Sở cũ",
            abbreviation="SC",
            place_name="Bình Phước",
            valid_to=date(2025, 7, 1),
            successor=self.agency,
        )
        self.login(self.admin)
        r = self.client.get(URL)
        codes = [agency.code for agency, depth in r.context["rows"]]
        self.assertEqual(codes[-1], merged.code)
        self.assertContains(r, "Closed on 01/07/2025")
        self.assertContains(r, f'href="{reverse("org:agency_detail", args=[self.agency.pk])}">Sở Ngoại vụ</a>')

    def test_it_filters_by_kind_and_search(self) -> None:
        self.login(self.admin)
        r = self.client.get(URL, {"kind": AgencyKind.PROVINCE})
        self.assertEqual([a.code for a, d in r.context["rows"]], ["ubnd-bp"])
        r = self.client.get(URL, {"q": "STP"})
        self.assertEqual([a.code for a, d in r.context["rows"]], ["stp-bp"])
        r = self.client.get(URL, {"kind": "nonsense", "q": "nothing-like-this"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "No agency matches these filters.")

    def test_it_flags_agencies_without_a_coordinator(self) -> None:
        self.login(self.admin)
        r = self.client.get(URL)
        flagged = {a.code for a, d in r.context["rows"] if not a.has_coordinator}
        self.assertEqual(flagged, {"ubnd-bp", "snv-bp"})
        self.assertContains(r, reverse("org:agency_create"))

    def test_it_runs_a_fixed_number_of_queries(self) -> None:
        self.login(self.admin)
        for i in range(5):
            Agency.objects.create(
                code=f"a{i}",
                parent=self.agency,
                name=f"Agency {i}",
                short_name=f"A{i}",
                abbreviation=f"A{i}",
                place_name="Bình Phước",
                successor=self.other_agency,
                valid_to=date(2025, 1, 1),
            )
        # session, user, own roles, agencies (+ session save)
        with self.assertNumQueries(8):
            r = self.client.get(URL)
        self.assertEqual(len(r.context["rows"]), 9)
