from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse

from files.tests import samples
from files.tests.base import FilesTestCase


class DownloadTestCase(FilesTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.attachment = self.attach(self.agency, "Báo cáo quý I.pdf")
        self.url = reverse("files:download", args=[self.attachment.pk])

    def test_it_sends_the_file_to_a_member(self) -> None:
        self.login(self.staff)
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(b"".join(r.streaming_content), samples.PDF)  # type: ignore[attr-defined]
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertEqual(r["X-Content-Type-Options"], "nosniff")
        self.assertEqual(r["Content-Disposition"], f"attachment; filename*=utf-8''{quote('Báo cáo quý I.pdf')}")
        self.assertEqual(r["Content-Length"], str(len(samples.PDF)))
        self.assertIn("no-store", r["Cache-Control"])

    def test_it_quotes_an_ascii_name(self) -> None:
        attachment = self.attach(self.agency, "report 2025.pdf")
        self.login(self.coordinator)
        r = self.client.get(reverse("files:download", args=[attachment.pk]))
        self.assertEqual(r["Content-Disposition"], 'attachment; filename="report 2025.pdf"')

    def test_it_sends_the_file_to_the_overseer_and_the_administrator(self) -> None:
        for user in (self.overseer, self.admin, self.leader):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 200, user.username)

    def test_it_hides_the_file_from_an_outsider(self) -> None:
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_it_hides_a_unit_file_from_an_outsider(self) -> None:
        attachment = self.attach(self.unit, "a.png", samples.png())
        self.login(self.outsider)
        self.assertEqual(self.client.get(reverse("files:download", args=[attachment.pk])).status_code, 404)
        self.login(self.staff)
        r = self.client.get(reverse("files:download", args=[attachment.pk]))
        self.assertEqual(r["Content-Type"], "image/png")

    def test_it_answers_404_for_a_missing_attachment(self) -> None:
        self.login(self.admin)
        self.assertEqual(self.client.get(reverse("files:download", args=[999999])).status_code, 404)

    def test_it_answers_404_when_the_stored_file_is_gone(self) -> None:
        for path in self.stored_files():
            path.unlink()
        self.login(self.coordinator)
        with self.assertLogs("files.views", "ERROR"):
            self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_it_requires_sign_in(self) -> None:
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 302)
        self.assertIn(reverse("accounts:login"), r["Location"])

    def test_media_files_are_not_served_directly(self) -> None:
        self.login(self.admin)
        r = self.client.get(f"/media/{self.attachment.file.name}")
        self.assertEqual(r.status_code, 404)
