"""Working days in Vietnam: weekends, public holidays (the `holidays` package) and exceptions.

`Calendar` answers whether a day is a working day and computes due dates the
way ../shared/domain/one-stop.md fixes them:

- public holidays, Tết and their official in-lieu days come from `holidays`
  (country VN); administrators add per-year exceptions: extra days off, and
  swapped working days (a Saturday declared a working day, e.g. 04/05/2024,
  which the package records only as the day off it bought, 29/04/2024);
- a limit of N working days starts the day after receipt (Civil Code 2015,
  art. 147): the due date is the N-th working day after the day received;
- a limit in hours counts office hours (default 07:30–11:30 and 13:00–17:00);
- a limit in calendar days or months counts calendar time, and a due date that
  falls on a day off moves to the next working day (art. 148).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta

WORKING_DAYS = "working_days"
DAYS = "days"
HOURS = "hours"
MONTHS = "months"

DEFAULT_HOURS: tuple[tuple[time, time], ...] = ((time(7, 30), time(11, 30)), (time(13, 0), time(17, 0)))
# Bound every walk over days: a limit longer than this is a data error, not a deadline.
MAX_DAYS = 3660


# The package's languages for the interface's: names are printed in the reader's language.
LANGUAGES = {"vi": "vi", "en": "en_US"}


@lru_cache(maxsize=64)
def public_holidays(year: int, language: str = "vi") -> dict[date, str]:
    """Vietnam's public holidays and in-lieu days of a year, as the `holidays` package knows them."""
    return dict(holidays.country_holidays("VN", years=year, language=LANGUAGES.get(language, "vi")).items())


@dataclass(frozen=True)
class Calendar:
    """The working-day calendar: the package's holidays plus the administrators' exceptions."""

    days_off: frozenset[date] = frozenset()
    working: frozenset[date] = frozenset()
    hours: tuple[tuple[time, time], ...] = DEFAULT_HOURS
    names: dict[date, str] = field(default_factory=dict, compare=False)

    @classmethod
    def with_exceptions(
        cls, days_off: Iterable[date] = (), working: Iterable[date] = (), names: dict[date, str] | None = None
    ) -> Calendar:
        return cls(frozenset(days_off), frozenset(working), names=dict(names or {}))

    def holiday(self, day: date, language: str = "vi") -> str | None:
        """The name of the public holiday or exception on `day`, if any."""
        return self.names.get(day) or public_holidays(day.year, language).get(day)

    def is_working_day(self, day: date) -> bool:
        if day in self.working:
            return True
        if day in self.days_off or day.weekday() >= 5:
            return False
        return day not in public_holidays(day.year)

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, else the first one after it."""
        for _ in range(MAX_DAYS):
            if self.is_working_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError("no working day within ten years")

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`-th working day after `start` (`start` itself when count is 0)."""
        if count < 0:
            raise ValueError("count must not be negative")
        day = start
        for _ in range(count):
            day = self.next_working_day(day + timedelta(days=1))
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end ≤ start)."""
        if end <= start or (end - start).days > MAX_DAYS:
            return 0
        return sum(1 for n in range(1, (end - start).days + 1) if self.is_working_day(start + timedelta(days=n)))

    def working_days_in(self, year: int, month: int | None = None) -> list[date]:
        first = date(year, month or 1, 1)
        last = (first + relativedelta(months=1) if month else date(year + 1, 1, 1)) - timedelta(days=1)
        return [
            first + timedelta(days=n)
            for n in range((last - first).days + 1)
            if self.is_working_day(first + timedelta(days=n))
        ]

    def add_working_hours(self, start: datetime, hours: Decimal | float) -> datetime:
        """The moment `hours` office hours after `start` (which may fall outside office hours)."""
        remaining = timedelta(hours=float(hours))
        moment = start
        for _ in range(MAX_DAYS):
            day = moment.date()
            if self.is_working_day(day):
                for opens, closes in self.hours:
                    begin = max(moment, datetime.combine(day, opens, tzinfo=moment.tzinfo))
                    end = datetime.combine(day, closes, tzinfo=moment.tzinfo)
                    if begin >= end:
                        continue
                    if begin + remaining <= end:
                        return begin + remaining
                    remaining -= end - begin
                    moment = end
            moment = datetime.combine(day + timedelta(days=1), time.min, tzinfo=moment.tzinfo)
        raise ValueError("the limit is longer than ten years")

    def due(self, received: datetime, limit: Decimal | float | int, unit: str, extra_working_days: int = 0) -> date:
        """The due date of a dossier received at `received` with a processing time limit.

        A limit of working days that is not whole counts its fraction in office
        hours (half a day = half of the office day). `extra_working_days` (the
        applicant's time supplementing the dossier) pushes the date by that many
        working days.
        """
        value = Decimal(str(limit))
        if value < 0:
            raise ValueError("the limit must not be negative")
        if unit == WORKING_DAYS:
            whole = int(value)
            due = self.add_working_days(received.date(), whole)
            fraction = value - whole
            if fraction:
                office_day = sum(
                    (datetime.combine(date.min, b) - datetime.combine(date.min, a)).seconds / 3600
                    for a, b in self.hours
                )
                start = received if whole == 0 else datetime.combine(due, self.hours[-1][1], tzinfo=received.tzinfo)
                due = self.add_working_hours(start, fraction * Decimal(str(office_day))).date()
        elif unit == HOURS:
            due = self.add_working_hours(received, value).date()
        elif unit == DAYS:
            due = self.next_working_day(received.date() + timedelta(days=math.ceil(value)))
        elif unit == MONTHS:
            due = self.next_working_day(received.date() + relativedelta(months=math.ceil(value)))
        else:
            raise ValueError(f"unknown unit of time: {unit}")
        return self.add_working_days(due, extra_working_days) if extra_working_days else due
