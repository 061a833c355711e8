"""Forms of the procedure catalogue: a procedure, an upload, the column mapping of an upload."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import access
from accounts.models import Agency, User
from lib import xlsx
from services import procedure_import
from services.models import ColumnMapping, MappingTarget, Procedure


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.short_name or obj.abbreviation or obj.code


def agency_choices(user: User) -> Any:
    """Administrators choose any agency in force; coordinators the agencies they manage."""
    return access.managed_agencies(user).current().order_by("short_name", "pk")


class ProcedureForm(forms.ModelForm):
    agency = AgencyChoiceField(queryset=Agency.objects.none(), label=gettext_lazy("handled by"), required=False)

    class Meta:
        model = Procedure
        fields = ["code", "name", "field", "agency", "online_level", "time_limit", "time_unit", "fee", "published_on"]
        widgets = {
            "name": forms.Textarea(attrs={"rows": 3}),
            "published_on": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ModelChoiceField)
        agency_field.queryset = agency_choices(user)
        if not access.is_admin(user):
            agency_field.required = True

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip()
        taken = Procedure.objects.filter(code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("The code %(code)s is already in the catalogue: edit that procedure instead.") % {"code": code}
            )
        return code

    def save(self, commit: bool = True) -> Procedure:
        # A procedure someone has described by hand is classified.
        self.instance.unclassified = False
        return super().save(commit)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Catalogue file (.xlsx or .csv)"),
        help_text=gettext_lazy("One procedure per row under a row of column headers; CSV in UTF-8 or UTF-16."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv," + xlsx.XLSX_TYPE + ",text/csv"}),
    )
    mapping = forms.ModelChoiceField(
        queryset=ColumnMapping.objects.none(),
        label=gettext_lazy("Saved column mapping"),
        required=False,
        empty_label=gettext_lazy("None: match the columns on the next step"),
    )
    agency = AgencyChoiceField(
        queryset=Agency.objects.none(),
        label=gettext_lazy("Agency for rows that name none"),
        required=False,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mapping_field = self.fields["mapping"]
        agency_field = self.fields["agency"]
        assert isinstance(mapping_field, forms.ModelChoiceField)
        assert isinstance(agency_field, forms.ModelChoiceField)
        mapping_field.queryset = ColumnMapping.objects.filter(target=MappingTarget.PROCEDURES)
        agency_field.queryset = agency_choices(user)


COLUMN_LABELS = {
    "code": gettext_lazy("National code (required)"),
    "name": gettext_lazy("Name (required)"),
    "field": gettext_lazy("Field"),
    "agency": gettext_lazy("Agency (code or abbreviation)"),
    "online_level": gettext_lazy("Online service"),
    "time_limit": gettext_lazy("Processing time limit"),
    "time_unit": gettext_lazy("Unit of the time limit"),
    "fee": gettext_lazy("Fee (VND)"),
    "published_on": gettext_lazy("Published on"),
}


class MappingForm(forms.Form):
    """A select per canonical column listing the file's headers, and a name to save it under."""

    save_as = forms.CharField(
        label=gettext_lazy("Save this mapping as"),
        max_length=100,
        required=False,
        help_text=gettext_lazy(
            "Give a name to reuse it for the next file of the same export; a mapping of that name is replaced."
        ),
    )

    def __init__(self, *args: Any, headers: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —"))] + [(h, h) for h in dict.fromkeys(headers) if h]
        suggested = procedure_import.suggest(headers)
        for key in procedure_import.KEYS:
            self.fields[f"col_{key}"] = forms.ChoiceField(
                label=COLUMN_LABELS[key],
                choices=choices,
                required=key in procedure_import.REQUIRED,
                initial=suggested.get(key, ""),
            )
        self.order_fields([f"col_{key}" for key in procedure_import.KEYS] + ["save_as"])

    def columns(self) -> dict[str, str]:
        data = self.cleaned_data
        return {key: data[f"col_{key}"] for key in procedure_import.KEYS if data.get(f"col_{key}")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        used: dict[str, str] = {}
        for key in procedure_import.KEYS:
            header = data.get(f"col_{key}")
            if header and header in used:
                self.add_error(
                    f"col_{key}",
                    _("The column “%(header)s” is already chosen for %(other)s.")
                    % {"header": header, "other": COLUMN_LABELS[used[header]]},
                )
            elif header:
                used[header] = key
        return data
