"""The working-day calendar in force: the `holidays` package plus the administrators' exceptions."""

from __future__ import annotations

from datetime import date

from lib.workdays import Calendar
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
