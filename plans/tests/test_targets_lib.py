"""lib.targets: the goal a target's sentence states, and numbers typed either way."""

from __future__ import annotations

from decimal import Decimal

from django.test import SimpleTestCase

from lib import targets
from lib.targets import Goal, parse_goal, parse_number


class ParseGoalTestCase(SimpleTestCase):
    def test_at_least_a_percentage(self) -> None:
        self.assertEqual(
            parse_goal("Tối thiểu 50% hồ sơ được tiếp nhận trực tuyến"),
            Goal(targets.PERCENT, targets.GTE, Decimal(50), None, "%"),
        )
        self.assertEqual(
            parse_goal("Đạt ít nhất 80% tỷ lệ TTHC"), Goal(targets.PERCENT, targets.GTE, Decimal(80), None, "%")
        )

    def test_a_range_of_a_count(self) -> None:
        self.assertEqual(
            parse_goal("Phấn đấu 03-05 sáng kiến kinh nghiệm được Hội đồng Sở công nhận"),
            Goal(targets.COUNT, targets.RANGE, Decimal(3), Decimal(5), "sáng kiến"),
        )
        self.assertEqual(
            parse_goal("Tổ chức từ 2 đến 4 lớp tập huấn"),
            Goal(targets.COUNT, targets.RANGE, Decimal(2), Decimal(4), "lớp tập"),
        )

    def test_a_range_of_percentages(self) -> None:
        self.assertEqual(
            parse_goal("từ 30% đến 50% hồ sơ"), Goal(targets.PERCENT, targets.RANGE, Decimal(30), Decimal(50), "%")
        )
        self.assertEqual(
            parse_goal("30 – 50% hồ sơ"), Goal(targets.PERCENT, targets.RANGE, Decimal(30), Decimal(50), "%")
        )

    def test_a_hundred_percent_is_exact(self) -> None:
        self.assertEqual(
            parse_goal("100% hồ sơ TTHC được giải quyết trước và đúng hạn"),
            Goal(targets.PERCENT, targets.EQ, Decimal(100), None, "%"),
        )

    def test_or_more_is_a_floor(self) -> None:
        self.assertEqual(
            parse_goal("tỷ lệ giao dịch thanh toán trực tuyến đạt từ 30% trở lên"),
            Goal(targets.PERCENT, targets.GTE, Decimal(30), None, "%"),
        )

    def test_a_bare_figure_is_a_floor(self) -> None:
        self.assertEqual(
            parse_goal("95% hồ sơ công việc được xử lý trên môi trường mạng"),
            Goal(targets.PERCENT, targets.GTE, Decimal(95), None, "%"),
        )
        self.assertEqual(
            parse_goal("Tổ chức 02 hội nghị"), Goal(targets.COUNT, targets.GTE, Decimal(2), None, "hội nghị")
        )

    def test_ceilings(self) -> None:
        self.assertEqual(parse_goal("không quá 5 ngày"), Goal(targets.COUNT, targets.LTE, Decimal(5), None, "ngày"))
        self.assertEqual(
            parse_goal("Dưới 10% hồ sơ trễ hạn"), Goal(targets.PERCENT, targets.LTE, Decimal(10), None, "%")
        )
        self.assertEqual(parse_goal("5% trở xuống"), Goal(targets.PERCENT, targets.LTE, Decimal(5), None, "%"))

    def test_money(self) -> None:
        self.assertEqual(
            parse_goal("Kinh phí: 450 triệu đồng"), Goal(targets.MONEY, targets.GTE, Decimal(450), None, "triệu đồng")
        )
        self.assertEqual(
            parse_goal("Tiết kiệm 1.500.000 đồng"), Goal(targets.MONEY, targets.GTE, Decimal(1500000), None, "đồng")
        )

    def test_it_reads_text_typed_without_accents(self) -> None:
        self.assertEqual(parse_goal("toi thieu 50% ho so"), Goal(targets.PERCENT, targets.GTE, Decimal(50), None, "%"))

    def test_it_reads_decimal_commas(self) -> None:
        self.assertEqual(
            parse_goal("Đạt 92,5% trở lên"), Goal(targets.PERCENT, targets.GTE, Decimal("92.5"), None, "%")
        )

    def test_the_first_goal_wins(self) -> None:
        goal = parse_goal("tối thiểu 50% thủ tục, trong số đó, tỷ lệ thanh toán đạt từ 30% trở lên")
        self.assertEqual(goal, Goal(targets.PERCENT, targets.GTE, Decimal(50), None, "%"))

    def test_it_skips_dates_document_numbers_years_and_levels(self) -> None:
        self.assertEqual(
            parse_goal("Giai đoạn 2021-2025, 80% TTHC mức độ 3 theo Quyết định số 52/2017/QĐ-UBND"),
            Goal(targets.PERCENT, targets.GTE, Decimal(80), None, "%"),
        )
        for text in (
            "Hoàn thành trước 30/6/2026",
            "Theo Quyết định số 52/2017/QĐ-UBND ngày 22/11/2017",
            "Duy trì ISO 9001: 2015",
            "Cung cấp dịch vụ công mức độ 3, mức độ 4",
            "Triển khai trong năm 2026",
        ):
            with self.subTest(text=text):
                self.assertIsNone(parse_goal(text))

    def test_it_gives_none_without_a_figure(self) -> None:
        for text in (None, "", "Nâng cao chất lượng cải cách hành chính", "Tổ chức 3", "đạt 50."):
            with self.subTest(text=text):
                self.assertIsNone(parse_goal(text))


class ParseNumberTestCase(SimpleTestCase):
    def test_plain_and_decimal_numbers(self) -> None:
        self.assertEqual(parse_number("55"), Decimal(55))
        self.assertEqual(parse_number("55,5"), Decimal("55.5"))
        self.assertEqual(parse_number("55.5"), Decimal("55.5"))
        self.assertEqual(parse_number(" 0 "), Decimal(0))
        self.assertEqual(parse_number("-5"), Decimal(-5))

    def test_thousands_either_way(self) -> None:
        self.assertEqual(parse_number("1.000.000"), Decimal(1000000))
        self.assertEqual(parse_number("1,000,000"), Decimal(1000000))
        self.assertEqual(parse_number("1.234,5"), Decimal("1234.5"))
        self.assertEqual(parse_number("1,234.5"), Decimal("1234.5"))
        self.assertEqual(parse_number("1 000 000"), Decimal(1000000))

    def test_a_lone_separator_before_three_digits(self) -> None:
        self.assertEqual(parse_number("1.500"), Decimal("1.5"))
        self.assertEqual(parse_number("1.500", grouping=True), Decimal(1500))
        self.assertEqual(parse_number("1,25", grouping=True), Decimal("1.25"))

    def test_it_refuses_what_is_not_a_number(self) -> None:
        for text in (None, "", "abc", "1.2.3", "12,", ",5", "1.000,000.5", "5%", "1e5", "--5", "1,00,000"):
            with self.subTest(text=text):
                self.assertIsNone(parse_number(text))
