from __future__ import annotations

import unicodedata

from django.test import SimpleTestCase

from lib.filenames import display_name, extension, with_extension


class DisplayNameTestCase(SimpleTestCase):
    def test_it_keeps_vietnamese_letters(self) -> None:
        self.assertEqual(display_name("Báo cáo kết quả CCHC quý I.docx"), "Báo cáo kết quả CCHC quý I.docx")

    def test_it_composes_decomposed_letters(self) -> None:
        decomposed = unicodedata.normalize("NFD", "Nguyễn.pdf")
        self.assertEqual(display_name(decomposed), "Nguyễn.pdf")

    def test_it_strips_paths(self) -> None:
        self.assertEqual(display_name("../../etc/passwd"), "passwd")
        self.assertEqual(display_name("C:\\fakepath\\tờ trình.pdf"), "tờ trình.pdf")

    def test_it_removes_control_and_direction_characters(self) -> None:
        self.assertEqual(display_name("a\x00b\nc\u202egpj.exe"), "abcgpj.exe")

    def test_it_replaces_reserved_characters_and_squeezes_spaces(self) -> None:
        self.assertEqual(display_name('  a:b*c?"d<e>|   f.pdf '), "a_b_c__d_e__ f.pdf")

    def test_it_drops_leading_dots(self) -> None:
        self.assertEqual(display_name(".htaccess"), "htaccess")

    def test_it_falls_back_when_nothing_is_left(self) -> None:
        self.assertEqual(display_name("/"), "file")
        self.assertEqual(display_name("\x01\x02"), "file")

    def test_it_limits_the_length_keeping_the_extension(self) -> None:
        name = display_name("ồ" * 300 + ".xlsx")
        self.assertEqual(len(name), 150)
        self.assertTrue(name.endswith("ồ.xlsx"))

    def test_it_limits_a_name_without_extension(self) -> None:
        self.assertEqual(len(display_name("a" * 300)), 150)


class ExtensionTestCase(SimpleTestCase):
    def test_it_reads_the_extension(self) -> None:
        self.assertEqual(extension("a.PDF"), "pdf")
        self.assertEqual(extension("a"), "")
        self.assertEqual(extension(".pdf"), "")
        self.assertEqual(extension("Số 5. Hà Nội"), "")

    def test_it_adds_an_extension_only_when_needed(self) -> None:
        self.assertEqual(with_extension("a.pdf", "pdf"), "a.pdf")
        self.assertEqual(with_extension("a", "pdf"), "a.pdf")
