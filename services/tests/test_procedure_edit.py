from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from services.models import Procedure
from services.tests.base import ServicesTestCase

CREATE = reverse("services:procedure_create")


def data(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "code": "9.000001",
        "name": "Thủ tục mới",
        "field": "Hộ tịch",
        "online_level": "none",
        "time_limit": "3",
        "time_unit": "working_days",
        "fee": "0",
        "published_on": "15/01/2024",
    }
    values.update(overrides)
    return values


class ProcedureEditTestCase(ServicesTestCase):
    def test_it_creates_a_procedure(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(CREATE, data(agency=self.agency.pk))
        procedure = Procedure.objects.get(code="9.000001")
        self.assertRedirects(response, reverse("services:procedure_detail", args=[procedure.pk]))
        self.assertEqual((procedure.agency, procedure.time_limit), (self.agency, Decimal(3)))

    def test_it_refuses_a_taken_code_and_negative_numbers(self) -> None:
        self.login(self.admin)
        response = self.client.post(CREATE, data(code="1.001234", fee="-1", time_limit="-2"))
        form = response.context["form"]
        self.assertIn("The code 1.001234 is already in the catalogue", form.errors["code"][0])
        self.assertIn("fee", form.errors)
        self.assertIn("time_limit", form.errors)
        self.assertEqual(Procedure.objects.count(), 2)

    def test_it_offers_a_coordinator_only_the_agencies_they_manage(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(CREATE)
        self.assertEqual(list(response.context["form"].fields["agency"].queryset), [self.agency])
        response = self.client.post(CREATE, data(agency=self.other_agency.pk))
        self.assertIn("agency", response.context["form"].errors)
        response = self.client.post(CREATE, data())
        self.assertIn("agency", response.context["form"].errors)
        self.assertFalse(Procedure.objects.filter(code="9.000001").exists())

    def test_it_is_refused_to_people_who_do_not_import(self) -> None:
        self.login(self.leader)
        self.assertEqual(self.client.post(CREATE, data()).status_code, 403)
        self.assertEqual(self.client.get(reverse("services:procedure_edit", args=[self.procedure.pk])).status_code, 403)
        self.login(self.outsider)
        response = self.client.post(reverse("services:procedure_edit", args=[self.procedure.pk]), data(name="X"))
        self.assertEqual(response.status_code, 403)
        self.procedure.refresh_from_db()
        self.assertNotEqual(self.procedure.name, "X")
        self.assertFalse(Procedure.objects.filter(code="9.000001").exists())

    def test_it_classifies_an_unclassified_procedure_on_edit(self) -> None:
        self.login(self.admin)
        url = reverse("services:procedure_edit", args=[self.unclassified.pk])
        response = self.client.post(url, data(code="2.000999", name="Đã mô tả"))
        self.assertRedirects(response, reverse("services:procedure_detail", args=[self.unclassified.pk]))
        self.unclassified.refresh_from_db()
        self.assertFalse(self.unclassified.unclassified)
        self.assertEqual(self.unclassified.name, "Đã mô tả")
