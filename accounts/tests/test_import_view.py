from __future__ import annotations

import io

import openpyxl
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import importer
from accounts.models import Unit, User
from accounts.tests.test_import import workbook
from cchc.test import BaseTestCase

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportViewTestCase(BaseTestCase):
    def url(self) -> str:
        return reverse("org:import", args=[self.agency.pk])

    def upload(self, data: bytes, name: str = "roster.xlsx") -> dict[str, SimpleUploadedFile]:
        return {"file": SimpleUploadedFile(name, data, content_type=XLSX)}

    def test_it_shows_the_form_and_template_link(self) -> None:
        self.login(self.coordinator)
        r = self.client.get(self.url())
        self.assertContains(r, reverse("org:import_template", args=[self.agency.pk]))
        self.assertContains(r, 'enctype="multipart/form-data"')
        self.assertEqual(r.context["nav_active"], "org")

    def test_it_imports_and_invites_new_people(self) -> None:
        data = workbook(
            units=[["KH", "Phòng Kế hoạch"]],
            people=[
                ["Ngô Văn Hùng", "hungnv", "hung@example.org", "", "", "KH", "staff"],
                ["Vũ Thị Thu", "thuvt", "", "", "", "KH", "staff"],
                ["Phạm Minh Tuấn", "staff", "", "", "Chuyên viên chính", "HTQT", "staff"],
            ],
        )
        self.login(self.coordinator)
        r = self.client.post(self.url(), self.upload(data))
        self.assertContains(r, "The import is done")
        result = r.context["result"]
        self.assertEqual((result.units_created, result.people_created, result.people_updated), (1, 2, 1))
        self.assertEqual([p.username for p in r.context["invited"]], ["hungnv"])
        self.assertEqual([p.username for p in r.context["not_invited"]], ["thuvt"])
        self.assertEqual([m.to for m in mail.outbox], [["hung@example.org"]])
        self.assertTrue(Unit.objects.filter(agency=self.agency, abbreviation="KH").exists())
        self.staff.refresh_from_db()
        self.assertEqual(self.staff.position, "Chuyên viên chính")

    def test_it_shows_the_problems_and_stores_nothing(self) -> None:
        data = workbook(
            people=[
                ["Ngô Văn Hùng", "hungnv", "", "", "", "HTQT", "staff"],
                ["Vũ Thị Thu", "thuvt", "", "", "", "HTQTX", "staff"],
            ]
        )
        self.login(self.coordinator)
        r = self.client.post(self.url(), self.upload(data))
        self.assertContains(r, "Nothing was imported")
        self.assertContains(r, "The unit “HTQTX” does not exist in this agency or in the units sheet.")
        self.assertContains(r, "<td>Cán bộ</td>", html=False)
        self.assertFalse(User.objects.filter(username__in=["hungnv", "thuvt"]).exists())
        self.assertEqual(len(mail.outbox), 0)

    def test_it_explains_a_wrong_file(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), self.upload(b"%PDF-1.4 hello", name="roster.pdf"))
        self.assertContains(r, "The file “roster.pdf” is not an Excel workbook (.xlsx).")
        r = self.client.post(self.url(), {})
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.context["form"].errors["file"])

    def test_it_is_for_coordinators_and_administrators(self) -> None:
        data = workbook(units=[["KH", "Phòng Kế hoạch"]])
        self.login(self.leader)
        self.assertEqual(self.client.post(self.url(), self.upload(data)).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.post(self.url(), self.upload(data)).status_code, 404)
        self.assertFalse(Unit.objects.filter(abbreviation="KH").exists())
        self.login(self.admin)
        self.assertContains(self.client.post(self.url(), self.upload(data)), "The import is done")


class ImportTemplateViewTestCase(BaseTestCase):
    def url(self) -> str:
        return reverse("org:import_template", args=[self.agency.pk])

    def test_it_downloads_the_template(self) -> None:
        self.login(self.coordinator)
        r = self.client.get(self.url())
        self.assertEqual(r["Content-Type"], XLSX)
        self.assertEqual(r["Content-Disposition"], 'attachment; filename="cchc-import-sngv-bp.xlsx"')
        book = openpyxl.load_workbook(io.BytesIO(r.content))
        self.assertEqual(book.sheetnames[:2], [importer.UNITS_SHEET, importer.PEOPLE_SHEET])

    def test_it_is_for_coordinators_and_administrators(self) -> None:
        self.login(self.staff)
        self.assertEqual(self.client.get(self.url()).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
