"""Forms of the dossier pages: the upload, the mapping of an export's headers, the list filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency
from services import dossier_import
from services.deadlines import DeadlineStatus
from services.models import Channel, ColumnMapping, DossierStatus, MappingTarget

ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AgencyField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.short_name or obj.name)


def dossier_mappings() -> QuerySet[ColumnMapping]:
    return ColumnMapping.objects.filter(target=MappingTarget.DOSSIERS).order_by("name")


class ImportForm(forms.Form):
    agency = AgencyField(label=_("Agency"), queryset=Agency.objects.none())
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"),
        help_text=_("The canonical columns, or an export of the one-stop-shop system with a column mapping."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    mapping = forms.ModelChoiceField(
        label=_("Column mapping"),
        queryset=ColumnMapping.objects.none(),
        required=False,
        empty_label=_("None: the file has the canonical headers"),
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies
        if agencies.count() == 1:
            field.initial = agencies.first()
        mapping = self.fields["mapping"]
        assert isinstance(mapping, forms.ModelChoiceField)
        mapping.queryset = dossier_mappings()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a CSV file (.csv) or an Excel workbook (.xlsx)."))
        if upload.size > settings.DOSSIER_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB. Import it with the import_dossiers command.")
                % {"limit": settings.DOSSIER_UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class MappingForm(forms.Form):
    """Which header of the file holds each canonical column; saved as a `ColumnMapping` for dossiers."""

    name = forms.CharField(label=_("Name of the mapping"), max_length=100)

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        suggested = dossier_import.suggest(headers)
        choices = [("", _("(not in the file)"))] + [(h, h) for h in headers]
        for column in dossier_import.COLUMNS:
            self.fields[f"col_{column}"] = forms.ChoiceField(
                label=column,
                choices=choices,
                required=column in dossier_import.REQUIRED,
                initial=suggested.get(column, ""),
            )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if dossier_mappings().filter(name=name).exists():
            raise forms.ValidationError(_("A mapping with this name exists already: choose it or give another name."))
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [data.get(f"col_{c}") for c in dossier_import.COLUMNS if data.get(f"col_{c}")]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(_("Each header of the file can hold only one column."))
        return data

    def columns(self) -> dict[str, str]:
        return {c: self.cleaned_data[f"col_{c}"] for c in dossier_import.COLUMNS if self.cleaned_data.get(f"col_{c}")}


class FilterForm(forms.Form):
    agency = AgencyField(
        label=_("Agency"), queryset=Agency.objects.none(), required=False, empty_label=_("All agencies")
    )
    procedure = forms.CharField(label=_("Procedure code"), required=False, max_length=50)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    deadline = forms.ChoiceField(label=_("Deadline status"), required=False)
    received_from = forms.DateField(label=_("Received from"), required=False)
    received_to = forms.DateField(label=_("Received until"), required=False)

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies
        everything = [("", _("All"))]
        self.fields["channel"].choices = everything + list(Channel.choices)  # type: ignore[attr-defined]
        self.fields["status"].choices = everything + list(DossierStatus.choices)  # type: ignore[attr-defined]
        self.fields["deadline"].choices = everything + list(DeadlineStatus.choices)  # type: ignore[attr-defined]
