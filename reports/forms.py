"""Forms of the reporting pages: the calendar, ad-hoc requests, a period's dates, a unit's narrative, a review."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.org_forms import date_input
from reports.models import ReportingPeriod, ReportingSchedule, UnitReport, UrgingPolicy

DATE_FIELDS = ("start", "cutoff", "opens_on", "unit_due", "agency_due")


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = ReportingSchedule
        fields = ["active", "cutoff_day", "only", "opens_days_before", "unit_due_days", "agency_due_days"]


ScheduleFormSet = forms.modelformset_factory(
    ReportingSchedule, form=ScheduleForm, extra=0, can_delete=False, edit_only=True
)


class PolicyForm(forms.ModelForm):
    class Meta:
        model = UrgingPolicy
        fields = [
            "active",
            "task_days_before",
            "report_days_before",
            "escalate_to_head_after",
            "escalate_to_office_after",
            "send_hour",
            "digest_weekday",
        ]


class PeriodForm(forms.ModelForm):
    """A period's dates (and, for an ad-hoc request, what is asked and by whom)."""

    class Meta:
        model = ReportingPeriod
        fields = ["title", "request_reference", *DATE_FIELDS]
        widgets = {name: date_input() for name in DATE_FIELDS}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.frequency and self.instance.frequency != "ad_hoc":
            del self.fields["title"]
            del self.fields["request_reference"]
        else:
            self.fields["title"].required = True


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = UnitReport
        fields = ["results", "limitations", "proposals", "next_tasks"]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in fields}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments for the unit"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what the unit should change before returning the report.")},
    )
