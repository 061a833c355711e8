"""Reporting periods of the service indicators: a year, a half, a quarter or a month.

    parse("2024")     → 2024,    01/01/2024–31/12/2024
    parse("2024-H1")  → 2024-H1, 01/01/2024–30/06/2024
    parse("2024-Q1")  → 2024-Q1, 01/01/2024–31/03/2024
    parse("2024-03")  → 2024-03, 01/03/2024–31/03/2024

Anything else raises `PeriodError` with a message that says which forms are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

FIRST_YEAR = 2000
LAST_YEAR = 2099

PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<half>[Hh][12])|(?P<quarter>[Qq][1-4])|(?P<month>\d{2})))?$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date

    def as_dict(self) -> dict[str, str]:
        return {"label": self.label, "start": self.start.isoformat(), "end": self.end.isoformat()}


def _month_end(year: int, month: int) -> date:
    return (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)


def months(year: int, first: int, last: int, label: str) -> Period:
    return Period(label, date(year, first, 1), _month_end(year, last))


def parse(text: str) -> Period:
    """The period a label names: "2024", "2024-H1", "2024-Q1" or "2024-03"."""
    value = (text or "").strip()
    match = PATTERN.match(value)
    if match is None:
        raise PeriodError(
            _(
                "“%(value)s” is not a period: write a year (2024), a half (2024-H1), "
                "a quarter (2024-Q1) or a month (2024-03)."
            )
            % {"value": value}
        )
    year = int(match["year"])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(
            _("The year must be between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    if match["half"]:
        half = int(match["half"][1])
        return months(year, 6 * half - 5, 6 * half, f"{year}-H{half}")
    if match["quarter"]:
        quarter = int(match["quarter"][1])
        return months(year, 3 * quarter - 2, 3 * quarter, f"{year}-Q{quarter}")
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise PeriodError(_("“%(value)s”: the month must be between 01 and 12.") % {"value": value})
        return months(year, month, month, f"{year}-{month:02d}")
    return months(year, 1, 12, str(year))


def quarter_of(day: date) -> Period:
    """The quarter `day` falls in (the indicators page opens on the current quarter)."""
    return parse(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


# The parts of a year offered by the page's selector, as label suffixes ("" is the whole year).
PARTS = ("", "H1", "H2", "Q1", "Q2", "Q3", "Q4", *(f"{m:02d}" for m in range(1, 13)))


def part_of(period: Period) -> str:
    """The part of its year a period is, as in `PARTS` ("2024-Q1" → "Q1")."""
    return period.label[5:]
