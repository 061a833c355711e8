"""Document types: shared data everybody reads and administrators edit."""

from __future__ import annotations

from documents.models import DocumentType
from documents.tests.base import DocumentsTestCase


class TypeViewsTestCase(DocumentsTestCase):
    def test_everybody_reads_the_types(self) -> None:
        self.login(self.staff)
        response = self.client.get("/documents/types/")
        self.assertContains(response, "Kế hoạch")
        self.assertContains(response, "<code>QyĐ</code>", html=True)
        self.assertNotContains(response, "/documents/types/new/")

    def test_an_administrator_adds_and_edits_a_type(self) -> None:
        self.login(self.admin)
        self.assertContains(self.client.get("/documents/types/"), "/documents/types/new/")
        response = self.client.post(
            "/documents/types/new/",
            {"name": "Văn bản hợp nhất", "abbreviation": "VBHN", "order": "40", "is_active": "on"},
        )
        self.assertRedirects(response, "/documents/types/", fetch_redirect_response=False)
        created = DocumentType.objects.get(abbreviation="VBHN")
        response = self.client.post(
            f"/documents/types/{created.pk}/edit/", {"name": "Văn bản hợp nhất", "abbreviation": "VBHN", "order": "40"}
        )
        created.refresh_from_db()
        self.assertFalse(created.is_active)

    def test_abbreviations_are_unique_and_fit_in_a_symbol(self) -> None:
        self.login(self.admin)
        cases = [
            ("KH", "“KH” is already the abbreviation of Kế hoạch."),
            ("K-H", "Use letters and digits only"),
            ("K H", "Use letters and digits only"),
        ]
        for abbreviation, message in cases:
            with self.subTest(abbreviation=abbreviation):
                response = self.client.post(
                    "/documents/types/new/", {"name": "Mới", "abbreviation": abbreviation, "order": "1"}
                )
                self.assertContains(response, message)
        self.assertFalse(DocumentType.objects.filter(name="Mới").exists())
        # Several types may have none (công văn, thư công).
        self.client.post("/documents/types/new/", {"name": "Mới", "abbreviation": "", "order": "1"})
        self.assertTrue(DocumentType.objects.filter(name="Mới", abbreviation="").exists())

    def test_only_administrators_change_types(self) -> None:
        kh = DocumentType.objects.get(abbreviation="KH")
        for persona in (self.coordinator, self.leader, self.overseer, self.outsider):
            self.login(persona)
            self.assertEqual(self.client.get("/documents/types/new/").status_code, 403)
            response = self.client.post(
                f"/documents/types/{kh.pk}/edit/", {"name": "Đổi", "abbreviation": "KH", "order": "1"}
            )
            self.assertEqual(response.status_code, 403)
        self.assertEqual(DocumentType.objects.get(pk=kh.pk).name, "Kế hoạch")
