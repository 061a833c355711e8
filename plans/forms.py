"""Forms of the plan pages: the plan itself, its legal bases, its outline, copying and workflow steps.

Tasks, targets, areas and the Excel import have their own form modules.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency
from accounts.org_forms import choices, date_input
from plans.models import LegalBasis, Plan, ReformArea, Section

YEAR_MIN = 2000
YEAR_MAX = 2100


def year_field(label: Any, help_text: Any = "") -> forms.IntegerField:
    message = _("The year must be between 2000 and 2100.")
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={"min_value": message, "max_value": message},
    )


def default_year(today: date | None = None) -> int:
    """Plans are written in the last quarter for the year after."""
    today = today or timezone.localdate()
    return today.year + 1 if today.month >= 10 else today.year


class PlanForm(forms.ModelForm):
    """The plan's document block and free-text sections.

    Creating: `agencies` are those the person may create a plan for; a choice
    is shown only when there is more than one (the view sets it otherwise).
    """

    agency = forms.ModelChoiceField(label=_("agency"), queryset=Agency.objects.none())

    class Meta:
        model = Plan
        fields = [
            "agency",
            "kind",
            "year",
            "period_start",
            "period_end",
            "title",
            "doc_type",
            "place",
            "signer_authority",
            "signer_position",
            "signer_name",
            "recipients",
            "purpose",
            "requirements",
            "budget",
            "budget_amount",
            "organisation",
        ]
        widgets = {
            "period_start": date_input(),
            "period_end": date_input(),
            "title": forms.Textarea(attrs={"rows": 2}),
            "recipients": forms.Textarea(attrs={"rows": 5}),
            "purpose": forms.Textarea(attrs={"rows": 5}),
            "requirements": forms.Textarea(attrs={"rows": 5}),
            "budget": forms.Textarea(attrs={"rows": 3}),
            "organisation": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "period_start": _("Empty: 1 January of the year."),
            "period_end": _("Empty: 31 December of the year."),
        }

    def __init__(self, *args: Any, agencies: QuerySet[Agency] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"] = year_field(self.fields["year"].label, self.fields["year"].help_text)
        if not self.instance.pk and agencies is not None and len(agencies) == 1:
            self.instance.agency = agencies[0]
        if self.instance.pk or agencies is None or len(agencies) == 1:
            del self.fields["agency"]
        else:
            choices(self, "agency", agencies.order_by("name"))
        if self.instance.number:
            # The symbol was built from the type when the plan was numbered.
            self.fields["doc_type"].disabled = True

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        year = data.get("year")
        if "period_start" not in data or "period_end" not in data or not year:
            return data  # unreadable dates or year: their own errors say so
        # Empty dates become the first and last day of the year when saved.
        start = data["period_start"] or date(year, 1, 1)
        end = data["period_end"] or date(year, 12, 31)
        if end < start and data["period_end"]:
            self.add_error("period_end", _("The end of the period must not be before its start."))
        elif end < start:
            self.add_error("period_start", _("The start of the period must not be after its end."))
        elif end < date(year, 1, 1) or start > date(year, 12, 31):
            self.add_error(
                "period_start", _("The period must cover at least part of the year %(year)s.") % {"year": year}
            )
        return data


class LegalBasisForm(forms.ModelForm):
    class Meta:
        model = LegalBasis
        fields = ["doc_type", "symbol", "issued_on", "issuer", "summary", "order"]
        widgets = {"issued_on": date_input(), "summary": forms.Textarea(attrs={"rows": 3})}

    def save(self, commit: bool = True) -> LegalBasis:
        basis = super().save(commit=False)
        basis.linked_plan = basis.find_document()
        if commit:
            basis.save()
        return basis


class SectionForm(forms.ModelForm):
    """A heading of the plan's outline; its parent is another heading of the same plan."""

    class Meta:
        model = Section
        fields = ["label", "title", "parent", "order", "area"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        section: Section = self.instance
        parents = Section.objects.filter(plan_id=section.plan_id)
        if section.pk:
            parents = parents.exclude(pk__in=section_and_below(section))
        choices(self, "parent", parents.order_by("order", "pk"))
        choices(self, "area", ReformArea.objects.filter(is_active=True))
        self.fields["parent"].error_messages["invalid_choice"] = _(
            "Choose a heading of this plan that is not this heading or one below it."
        )


def section_and_below(section: Section) -> set[int]:
    """The primary keys of a heading and every heading under it."""
    found = {section.pk}
    rows = list(Section.objects.filter(plan_id=section.plan_id).values_list("pk", "parent_id"))
    grew = True
    while grew:
        grew = False
        for pk, parent_id in rows:
            if parent_id in found and pk not in found:
                found.add(pk)
                grew = True
    return found


class CopyForm(forms.Form):
    year = year_field(
        _("For the year"), _("Dates move by as many years; the year in titles and deadlines is replaced.")
    )


class StepForm(forms.Form):
    """What a workflow step may carry: a reason (returning) or the date of issue (issuing)."""

    note = forms.CharField(label=_("Reason"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    issued_on = forms.DateField(label=_("Date of issue"), required=False, widget=date_input())

    def clean_issued_on(self) -> date | None:
        issued_on: date | None = self.cleaned_data["issued_on"]
        if issued_on and issued_on > timezone.localdate():
            raise forms.ValidationError(_("The date of issue cannot be in the future."))
        return issued_on
