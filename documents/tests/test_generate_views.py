from __future__ import annotations

import io
import zipfile
from urllib.parse import unquote

import docx as python_docx
from django.urls import reverse
from pypdf import PdfReader

from documents.models import OutgoingDocument
from documents.tests.base import DocumentsTestCase
from plans.models import Plan


def attachment_name(disposition: str) -> str:
    """The file name of a Content-Disposition header, plain or RFC 5987 encoded."""
    if "filename*=" in disposition:
        return unquote(disposition.split("filename*=")[1].split("''", 1)[1])
    return disposition.split('filename="')[1].rstrip('"')


class PlanDocxTestCase(DocumentsTestCase):
    def test_it_sends_the_issued_plan_as_a_word_file_named_by_its_symbol(self) -> None:
        self.login(self.staff)
        response = self.client.get(reverse("documents:plan_docx", args=[self.plan.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["Content-Type"], "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))
        self.assertEqual(attachment_name(response["Content-Disposition"]), "KH-01-SNgV-2026.docx")
        word = python_docx.Document(io.BytesIO(response.content))
        header_cells = [cell.text for cell in word.tables[0].rows[1].cells]
        self.assertEqual(header_cells, ["Số: 01/KH-SNgV", "Bình Phước, ngày 20 tháng 12 năm 2025"])
        self.assertIn("Rà soát, công bố thủ tục hành chính", [c.text for c in word.tables[-1].rows[2].cells])

    def test_a_draft_is_named_and_marked_as_a_draft(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(reverse("documents:plan_docx", args=[self.draft_plan.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(attachment_name(response["Content-Disposition"]), "KH-SNgV-2027-Dự-thảo.docx")
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            headers = [archive.read(n).decode() for n in archive.namelist() if n.startswith("word/header")]
        self.assertTrue(any("DỰ THẢO" in header for header in headers))

    def test_it_writes_nothing(self) -> None:
        self.login(self.coordinator)
        before = Plan.objects.get(pk=self.plan.pk).updated
        self.client.get(reverse("documents:plan_docx", args=[self.plan.pk]))
        self.client.get(reverse("documents:plan_pdf", args=[self.plan.pk]))
        self.assertEqual(Plan.objects.get(pk=self.plan.pk).updated, before)
        self.assertEqual(OutgoingDocument.objects.count(), 1)

    def test_another_agency_gets_not_found_and_strangers_sign_in_first(self) -> None:
        url = reverse("documents:plan_docx", args=[self.plan.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
        self.login(self.outsider)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(reverse("documents:plan_docx", args=[99999])).status_code, 404)

    def test_the_provincial_overseer_may_read_it(self) -> None:
        self.login(self.overseer)
        self.assertEqual(self.client.get(reverse("documents:plan_docx", args=[self.plan.pk])).status_code, 200)


class PlanPdfTestCase(DocumentsTestCase):
    def test_it_sends_the_plan_as_a_pdf_with_its_appendix(self) -> None:
        self.login(self.leader)
        response = self.client.get(reverse("documents:plan_pdf", args=[self.plan.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(attachment_name(response["Content-Disposition"]), "KH-01-SNgV-2026.pdf")
        reader = PdfReader(io.BytesIO(response.content))
        first = reader.pages[0].extract_text()
        self.assertIn("Số: 01/KH-SNgV", first)
        self.assertIn("SỞ NGOẠI VỤ", first)
        last = reader.pages[-1]
        self.assertGreater(float(last.mediabox.width), float(last.mediabox.height))
        self.assertIn("Rà soát, công bố thủ tục hành chính", last.extract_text())

    def test_another_agency_gets_not_found(self) -> None:
        self.login(self.outsider)
        self.assertEqual(self.client.get(reverse("documents:plan_pdf", args=[self.plan.pk])).status_code, 404)
