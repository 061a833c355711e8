"""Period labels of the service indicators: year, half, quarter, month, and what is refused."""

from __future__ import annotations

from datetime import date

from services import periods
from services.periods import Period, PeriodError
from services.tests.base import ServicesTestCase


class PeriodsTest(ServicesTestCase):
    def test_it_reads_each_form(self) -> None:
        cases = {
            "2024": Period("2024", date(2024, 1, 1), date(2024, 12, 31)),
            "2024-H1": Period("2024-H1", date(2024, 1, 1), date(2024, 6, 30)),
            "2024-h2": Period("2024-H2", date(2024, 7, 1), date(2024, 12, 31)),
            "2024-Q1": Period("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
            " 2024-q4 ": Period("2024-Q4", date(2024, 10, 1), date(2024, 12, 31)),
            "2024-02": Period("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
            "2023-02": Period("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
            "2024-12": Period("2024-12", date(2024, 12, 1), date(2024, 12, 31)),
        }
        for text, expected in cases.items():
            self.assertEqual(periods.parse(text), expected, text)

    def test_it_gives_the_contract_dict(self) -> None:
        self.assertEqual(
            periods.parse("2024-Q1").as_dict(), {"label": "2024-Q1", "start": "2024-01-01", "end": "2024-03-31"}
        )

    def test_it_refuses_anything_else(self) -> None:
        for text in ("", "24", "2024-Q5", "2024-H3", "2024-13", "2024-00", "2024-3", "Q1-2024", "2024/03", "1999"):
            with self.assertRaises(PeriodError, msg=text) as caught:
                periods.parse(text)
            self.assertTrue(str(caught.exception), text)

    def test_it_explains_the_forms(self) -> None:
        with self.assertRaisesMessage(PeriodError, "“2024-Q5” is not a period: write a year (2024)"):
            periods.parse("2024-Q5")
        with self.assertRaisesMessage(PeriodError, "“2024-13”: the month must be between 01 and 12."):
            periods.parse("2024-13")
        with self.assertRaisesMessage(PeriodError, "The year must be between 2000 and 2099."):
            periods.parse("1999")

    def test_it_finds_the_quarter_of_a_day(self) -> None:
        self.assertEqual(periods.quarter_of(date(2024, 5, 15)).label, "2024-Q2")
        self.assertEqual(periods.quarter_of(date(2024, 12, 31)).label, "2024-Q4")
        self.assertEqual(periods.part_of(periods.parse("2024-03")), "03")
        self.assertEqual(periods.part_of(periods.parse("2024")), "")
