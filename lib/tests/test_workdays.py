"""Hand-worked working days: Tết 2024, the swapped Saturday 04/05/2024, hours, days and months."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase

from lib.workdays import DAYS, HOURS, MONTHS, WORKING_DAYS, Calendar

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
# 04/05/2024 (a Saturday) was worked to make 29/04 a day off: the package knows the day off only.
CALENDAR = Calendar.with_exceptions(working=[date(2024, 5, 4)])


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZONE)


class WorkdaysTestCase(SimpleTestCase):
    def test_tet_2024_and_weekends_are_days_off(self) -> None:
        for day in range(8, 15):  # Thu 08/02 to Wed 14/02/2024
            self.assertFalse(CALENDAR.is_working_day(date(2024, 2, day)), day)
        self.assertTrue(CALENDAR.is_working_day(date(2024, 2, 15)))
        self.assertFalse(CALENDAR.is_working_day(date(2024, 2, 17)))  # Saturday
        self.assertEqual(CALENDAR.holiday(date(2024, 2, 10)), "Tết Nguyên Đán")

    def test_the_worked_saturday_and_the_day_off_it_bought(self) -> None:
        self.assertTrue(CALENDAR.is_working_day(date(2024, 5, 4)))
        self.assertFalse(CALENDAR.is_working_day(date(2024, 4, 29)))
        self.assertFalse(Calendar().is_working_day(date(2024, 5, 4)))  # without the exception

    def test_extra_days_off(self) -> None:
        calendar = Calendar.with_exceptions(days_off=[date(2024, 3, 8)], names={date(2024, 3, 8): "Nghỉ bù"})
        self.assertFalse(calendar.is_working_day(date(2024, 3, 8)))
        self.assertEqual(calendar.holiday(date(2024, 3, 8)), "Nghỉ bù")

    def test_a_working_day_limit_starts_the_day_after_receipt(self) -> None:
        # The example of one-stop.md: received Wed 07/02/2024, 3 working days → Mon 19/02/2024.
        self.assertEqual(CALENDAR.due(at(2024, 2, 7), 3, WORKING_DAYS), date(2024, 2, 19))
        # Received on Friday 03/05, 2 working days: Sat 04/05 is worked, Mon 06/05.
        self.assertEqual(CALENDAR.due(at(2024, 5, 3), 2, WORKING_DAYS), date(2024, 5, 6))
        # Received on a day off (Sunday 05/05): still the day after receipt.
        self.assertEqual(CALENDAR.due(at(2024, 5, 5), 1, WORKING_DAYS), date(2024, 5, 6))
        self.assertEqual(CALENDAR.due(at(2024, 2, 7), 0, WORKING_DAYS), date(2024, 2, 7))

    def test_the_applicants_supplement_days_push_the_date(self) -> None:
        self.assertEqual(CALENDAR.due(at(2024, 2, 7), 3, WORKING_DAYS, extra_working_days=2), date(2024, 2, 21))

    def test_hours_count_office_hours(self) -> None:
        # 4 hours from 10:00 Wednesday: 10:00–11:30 and 13:00–15:30 the same day.
        self.assertEqual(CALENDAR.add_working_hours(at(2024, 3, 6, 10), 4), at(2024, 3, 6, 15, 30))
        # From 16:00 on 07/02/2024: one hour that day, the rest after Tết.
        self.assertEqual(CALENDAR.add_working_hours(at(2024, 2, 7, 16), 4), at(2024, 2, 15, 10, 30))
        self.assertEqual(CALENDAR.due(at(2024, 2, 7, 16), 4, HOURS), date(2024, 2, 15))
        # Half a working day (4 of the 8 office hours).
        self.assertEqual(CALENDAR.due(at(2024, 3, 6, 14), Decimal("0.5"), WORKING_DAYS), date(2024, 3, 7))

    def test_calendar_days_and_months_move_off_days_off(self) -> None:
        # 5 days from Sat 03/02/2024 is Thu 08/02, in Tết: the next working day, 15/02.
        self.assertEqual(CALENDAR.due(at(2024, 2, 3), 5, DAYS), date(2024, 2, 15))
        self.assertEqual(CALENDAR.due(at(2024, 3, 4), 10, DAYS), date(2024, 3, 14))
        # A month from 31/01/2024 is 29/02/2024 (a Thursday).
        self.assertEqual(CALENDAR.due(at(2024, 1, 31), 1, MONTHS), date(2024, 2, 29))
        # A month from 30/03/2024 is 30/04, a holiday, then 01/05 too: Thursday 02/05.
        self.assertEqual(CALENDAR.due(at(2024, 3, 30), 1, MONTHS), date(2024, 5, 2))

    def test_working_days_between(self) -> None:
        self.assertEqual(CALENDAR.working_days_between(date(2024, 2, 7), date(2024, 2, 19)), 3)
        self.assertEqual(CALENDAR.working_days_between(date(2024, 2, 19), date(2024, 2, 7)), 0)
        self.assertEqual(len(CALENDAR.working_days_in(2024, 2)), 16)

    def test_bad_limits_are_refused(self) -> None:
        with self.assertRaises(ValueError):
            CALENDAR.due(at(2024, 2, 7), -1, WORKING_DAYS)
        with self.assertRaises(ValueError):
            CALENDAR.due(at(2024, 2, 7), 1, "weeks")
