"""Deadlines as plans print them, normalised to dates.

Appendix tables say "Quý II/2022", "Tháng 6", "6 tháng đầu năm", "Trước
30/6/2026", "Thường xuyên". `parse_due` turns such a text into the last day it
names (and a recurrence for the recurring ones), relative to the plan's year
when the text gives none. `occurrences` lists the periods a recurring task
repeats in. Nothing is guessed: a text we cannot read gives `None`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from lib.text import fold

# Recurrence values, shared with plans.models.Recurrence.
NONE = ""
CONTINUOUS = "continuous"
MONTHLY = "monthly"
QUARTERLY = "quarterly"
HALF_YEARLY = "half_yearly"
YEARLY = "yearly"

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass(frozen=True)
class Due:
    date: date | None
    recurrence: str = NONE


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> date:
    return month_end(year, quarter * 3)


_YEAR = r"(?:/|\s*nam\s*|\s+)(\d{4})"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:truoc|han|den|cham nhat)?\s*(?:ngay\s*)?(\d{1,2})/(\d{1,2})/(\d{4})$"), "day"),
    (re.compile(r"^(?:truoc|han|den|cham nhat)?\s*(?:ngay\s*)?(\d{1,2})/(\d{1,2})$"), "day_no_year"),
    (re.compile(r"^(?:trong\s+)?quy\s+(iv|iii|ii|i|[1-4])(?:" + _YEAR + r")?$"), "quarter"),
    (re.compile(r"^(?:trong\s+)?thang\s+(\d{1,2})(?:" + _YEAR + r")?$"), "month"),
    (re.compile(r"^(?:trong\s+)?(?:6|sau) thang dau nam(?:\s*(\d{4}))?$"), "first_half"),
    (re.compile(r"^(?:trong\s+)?(?:6|sau) thang cuoi nam(?:\s*(\d{4}))?$"), "second_half"),
    (re.compile(r"^(?:trong\s+)?(?:nam\s+)?(\d{4})$"), "year"),
    (re.compile(r"^(?:ca nam|trong nam|cuoi nam)$"), "this_year"),
]

_RECURRING: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:thuong xuyen|lien tuc)"), CONTINUOUS),
    (re.compile(r"^(?:hang|hng|moi|dinh ky hang|dinh ky) thang"), MONTHLY),
    (re.compile(r"^(?:hang|moi|dinh ky hang|dinh ky) quy"), QUARTERLY),
    (re.compile(r"^(?:dinh ky )?(?:6 thang|sau thang) mot lan|^hang 6 thang|^dinh ky 6 thang"), HALF_YEARLY),
    (re.compile(r"^(?:hang|moi|dinh ky hang|dinh ky) nam"), YEARLY),
]


def parse_due(text: str | None, year: int | None = None) -> Due:
    """The date a printed deadline names, and whether the task recurs.

    `year` is the plan's year, used when the text names no year ("Tháng 6").
    """
    folded = fold(text).strip(" .;,")
    if not folded:
        return Due(None)
    for pattern, recurrence in _RECURRING:
        if pattern.search(folded):
            return Due(date(year, 12, 31) if year else None, recurrence)
    for pattern, kind in _PATTERNS:
        match = pattern.match(folded)
        if match:
            return Due(_date(kind, match.groups(), year))
    return Due(None)


def _date(kind: str, groups: tuple[str | None, ...], year: int | None) -> date | None:
    def pick(value: str | None) -> int | None:
        return int(value) if value else year

    try:
        if kind == "day":
            return date(int(groups[2] or 0), int(groups[1] or 0), int(groups[0] or 0))
        if kind == "day_no_year":
            return date(year, int(groups[1] or 0), int(groups[0] or 0)) if year else None
        if kind == "quarter":
            y = pick(groups[1])
            quarter = ROMAN.get(groups[0] or "") or int(groups[0] or 0)
            return quarter_end(y, quarter) if y else None
        if kind == "month":
            y = pick(groups[1])
            return month_end(y, int(groups[0] or 0)) if y else None
        if kind == "first_half":
            y = pick(groups[0])
            return date(y, 6, 30) if y else None
        if kind == "second_half":
            y = pick(groups[0])
            return date(y, 12, 31) if y else None
        if kind == "year":
            return date(int(groups[0] or 0), 12, 31)
        if kind == "this_year":
            return date(year, 12, 31) if year else None
    except ValueError:  # "Tháng 13", "31/02/2026"
        return None
    return None


def occurrences(recurrence: str, start: date, end: date) -> list[Period]:
    """The periods a recurring task repeats in between two dates (inclusive).

    A continuous task ("Thường xuyên") is checked every quarter, when units report.
    """
    periods: list[Period] = []
    if recurrence in (MONTHLY,):
        step = 1
    elif recurrence in (QUARTERLY, CONTINUOUS):
        step = 3
    elif recurrence == HALF_YEARLY:
        step = 6
    elif recurrence == YEARLY:
        step = 12
    else:
        return periods
    year, month = start.year, 1
    while True:
        first = date(year, month, 1)
        last = month_end(year, month + step - 1)
        if first > end:
            break
        if last >= start:
            periods.append(Period(_label(step, year, month), first, last))
        month += step
        if month > 12:
            year, month = year + 1, 1
    return periods


def _label(step: int, year: int, month: int) -> str:
    """Period names as plans print them; these are data, not interface text."""
    if step == 1:
        return f"Tháng {month}/{year}"
    if step == 3:
        return f"Quý {['I', 'II', 'III', 'IV'][(month - 1) // 3]}/{year}"
    if step == 6:
        return f"6 tháng {'đầu' if month == 1 else 'cuối'} năm {year}"
    return f"Năm {year}"


def shift_year(value: date | None, years: int) -> date | None:
    """The same day some years later; 29 February becomes 28 February."""
    if value is None:
        return None
    try:
        return value.replace(year=value.year + years)
    except ValueError:
        return value.replace(year=value.year + years, day=28)
