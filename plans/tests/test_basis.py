"""Legal bases of a plan: adding, editing, removing, and linking to a plan in the system."""

from __future__ import annotations

from datetime import date

from plans.models import LegalBasis, Plan, PlanStatus
from plans.tests.base import PlansTestCase


class BasisTestCase(PlansTestCase):
    province_plan: Plan

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.province_plan = Plan.objects.create(
            agency=cls.province,
            year=2022,
            title="Kế hoạch CCHC nhà nước năm 2022",
            status=PlanStatus.ISSUED,
            number=3223,
            register_year=2021,
            symbol="3223/QĐ-UBND",
            issued_on=date(2021, 12, 27),
        )

    def test_it_adds_a_basis_and_links_the_plan_it_names(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(f"/plans/{self.draft_plan.pk}/bases/new/")
        self.assertEqual(response.context["form"]["order"].value(), 1)
        response = self.client.post(
            f"/plans/{self.draft_plan.pk}/bases/new/",
            {
                "doc_type": "QĐ",
                "symbol": "3223/QĐ-UBND",
                "issued_on": "27/12/2021",
                "issuer": "UBND tỉnh",
                "summary": "Ban hành Kế hoạch CCHC nhà nước năm 2022",
                "order": "1",
            },
        )
        self.assertRedirects(response, f"/plans/{self.draft_plan.pk}/#bases", fetch_redirect_response=False)
        basis = self.draft_plan.legal_bases.get()
        self.assertEqual(
            (basis.symbol, basis.issued_on, basis.linked_plan), ("3223/QĐ-UBND", date(2021, 12, 27), self.province_plan)
        )

    def test_a_basis_with_another_date_is_not_linked(self) -> None:
        self.login(self.coordinator)
        self.client.post(
            f"/plans/{self.draft_plan.pk}/bases/new/",
            {"symbol": "3223/QĐ-UBND", "issued_on": "01/01/2021", "summary": "", "order": "1"},
        )
        self.assertIsNone(self.draft_plan.legal_bases.get().linked_plan)

    def test_it_needs_a_symbol_or_a_summary(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(f"/plans/{self.draft_plan.pk}/bases/new/", {"doc_type": "QĐ", "order": "1"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["form"].non_field_errors(),
            ["Give at least the number and symbol or the summary of the document."],
        )
        self.assertContains(response, "Give at least the number and symbol or the summary of the document.")
        response = self.client.post(
            f"/plans/{self.draft_plan.pk}/bases/new/", {"symbol": "1/KH", "issued_on": "32/13/2021", "order": "1"}
        )
        self.assertIn("issued_on", response.context["form"].errors)
        self.assertFalse(self.draft_plan.legal_bases.exists())

    def test_it_edits_a_basis_and_relinks_it(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(
            f"/plans/bases/{self.basis.pk}/edit/",
            {"doc_type": "QĐ", "symbol": "3223/qđ-ubnd", "issued_on": "", "summary": "", "order": "2"},
        )
        self.assertRedirects(response, f"/plans/{self.plan.pk}/#bases", fetch_redirect_response=False)
        self.basis.refresh_from_db()
        self.assertEqual((self.basis.doc_type, self.basis.order, self.basis.linked_plan), ("QĐ", 2, self.province_plan))

    def test_it_removes_a_basis_after_asking(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(f"/plans/bases/{self.basis.pk}/delete/")
        self.assertContains(response, "Remove the legal basis “KH 520/KH-UBND” from the plan?")
        self.assertTrue(LegalBasis.objects.filter(pk=self.basis.pk).exists())
        response = self.client.post(f"/plans/bases/{self.basis.pk}/delete/")
        self.assertRedirects(response, f"/plans/{self.plan.pk}/#bases", fetch_redirect_response=False)
        self.assertFalse(LegalBasis.objects.filter(pk=self.basis.pk).exists())

    def test_a_closed_plan_refuses_changes(self) -> None:
        Plan.objects.filter(pk=self.plan.pk).update(status=PlanStatus.CLOSED)
        self.login(self.coordinator)
        response = self.client.post(f"/plans/bases/{self.basis.pk}/edit/", {"symbol": "Đổi", "order": "1"}, follow=True)
        self.assertContains(response, "The plan is closed: reopen it before changing it.")
        self.client.post(f"/plans/bases/{self.basis.pk}/delete/")
        self.client.post(f"/plans/{self.plan.pk}/bases/new/", {"symbol": "Mới", "order": "1"})
        self.assertEqual(list(self.plan.legal_bases.values_list("symbol", flat=True)), ["520/KH-UBND"])

    def test_only_the_plan_s_managers_change_bases(self) -> None:
        for person, status in ((self.leader, 403), (self.staff, 403), (self.outsider, 404)):
            self.login(person)
            self.assertEqual(
                self.client.post(f"/plans/bases/{self.basis.pk}/edit/", {"symbol": "x"}).status_code, status
            )
            self.assertEqual(self.client.post(f"/plans/bases/{self.basis.pk}/delete/").status_code, status)
            self.assertEqual(self.client.post(f"/plans/{self.plan.pk}/bases/new/", {"symbol": "x"}).status_code, status)
        self.assertEqual(list(self.plan.legal_bases.values_list("symbol", flat=True)), ["520/KH-UBND"])
