"""Reading uploaded files into `Source`: DOCX, PDF, TXT and MD, and every way a file can be bad."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from typing import Any
from unittest.mock import patch

from django.test import override_settings

from documents.reader import read_document
from documents.reader.extract import extract
from documents.reader.source import Source, Unreadable
from documents.tests import samples
from documents.tests.base import DocumentsTestCase
from documents.tests.samples import VN, DocxBuilder, ReaderTestCase

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def words(text: str) -> str:
    return " ".join(text.split())


def lines(text: str) -> list[str]:
    return [words(line) for line in text.split("\n") if line.strip()]


def seed_words(stem: str) -> str:
    text = samples.seed_text(stem)
    if stem.startswith("001"):  # Markdown marks are not printed in the documents made from it
        text = re.sub(r"\*+|^#+\s*", "", text, flags=re.M)
    return words(text)


def docx_of(*paragraphs: str) -> bytes:
    builder = DocxBuilder()
    for paragraph in paragraphs:
        builder.paragraph(paragraph)
    return builder.save()


# Seeds as DOCX and PDF ---------------------------------------------------------------


class SeedDocumentsTest(ReaderTestCase):
    def test_it_reads_each_seed_as_docx_with_the_seed_words_in_order(self) -> None:
        for stem in samples.SEEDS:
            with self.subTest(stem):
                source = extract(f"{stem}.docx", samples.seed_docx(stem))
                self.assertEqual(source.kind, "docx")
                self.assertEqual(words(source.text), seed_words(stem))
                self.assertEqual(source.tables, [])

    def test_it_reads_each_seed_as_pdf_with_the_seed_words(self) -> None:
        for stem in samples.SEEDS:
            with self.subTest(stem):
                source = extract(f"{stem}.pdf", samples.seed_pdf(stem))
                self.assertEqual(source.kind, "pdf")
                # The same words; the signature block is read column by column, so not all in the same order.
                self.assertEqual(sorted(source.text.split()), sorted(seed_words(stem).split()))

    def test_it_separates_docx_paragraphs_with_blank_lines(self) -> None:
        source = extract("x.docx", docx_of("I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "Nâng cao nhận thức."))
        self.assertEqual(source.text, "I. MỤC ĐÍCH, YÊU CẦU\n\n1. Mục đích\n\nNâng cao nhận thức.\n")

    def test_it_flattens_the_two_column_header_table_one_line_per_row(self) -> None:
        stem = next(s for s in samples.SEEDS if s.startswith("002"))
        for kind, data in (("docx", samples.seed_docx(stem)), ("pdf", samples.seed_pdf(stem))):
            with self.subTest(kind):
                text = extract(f"x.{kind}", data).text
                self.assertEqual(
                    lines(text)[:4],
                    [
                        "UBND TỈNH BÌNH PHƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                        "SỞ NGOẠI VỤ Độc lập - Tự do - Hạnh phúc",
                        "Số: 41/KH-SNgV Bình Phước, ngày 28 tháng 12 năm 2021",
                        "KẾ HOẠCH",
                    ],
                )
                first = text.split("\n")[0]
                self.assertRegex(first, r"^\s*UBND TỈNH BÌNH PHƯỚC {3,}CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM$")

    def test_it_reads_the_signature_table_receivers_first_then_the_signer(self) -> None:
        stem = next(s for s in samples.SEEDS if s.startswith("002"))
        expected = [
            "Nơi nhận:",
            "- UBND tỉnh (b/c);",
            "- Sở Nội vụ (b/c);",
            "- Ban Giám đốc;",
            "- CVP; TP thuộc Sở;",
            "- Lưu: VT.",
            "GIÁM ĐỐC",
            "Phạm Thị Anh Thư",
        ]
        for kind, data in (("docx", samples.seed_docx(stem)), ("pdf", samples.seed_pdf(stem))):
            with self.subTest(kind):
                text = extract(f"x.{kind}", data).text
                self.assertEqual(lines(text)[-8:], expected)
                self.assertIn("- Lưu: VT.\n\nGIÁM ĐỐC\n\nPhạm Thị Anh Thư", text)

    def test_it_drops_running_page_numbers_of_a_pdf(self) -> None:
        stem = next(s for s in samples.SEEDS if s.startswith("004"))
        pdf = samples.seed_pdf(stem)
        self.assertGreater(len(self.pdf_pages(pdf)), 3)
        text = extract("x.pdf", pdf).text
        self.assertFalse([line for line in text.split("\n") if re.fullmatch(r"\s*\d+\s*", line)])

    def test_it_puts_a_symbol_wrapped_after_its_hyphen_back_together(self) -> None:
        text = extract("x.pdf", samples.seed_pdf(next(s for s in samples.SEEDS if s.startswith("002")))).text
        self.assertIn("45/2016/QĐ-TTg", text)
        self.assertIn("18-NQ/TW", text)

    @staticmethod
    def pdf_pages(data: bytes) -> list[Any]:
        from pypdf import PdfReader

        return list(PdfReader(io.BytesIO(data)).pages)


class SeedResultsTest(DocumentsTestCase):
    """The same plan read from its DOCX or its PDF gives what its text gives.

    These compare whole results of `read_document`, so they hold the extractor and the
    parser together: a difference is either one's fault.
    """

    def test_it_reads_each_seed_docx_to_the_same_result_as_its_text(self) -> None:
        for stem in samples.SEEDS:
            with self.subTest(stem):
                expected, _ = read_document(f"{stem}.txt", samples.seed_text(stem).encode())
                result, _ = read_document(f"{stem}.docx", samples.seed_docx(stem))
                self.assertEqual(result, expected)

    def test_it_reads_each_seed_pdf_to_the_same_result_as_its_text(self) -> None:
        for stem in samples.SEEDS:
            with self.subTest(stem):
                expected, _ = read_document(f"{stem}.txt", samples.seed_text(stem).encode())
                result, _ = read_document(f"{stem}.pdf", samples.seed_pdf(stem))
                self.assertEqual(result, expected)


class GeneratedDocumentsTest(DocumentsTestCase):
    """A plan the application generates (lib/nd30) reads back to the plan's own data."""

    def test_it_reads_a_generated_plan_back_as_docx_and_as_pdf(self) -> None:
        from documents import builders
        from lib.nd30 import docx as nd30_docx
        from lib.nd30 import pdf as nd30_pdf

        document = builders.plan_document(self.plan)
        assert self.plan.issued_on is not None and self.task.due_date is not None
        for kind, data in (("docx", nd30_docx.render(document)), ("pdf", nd30_pdf.render(document))):
            with self.subTest(kind):
                result, source = read_document(f"ke-hoach.{kind}", data)
                self.assertEqual(
                    {key: result["document"][key] for key in ("type", "symbol", "date", "title", "year")},
                    {
                        "type": "KH",
                        "symbol": self.plan.symbol,
                        "date": self.plan.issued_on.isoformat(),
                        "title": self.plan.title,
                        "year": self.plan.year,
                    },
                )
                self.assertEqual(result["document"]["signer"]["name"], self.plan.signer_name, msg=source.text)
                appendix = [task for task in result["tasks"] if task["lead_unit"]]
                self.assertEqual(
                    [
                        (t["content"], t["lead_unit"], t["coordinating_units"], t["due"], t["due_date"], t["output"])
                        for t in appendix
                    ],
                    [
                        (
                            self.task.content,
                            self.unit.name,
                            [self.office.name],
                            self.task.due_text,
                            self.task.due_date.isoformat(),
                            self.task.output,
                        )
                    ],
                )


