"""services.calendar: the calendar in force and the year view built from it (hand-worked 2024)."""

from __future__ import annotations

from datetime import date

from services import calendar
from services.calendar import DayKind
from services.models import CalendarException, ExceptionKind
from services.tests.base import ServicesTestCase


class CurrentTestCase(ServicesTestCase):
    def test_it_reads_every_exception_in_one_query(self) -> None:
        CalendarException.objects.create(day=date(2024, 9, 4), kind=ExceptionKind.DAY_OFF, name="Nghỉ thêm")
        with self.assertNumQueries(1):
            cal = calendar.current()
        self.assertEqual(cal.working, frozenset({date(2024, 5, 4)}))
        self.assertEqual(cal.days_off, frozenset({date(2024, 9, 4)}))
        self.assertEqual(cal.holiday(date(2024, 9, 4)), "Nghỉ thêm")

    def test_it_makes_the_swapped_saturday_a_working_day(self) -> None:
        cal = calendar.current()
        self.assertTrue(cal.is_working_day(date(2024, 5, 4)))
        self.assertFalse(cal.is_working_day(date(2024, 5, 11)))  # an ordinary Saturday
        self.assertFalse(cal.is_working_day(date(2024, 4, 29)))  # the day off it bought

    def test_it_counts_the_swapped_saturday_in_due_dates(self) -> None:
        # Received Fri 03/05/2024, 1 working day: the worked Saturday 04/05 is the due date.
        self.assertEqual(calendar.current().add_working_days(date(2024, 5, 3), 1), date(2024, 5, 4))
        CalendarException.objects.all().delete()
        self.assertEqual(calendar.current().add_working_days(date(2024, 5, 3), 1), date(2024, 5, 6))


class YearViewTestCase(ServicesTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.months = calendar.year_of(calendar.current(), 2024, "en")
        self.days = {d.day: d for m in self.months for week in m.weeks for d in week if d is not None}

    def test_it_marks_tet_2024_as_public_holidays(self) -> None:
        for n in range(8, 15):
            self.assertEqual(self.days[date(2024, 2, n)].kind, DayKind.HOLIDAY, n)
        self.assertEqual(self.days[date(2024, 2, 10)].name, "Lunar New Year")
        self.assertEqual(self.days[date(2024, 2, 7)].kind, DayKind.WORKING)
        self.assertEqual(self.days[date(2024, 2, 15)].kind, DayKind.WORKING)

    def test_it_names_the_bridge_day_off_as_the_package_does(self) -> None:
        day = self.days[date(2024, 4, 29)]
        self.assertEqual(day.kind, DayKind.HOLIDAY)
        self.assertEqual(day.name, "Day off (substituted from 05/04/2024)")

    def test_it_names_holidays_in_vietnamese(self) -> None:
        day = calendar.day_of(calendar.current(), date(2024, 9, 2), "vi")
        self.assertEqual(day.name, "Quốc khánh")

    def test_it_marks_the_swapped_saturday_with_its_reason(self) -> None:
        day = self.days[date(2024, 5, 4)]
        self.assertEqual(day.kind, DayKind.SWAPPED)
        self.assertTrue(day.is_working)
        self.assertTrue(day.is_exception)
        self.assertEqual(day.name, "Làm bù cho ngày nghỉ 29/04/2024")
        self.assertEqual(self.days[date(2024, 5, 5)].kind, DayKind.WEEKEND)

    def test_it_marks_an_extra_day_off(self) -> None:
        CalendarException.objects.create(day=date(2024, 9, 4), kind=ExceptionKind.DAY_OFF, name="Nghỉ thêm")
        day = calendar.day_of(calendar.current(), date(2024, 9, 4))
        self.assertEqual((day.kind, day.name, day.is_working), (DayKind.DAY_OFF, "Nghỉ thêm", False))

    def test_it_lays_weeks_from_monday_to_sunday(self) -> None:
        february = self.months[1]
        # 01/02/2024 is a Thursday: three empty cells before it; 29/02 is a Thursday too.
        self.assertEqual(february.weeks[0][:4], [None, None, None, self.days[date(2024, 2, 1)]])
        self.assertEqual(len(february.weeks), 5)
        self.assertTrue(all(len(week) == 7 for week in february.weeks))
        self.assertEqual(february.weeks[-1][3], self.days[date(2024, 2, 29)])
        self.assertEqual(february.weeks[-1][4:], [None, None, None])

    def test_it_counts_working_days_per_month(self) -> None:
        counts = [m.working_days for m in self.months]
        # February: 21 weekdays less the five Tết days on weekdays (08, 09, 12, 13, 14) = 16.
        self.assertEqual(counts[1], 16)
        # April: 22 weekdays less 18/04 (Giỗ Tổ), 29/04 (bridge day off) and 30/04 = 19.
        self.assertEqual(counts[3], 19)
        # May: 23 weekdays less 01/05, plus the worked Saturday 04/05 = 23.
        self.assertEqual(counts[4], 23)
        # September: 21 weekdays less 02/09 and 03/09 = 19.
        self.assertEqual(counts[8], 19)

    def test_it_counts_the_working_days_of_the_year(self) -> None:
        # 2024: 262 weekdays, 12 public holidays on weekdays, one worked Saturday.
        self.assertEqual(sum(m.working_days for m in self.months), 251)

    def test_it_agrees_with_the_calendar(self) -> None:
        cal = calendar.current()
        for month in self.months:
            self.assertEqual(month.working_days, len(cal.working_days_in(2024, month.first.month)))

    def test_it_reads_interface_language_codes(self) -> None:
        self.assertEqual(calendar.language_of("en"), "en")
        self.assertEqual(calendar.language_of("en-gb"), "en")
        self.assertEqual(calendar.language_of("vi"), "vi")
        self.assertEqual(calendar.language_of(None), "vi")
