from __future__ import annotations

from decimal import Decimal

from django.test import SimpleTestCase

from lib.numbers import decimal, vn


class DecimalTests(SimpleTestCase):
    def test_it_reads_what_people_type_and_spreadsheets_hold(self) -> None:
        self.assertEqual(decimal("3,5"), Decimal("3.5"))
        self.assertEqual(decimal(" 0.25 "), Decimal("0.25"))
        self.assertEqual(decimal(0.1), Decimal("0.1"))  # not 0.1000000000000000055…
        self.assertEqual(decimal(4), Decimal(4))
        self.assertEqual(decimal(Decimal("1.50")), Decimal("1.50"))

    def test_blank_is_no_number(self) -> None:
        for blank in (None, "", "   "):
            self.assertIsNone(decimal(blank))

    def test_anything_else_is_refused(self) -> None:
        for bad in ("abc", "1.2.3", "nan", "inf", "-Infinity", True, "3,5 điểm"):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                decimal(bad)


class VnTests(SimpleTestCase):
    def test_it_prints_the_vietnamese_decimal_comma(self) -> None:
        self.assertEqual(vn(Decimal("85.5")), "85,50")
        self.assertEqual(vn(Decimal("3"), places=0), "3")
        self.assertEqual(vn(None), "")
        self.assertEqual(vn(None, empty="—"), "—")
