"""The working-day calendar in force: the `holidays` package plus the administrators' exceptions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from lib.workdays import Calendar, public_holidays
from services.models import CalendarException, ExceptionKind


def current() -> Calendar:
    """A `Calendar` with every exception recorded (a few rows a year: read them all)."""
    days_off: list[date] = []
    working: list[date] = []
    names: dict[date, str] = {}
    for exception in CalendarException.objects.all():
        (working if exception.kind == ExceptionKind.WORKING else days_off).append(exception.day)
        names[exception.day] = exception.name
    return Calendar.with_exceptions(days_off, working, names)


# The year view ---------------------------------------------------------------

# Years the calendar is shown and edited for (the lunar holidays are known for these).
FIRST_YEAR = 2000
LAST_YEAR = 2099


class DayKind(StrEnum):
    WORKING = "working"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    DAY_OFF = "dayoff"  # an administrators' extra day off
    SWAPPED = "swapped"  # an administrators' working day on a day otherwise off


@dataclass(frozen=True)
class Day:
    day: date
    kind: DayKind
    name: str = ""  # the holiday's name or the exception's reason

    @property
    def is_working(self) -> bool:
        return self.kind in (DayKind.WORKING, DayKind.SWAPPED)

    @property
    def is_exception(self) -> bool:
        return self.kind in (DayKind.DAY_OFF, DayKind.SWAPPED)


@dataclass(frozen=True)
class Month:
    first: date
    weeks: list[list[Day | None]]  # Monday to Sunday; None pads the days of other months
    working_days: int


def language_of(code: str | None) -> str:
    """The calendar's language for an interface language code ("en-gb" → "en")."""
    return "en" if (code or "").lower().startswith("en") else "vi"


def day_of(calendar: Calendar, day: date, language: str = "vi") -> Day:
    """What `day` is in `calendar`, with the name shown to the reader."""
    if day in calendar.working:
        kind = DayKind.SWAPPED
    elif day in calendar.days_off:
        kind = DayKind.DAY_OFF
    elif day in public_holidays(day.year):
        kind = DayKind.HOLIDAY
    elif day.weekday() >= 5:
        kind = DayKind.WEEKEND
    else:
        return Day(day, DayKind.WORKING)
    return Day(day, kind, calendar.holiday(day, language) or "")


def month_of(calendar: Calendar, year: int, month: int, language: str = "vi") -> Month:
    first = date(year, month, 1)
    cells: list[Day | None] = [None] * first.weekday()
    day = first
    while day.month == month:
        cells.append(day_of(calendar, day, language))
        day += timedelta(days=1)
    cells += [None] * (-len(cells) % 7)
    weeks = [cells[n : n + 7] for n in range(0, len(cells), 7)]
    working = sum(1 for cell in cells if cell is not None and cell.is_working)
    return Month(first, weeks, working)


def year_of(calendar: Calendar, year: int, language: str = "vi") -> list[Month]:
    """The twelve months of `year`, every day marked."""
    return [month_of(calendar, year, month, language) for month in range(1, 13)]
