"""Forms of the self-assessment: opening the year's assessment, its texts, one item's score, evidence."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency
from indices import scoring
from indices.models import Assessment, CriteriaSet, Criterion
from plans.filters import date_input

MAX_TEXT = 20_000


class OpenForm(forms.Form):
    """The agency (one the person manages), the year and the set in use it is assessed against."""

    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    year = forms.IntegerField(label=_("Year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    criteria_set = forms.ModelChoiceField(label=_("Criteria set"), queryset=CriteriaSet.objects.none())
    self_due = forms.DateField(label=_("Self-assessment due"), required=False, widget=date_input())

    def __init__(self, *args: Any, agencies: QuerySet[Agency], sets: QuerySet[CriteriaSet], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ModelChoiceField)
        agency_field.queryset = agencies
        agency_field.label_from_instance = _agency_label  # type: ignore[method-assign,assignment]
        set_field = self.fields["criteria_set"]
        assert isinstance(set_field, forms.ModelChoiceField)
        set_field.queryset = sets
        set_field.label_from_instance = _set_label  # type: ignore[method-assign,assignment]


def _agency_label(agency: Agency) -> str:
    return agency.short_name or agency.name


def _set_label(criteria_set: CriteriaSet) -> str:
    return (
        f"{criteria_set.name} ({criteria_set.year}, {criteria_set.get_agency_kind_display()}, v{criteria_set.version})"
    )


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["summary", "difficulties", "proposals", "self_due", "explanation_due"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "difficulties": forms.Textarea(attrs={"rows": 6}),
            "proposals": forms.Textarea(attrs={"rows": 4}),
            "self_due": date_input(),
            "explanation_due": date_input(),
        }
        help_texts = {
            "summary": _("Printed in part I of the self-assessment report, above the totals."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("summary", "difficulties", "proposals"):
            self.fields[name].validators.append(MaxLengthValidator(MAX_TEXT))


class ScoreForm(forms.Form):
    """One item's self score: a number (or one of the set's options), how it was reached, the explanation."""

    self_score = forms.CharField(label=_("Self score"), required=False, max_length=20)
    self_note = forms.CharField(
        label=_("How the score was reached"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    explanation = forms.CharField(
        label=_("Explanation (giải trình)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when no evidence proves the score."),
    )
    not_applicable = forms.BooleanField(label=_("This item does not apply to the agency"), required=False)
    not_applicable_reason = forms.CharField(
        label=_("Why it does not apply"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, criterion: Criterion, declarable: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = scoring.option_points(criterion)
        if options:
            labels = [str(option.get("label", "")) for option in criterion.options or []]
            choices: list[tuple[str, str]] = [("", str(_("(not scored yet)")))]
            for points, label in zip(options, labels, strict=False):
                shown = formats.number_format(points, 2)
                choices.append((f"{points:.2f}", f"{shown} — {label}" if label else shown))
            self.fields["self_score"] = forms.ChoiceField(label=_("Self score"), required=False, choices=choices)
        else:
            help_text = _("At most %(max)s points.") % {"max": formats.number_format(criterion.max_points, 2)}
            if criterion.step:
                help_text += " " + _("In steps of %(step)s.") % {"step": formats.number_format(criterion.step, 2)}
            self.fields["self_score"].help_text = help_text
            self.fields["self_score"].widget.attrs.update({"inputmode": "decimal", "size": 8})
        if not declarable:
            del self.fields["not_applicable"]
            del self.fields["not_applicable_reason"]
        for name in ("self_note", "explanation"):
            self.fields[name].validators.append(MaxLengthValidator(MAX_TEXT))


EVIDENCE_KINDS = [
    ("file", _("Uploaded file")),
    ("document", _("Issued document")),
    ("plan", _("Plan")),
    ("task", _("Task")),
    ("target", _("Target")),
    ("agency_report", _("Consolidated report")),
]


class EvidenceForm(forms.Form):
    """A file, or the ID of one record (from the suggestions), with the page or section it proves."""

    kind = forms.ChoiceField(label=_("Evidence"), choices=EVIDENCE_KINDS)
    file = forms.FileField(label=_("File"), required=False)
    document = forms.IntegerField(required=False, widget=forms.HiddenInput)
    plan = forms.IntegerField(required=False, widget=forms.HiddenInput)
    task = forms.IntegerField(required=False, widget=forms.HiddenInput)
    target = forms.IntegerField(required=False, widget=forms.HiddenInput)
    agency_report = forms.IntegerField(required=False, widget=forms.HiddenInput)
    locator = forms.CharField(
        label=_("Page or section"), required=False, max_length=255, help_text=_("e.g. p. 3, section II.2")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == "file" and not data.get("file"):
            self.add_error("file", _("Choose the file to upload."))
        elif kind and kind != "file" and not data.get(kind):
            raise forms.ValidationError(_("Choose the record to link."))
        return data
