"""The consolidated report as a Word document and as a PDF."""

from __future__ import annotations

import io
from urllib.parse import unquote

import time_machine
from django.urls import reverse
from docx import Document

from reports import agency_actions, consolidate
from reports.models import AgencyReport, AgencyReportStatus
from reports.tests.test_consolidate import AFTER_CUTOFF, ConsolidateData


def docx_text(content: bytes) -> tuple[str, list[list[str]]]:
    document = Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs]
    cells = []
    for table in document.tables:
        for row in table.rows:
            cells.append([cell.text for cell in row.cells])
            paragraphs += [p.text for cell in row.cells for p in cell.paragraphs]
    return "\n".join(paragraphs), cells


class AgencyReportDocumentTests(ConsolidateData):
    def setUp(self) -> None:
        super().setUp()
        with time_machine.travel(AFTER_CUTOFF):
            AgencyReport.objects.filter(pk=self.agency_report.pk).delete()
            self.report, _created = agency_actions.create(self.period, self.coordinator)

    def number_it(self) -> None:
        with time_machine.travel(AFTER_CUTOFF):
            agency_actions.submit(self.report, self.coordinator)
            self.report = agency_actions.approve(self.report, self.leader)

    def test_it_writes_a_draft_without_a_number(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(reverse("reports:agency_report_docx", args=[self.report.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertIn("BC-SNgV-quý-I-năm-2026-Dự-thảo.docx", unquote(response["Content-Disposition"]))
        text, _cells = docx_text(response.content)
        self.assertIn("Số:      /BC-SNgV", text)
        self.assertIn("Kết quả thực hiện công tác cải cách hành chính quý I năm 2026", text)

    def test_it_writes_the_numbered_report_with_its_headings_and_tables(self) -> None:
        self.number_it()
        self.login(self.leader)
        response = self.client.get(reverse("reports:agency_report_docx", args=[self.report.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertIn("BC-01-SNgV-2026.docx", response["Content-Disposition"])
        text, cells = docx_text(response.content)
        self.assertIn("Số: 01/BC-SNgV", text)
        for heading in (
            "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
            "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
            "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
            "IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI",
            "V. ĐỀ XUẤT, KIẾN NGHỊ",
            "1. Cải cách thể chế",
        ):
            self.assertIn(heading, text)
        self.assertIn("Kính gửi: Ủy ban nhân dân tỉnh Bình Phước.", text)
        self.assertIn("Nguyễn Thị Hà", text)
        self.assertIn("KẾT QUẢ THỰC HIỆN NHIỆM VỤ THEO LĨNH VỰC", text)
        # Table (a): the institutional reform row and the total.
        self.assertIn(["2", "Cải cách thể chế", "2", "0", "1", "0", "1", "0"], cells)
        self.assertIn(["", "Tổng cộng", "6", "2", "1", "2", "1", "0"], cells)
        # Table (c): targets; (d): the units' reports.
        self.assertIn(["2", "Tỷ lệ hồ sơ giải quyết đúng hạn", "≥ 98%", "97,5%", "Có nguy cơ không đạt"], cells)
        self.assertIn(["1", "Phòng Hợp tác quốc tế", "Đang soạn", "", "Chưa gửi"], cells)

    def test_it_writes_a_pdf(self) -> None:
        self.number_it()
        self.login(self.overseer)
        AgencyReport.objects.filter(pk=self.report.pk).update(
            status=AgencyReportStatus.SENT, first_sent_at=self.report.approved_at, sent_at=self.report.approved_at
        )
        response = self.client.get(reverse("reports:agency_report_pdf", args=[self.report.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertIn("BC-01-SNgV-2026.pdf", response["Content-Disposition"])

    def test_it_prints_a_deputy_signing_for_the_head(self) -> None:
        self.report.signer_position = "Phó Giám đốc"
        self.assertEqual(consolidate.signer_block(self.report).lines, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"])

    def test_it_keeps_control_characters_out_of_the_document(self) -> None:
        self.report.results = "1. Cải cách thể chế\nĐã rà soát\x0b 10 văn bản."
        self.report.save()
        self.login(self.coordinator)
        response = self.client.get(reverse("reports:agency_report_docx", args=[self.report.pk]))
        self.assertEqual(response.status_code, 200)
        text, _cells = docx_text(response.content)
        self.assertIn("rà soát", text)

    def test_it_is_not_shown_to_another_agency(self) -> None:
        self.login(self.outsider)
        response = self.client.get(reverse("reports:agency_report_docx", args=[self.report.pk]))
        self.assertEqual(response.status_code, 404)
