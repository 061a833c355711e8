"""The working-day calendar: the year view every signed-in person reads, and the
exceptions (extra days off, swapped working days) administrators edit.

The calendar is national reference data, not an agency's: there is no object to
hide, so a person who may not edit it gets 403 rather than 404.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from accounts import access
from services import calendar
from services.calendar_forms import ExceptionForm
from services.models import CalendarException

# Column heads of the month grids, Monday first: "T2" … "CN" in Vietnamese.
WEEKDAY_INITIALS = [
    pgettext_lazy("weekday initial", "Mo"),
    pgettext_lazy("weekday initial", "Tu"),
    pgettext_lazy("weekday initial", "We"),
    pgettext_lazy("weekday initial", "Th"),
    pgettext_lazy("weekday initial", "Fr"),
    pgettext_lazy("weekday initial", "Sa"),
    pgettext_lazy("weekday initial", "Su"),
]


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"nav_active": "services", **context})


def _year(request: HttpRequest, today: date) -> int:
    """?year= when it is a year the calendar knows, else this year."""
    value = request.GET.get("year", "")
    if value.isascii() and value.isdigit() and calendar.FIRST_YEAR <= int(value) <= calendar.LAST_YEAR:
        return int(value)
    return today.year


def _calendar_url(year: int) -> str:
    return f"{reverse('services:calendar')}?year={year}"


def _require_manager(request: HttpRequest) -> None:
    if not access.can_manage_calendar(access.signed_in(request)):
        raise PermissionDenied


@login_required
def calendar_year(request: HttpRequest) -> HttpResponse:
    year = _year(request, timezone.localdate())
    language = calendar.language_of(translation.get_language())
    months = calendar.year_of(calendar.current(), year, language)
    exceptions = CalendarException.objects.filter(day__year=year).order_by("day")
    years = range(max(calendar.FIRST_YEAR, year - 3), min(calendar.LAST_YEAR, year + 3) + 1)
    return _page(
        request,
        "services/calendar.html",
        {
            "year": year,
            "years": years,
            "previous_year": year - 1 if year > calendar.FIRST_YEAR else None,
            "next_year": year + 1 if year < calendar.LAST_YEAR else None,
            "months": months,
            "working_days": sum(month.working_days for month in months),
            "weekdays": list(zip(WEEKDAY_INITIALS, WEEKDAYS.values(), strict=True)),
            "exceptions": exceptions,
            "can_manage": access.can_manage_calendar(access.signed_in(request)),
        },
    )


def _form(request: HttpRequest, exception: CalendarException | None) -> HttpResponse:
    _require_manager(request)
    form = ExceptionForm(request.POST if request.method == "POST" else None, instance=exception)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if exception is None:
            saved.created_by = access.signed_in(request)
        saved.save()
        messages.success(
            request,
            _("The exception on %(day)s (%(kind)s) was saved.")
            % {"day": f"{saved.day:%d/%m/%Y}", "kind": saved.get_kind_display()},
        )
        return redirect(_calendar_url(saved.day.year))
    year = exception.day.year if exception else _year(request, timezone.localdate())
    return _page(
        request,
        "services/exception_form.html",
        {"form": form, "exception": exception, "back_url": _calendar_url(year)},
    )


@login_required
def exception_create(request: HttpRequest) -> HttpResponse:
    return _form(request, None)


@login_required
def exception_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    return _form(request, get_object_or_404(CalendarException, pk=pk))


@login_required
@require_POST
def exception_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    exception = get_object_or_404(CalendarException, pk=pk)
    exception.delete()
    messages.success(
        request,
        _("The exception on %(day)s (%(kind)s) was deleted.")
        % {"day": f"{exception.day:%d/%m/%Y}", "kind": exception.get_kind_display()},
    )
    return redirect(_calendar_url(exception.day.year))
