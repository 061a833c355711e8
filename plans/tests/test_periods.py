"""lib.periods: deadlines as plans print them, the periods of recurring tasks, years shifted."""

from __future__ import annotations

from datetime import date

from django.test import SimpleTestCase

from lib import periods
from lib.periods import Due, Period, occurrences, parse_due, shift_year


class ParseDueTestCase(SimpleTestCase):
    def test_it_reads_every_form_of_the_docstring(self) -> None:
        cases = {
            "Quý II/2022": date(2022, 6, 30),
            "Tháng 6": date(2026, 6, 30),
            "6 tháng đầu năm": date(2026, 6, 30),
            "Trước 30/6/2026": date(2026, 6, 30),
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(parse_due(text, 2026), Due(expected))
        self.assertEqual(parse_due("Thường xuyên", 2026), Due(date(2026, 12, 31), periods.CONTINUOUS))

    def test_it_reads_quarters_in_roman_or_arabic_figures_with_or_without_a_year(self) -> None:
        cases = {
            "Quý I/2026": date(2026, 3, 31),
            "Quý 2/2026": date(2026, 6, 30),
            "quý III năm 2026": date(2026, 9, 30),
            "Quý IV 2027": date(2027, 12, 31),
            "Trong quý IV": date(2026, 12, 31),
            "Quý II": date(2026, 6, 30),
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(parse_due(text, 2026).date, expected)

    def test_it_reads_months_halves_and_years(self) -> None:
        cases = {
            "Tháng 2/2028": date(2028, 2, 29),
            "tháng 12 năm 2025": date(2025, 12, 31),
            "Trong tháng 9": date(2026, 9, 30),
            "Tháng 6.": date(2026, 6, 30),
            "Sáu tháng đầu năm 2027": date(2027, 6, 30),
            "6 tháng cuối năm": date(2026, 12, 31),
            "Năm 2027": date(2027, 12, 31),
            "2027": date(2027, 12, 31),
            "Cả năm": date(2026, 12, 31),
            "Trong năm": date(2026, 12, 31),
            "Cuối năm": date(2026, 12, 31),
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(parse_due(text, 2026).date, expected)

    def test_it_reads_days_with_the_words_around_them(self) -> None:
        cases = {
            "30/6/2026": date(2026, 6, 30),
            "Trước ngày 15/03/2026": date(2026, 3, 15),
            "Chậm nhất 31/12/2026": date(2026, 12, 31),
            "Hạn 5/1/2027": date(2027, 1, 5),
            "trước ngày 15/3": date(2026, 3, 15),
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(parse_due(text, 2026).date, expected)

    def test_it_ignores_case_accents_and_trailing_punctuation(self) -> None:
        self.assertEqual(parse_due("QUÝ II/2026;", None).date, date(2026, 6, 30))
        self.assertEqual(parse_due("quy ii/2026", None).date, date(2026, 6, 30))

    def test_it_recognises_recurring_words(self) -> None:
        cases = {
            "Thường xuyên": periods.CONTINUOUS,
            "Liên tục": periods.CONTINUOUS,
            "Thường xuyên, hằng quý báo cáo": periods.CONTINUOUS,
            "Hàng tháng": periods.MONTHLY,
            "Hằng tháng": periods.MONTHLY,
            "Định kỳ hàng tháng": periods.MONTHLY,
            "Hàng quý": periods.QUARTERLY,
            "Mỗi quý": periods.QUARTERLY,
            "Định kỳ hàng quý": periods.QUARTERLY,
            "6 tháng một lần": periods.HALF_YEARLY,
            "Định kỳ 6 tháng": periods.HALF_YEARLY,
            "Hàng 6 tháng": periods.HALF_YEARLY,
            "Hàng năm": periods.YEARLY,
            "Hằng năm": periods.YEARLY,
        }
        for text, recurrence in cases.items():
            with self.subTest(text=text):
                self.assertEqual(parse_due(text, 2026), Due(date(2026, 12, 31), recurrence))

    def test_a_recurring_task_without_a_plan_year_has_no_date(self) -> None:
        self.assertEqual(parse_due("Hàng quý"), Due(None, periods.QUARTERLY))

    def test_it_gives_none_for_impossible_dates(self) -> None:
        for text in ("Tháng 13", "Tháng 0", "31/02/2026", "32/1/2026", "Quý V/2026", "Quý 0/2026", "29/02/2027"):
            with self.subTest(text=text):
                self.assertEqual(parse_due(text, 2026), Due(None))

    def test_it_gives_none_for_text_without_a_year_when_the_plan_has_none(self) -> None:
        for text in ("Tháng 6", "Quý II", "6 tháng đầu năm", "6 tháng cuối năm", "15/3", "Cả năm"):
            with self.subTest(text=text):
                self.assertEqual(parse_due(text), Due(None))

    def test_it_gives_none_for_empty_or_unreadable_text(self) -> None:
        for text in (None, "", "   ", ".", "Khi có yêu cầu", "Theo chỉ đạo của UBND tỉnh", "Tháng sáu"):
            with self.subTest(text=text):
                self.assertEqual(parse_due(text, 2026), Due(None))


class OccurrencesTestCase(SimpleTestCase):
    def test_a_monthly_task_repeats_each_month(self) -> None:
        months = occurrences(periods.MONTHLY, date(2026, 1, 1), date(2026, 12, 31))
        self.assertEqual(len(months), 12)
        self.assertEqual(months[0], Period("Tháng 1/2026", date(2026, 1, 1), date(2026, 1, 31)))
        self.assertEqual(months[1].end, date(2026, 2, 28))
        self.assertEqual(months[-1], Period("Tháng 12/2026", date(2026, 12, 1), date(2026, 12, 31)))

    def test_a_quarterly_task_repeats_each_quarter(self) -> None:
        quarters = occurrences(periods.QUARTERLY, date(2026, 1, 1), date(2026, 12, 31))
        self.assertEqual([q.label for q in quarters], ["Quý I/2026", "Quý II/2026", "Quý III/2026", "Quý IV/2026"])
        self.assertEqual([q.end for q in quarters][1], date(2026, 6, 30))

    def test_a_continuous_task_is_checked_each_quarter(self) -> None:
        self.assertEqual(
            occurrences(periods.CONTINUOUS, date(2026, 1, 1), date(2026, 12, 31)),
            occurrences(periods.QUARTERLY, date(2026, 1, 1), date(2026, 12, 31)),
        )

    def test_a_half_yearly_task_repeats_twice_a_year(self) -> None:
        self.assertEqual(
            occurrences(periods.HALF_YEARLY, date(2026, 1, 1), date(2026, 12, 31)),
            [
                Period("6 tháng đầu năm 2026", date(2026, 1, 1), date(2026, 6, 30)),
                Period("6 tháng cuối năm 2026", date(2026, 7, 1), date(2026, 12, 31)),
            ],
        )

    def test_a_yearly_task_repeats_each_year(self) -> None:
        self.assertEqual(
            occurrences(periods.YEARLY, date(2026, 3, 1), date(2027, 6, 30)),
            [
                Period("Năm 2026", date(2026, 1, 1), date(2026, 12, 31)),
                Period("Năm 2027", date(2027, 1, 1), date(2027, 12, 31)),
            ],
        )

    def test_a_partial_year_keeps_the_periods_it_touches(self) -> None:
        quarters = occurrences(periods.QUARTERLY, date(2026, 5, 10), date(2026, 8, 1))
        self.assertEqual([q.label for q in quarters], ["Quý II/2026", "Quý III/2026"])
        halves = occurrences(periods.HALF_YEARLY, date(2026, 8, 1), date(2026, 12, 31))
        self.assertEqual([h.label for h in halves], ["6 tháng cuối năm 2026"])

    def test_periods_run_across_the_new_year(self) -> None:
        months = occurrences(periods.MONTHLY, date(2026, 11, 15), date(2027, 2, 1))
        self.assertEqual([m.label for m in months], ["Tháng 11/2026", "Tháng 12/2026", "Tháng 1/2027", "Tháng 2/2027"])

    def test_a_task_done_once_has_no_occurrences(self) -> None:
        self.assertEqual(occurrences(periods.NONE, date(2026, 1, 1), date(2026, 12, 31)), [])
        self.assertEqual(occurrences("weekly", date(2026, 1, 1), date(2026, 12, 31)), [])

    def test_an_empty_span_has_no_occurrences(self) -> None:
        self.assertEqual(occurrences(periods.MONTHLY, date(2026, 6, 1), date(2026, 1, 1)), [])


class ShiftYearTestCase(SimpleTestCase):
    def test_it_keeps_the_day(self) -> None:
        self.assertEqual(shift_year(date(2026, 6, 30), 1), date(2027, 6, 30))
        self.assertEqual(shift_year(date(2026, 6, 30), -1), date(2025, 6, 30))

    def test_29_february_becomes_28_february_outside_leap_years(self) -> None:
        self.assertEqual(shift_year(date(2024, 2, 29), 1), date(2025, 2, 28))
        self.assertEqual(shift_year(date(2024, 2, 29), 4), date(2028, 2, 29))

    def test_no_date_stays_none(self) -> None:
        self.assertIsNone(shift_year(None, 1))


class HelpersTestCase(SimpleTestCase):
    def test_month_and_quarter_ends(self) -> None:
        self.assertEqual(periods.month_end(2028, 2), date(2028, 2, 29))
        self.assertEqual(periods.quarter_end(2026, 3), date(2026, 9, 30))