# DOCX ----------------------------------------------------------------------------------


class DocxNumberingTest(ReaderTestCase):
    def test_it_prints_word_list_labels_in_front_of_the_text(self) -> None:
        builder = DocxBuilder()
        outline = builder.list_definition(
            [("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)"), ("bullet", "\uf0b7")]
        )
        builder.numbered("MỤC ĐÍCH, YÊU CẦU", outline, 0)
        builder.numbered("Mục đích", outline, 1)
        builder.numbered("Nâng cao nhận thức;", outline, 2)
        builder.numbered("Tăng cường kỷ luật;", outline, 2)
        builder.numbered("Rà soát thủ tục.", outline, 3)
        builder.numbered("Yêu cầu", outline, 1)
        builder.numbered("Đồng bộ, thống nhất.", outline, 2)
        builder.numbered("NHIỆM VỤ", outline, 0)
        builder.numbered("Cải cách thể chế", outline, 1)
        text = extract("x.docx", builder.save()).text
        self.assertEqual(
            lines(text),
            [
                "I. MỤC ĐÍCH, YÊU CẦU",
                "1. Mục đích",
                "a) Nâng cao nhận thức;",
                "b) Tăng cường kỷ luật;",
                "- Rà soát thủ tục.",
                "2. Yêu cầu",
                "a) Đồng bộ, thống nhất.",
                "II. NHIỆM VỤ",
                "1. Cải cách thể chế",
            ],
        )

    def test_it_renders_what_word_renders_past_d_and_with_several_levels(self) -> None:
        builder = DocxBuilder()
        letters = builder.list_definition([("lowerLetter", "%1)")])
        for text in "abcdefg":
            builder.numbered(f"Mục {text}", letters)
        legal = builder.list_definition([("decimal", "%1."), ("decimal", "%1.%2.")], start=1)
        builder.numbered("Ứng dụng công nghệ thông tin", legal, 0)
        builder.numbered("Áp dụng ISO", legal, 1)
        builder.numbered("Chuyển đổi số", legal, 1)
        zero = builder.list_definition([("decimalZero", "%1/"), ("upperLetter", "%1.")])
        builder.numbered("Số có số 0", zero, 0)
        text = extract("x.docx", builder.save()).text
        self.assertEqual(
            lines(text),
            [
                # Word's lowerLetter is a b c d e f g; the Vietnamese đ only when the document types it.
                *(f"{letter}) Mục {letter}" for letter in "abcdefg"),
                "1. Ứng dụng công nghệ thông tin",
                "1.1. Áp dụng ISO",
                "1.2. Chuyển đổi số",
                "01/ Số có số 0",
            ],
        )

    def test_it_continues_or_restarts_a_list_as_word_does(self) -> None:
        builder = DocxBuilder()
        numbers = builder.list_definition([("decimal", "%1.")])
        builder.numbered("Một", numbers)
        builder.numbered("Hai", numbers)
        builder.paragraph("Đoạn văn xen giữa.")
        builder.numbered("Ba", numbers)  # the same list goes on after a paragraph
        restarted = builder.restart(numbers)
        builder.numbered("Một lại", restarted)
        builder.numbered("Hai lại", restarted)
        text = extract("x.docx", builder.save()).text
        self.assertEqual(lines(text), ["1. Một", "2. Hai", "Đoạn văn xen giữa.", "3. Ba", "1. Một lại", "2. Hai lại"])

    def test_it_reads_numbering_given_by_the_paragraph_style(self) -> None:
        builder = DocxBuilder()
        builder.paragraph("Thứ nhất", style="List Number")
        builder.paragraph("Thứ hai", style="List Number")
        builder.paragraph("Gạch đầu dòng", style="List Bullet")
        text = extract("x.docx", builder.save()).text
        self.assertEqual(lines(text), ["1. Thứ nhất", "2. Thứ hai", "- Gạch đầu dòng"])

    def test_it_leaves_a_paragraph_whose_numbering_is_switched_off_unlabelled(self) -> None:
        builder = DocxBuilder()
        paragraph = builder.paragraph("Không đánh số", style="List Number")
        paragraph._p.get_or_add_pPr().append(samples._element("w:numPr", '<w:numId w:val="0"/>'))
        self.assertEqual(lines(extract("x.docx", builder.save()).text), ["Không đánh số"])


