"""Forms of the criteria sets: a set's own fields, one criterion, an upload."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import access
from accounts.models import Agency, AgencyKind, User
from accounts.org_forms import choices, date_input
from indices import criteria
from indices.models import CriteriaSet, Criterion
from lib import xlsx

_CODE = re.compile(r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$")


def province_choices(user: User) -> QuerySet[Agency]:
    """The provinces whose sets the person keeps: administrators any, overseers their own."""
    provinces = Agency.objects.filter(kind=AgencyKind.PROVINCE).current().order_by("name")
    if access.is_admin(user):
        return provinces
    return provinces.filter(pk__in=access.overseen_provinces(user))


def _province_field(form: forms.BaseForm, user: User) -> None:
    choices(form, "province", province_choices(user), lambda agency: agency.place_name or agency.name)
    field = form.fields["province"]
    assert isinstance(field, forms.ModelChoiceField)
    if access.is_admin(user):
        field.required = False
        field.empty_label = gettext_lazy("None: a national set")
    else:
        field.required = True
        field.empty_label = None


class CriteriaSetForm(forms.ModelForm):
    """A set's own fields; the province only when it is created."""

    province = forms.ModelChoiceField(label=gettext_lazy("province"), queryset=Agency.objects.none())
    bands_text = forms.CharField(
        label=gettext_lazy("ranking groups"),
        max_length=500,
        help_text=gettext_lazy(
            "From the highest: label=lowest index, separated by semicolons, e.g. A=90; B=80; C=70; D=0."
        ),
    )

    class Meta:
        model = CriteriaSet
        fields = [
            "province",
            "name",
            "year",
            "agency_kind",
            "decision",
            "decision_date",
            "decimals",
            "cap_at_100",
            "notes",
        ]
        widgets = {"decision_date": date_input(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["province"]
        else:
            _province_field(self, user)
        self.fields["bands_text"].initial = criteria.bands_text(self.instance.bands)
        # The groups read best right after the rounding they depend on.
        self.order_fields([*self.Meta.fields[:-2], "bands_text", "cap_at_100", "notes"])

    def clean_bands_text(self) -> str:
        text = self.cleaned_data["bands_text"]
        bands, errors = criteria.parse_bands(text)
        if errors:
            raise forms.ValidationError(errors)
        if not bands:
            raise forms.ValidationError(_("Give at least one group, e.g. A=0."))
        self.instance.bands = bands
        return text

    def save(self, commit: bool = True) -> CriteriaSet:
        instance = self.instance
        key_changed = not instance.pk or {"year", "agency_kind"} & set(self.changed_data)
        if key_changed:
            # A new set, or one moved to another year or kind, takes that year's next free version.
            province = self.cleaned_data.get("province") if not instance.pk else instance.province
            instance.version, _latest = criteria.next_version(province, instance.year, instance.agency_kind)
        return super().save(commit)


class CriterionForm(forms.ModelForm):
    options_text = forms.CharField(
        label=gettext_lazy("score options"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy(
            "Blank: any score allowed by the step. Otherwise label=points separated by semicolons, "
            "e.g. On time=2; Late=1; Missing=0."
        ),
    )

    class Meta:
        model = Criterion
        fields = [
            "parent",
            "code",
            "name",
            "max_points",
            "kind",
            "method",
            "step",
            "applicability",
            "guidance",
            "evidence_required",
            "keywords",
        ]
        widgets = {
            "name": forms.Textarea(attrs={"rows": 2}),
            "guidance": forms.Textarea(attrs={"rows": 4}),
            "evidence_required": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, criteria_set: CriteriaSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria_set = criteria_set
        self.instance.criteria_set = criteria_set
        nodes = list(criteria_set.criteria.all())
        excluded = descendants(self.instance, nodes) if self.instance.pk else set()
        parents = criteria_set.criteria.exclude(pk__in=excluded).order_by("order", "pk")
        choices(self, "parent", parents, lambda c: f"{c.code}. {c.name}"[:120])
        parent_field = self.fields["parent"]
        assert isinstance(parent_field, forms.ModelChoiceField)
        parent_field.empty_label = gettext_lazy("None: an area")
        self.fields["options_text"].initial = criteria.options_text(self.instance.options)
        self.order_fields([*self.Meta.fields[:7], "options_text", *self.Meta.fields[7:]])

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip().rstrip(".")
        if not _CODE.match(code):
            raise forms.ValidationError(_("Write the code as numbers separated by dots, e.g. 3.2.1."))
        taken = self.criteria_set.criteria.filter(code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("The code %(code)s is already used in this set.") % {"code": code})
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parent: Criterion | None = data.get("parent")
        kind = data.get("kind")
        if parent is not None and kind and kind != parent.kind:
            self.add_error(
                "kind",
                _("It must be of the same kind as its parent %(code)s (%(kind)s).")
                % {"code": parent.code, "kind": parent.get_kind_display()},
            )
        options, errors = criteria.parse_options(data.get("options_text", ""), data.get("max_points"))
        for error in errors:
            self.add_error("options_text", error)
        self.instance.options = options
        return data


def descendants(node: Criterion, nodes: list[Criterion]) -> set[int]:
    """The node and everything under it: none can become its parent."""
    found = {node.pk}
    grew = True
    while grew:
        grew = False
        for candidate in nodes:
            if candidate.parent_id in found and candidate.pk not in found:
                found.add(candidate.pk)
                grew = True
    return found


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Criteria set workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + xlsx.XLSX_TYPE}),
    )
    province = forms.ModelChoiceField(label=gettext_lazy("province"), queryset=Agency.objects.none())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _province_field(self, user)
