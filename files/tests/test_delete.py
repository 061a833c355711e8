from __future__ import annotations

from django.urls import reverse

from audit.models import AuditEntry
from files.models import Attachment
from files.tests.base import FilesTestCase


class DeleteTestCase(FilesTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.attachment = self.attach(self.agency, "Kế hoạch.pdf")
        self.url = reverse("files:delete", args=[self.attachment.pk])
        self.back = reverse("org:agency_detail", args=[self.agency.pk])

    def test_it_deletes_the_row_and_the_file(self) -> None:
        self.login(self.coordinator)
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post(self.url, {"next": self.back})
        self.assertRedirects(r, self.back, fetch_redirect_response=False)
        self.assertFalse(Attachment.objects.exists())
        self.assertEqual(self.stored_files(), [])

    def test_it_records_the_deletion_in_the_audit_trail(self) -> None:
        self.login(self.coordinator)
        self.client.post(self.url)
        entry = AuditEntry.objects.get(content_type__model="attachment", action="delete")
        self.assertEqual(entry.actor, self.coordinator)
        self.assertEqual(entry.agency, self.agency)
        self.assertEqual(entry.object_repr, "Kế hoạch.pdf")
        self.assertEqual(entry.changes["original_name"], ["Kế hoạch.pdf", None])

    def test_it_keeps_the_file_for_staff_with_403(self) -> None:
        self.login(self.staff)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(self.client.post(self.url).status_code, 403)
        self.assertTrue(Attachment.objects.exists())
        self.assertEqual(len(self.stored_files()), 1)

    def test_it_hides_the_file_from_an_outsider(self) -> None:
        self.login(self.outsider)
        self.assertEqual(self.client.post(self.url).status_code, 404)
        self.assertTrue(Attachment.objects.exists())

    def test_it_requires_post(self) -> None:
        self.login(self.coordinator)
        self.assertEqual(self.client.get(self.url).status_code, 405)
        self.assertTrue(Attachment.objects.exists())
