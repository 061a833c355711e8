"""Forms of the consolidated report and of the province's pages."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from reports import calendar
from reports.models import PERIODIC, AgencyReport, AgencyReportStatus, ReportingPeriod

MAX_SECTION = 50_000
INBOX_STATUSES = (AgencyReportStatus.SENT, AgencyReportStatus.RETURNED, AgencyReportStatus.RECEIVED)


class AgencyReportForm(forms.ModelForm):
    class Meta:
        model = AgencyReport
        fields = [
            "title",
            "overview",
            "results",
            "limitations",
            "next_tasks",
            "proposals",
            "recipients",
            "signer_position",
            "signer_full_name",
        ]
        labels = {
            "overview": _("I. Leadership and direction"),
            "results": _("II. Results by reform area"),
            "limitations": _("III. Limitations and their causes"),
            "next_tasks": _("IV. Tasks for the next period"),
            "proposals": _("V. Proposals"),
        }
        widgets = {
            "title": forms.TextInput(),
            "overview": forms.Textarea(attrs={"rows": 8}),
            "results": forms.Textarea(attrs={"rows": 16}),
            "limitations": forms.Textarea(attrs={"rows": 10}),
            "next_tasks": forms.Textarea(attrs={"rows": 8}),
            "proposals": forms.Textarea(attrs={"rows": 4}),
            "recipients": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].required = True
        for name in ("overview", "results", "limitations", "next_tasks", "proposals", "recipients"):
            self.fields[name].validators.append(MaxLengthValidator(MAX_SECTION))

    def clean_recipients(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["recipients"].splitlines() if line.strip()]
        return "\n".join(lines)


class RefreshForm(forms.Form):
    replace_text = forms.BooleanField(
        label=_("Replace the text too (the edits made to the sections are lost)"), required=False
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def period_choices(year: int) -> list[tuple[str, str]]:
    """ "quarterly-1" → "Quarter I/2026" for every periodic report of the year."""
    return [
        (f"{frequency}-{number}", calendar.period_label(ReportingPeriod(frequency=frequency, year=year, number=number)))
        for frequency in PERIODIC
        for number in calendar.numbers(frequency)
    ]


def split_period(value: str) -> tuple[str, int] | None:
    frequency, _dash, number = value.rpartition("-")
    if not frequency or not number.isdigit():
        return None
    return frequency, int(number)


class PeriodForm(forms.Form):
    """Which period of the year: the province's status page."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    period = forms.ChoiceField(label=_("Period"), required=False)

    def __init__(self, *args: Any, years: list[int], year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = [(y, str(y)) for y in years]
        cast(forms.ChoiceField, self.fields["period"]).choices = period_choices(year)


class InboxForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    period = forms.ChoiceField(label=_("Period"), required=False)

    def __init__(self, *args: Any, years: list[int], year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", _("Any status")),
            *[(s.value, s.label) for s in INBOX_STATUSES],
        ]
        cast(forms.ChoiceField, self.fields["year"]).choices = [
            ("", _("Any year")),
            *[(year, str(year)) for year in years],
        ]
        cast(forms.ChoiceField, self.fields["period"]).choices = [("", _("Any period")), *period_choices(year)]
