"""Layout facts of a generated Decree 30 DOCX, read from its XML."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date

import docx as python_docx
from django.test import SimpleTestCase
from lxml import etree

from lib.nd30 import docx, spec
from lib.tests import nd30_sample

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}


def q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


class Docx:
    """The parts of a .docx file as XML trees."""

    def __init__(self, content: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(content))
        self.document = self.xml("word/document.xml")
        self.styles = self.xml("word/styles.xml")
        self.rels = self.xml("word/_rels/document.xml.rels")

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name))

    def sections(self) -> list[etree._Element]:
        return self.document.findall(".//w:sectPr", NS)

    def header(self, sect_pr: etree._Element, kind: str) -> etree._Element | None:
        ref = sect_pr.find(f"w:headerReference[@w:type='{kind}']", NS)
        if ref is None:
            return None
        target = self.rels.find(f"{{*}}Relationship[@Id='{ref.get(q('r:id'))}']").get("Target")
        return self.xml(f"word/{target}")

    def style(self, name: str) -> etree._Element:
        for style in self.styles.findall("w:style", NS):
            if style.find("w:name", NS).get(q("w:val")) == name:
                return style
        raise AssertionError(f"no style {name}")

    def paragraphs(self, style_name: str) -> list[etree._Element]:
        style_id = self.style(style_name).get(q("w:styleId"))
        return [p for p in self.document.iter(q("w:p")) if _style_id(p) == style_id]


def _style_id(paragraph: etree._Element) -> str | None:
    style = paragraph.find("w:pPr/w:pStyle", NS)
    return style.get(q("w:val")) if style is not None else None


def text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(q("w:t")))


def val(element: etree._Element | None, path: str, attribute: str = "w:val") -> str | None:
    found = element.find(path, NS) if element is not None else None
    return found.get(q(attribute)) if found is not None else None


class GeneratedDocxTestCase(SimpleTestCase):
    docx: Docx
    draft: Docx

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.docx = Docx(docx.render(nd30_sample.document()))
        cls.draft = Docx(docx.render(nd30_sample.document(draft=True)))

    def test_it_opens_again_in_python_docx_with_its_text(self) -> None:
        word = python_docx.Document(io.BytesIO(docx.render(nd30_sample.document())))
        texts = [p.text for p in word.paragraphs]
        self.assertIn("KẾ HOẠCH", texts)
        self.assertEqual(word.core_properties.author, "Sở Ngoại vụ tỉnh Bình Phước")
        self.assertIn("41/KH-SNgV", word.core_properties.title)
        self.assertNotIn("python-docx", (word.core_properties.comments or "") + word.core_properties.author)

    def test_it_is_a4_portrait_with_margins_inside_the_decree_ranges(self) -> None:
        body = self.docx.sections()[0]
        size, margins = body.find("w:pgSz", NS), body.find("w:pgMar", NS)
        self.assertEqual((size.get(q("w:w")), size.get(q("w:h"))), (str(twips(210)), str(twips(297))))
        self.assertIsNone(size.get(q("w:orient")))
        for side, low, high in (("top", 20, 25), ("bottom", 20, 25), ("left", 30, 35), ("right", 15, 20)):
            with self.subTest(side=side):
                self.assertTrue(twips(low) <= int(margins.get(q(f"w:{side}"))) <= twips(high))

    def test_it_puts_the_appendix_in_a_landscape_section_numbered_from_one(self) -> None:
        body, appendix = self.docx.sections()
        size = appendix.find("w:pgSz", NS)
        self.assertEqual(size.get(q("w:orient")), "landscape")
        self.assertEqual((size.get(q("w:w")), size.get(q("w:h"))), (str(twips(297)), str(twips(210))))
        self.assertEqual(val(appendix, "w:pgNumType", "w:start"), "1")
        self.assertIsNone(body.find("w:pgNumType", NS))
        # The first sectPr ends the body: it sits in the paragraph before the appendix heading.
        self.assertEqual(body.getparent().tag, q("w:pPr"))

    def test_it_numbers_pages_at_the_top_centre_from_page_two(self) -> None:
        body = self.docx.sections()[0]
        self.assertIsNotNone(body.find("w:titlePg", NS))
        default = self.docx.header(body, "default")
        first = self.docx.header(body, "first")
        assert default is not None and first is not None
        instructions = [t.text.strip() for t in default.iter(q("w:instrText"))]
        self.assertEqual(instructions, ["PAGE"])
        self.assertEqual(val(default, ".//w:p/w:pPr/w:pStyle"), self.docx.style("ND30 Page Number").get(q("w:styleId")))
        self.assertEqual(val(self.docx.style("ND30 Page Number"), "w:pPr/w:jc"), "center")
        self.assertEqual(list(first.iter(q("w:instrText"))), [])
        self.assertEqual(text(first), "")
        # The appendix section keeps a first page without a number too.
        self.assertIsNotNone(self.docx.sections()[1].find("w:titlePg", NS))

    def test_it_sets_times_new_roman_for_every_script_without_theme_fonts(self) -> None:
        defaults = self.docx.styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
        fonts = defaults.find("w:rFonts", NS)
        for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
            self.assertEqual(fonts.get(q(f"w:{attribute}")), "Times New Roman")
        self.assertFalse([a for a in fonts.attrib if "Theme" in a or "theme" in a])
        self.assertEqual(val(defaults, "w:lang"), "vi-VN")
        normal = self.docx.style("Normal")
        self.assertEqual(val(normal, "w:rPr/w:sz"), "28")
        self.assertEqual(val(normal, "w:rPr/w:rFonts", "w:eastAsia"), "Times New Roman")

    def test_it_has_a_named_style_per_element_with_the_decree_sizes(self) -> None:
        expected = {
            "ND30 Parent Body": (12, False, False),
            "ND30 Issuer": (12, True, False),
            "ND30 National Title": (12, True, False),
            "ND30 Motto": (13, True, False),
            "ND30 Number": (13, False, False),
            "ND30 Place Date": (14, False, True),
            "ND30 Type Name": (14, True, False),
            "ND30 Summary": (14, True, False),
            "ND30 Body Text": (14, False, False),
            "ND30 Heading 1": (14, True, False),
            "ND30 Recipients Label": (12, True, True),
            "ND30 Recipients": (11, False, False),
            "ND30 Signer": (14, True, False),
            "ND30 Signer Name": (14, True, False),
            "ND30 Appendix Label": (14, True, False),
            "ND30 Appendix Reference": (14, False, True),
            "ND30 Page Number": (13, False, False),
        }
        for name, (size, bold, italic) in expected.items():
            with self.subTest(style=name):
                style = self.docx.style(name)
                self.assertEqual(val(style, "w:basedOn"), "Normal")
                self.assertEqual(val(style, "w:rPr/w:sz"), str(size * 2))
                self.assertEqual(style.find("w:rPr/w:b", NS) is not None, bold)
                self.assertEqual(style.find("w:rPr/w:i", NS) is not None, italic)
                self.assertEqual(val(style, "w:rPr/w:rFonts", "w:eastAsia"), "Times New Roman")

    def test_body_text_is_justified_with_a_first_line_indent_and_space_after(self) -> None:
        style = self.docx.style("ND30 Body Text")
        self.assertEqual(val(style, "w:pPr/w:jc"), "both")
        self.assertEqual(val(style, "w:pPr/w:ind", "w:firstLine"), str(twips(12.7)))
        self.assertEqual(val(style, "w:pPr/w:spacing", "w:after"), "120")
        self.assertEqual(val(self.docx.style("ND30 Heading 1"), "w:pPr/w:outlineLvl"), "0")

    def test_the_header_is_a_borderless_two_column_table(self) -> None:
        table = self.docx.document.find("w:body/w:tbl", NS)
        widths = [int(c.get(q("w:w"))) for c in table.findall("w:tblGrid/w:gridCol", NS)]
        self.assertEqual(len(widths), 2)
        self.assertLess(widths[0], widths[1])
        self.assertAlmostEqual(sum(widths), twips(spec.TEXT_WIDTH_MM), delta=2)
        borders = table.find("w:tblPr/w:tblBorders", NS)
        self.assertEqual({b.get(q("w:val")) for b in borders}, {"nil"})
        self.assertEqual(len(borders), 6)
        left, right = (cell for cell in table.find("w:tr", NS).findall("w:tc", NS))
        self.assertEqual([text(p) for p in left.findall("w:p", NS)][:2], ["UBND TỈNH BÌNH PHƯỚC", "SỞ NGOẠI VỤ"])
        self.assertEqual(
            [text(p) for p in right.findall("w:p", NS)][:2],
            ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
        )
        second = table.findall("w:tr", NS)[1]
        self.assertEqual([text(c) for c in second.findall("w:tc", NS)], [
            "Số: 41/KH-SNgV",
            "Bình Phước, ngày 28 tháng 12 năm 2021",
        ])  # fmt: skip

    def test_the_rules_under_the_issuer_and_the_motto_are_narrowed_top_borders(self) -> None:
        table = self.docx.document.find("w:body/w:tbl", NS)
        left, right = table.find("w:tr", NS).findall("w:tc", NS)
        for cell, lines, size, fraction, column in (
            (left, ["SỞ NGOẠI VỤ"], 12, 0.5, spec.HEADER_LEFT_MM),
            (right, [spec.MOTTO], 13, 1.0, spec.HEADER_RIGHT_MM),
        ):
            rule = cell.findall("w:p", NS)[-1]
            self.assertEqual(text(rule), "")
            self.assertEqual(val(rule, "w:pPr/w:pBdr/w:top"), "single")
            self.assertIsNone(rule.find("w:pPr/w:pBdr/w:bottom", NS))
            ind = rule.find("w:pPr/w:ind", NS)
            left_mm = int(ind.get(q("w:left"))) / 1440 * 25.4
            right_mm = int(ind.get(q("w:right"))) / 1440 * 25.4
            self.assertAlmostEqual(left_mm, right_mm, delta=0.1)
            length = column - 2 * spec.CELL_PADDING_MM - left_mm - right_mm
            self.assertAlmostEqual(length, spec.text_width_mm(lines[0], size, True) * fraction, delta=0.5)

    def test_the_title_block_and_the_place_date_line(self) -> None:
        self.assertEqual([text(p) for p in self.docx.paragraphs("ND30 Type Name")], ["KẾ HOẠCH"])
        self.assertEqual(
            [text(p) for p in self.docx.paragraphs("ND30 Summary")],
            ["Cải cách hành chính Nhà nước của Sở Ngoại vụ năm 2022"],
        )
        (date_line,) = self.docx.paragraphs("ND30 Place Date")
        self.assertEqual(text(date_line), "Bình Phước, ngày 28 tháng 12 năm 2021")
        self.assertIsNotNone(self.docx.style("ND30 Place Date").find("w:rPr/w:i", NS))

    def test_the_body_keeps_outline_labels_and_ends_with_the_closing_mark(self) -> None:
        headings = [text(p) for p in self.docx.paragraphs("ND30 Heading 1")]
        self.assertEqual(headings, ["I. MỤC ĐÍCH, YÊU CẦU"])
        self.assertEqual([text(p) for p in self.docx.paragraphs("ND30 Heading 2")], ["1. Mục đích", "2. Yêu cầu"])
        self.assertEqual(
            [text(p) for p in self.docx.paragraphs("ND30 Heading 3")], ["c) Phát triển nền tảng và hệ thống số"]
        )
        body = [text(p) for p in self.docx.paragraphs("ND30 Body Text")]
        self.assertIn("a) Công tác CCHC phải được tiến hành đồng bộ, có trọng tâm, trọng điểm", body)
        self.assertEqual(body[-1], "Trên đây là Kế hoạch CCHC Nhà nước năm 2022 của Sở Ngoại vụ./.")
        self.assertEqual(
            [text(p) for p in self.docx.paragraphs("ND30 List")], ["- Văn phòng Sở theo dõi", "- Các phòng báo cáo"]
        )

    def test_recipients_and_signature_sit_in_a_borderless_footer_table(self) -> None:
        tables = self.docx.document.findall("w:body/w:tbl", NS)
        footer = tables[1]
        self.assertEqual({b.get(q("w:val")) for b in footer.find("w:tblPr/w:tblBorders", NS)}, {"nil"})
        left, right = footer.find("w:tr", NS).findall("w:tc", NS)
        self.assertEqual(
            [text(p) for p in left.findall("w:p", NS)],
            ["Nơi nhận:", "- UBND tỉnh (b/c);", "- Sở Nội vụ (b/c);", "- Lưu: VT, VP."],
        )
        signature = [text(p) for p in right.findall("w:p", NS)]
        self.assertEqual(signature, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Phạm Thị Anh Thư"])
        self.assertIsNotNone(footer.find("w:tr/w:trPr/w:cantSplit", NS))

    def test_the_appendix_has_its_heading_reference_and_a_table_with_repeated_header_and_group_rows(self) -> None:
        self.assertEqual([text(p) for p in self.docx.paragraphs("ND30 Appendix Label")], ["Phụ lục"])
        self.assertEqual(
            [text(p) for p in self.docx.paragraphs("ND30 Appendix Title")], ["NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2022"]
        )
        self.assertEqual(
            [text(p) for p in self.docx.paragraphs("ND30 Appendix Reference")],
            ["(Kèm theo Kế hoạch số 41/KH-SNgV ngày 28 tháng 12 năm 2021 của Sở Ngoại vụ)"],
        )
        table = self.docx.document.findall("w:body/w:tbl", NS)[2]
        rows = table.findall("w:tr", NS)
        self.assertIsNotNone(rows[0].find("w:trPr/w:tblHeader", NS))
        self.assertEqual(
            [text(c) for c in rows[0].findall("w:tc", NS)],
            ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành", "Sản phẩm"],
        )
        group = rows[1].findall("w:tc", NS)
        self.assertEqual([text(c) for c in group], ["I", "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH"])
        self.assertEqual(val(group[1], "w:tcPr/w:gridSpan"), "5")
        self.assertEqual({b.get(q("w:val")) for b in table.find("w:tblPr/w:tblBorders", NS)}, {"single"})
        widths = [int(c.get(q("w:w"))) for c in table.findall("w:tblGrid/w:gridCol", NS)]
        self.assertAlmostEqual(sum(widths), twips(spec.LANDSCAPE_TEXT_WIDTH_MM), delta=6)
        sub_item = rows[4].findall("w:tc", NS)[1]
        self.assertEqual(val(sub_item, "w:p/w:pPr/w:ind", "w:left"), str(twips(5)))

    def test_a_draft_leaves_the_number_and_day_blank_and_says_so_top_right(self) -> None:
        table = self.draft.document.find("w:body/w:tbl", NS)
        second = table.findall("w:tr", NS)[1]
        self.assertEqual([text(c) for c in second.findall("w:tc", NS)], [
            "Số:      /KH-SNgV",
            "Bình Phước, ngày      tháng      năm 2021",
        ])  # fmt: skip
        first = self.draft.header(self.draft.sections()[0], "first")
        assert first is not None
        self.assertEqual(text(first), "DỰ THẢO")
        self.assertEqual(val(first, ".//w:pBdr/w:left"), "single")

    def test_property_elements_follow_the_schema_order_word_requires(self) -> None:
        for part in (self.docx, self.draft):
            for tag, sequence in (
                ("w:pPr", docx.PPR_SEQUENCE),
                ("w:tblPr", docx.TBLPR_SEQUENCE),
                ("w:sectPr", docx.SECTPR_SEQUENCE),
            ):
                for element in part.document.iter(q(tag)):
                    names = ["w:" + etree.QName(child).localname for child in element]
                    positions = [sequence.index(name) for name in names]
                    self.assertEqual(positions, sorted(positions), names)

    def test_control_characters_pasted_into_the_data_do_not_break_the_file(self) -> None:
        document = replace(
            nd30_sample.document(),
            summary="Kế hoạch\x0b năm\x00 2022",
            body=(spec.Paragraph("Dòng\x0c một\x1f"),),
        )
        word = python_docx.Document(io.BytesIO(docx.render(document)))
        self.assertIn("Kế hoạch  năm  2022", [p.text for p in word.paragraphs])


class SpecTestCase(SimpleTestCase):
    def test_dates_get_leading_zeros_for_days_below_ten_and_months_one_and_two(self) -> None:
        self.assertEqual(spec.vietnamese_date(date(2020, 1, 5)), "ngày 05 tháng 01 năm 2020")
        self.assertEqual(spec.vietnamese_date(date(2019, 6, 29)), "ngày 29 tháng 6 năm 2019")
        self.assertEqual(spec.vietnamese_date(date(2021, 12, 28)), "ngày 28 tháng 12 năm 2021")
        self.assertEqual(spec.vietnamese_date(date(2021, 2, 1)), "ngày 01 tháng 02 năm 2021")
        self.assertEqual(spec.vietnamese_date(None, 2026), "ngày      tháng      năm 2026")

    def test_numbers_below_ten_get_a_leading_zero(self) -> None:
        self.assertEqual(spec.number_text(5), "05")
        self.assertEqual(spec.number_text(41), "41")
        header = spec.Header(issuer="Sở Ngoại vụ", notation="KH-SNgV", place="Bình Phước", number="05")
        self.assertEqual(header.number_line, "Số: 05/KH-SNgV")
        self.assertEqual(spec.Header("Sở Ngoại vụ", "KH-SNgV", "Bình Phước").number_line, "Số:      /KH-SNgV")

    def test_signature_lines_follow_the_authority(self) -> None:
        self.assertEqual(spec.Signature("Giám đốc").lines, ["GIÁM ĐỐC"])
        self.assertEqual(spec.Signature("Phó Giám đốc", authority="KT.").lines, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"])
        self.assertEqual(
            spec.Signature("Phó Chủ tịch", authority="TM.", collective="Ủy ban nhân dân").lines,
            ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        )
        self.assertEqual(
            spec.Signature("Chủ tịch", authority="TM.", collective="Ủy ban nhân dân").lines,
            ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
        )
        self.assertEqual(
            spec.Signature("Chánh Văn phòng", authority="TL.", head="Giám đốc").lines,
            ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"],
        )
        self.assertEqual(spec.Signature("Giám đốc", authority="Q.").lines, ["Q. GIÁM ĐỐC"])
        self.assertEqual(spec.Signature().lines, [])

    def test_recipients_are_led_by_a_dash_and_end_with_a_semicolon_then_a_full_stop(self) -> None:
        self.assertEqual(
            spec.recipient_lines(["- UBND tỉnh (b/c);", "Sở Nội vụ", "", "Lưu: VT, VP."]),
            ["- UBND tỉnh (b/c);", "- Sở Nội vụ;", "- Lưu: VT, VP."],
        )

    def test_addressees_share_the_line_or_go_one_per_line(self) -> None:
        one = spec.Document(nd30_sample.HEADER, "Báo cáo", "", (), spec.Signature(), addressees=("Sở Nội vụ;",))
        self.assertEqual(one.addressee_lines, [("Kính gửi: Sở Nội vụ.", None)])
        several = replace(one, addressees=("UBND tỉnh", "Sở Nội vụ"))
        self.assertEqual(several.addressee_lines, [("Kính gửi:", 30.0), ("- UBND tỉnh;", 50.0), ("- Sở Nội vụ.", 50.0)])

    def test_labels_print_letters_with_a_parenthesis_and_numbers_with_a_dot(self) -> None:
        self.assertEqual(spec.Heading("II", "NHIỆM VỤ").text, "II. NHIỆM VỤ")
        self.assertEqual(spec.Heading("đ", "Phát triển").text, "đ) Phát triển")
        self.assertEqual(spec.Paragraph("Nội dung", label="1.2").full_text, "1.2. Nội dung")
        self.assertEqual(spec.Paragraph("Nội dung").full_text, "Nội dung")

    def test_the_closing_mark_ends_the_last_paragraph_once(self) -> None:
        document = nd30_sample.document()
        last = document.body_with_closing()[-1]
        assert isinstance(last, spec.Paragraph)
        self.assertEqual(last.text, "Trên đây là Kế hoạch CCHC Nhà nước năm 2022 của Sở Ngoại vụ./.")

    def test_text_widths_follow_times_new_roman_metrics(self) -> None:
        # "M" is 1821/2048 em wide: 8.89 pt at 10 pt.
        self.assertAlmostEqual(spec.text_width_mm("M", 10), 1821 / 2048 * 10 * 25.4 / 72, places=3)
        self.assertAlmostEqual(spec.text_width_mm("Ộ", 10), spec.text_width_mm("O", 10))
        self.assertLess(spec.text_width_mm("SỞ NGOẠI VỤ", 12), spec.text_width_mm("SỞ NGOẠI VỤ", 12, bold=True))
