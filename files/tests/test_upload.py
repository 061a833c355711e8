from __future__ import annotations

import hashlib
from unittest import mock

from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEntry
from files.models import Attachment
from files.tests import samples
from files.tests.base import FilesTestCase
from files.validation import XLSX


class UploadTestCase(FilesTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("files:upload", args=["accounts.agency", self.agency.pk])
        self.back = reverse("org:agency_detail", args=[self.agency.pk])

    def post(self, name: str, content: bytes, **extra: str):
        data = {"file": samples.upload(name, content), "description": "Minh chứng", "next": self.back, **extra}
        return self.client.post(self.url, data)

    def test_it_stores_the_file_and_its_row(self) -> None:
        self.login(self.coordinator)
        r = self.post("Kế hoạch CCHC 2025.pdf", samples.PDF)
        self.assertRedirects(r, self.back, fetch_redirect_response=False)
        attachment = Attachment.objects.get()
        self.assertEqual(attachment.owner, self.agency)
        self.assertEqual(attachment.agency, self.agency)
        self.assertEqual(attachment.original_name, "Kế hoạch CCHC 2025.pdf")
        self.assertEqual(attachment.mime_type, "application/pdf")
        self.assertEqual(attachment.size, len(samples.PDF))
        self.assertEqual(attachment.sha256, hashlib.sha256(samples.PDF).hexdigest())
        self.assertEqual(attachment.uploaded_by, self.coordinator)
        self.assertEqual(attachment.description, "Minh chứng")
        self.assertRegex(attachment.file.name, rf"^attachments/{self.agency.pk}/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\.pdf$")
        [stored] = self.stored_files()
        self.assertEqual(stored.read_bytes(), samples.PDF)
        self.assertNotIn("hoạch", str(stored))

    def test_it_records_the_upload_in_the_audit_trail(self) -> None:
        self.login(self.coordinator)
        self.post("Kế hoạch.pdf", samples.PDF, next="")
        attachment = Attachment.objects.get()
        entry = AuditEntry.objects.get(content_type__model="attachment")
        self.assertEqual(entry.action, "create")
        self.assertEqual(entry.object_id, str(attachment.pk))
        self.assertEqual(entry.actor, self.coordinator)
        self.assertEqual(entry.agency, self.agency)
        self.assertEqual(entry.changes["original_name"], [None, "Kế hoạch.pdf"])

    def test_it_attaches_to_a_unit(self) -> None:
        self.login(self.coordinator)
        url = reverse("files:upload", args=["accounts.unit", self.unit.pk])
        self.client.post(url, {"file": samples.upload("Số liệu.xlsx", samples.xlsx())})
        attachment = Attachment.objects.get()
        self.assertEqual(attachment.owner, self.unit)
        self.assertEqual(attachment.agency, self.agency)
        self.assertEqual(attachment.mime_type, XLSX)

    def test_it_lets_an_administrator_upload(self) -> None:
        self.login(self.admin)
        self.post("a.pdf", samples.PDF)
        self.assertEqual(Attachment.objects.count(), 1)

    def test_it_refuses_a_disguised_file_and_stores_nothing(self) -> None:
        self.login(self.coordinator)
        r = self.post("báo cáo.pdf", samples.EXE)
        self.assertContains(r, "báo cáo.pdf", status_code=400)
        self.assertContains(r, "whatever its name says", status_code=400)
        self.assertFalse(Attachment.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(content_type__model="attachment").exists())
        self.assertEqual(self.stored_files(), [])

    def test_it_refuses_an_empty_file(self) -> None:
        self.login(self.coordinator)
        r = self.post("trống.docx", b"")
        self.assertContains(r, "“trống.docx” is empty.", status_code=400)
        self.assertFalse(Attachment.objects.exists())
        self.assertEqual(self.stored_files(), [])

    @override_settings(FILE_UPLOAD_MAX_MB=1)
    def test_it_refuses_an_oversize_file(self) -> None:
        self.login(self.coordinator)
        r = self.post("lớn.pdf", samples.PDF + b"0" * (1024 * 1024))
        self.assertContains(r, "at most 1 MB", status_code=400)
        self.assertFalse(Attachment.objects.exists())
        self.assertEqual(self.stored_files(), [])

    def test_it_asks_for_a_file(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url, {"description": "x"})
        self.assertContains(r, "Choose a file to attach.", status_code=400)

    def test_it_refuses_staff_with_403(self) -> None:
        self.login(self.staff)
        r = self.post("a.pdf", samples.PDF)
        self.assertEqual(r.status_code, 403)
        self.assertFalse(Attachment.objects.exists())
        self.assertEqual(self.stored_files(), [])

    def test_it_refuses_the_overseer_with_403(self) -> None:
        self.login(self.overseer)
        self.assertEqual(self.post("a.pdf", samples.PDF).status_code, 403)

    def test_it_hides_another_agency_with_404(self) -> None:
        self.login(self.outsider)
        self.assertEqual(self.post("a.pdf", samples.PDF).status_code, 404)
        url = reverse("files:upload", args=["accounts.unit", self.unit.pk])
        self.assertEqual(self.client.post(url, {"file": samples.upload("a.pdf", samples.PDF)}).status_code, 404)
        self.assertFalse(Attachment.objects.exists())

    def test_it_answers_404_for_unknown_owner_types(self) -> None:
        self.login(self.admin)
        for label in ("accounts.user", "auth.group", "nonsense"):
            url = reverse("files:upload", args=[label, self.admin.pk])
            r = self.client.post(url, {"file": samples.upload("a.pdf", samples.PDF)})
            self.assertEqual(r.status_code, 404, label)
        self.assertFalse(Attachment.objects.exists())

    def test_it_answers_404_for_a_missing_owner(self) -> None:
        self.login(self.admin)
        url = reverse("files:upload", args=["accounts.agency", 999999])
        self.assertEqual(self.client.post(url, {"file": samples.upload("a.pdf", samples.PDF)}).status_code, 404)

    def test_it_requires_post(self) -> None:
        self.login(self.coordinator)
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_it_requires_sign_in(self) -> None:
        r = self.post("a.pdf", samples.PDF)
        self.assertEqual(r.status_code, 302)
        self.assertIn(reverse("accounts:login"), r["Location"])
        self.assertFalse(Attachment.objects.exists())

    def test_it_ignores_an_offsite_next(self) -> None:
        self.login(self.coordinator)
        r = self.post("a.pdf", samples.PDF, next="https://evil.example/")
        self.assertRedirects(r, reverse("front:home"), fetch_redirect_response=False)

    def test_it_removes_the_stored_file_when_the_row_cannot_be_saved(self) -> None:
        self.login(self.coordinator)
        failing = mock.patch("files.models.Attachment.save", side_effect=RuntimeError("database gone"))
        with failing, self.assertRaises(RuntimeError):
            self.post("a.pdf", samples.PDF)
        self.assertFalse(Attachment.objects.exists())
        self.assertEqual(self.stored_files(), [])
