"""An agency's number series: which types take their numbers where."""

from __future__ import annotations

from datetime import date
from typing import Any

import time_machine
from django.contrib.messages import get_messages

from documents import register
from documents.models import DocumentType, RegisterSeries
from documents.tests.base import DocumentsTestCase


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def type_pk(abbreviation: str) -> int:
    return DocumentType.objects.get(abbreviation=abbreviation).pk


@time_machine.travel("2025-12-28 10:00 +07:00", tick=False)
class SeriesViewsTestCase(DocumentsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login(self.coordinator)

    def test_it_lists_the_common_series_and_the_agencys_own(self) -> None:
        register.register_outgoing(self.agency, type_code="QĐ", issued_date=date(2025, 12, 1), subject="QĐ")
        response = self.client.get(f"/documents/series/{self.agency.pk}/")
        self.assertContains(response, "Common series")
        self.assertContains(response, "Quyết định (QĐ)")
        self.assertEqual([(s.code, last) for s, last in response.context["series"]], [("qd", 1)])
        self.assertEqual(response.context["common_last"], 1)

    def test_it_creates_a_series_for_some_types(self) -> None:
        response = self.client.post(
            f"/documents/series/{self.agency.pk}/new/",
            {"code": "BC", "name": "Sổ báo cáo", "doc_types": [type_pk("BC"), type_pk("TB")]},
        )
        self.assertRedirects(response, f"/documents/series/{self.agency.pk}/", fetch_redirect_response=False)
        series = RegisterSeries.objects.get(agency=self.agency, code="bc")
        self.assertEqual(sorted(series.doc_types.values_list("abbreviation", flat=True)), ["BC", "TB"])
        self.assertEqual(register.series_for(self.agency, "TB"), "bc")
        self.assertEqual(messages_of(response), ["The number series “Sổ báo cáo” was saved."])

    def test_a_type_belongs_to_one_series_of_the_agency(self) -> None:
        response = self.client.post(
            f"/documents/series/{self.agency.pk}/new/",
            {"code": "vb", "name": "Văn bản khác", "doc_types": [type_pk("QĐ"), type_pk("BC")]},
        )
        self.assertContains(
            response, "A type is numbered in one series only; already in another series: Quyết định (Quyết định)."
        )
        self.assertFalse(RegisterSeries.objects.filter(code="vb").exists())
        # Another agency may put the same type in a series of its own.
        self.login(self.outsider)
        self.client.post(
            f"/documents/series/{self.other_agency.pk}/new/", {"code": "qd", "name": "QĐ", "doc_types": [type_pk("QĐ")]}
        )
        self.assertTrue(RegisterSeries.objects.filter(agency=self.other_agency, code="qd").exists())

    def test_codes_are_unique_within_the_agency(self) -> None:
        response = self.client.post(f"/documents/series/{self.agency.pk}/new/", {"code": "qd", "name": "Khác"})
        self.assertContains(response, "The agency already has a series with this code.")
        response = self.client.post(f"/documents/series/{self.agency.pk}/new/", {"code": "q d", "name": "Khác"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(RegisterSeries.objects.filter(agency=self.agency).count(), 1)

    def test_editing_keeps_its_own_types_and_warns_when_numbers_may_repeat(self) -> None:
        register.register_outgoing(self.agency, type_code="BC", issued_date=date(2025, 12, 1), subject="Báo cáo")
        response = self.client.post(
            f"/documents/series/edit/{self.series.pk}/",
            {"code": "qd", "name": "Quyết định và báo cáo", "doc_types": [type_pk("QĐ"), type_pk("BC")]},
        )
        self.assertRedirects(response, f"/documents/series/{self.agency.pk}/", fetch_redirect_response=False)
        self.series.refresh_from_db()
        self.assertEqual(self.series.name, "Quyết định và báo cáo")
        self.assertEqual(register.series_for(self.agency, "BC"), "qd")
        self.assertIn("so a number and symbol may repeat", messages_of(response)[1])

    def test_deleting_sends_its_types_back_to_the_common_series(self) -> None:
        response = self.client.get(f"/documents/series/delete/{self.series.pk}/")
        self.assertContains(response, "Delete the number series “Quyết định”?")
        response = self.client.post(f"/documents/series/delete/{self.series.pk}/")
        self.assertRedirects(response, f"/documents/series/{self.agency.pk}/", fetch_redirect_response=False)
        self.assertFalse(RegisterSeries.objects.exists())
        self.assertEqual(register.series_for(self.agency, "QĐ"), "")

    def test_only_the_agencys_register_keepers_manage_its_series(self) -> None:
        for persona, status in ((self.leader, 403), (self.staff, 403), (self.overseer, 403), (self.outsider, 404)):
            with self.subTest(persona=persona.username):
                self.login(persona)
                self.assertEqual(self.client.get(f"/documents/series/{self.agency.pk}/").status_code, status)
                response = self.client.post(f"/documents/series/{self.agency.pk}/new/", {"code": "x", "name": "X"})
                self.assertEqual(response.status_code, status)
                self.assertEqual(self.client.post(f"/documents/series/delete/{self.series.pk}/").status_code, status)
        self.assertEqual(list(RegisterSeries.objects.values_list("code", flat=True)), ["qd"])
        self.login(self.admin)
        self.assertEqual(self.client.get(f"/documents/series/{self.agency.pk}/").status_code, 200)