class DocxContentTest(ReaderTestCase):
    def test_it_ignores_deletions_text_boxes_hidden_text_notes_headers_and_footers(self) -> None:
        builder = DocxBuilder()
        builder.document.sections[0].header.paragraphs[0].text = "Tiêu đề trang"
        builder.document.sections[0].footer.paragraphs[0].text = "Chân trang 1"
        builder.raw_body(
            f"<w:p {W}><w:r><w:t>Giữ </w:t></w:r>"
            "<w:del w:id='1' w:author='A'><w:r><w:delText>đã xóa </w:delText></w:r></w:del>"
            "<w:ins w:id='2' w:author='A'><w:r><w:t>chèn thêm </w:t></w:r></w:ins>"
            "<w:r><w:rPr><w:vanish/></w:rPr><w:t>ẩn </w:t></w:r>"
            "<w:r><w:footnoteReference w:id='1'/></w:r>"
            "<w:r><w:pict><v:shape xmlns:v='urn:schemas-microsoft-com:vml'><v:textbox><w:txbxContent>"
            "<w:p><w:r><w:t>Hộp văn bản</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
            "<w:r><w:t>và đoạn</w:t></w:r><w:r><w:tab/><w:t>cột phải</w:t></w:r></w:p>"
        )
        text = extract("x.docx", builder.save()).text
        self.assertEqual(text, "Giữ chèn thêm và đoạn    cột phải\n")

    def test_it_reads_paragraphs_inside_content_controls(self) -> None:
        builder = DocxBuilder()
        builder.raw_body(
            f"<w:sdt {W}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>Trong ô nhập liệu</w:t></w:r></w:p>"
            "<w:customXml><w:p><w:r><w:t>Trong XML riêng</w:t></w:r></w:p></w:customXml></w:sdtContent></w:sdt>"
        )
        builder.raw_body(f"<w:sdt {W}><w:sdtPr/></w:sdt>")
        self.assertEqual(extract("x.docx", builder.save()).text, "Trong ô nhập liệu\n\nTrong XML riêng\n")

    def test_it_keeps_line_breaks_inside_a_paragraph_and_normalises_spaces(self) -> None:
        text = extract("x.docx", docx_of("Dòng một\nDòng\u00a0hai\u200b")).text
        self.assertEqual(text, "Dòng một\nDòng hai\n")

    def test_it_reads_a_one_column_table_as_text(self) -> None:
        builder = DocxBuilder()
        builder.table([["Khung văn bản"], ["Dòng thứ hai"]])
        source = extract("x.docx", builder.save())
        self.assertEqual(lines(source.text), ["Khung văn bản", "Dòng thứ hai"])
        self.assertEqual(source.tables, [])

    def test_it_puts_an_appendix_table_in_tables_with_merged_cells_repeated_and_not_in_the_text(self) -> None:
        builder = DocxBuilder()
        builder.paragraph("PHỤ LỤC")
        table = builder.table(
            [
                ["STT", "Nội dung", "Đơn vị thực hiện", "", "Thời gian"],
                ["", "", "Chủ trì", "Phối hợp", ""],
                ["I. CẢI CÁCH THỂ CHẾ", "", "", "", ""],
                ["1", "Rà soát văn bản\nquy phạm pháp luật", "Văn phòng Sở", "Thanh tra Sở", "Quý II"],
                ["2", "Theo dõi thi hành pháp luật", "", "Các phòng", "Thường xuyên"],
            ]
        )
        builder.merge(table, (0, 2), (0, 3))  # "Đơn vị thực hiện" over two columns
        builder.merge(table, (0, 0), (1, 0))  # STT over two header rows
        builder.merge(table, (2, 0), (2, 4))  # the group row across the table
        builder.merge(table, (3, 2), (4, 2))  # one lead unit for both tasks
        builder.paragraph("Hết phụ lục.")
        source = extract("x.docx", builder.save())
        self.assertEqual(lines(source.text), ["PHỤ LỤC", "Hết phụ lục."])
        self.assertEqual(
            source.tables,
            [
                [
                    ["STT", "Nội dung", "Đơn vị thực hiện", "Đơn vị thực hiện", "Thời gian"],
                    ["STT", "", "Chủ trì", "Phối hợp", ""],
                    ["I. CẢI CÁCH THỂ CHẾ"] * 5,
                    ["1", "Rà soát văn bản\nquy phạm pháp luật", "Văn phòng Sở", "Thanh tra Sở", "Quý II"],
                    ["2", "Theo dõi thi hành pháp luật", "Văn phòng Sở", "Các phòng", "Thường xuyên"],
                ]
            ],
        )

    def test_it_keeps_text_and_tables_in_document_order(self) -> None:
        builder = DocxBuilder()
        builder.table([["UBND TỈNH BÌNH PHƯỚC\nSỞ NGOẠI VỤ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]], borders=False)
        builder.paragraph("KẾ HOẠCH")
        builder.table([["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì"], ["1", "Rà soát", "Văn phòng"]])
        builder.paragraph("Trên đây là Kế hoạch.")
        builder.table([["Nơi nhận:\n- Như trên;\n- Lưu: VT.", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\n\nLê Văn B"]])
        source = extract("x.docx", builder.save())
        self.assertEqual(
            source.text,
            "UBND TỈNH BÌNH PHƯỚC   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ NGOẠI VỤ\n\n"
            "KẾ HOẠCH\n\nTrên đây là Kế hoạch.\n\n"
            "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nKT. GIÁM ĐỐC\n\nPHÓ GIÁM ĐỐC\n\nLê Văn B\n",
        )
        self.assertEqual(
            source.tables, [[["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì"], ["1", "Rà soát", "Văn phòng"]]]
        )


# PDF -----------------------------------------------------------------------------------


class PdfTest(ReaderTestCase):
    signed_at = datetime(2021, 12, 15, 8, 35, 36, tzinfo=VN)

    def test_it_reads_the_signer_email_and_signing_time_of_each_signature(self) -> None:
        person = samples.self_signed("Phạm Thị Anh Thư", "phamthianhthu.sngv@binhphuoc.gov.vn")
        office = samples.self_signed("Sở Ngoại vụ", "songv@binhphuoc.gov.vn", email_in_san=True)
        pdf = samples.text_pdf(["KẾ HOẠCH", "Cải cách hành chính năm 2022 của Sở Ngoại vụ tỉnh Bình Phước."])
        pdf = samples.signed_pdf(pdf, person, self.signed_at, field_name="Person")
        pdf = samples.signed_pdf(pdf, office, self.signed_at.replace(hour=10, minute=34, second=58), field_name="Seal")
        source = extract("ky-so.pdf", pdf)
        self.assertEqual(
            source.signatures,
            [
                {
                    "signer": "Phạm Thị Anh Thư",
                    "email": "phamthianhthu.sngv@binhphuoc.gov.vn",
                    "signed_at": "2021-12-15T08:35:36+07:00",
                },
                {"signer": "Sở Ngoại vụ", "email": "songv@binhphuoc.gov.vn", "signed_at": "2021-12-15T10:34:58+07:00"},
            ],
        )
        self.assertIn("Cải cách hành chính năm 2022", source.text)

    def test_it_reads_the_text_stamped_in_a_signature_appearance(self) -> None:
        pdf = samples.text_pdf(["Số:      /KH-SNgV", "KẾ HOẠCH nâng cao các chỉ số cải cách hành chính năm 2023."])
        stamp = [
            "Số: 52/KH-SNgV",
            "Ngày 11/8/2023",
            "Người ký: Phạm Thị Anh Thư",
            "Thời gian: 11.08.2023 09:15:02 +07:00",
        ]
        source = extract("x.pdf", samples.stamped_pdf(pdf, stamp))
        self.assertEqual(source.stamped_text.split("\n"), stamp)
        self.assertEqual(source.signatures, [])  # a field that was never signed
        self.assertNotIn("52/KH-SNgV", source.text)

    def test_it_skips_a_malformed_signature_and_reads_the_rest(self) -> None:
        from pypdf import PdfReader, PdfWriter
        from pypdf.generic import ArrayObject, ByteStringObject, DictionaryObject, NameObject, NumberObject

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(samples.text_pdf(["Văn bản có chữ ký hỏng " * 5]))))
        broken = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Sig"),
                NameObject("/Filter"): NameObject("/Adobe.PPKLite"),
                NameObject("/SubFilter"): NameObject("/adbe.pkcs7.detached"),
                NameObject("/ByteRange"): ArrayObject(
                    [NumberObject(0), NumberObject(10), NumberObject(20), NumberObject(5)]
                ),
                NameObject("/Contents"): ByteStringObject(b"\x30\x03\x02\x01\x00"),
            }
        )
        widget = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Widget"),
                NameObject("/FT"): NameObject("/Sig"),
                NameObject("/T"): ByteStringObject(b"Broken"),
                NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
                NameObject("/V"): writer._add_object(broken),
                NameObject("/P"): writer.pages[0].indirect_reference,
            }
        )
        reference = writer._add_object(widget)
        writer.pages[0][NameObject("/Annots")] = ArrayObject([reference])
        writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
            {NameObject("/Fields"): ArrayObject([reference]), NameObject("/SigFlags"): NumberObject(3)}
        )
        out = io.BytesIO()
        writer.write(out)
        source = extract("x.pdf", out.getvalue())
        self.assertEqual(source.signatures, [])
        self.assertIn("Văn bản có chữ ký hỏng", source.text)

    def test_it_opens_a_pdf_protected_only_against_changes(self) -> None:
        pdf = samples.encrypted_pdf(samples.text_pdf(["Kế hoạch cải cách hành chính năm 2026 của Sở Ngoại vụ."]), "")
        self.assertIn("Kế hoạch cải cách hành chính năm 2026", extract("x.pdf", pdf).text)

    def test_it_refuses_a_pdf_that_needs_a_password(self) -> None:
        pdf = samples.encrypted_pdf(samples.text_pdf(["Kế hoạch cải cách hành chính năm 2026."]), "mat-khau")
        with self.assertRaisesMessage(Unreadable, "This PDF is password protected"):
            extract("x.pdf", pdf)

    def test_it_refuses_a_scan_without_a_text_layer(self) -> None:
        with self.assertRaisesMessage(
            Unreadable, "This PDF has no text layer; upload the DOCX version or a PDF where the text can be selected."
        ):
            extract("scan.pdf", samples.image_pdf())

    def test_it_refuses_a_damaged_pdf(self) -> None:
        pdf = samples.text_pdf(["Kế hoạch cải cách hành chính năm 2026."])
        for data in (b"%PDF-1.7\n" + b"\x00garbage" * 50, pdf[: len(pdf) // 3]):
            with self.subTest(len(data)), self.assertRaises(Unreadable) as caught:
                extract("x.pdf", data)
            self.assertRegex(str(caught.exception), "damaged|no text layer")

    def test_it_refuses_a_pdf_with_too_many_pages(self) -> None:
        pdf = samples.text_pdf(["Kế hoạch cải cách hành chính năm 2026 của Sở Ngoại vụ."])
        with (
            patch("documents.reader.extract.MAX_PDF_PAGES", 0),
            self.assertRaisesMessage(Unreadable, "This PDF has 1 page; the importer reads documents of up to 0 pages."),
        ):
            extract("x.pdf", pdf)


# Text files --------------------------------------------------------------------------------


class TextFileTest(ReaderTestCase):
    def test_it_reads_utf8_with_or_without_bom_and_normalises_line_ends_and_spaces(self) -> None:
        for data in (
            "KẾ HOẠCH\r\nNăm\u00a02026\r\n".encode(),
            "\ufeffKẾ HOẠCH\nNăm 2026\n".encode(),
            "KẾ HOẠCH\rNăm 2026\r".encode(),
        ):
            with self.subTest(data[:4]):
                self.assertEqual(extract("a.txt", data).text, "KẾ HOẠCH\nNăm 2026\n")

    def test_it_reads_utf16_with_a_bom_and_without(self) -> None:
        for data in (
            "\ufeffKẾ HOẠCH năm 2026".encode("utf-16-le"),
            "\ufeffKẾ HOẠCH năm 2026".encode("utf-16-be"),
            "KẾ HOẠCH năm 2026".encode("utf-16-le"),
        ):
            with self.subTest(data[:2]):
                self.assertEqual(extract("a.txt", data).text, "KẾ HOẠCH năm 2026")

    def test_it_composes_decomposed_vietnamese_letters(self) -> None:
        import unicodedata

        text = extract("a.txt", unicodedata.normalize("NFD", "Kế hoạch cải cách").encode()).text
        self.assertEqual(text, "Kế hoạch cải cách")

    def test_it_says_so_when_a_text_file_is_not_utf8(self) -> None:
        data = "Kê\u0301 hoa\u0323ch ca\u0309i ca\u0301ch ha\u0300nh chi\u0301nh".encode(
            "cp1258"
        )  # "Kế hoạch cải cách…"
        with self.assertRaisesMessage(Unreadable, "The text file is not in UTF-8"):
            extract("a.txt", data)

    def test_it_keeps_markdown_as_text_for_the_parser(self) -> None:
        source = extract("a.md", "## **KẾ HOẠCH**\n\n- Một".encode())
        self.assertEqual((source.kind, source.text), ("md", "## **KẾ HOẠCH**\n\n- Một"))


# Kinds, sizes and damaged files ---------------------------------------------------------------


class KindTest(ReaderTestCase):
    def test_it_decides_the_kind_by_content_not_by_name(self) -> None:
        self.assertEqual(extract("ke-hoach.txt", samples.text_pdf(["Kế hoạch cải cách năm 2026 " * 3])).kind, "pdf")
        self.assertEqual(extract("ke-hoach.pdf", docx_of("Kế hoạch cải cách năm 2026")).kind, "docx")
        self.assertEqual(extract("ke-hoach", b"Ke hoach").kind, "txt")

    def test_it_refuses_a_legacy_doc_and_asks_for_a_docx(self) -> None:
        data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024
        with self.assertRaisesMessage(Unreadable, "save it as .docx"):
            extract("ke-hoach.doc", data)

    def test_it_refuses_damaged_docx_files(self) -> None:
        good = docx_of("Kế hoạch")
        no_document = io.BytesIO()
        with zipfile.ZipFile(no_document, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
        broken_xml = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(broken_xml, "w") as target:
            for item in source.infolist():
                data = source.read(item.filename)
                target.writestr(item, data[:200] if item.filename == "word/document.xml" else data)
        for name, data in (
            ("truncated", good[: len(good) // 2]),
            ("no document.xml", no_document.getvalue()),
            ("broken XML", broken_xml.getvalue()),
            ("not a zip", b"PK\x03\x04" + b"\x00" * 100),
        ):
            with self.subTest(name), self.assertRaisesMessage(Unreadable, "The DOCX file is damaged"):
                extract("ke-hoach.docx", data)

    def test_it_refuses_other_kinds_of_file(self) -> None:
        workbook = io.BytesIO()
        with zipfile.ZipFile(workbook, "w") as archive:
            archive.writestr("xl/workbook.xml", "<workbook/>")
        for name, data in (
            ("bang.xlsx", workbook.getvalue()),
            ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
            ("du-lieu.bin", bytes(range(256)) * 4),
        ):
            with self.subTest(name), self.assertRaises(Unreadable) as caught:
                extract(name, data)
            self.assertRegex(str(caught.exception), r"only \.docx, \.pdf, \.txt and \.md|image")

    def test_it_refuses_an_empty_file_or_one_without_text(self) -> None:
        for name, data in (("a.txt", b""), ("a.txt", b" \n\n "), ("a.docx", docx_of())):
            with self.subTest(name), self.assertRaises(Unreadable):
                extract(name, data)

    @override_settings(PLAN_IMPORT_MAX_BYTES=1024 * 1024)
    def test_it_refuses_a_file_above_the_limit_giving_the_limit_in_mb(self) -> None:
        with self.assertRaisesMessage(Unreadable, "The file is larger than 1 MB"):
            extract("a.txt", b"a" * (1024 * 1024 + 1))
        self.assertEqual(extract("a.txt", b"a" * 1024 * 1024).kind, "txt")

    def test_it_refuses_a_201_mb_upload_without_reading_it(self) -> None:
        data = b"%PDF-1.7\n".ljust(201 * 1024 * 1024, b"\0")
        with (
            patch("documents.reader.extract._pdf", side_effect=AssertionError("parsed")),
            self.assertRaisesMessage(Unreadable, "The file is larger than 20 MB"),
        ):
            extract("lon.pdf", data)

    def test_it_refuses_a_docx_that_unpacks_to_too_much(self) -> None:
        bomb = io.BytesIO()
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("word/document.xml", b"<w:document>" + b" " * 4 * 1024 * 1024)
        with (
            patch("documents.reader.extract.MAX_UNPACKED_BYTES", 2 * 1024 * 1024),
            patch("docx.Document", side_effect=AssertionError("inflated")),
            self.assertRaisesMessage(Unreadable, "unpacks to more than 2 MB"),
        ):
            extract("bom.docx", bomb.getvalue())

    def test_it_returns_a_source(self) -> None:
        self.assertIsInstance(extract("a.txt", b"Ke hoach"), Source)


class LabelGapTest(ReaderTestCase):
    def test_it_reads_a_label_and_its_tab_as_one_space(self) -> None:
        builder = DocxBuilder()
        for text in ("1.\tMục đích", "a)\tRà soát;", "-\tTuyên truyền", "Nơi nhận:\t\t\tGIÁM ĐỐC"):
            paragraph = builder.document.add_paragraph()
            label, _, rest = text.partition("\t")
            paragraph.add_run(label)
            paragraph.add_run().add_tab()
            paragraph.add_run(rest.lstrip("\t"))
        builder.document.paragraphs[-1].runs[1].add_tab()
        text = extract("x.docx", builder.save()).text
        self.assertEqual(text.split("\n\n")[:3], ["1. Mục đích", "a) Rà soát;", "- Tuyên truyền"])
        self.assertRegex(text.split("\n\n")[3], r"^Nơi nhận: {3,}GIÁM ĐỐC$")
