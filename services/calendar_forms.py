"""The form of a calendar exception: an extra day off or a swapped working day."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.org_forms import date_input
from lib.workdays import Calendar
from services.calendar import FIRST_YEAR, LAST_YEAR
from services.models import CalendarException, ExceptionKind


class ExceptionForm(forms.ModelForm):
    class Meta:
        model = CalendarException
        fields = ["day", "kind", "name"]
        widgets = {"day": date_input()}
        help_texts = {"day": _("dd/mm/yyyy.")}
        error_messages = {"day": {"unique": _("This day already has an exception; edit that one instead.")}}

    def clean(self) -> dict:
        data = super().clean() or {}
        day, kind = data.get("day"), data.get("kind")
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.add_error(
                "day", _("Enter a day between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
            return data
        if day is None or not kind:
            return data
        # Against weekends and public holidays alone: the only other exception
        # that could fall on this day is a duplicate, which the unique day refuses.
        working = Calendar().is_working_day(day)
        if kind == ExceptionKind.WORKING and working:
            self.add_error("day", _("This day is already a working day."))
        elif kind == ExceptionKind.DAY_OFF and not working:
            self.add_error("day", _("This day is already a day off."))
        return data
