"""lib.text: accent folding for search, and "did you mean" suggestions."""

from __future__ import annotations

import unicodedata

from django.test import SimpleTestCase

from lib.text import closest, fold, search_text


class FoldTestCase(SimpleTestCase):
    def test_it_turns_d_with_stroke_into_d(self) -> None:
        self.assertEqual(fold("Đảng"), "dang")
        self.assertEqual(fold("đồng"), "dong")

    def test_it_removes_diacritics_and_lowers_case(self) -> None:
        self.assertEqual(fold("cải cách"), "cai cach")
        self.assertEqual(fold("CẢI CÁCH HÀNH CHÍNH"), "cai cach hanh chinh")
        self.assertEqual(fold("Quý IV"), "quy iv")

    def test_it_folds_decomposed_text_the_same_way(self) -> None:
        self.assertEqual(fold(unicodedata.normalize("NFD", "Nguyễn Thị Hà")), "nguyen thi ha")

    def test_it_collapses_and_trims_spacing(self) -> None:
        self.assertEqual(fold("  Sở  Ngoại\tvụ\n"), "so ngoai vu")
        self.assertEqual(fold("a\u00a0b"), "a b")

    def test_empty_input_gives_empty_text(self) -> None:
        self.assertEqual(fold(None), "")
        self.assertEqual(fold(""), "")
        self.assertEqual(fold("   "), "")

    def test_text_without_accents_is_only_lowered(self) -> None:
        self.assertEqual(fold("TTHC 100%"), "tthc 100%")


class SearchTextTestCase(SimpleTestCase):
    def test_it_joins_the_folded_parts_and_skips_empty_ones(self) -> None:
        self.assertEqual(search_text("Tối thiểu 50%", None, "", "hồ sơ"), "toi thieu 50% ho so")

    def test_a_folded_query_is_found_in_it(self) -> None:
        self.assertIn(fold("tiep nhan truc tuyen"), search_text("Hồ sơ được tiếp nhận trực tuyến"))
        self.assertIn(fold("Tiếp Nhận"), search_text("hồ sơ tiếp nhận"))


class ClosestTestCase(SimpleTestCase):
    UNITS = ["Văn phòng Sở", "Phòng Hợp tác quốc tế", "Thanh tra Sở", "Phòng Lãnh sự"]

    def test_it_suggests_what_looks_alike_without_accents(self) -> None:
        self.assertEqual(closest("Phong Hop tac quoc te", self.UNITS)[0], "Phòng Hợp tác quốc tế")
        self.assertEqual(closest("van phong so", self.UNITS)[0], "Văn phòng Sở")

    def test_it_tolerates_typing_mistakes(self) -> None:
        self.assertEqual(closest("Phòng Lãnh su", self.UNITS)[0], "Phòng Lãnh sự")
        self.assertEqual(closest("Thanh tra So", self.UNITS), ["Thanh tra Sở"])

    def test_a_part_of_a_name_counts_as_alike(self) -> None:
        self.assertIn("Phòng Hợp tác quốc tế", closest("hop tac quoc te", self.UNITS))

    def test_it_gives_nothing_when_nothing_is_close(self) -> None:
        self.assertEqual(closest("Sở Tài chính tỉnh Bình Phước", self.UNITS), [])
        self.assertEqual(closest("", self.UNITS), [])

    def test_it_gives_at_most_the_limit_best_first(self) -> None:
        names = ["Phòng A", "Phòng B", "Phòng C", "Phòng D"]
        found = closest("Phòng A", names, limit=2)
        self.assertEqual(len(found), 2)
        self.assertEqual(found[0], "Phòng A")

    def test_it_skips_empty_candidates(self) -> None:
        self.assertEqual(closest("Văn phòng", ["", "   ", "Văn phòng Sở"]), ["Văn phòng Sở"])
