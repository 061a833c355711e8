"""Forms of the appraisal, survey points and ranking pages.

The appraisal, answer and survey tables are read row by row in the views
(`row_value`), since their rows are the assessment's scores; the checks live
in `indices.appraisal` so the pages and the workflow refuse the same things.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, AgencyKind
from accounts.org_forms import date_input
from indices.models import AssessmentStatus
from indices.scoring import STAGES
from lib import xlsx

APPRAISAL_STATUSES = [s for s in AssessmentStatus if s != AssessmentStatus.SELF]
MAX_TEXT = 5000


def row_value(data: QueryDict, pk: int, name: str) -> str:
    """The typed value of a table row's input `r<pk>-<name>` (blank when absent)."""
    return (data.get(f"r{pk}-{name}") or "").strip()[:MAX_TEXT]


class AppraisalFilter(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = [("", _("Any year")), *[(y, str(y)) for y in years]]
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", _("Any status after submission")),
            *[(s.value, s.label) for s in APPRAISAL_STATUSES],
        ]


class ExplanationDueForm(forms.Form):
    due = forms.DateField(
        label=_("Explanations due"),
        widget=date_input(),
        error_messages={"required": _("Give the date the agency's explanations are due.")},
    )


STAGE_LABELS = {"self": _("Self-assessed"), "appraised": _("Appraised"), "final": _("Final")}


class RankingFilter(forms.Form):
    province = forms.TypedChoiceField(label=_("Province"), coerce=int, required=False, empty_value=None)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind of agency"), choices=AgencyKind.choices, required=False)
    stage = forms.ChoiceField(label=_("Scores"), required=False)

    def __init__(self, *args: Any, provinces: list[Agency], years: list[int], stages: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["province"]).choices = [(p.pk, p.name) for p in provinces]
        cast(forms.ChoiceField, self.fields["year"]).choices = [(y, str(y)) for y in years]
        if stages:
            cast(forms.ChoiceField, self.fields["stage"]).choices = [(s, STAGE_LABELS[s]) for s in reversed(STAGES)]
        else:
            del self.fields["stage"]


class SurveyImportForm(forms.Form):
    province = forms.ModelChoiceField(label=_("Province"), queryset=Agency.objects.none())
    year = forms.IntegerField(label=_("Year assessed"), min_value=2000, max_value=2100)
    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"),
        help_text=_("One row per agency and survey item: agency code, criterion code, points."),
    )

    def __init__(self, *args: Any, provinces: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["province"])
        field.queryset = provinces
        field.empty_label = None

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > xlsx.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB. Split it into smaller files."),
                params={"limit": xlsx.MAX_BYTES // (1024 * 1024)},
            )
        return upload


class SurveySourceForm(forms.Form):
    source = forms.CharField(
        label=_("Source of the points"),
        max_length=255,
        required=False,
        help_text=_("e.g. the survey report and its date."),
    )
