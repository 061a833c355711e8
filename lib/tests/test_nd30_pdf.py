"""Facts of a generated Decree 30 PDF, read back with pypdf."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

from django.test import SimpleTestCase
from pypdf import PageObject, PdfReader

from lib.nd30 import pdf, spec
from lib.tests import nd30_sample

MM = 72 / 25.4


def placed_text(page: PageObject) -> list[tuple[str, float, float]]:
    """Each piece of text on the page with its position (x, y in points from the bottom left)."""
    found: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x, y))

    page.extract_text(visitor_text=visit)
    return found


def in_top_margin(page: PageObject) -> list[tuple[str, float, float]]:
    height = float(page.mediabox.height)
    return [(t, x, y) for t, x, y in placed_text(page) if y > height - spec.MARGIN_TOP_MM * MM]


def fonts(reader: PdfReader) -> dict[str, bool]:
    """Base font name → embedded, over every page."""
    result: dict[str, bool] = {}
    for page in reader.pages:
        resources: Any = page["/Resources"].get_object()
        for ref in resources.get("/Font", {}).values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            result[str(font["/BaseFont"])] = embedded
    return result


class GeneratedPdfTestCase(SimpleTestCase):
    reader: PdfReader
    draft: PdfReader
    text: list[str]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.reader = PdfReader(io.BytesIO(pdf.render(nd30_sample.document())))
        cls.draft = PdfReader(io.BytesIO(pdf.render(nd30_sample.document(draft=True))))
        cls.text = [page.extract_text() for page in cls.reader.pages]

    def test_it_has_the_body_pages_then_a_landscape_appendix_all_a4(self) -> None:
        self.assertEqual(len(self.reader.pages), 3)
        sizes = [(round(float(p.mediabox.width) / MM), round(float(p.mediabox.height) / MM)) for p in self.reader.pages]
        self.assertEqual(sizes, [(210, 297), (210, 297), (297, 210)])
        self.assertIn("Phụ lục", self.text[2])

    def test_it_embeds_times_new_roman_or_its_metric_twin_only(self) -> None:
        used = fonts(self.reader)
        self.assertTrue(used)
        for name, embedded in used.items():
            with self.subTest(font=name):
                self.assertTrue(embedded)
                self.assertRegex(name, r"(TimesNewRoman|Times-New-Roman|Liberation-?Serif|Tinos)")
        self.assertTrue(any("Bold" in name for name in used))
        self.assertTrue(any("Italic" in name for name in used))

    def test_the_header_lines_and_title_are_on_the_first_page(self) -> None:
        first = self.text[0]
        for line in (
            "UBND TỈNH BÌNH PHƯỚC",
            "SỞ NGOẠI VỤ",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 41/KH-SNgV",
            "Bình Phước, ngày 28 tháng 12 năm 2021",
            "KẾ HOẠCH",
            "Cải cách hành chính Nhà nước của Sở Ngoại vụ năm 2022",
            "I. MỤC ĐÍCH, YÊU CẦU",
        ):
            with self.subTest(line=line):
                self.assertIn(line, first)

    def test_the_signature_and_recipients_end_the_body(self) -> None:
        body = "\n".join(self.text[:2])
        lines = ("Nơi nhận:", "- UBND tỉnh (b/c);", "- Lưu: VT, VP.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
        for line in lines:
            with self.subTest(line=line):
                self.assertIn(line, body)
        self.assertIn("Sở Ngoại vụ./.", body)
        self.assertIn("Phạm Thị Anh Thư", body)

    def test_pages_are_numbered_at_the_top_centre_from_page_two(self) -> None:
        self.assertEqual(in_top_margin(self.reader.pages[0]), [])
        ((number, x, _y),) = in_top_margin(self.reader.pages[1])
        self.assertEqual(number, "2")
        centre = (spec.MARGIN_LEFT_MM + spec.TEXT_WIDTH_MM / 2) * MM
        self.assertAlmostEqual(x, centre, delta=5 * MM)
        # The appendix is numbered on its own: no number on its first page.
        self.assertEqual(in_top_margin(self.reader.pages[2]), [])

    def test_the_appendix_has_its_heading_reference_and_table(self) -> None:
        appendix = self.text[2]
        for line in (
            "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2022",
            "(Kèm theo Kế hoạch số 41/KH-SNgV ngày 28 tháng 12 năm 2021 của Sở Ngoại vụ)",
            "Nội dung nhiệm vụ",
            "Đơn vị chủ trì",
            "Cải cách thể chế",
            "Quý IV/2022",
        ):
            with self.subTest(line=line):
                self.assertIn(line, appendix)

    def test_a_draft_leaves_the_number_blank_and_says_so_top_right(self) -> None:
        first = self.draft.pages[0]
        text = first.extract_text()
        self.assertIn("/KH-SNgV", text)
        self.assertNotIn("41/KH-SNgV", text)
        self.assertIn("năm 2021", text)
        ((mark, x, _y),) = in_top_margin(first)
        self.assertEqual(mark, "DỰ THẢO")
        self.assertGreater(x, (spec.MARGIN_LEFT_MM + spec.TEXT_WIDTH_MM / 2) * MM)

    def test_it_names_the_document_in_its_properties(self) -> None:
        metadata = self.reader.metadata
        assert metadata is not None
        self.assertIn("41/KH-SNgV", metadata.title or "")
        self.assertEqual(metadata.author, "Sở Ngoại vụ tỉnh Bình Phước")

    def test_control_characters_pasted_into_the_data_do_not_break_it(self) -> None:
        document = replace(nd30_sample.document(appendix=False), summary="Kế hoạch\x0b năm\x00 2022")
        reader = PdfReader(io.BytesIO(pdf.render(document)))
        self.assertIn("Kế hoạch", reader.pages[0].extract_text())

    def test_the_html_escapes_text_and_keeps_the_blanks(self) -> None:
        document = nd30_sample.document(draft=True)
        html = pdf.to_html(document)
        self.assertIn("Số:\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/KH-SNgV", html)
        odd = spec.Document(
            header=nd30_sample.HEADER,
            type_name="Báo cáo",
            summary="<script>alert(1)</script> & co",
            body=(),
            signature=spec.Signature(),
        )
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co", pdf.to_html(odd))
