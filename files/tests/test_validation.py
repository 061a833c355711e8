from __future__ import annotations

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, override_settings
from django.utils import translation

from files.tests import samples
from files.validation import DOCX, XLSX, check


class CheckTestCase(SimpleTestCase):
    def setUp(self) -> None:
        self.enterContext(translation.override("en"))

    def assertRefused(self, name: str, content: bytes, code: str) -> str:
        with self.assertRaises(ValidationError) as caught:
            check(samples.upload(name, content))
        self.assertEqual(caught.exception.code, code)
        return " ".join(caught.exception.messages)

    def test_it_accepts_each_allowed_kind(self) -> None:
        cases = [
            ("Kế hoạch.pdf", samples.PDF, "application/pdf"),
            ("Báo cáo.docx", samples.docx(), DOCX),
            ("Số liệu.xlsx", samples.xlsx(), XLSX),
            ("ảnh.png", samples.png(), "image/png"),
            ("ảnh.jpeg", samples.JPEG, "image/jpeg"),
            ("ảnh.gif", samples.GIF, "image/gif"),
            ("ảnh.webp", samples.WEBP, "image/webp"),
            ("hồ sơ.zip", samples.zip_archive(), "application/zip"),
        ]
        for name, content, mime in cases:
            with self.subTest(name=name):
                checked = check(samples.upload(name, content))
                self.assertEqual(checked.kind.mime, mime)
                self.assertEqual(checked.name, name)
                self.assertEqual(checked.size, len(content))
                self.assertEqual(len(checked.sha256), 64)

    def test_it_refuses_a_program_named_pdf(self) -> None:
        message = self.assertRefused("báo cáo.pdf", samples.EXE, "type")
        self.assertIn("“báo cáo.pdf”", message)

    def test_it_refuses_plain_text(self) -> None:
        self.assertRefused("ghi chú.pdf", b"just some words\n" * 20, "type")

    def test_it_refuses_an_empty_file(self) -> None:
        message = self.assertRefused("trống.pdf", b"", "empty")
        self.assertIn("“trống.pdf” is empty", message)

    @override_settings(FILE_UPLOAD_MAX_MB=1)
    def test_it_refuses_an_oversize_file(self) -> None:
        content = samples.PDF + b"0" * (1024 * 1024)
        message = self.assertRefused("lớn.pdf", content, "too_big")
        self.assertIn("“lớn.pdf”", message)
        self.assertIn("at most 1 MB", message)

    @override_settings(FILE_UPLOAD_MAX_MB=1)
    def test_it_accepts_a_file_of_exactly_the_limit(self) -> None:
        content = samples.PDF + b"0" * (1024 * 1024 - len(samples.PDF))
        self.assertEqual(check(samples.upload("vừa.pdf", content)).size, 1024 * 1024)

    def test_it_refuses_an_image_named_as_a_workbook(self) -> None:
        message = self.assertRefused("số liệu.xlsx", samples.png(), "mismatch")
        self.assertIn(".xlsx", message)
        self.assertIn("PNG", message)

    def test_it_refuses_a_word_document_named_pdf(self) -> None:
        self.assertRefused("quyết định.pdf", samples.docx(), "mismatch")

    def test_it_refuses_a_damaged_archive(self) -> None:
        message = self.assertRefused("hỏng.docx", samples.docx()[:100], "bad_zip")
        self.assertIn("“hỏng.docx”", message)

    def test_it_refuses_other_office_files(self) -> None:
        self.assertRefused("trình chiếu.pptx", samples.pptx(), "type")

    def test_it_adds_the_right_extension_to_a_name_without_one(self) -> None:
        self.assertEqual(check(samples.upload("scan", samples.PDF)).name, "scan.pdf")
        self.assertEqual(check(samples.upload("QĐ 15.2025", samples.PDF)).name, "QĐ 15.2025.pdf")

    def test_it_accepts_an_upper_case_extension(self) -> None:
        self.assertEqual(check(samples.upload("SCAN.PDF", samples.PDF)).name, "SCAN.PDF")

    def test_it_cleans_the_display_name(self) -> None:
        checked = check(samples.upload("C:\\Users\\an\\Tờ trình\u202e.pdf", samples.PDF))
        self.assertEqual(checked.name, "Tờ trình.pdf")
