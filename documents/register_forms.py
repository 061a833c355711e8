"""Forms of the outgoing register, its number series and the document types."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency
from accounts.org_forms import choices, date_input
from documents.models import DocumentType, OutgoingDocument, RegisterSeries

# Abbreviations go into symbols such as "05/KH-SNgV": letters and digits only.
ABBREVIATION = re.compile(r"^[^\W_]+$")


def _abbreviation_error() -> str:
    return str(_("Use letters and digits only: no spaces, “/” or “-” (they separate the parts of the symbol)."))


class _SentAfterIssued:
    """The date sent, when given, is not before the date of the document."""

    def check_sent(self, form: forms.BaseForm, issued: date | None) -> None:
        sent = form.cleaned_data.get("sent_date")
        if sent and issued and sent < issued:
            form.add_error("sent_date", _("The date sent cannot be before the date of the document."))


class RegisterForm(_SentAfterIssued, forms.Form):
    """A document to enter in the register: everything but its number, which the system gives."""

    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    doc_type = forms.ModelChoiceField(label=_("Document type"), queryset=DocumentType.objects.none())
    drafting_unit = forms.CharField(
        label=_("Drafting unit (công văn)"),
        max_length=20,
        required=False,
        help_text=_("For a công văn, the abbreviation of the unit that drafted it goes into the symbol: SNgV-VP."),
    )
    issued_date = forms.DateField(label=_("Date of the document"), widget=date_input())
    subject = forms.CharField(label=_("Summary (trích yếu)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    signer_position = forms.CharField(label=_("Signer's position"), max_length=100, required=False)
    signer_full_name = forms.CharField(label=_("Signer"), max_length=150, required=False)
    to_places = forms.CharField(
        label=_("Recipients (Nơi nhận)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line."),
    )
    archive_holder = forms.CharField(
        label=_("Unit or person keeping the file copy"),
        max_length=255,
        required=False,
        help_text=_("Left empty, it is read from the “Lưu:” line of the recipients."),
    )
    issued_amount = forms.IntegerField(label=_("Number of copies"), min_value=1, max_value=100000, initial=1)
    sent_date = forms.DateField(label=_("Date sent"), required=False, widget=date_input())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "agency", agencies.order_by("name"))
        choices(self, "doc_type", DocumentType.objects.filter(is_active=True))
        if len(agencies) == 1:
            self.fields["agency"].widget = forms.HiddenInput()

    def clean_issued_date(self) -> date:
        issued: date = self.cleaned_data["issued_date"]
        if issued > timezone.localdate():
            raise forms.ValidationError(_("The date of the document cannot be in the future."))
        return issued

    def clean_drafting_unit(self) -> str:
        unit: str = self.cleaned_data["drafting_unit"].strip()
        if unit and not ABBREVIATION.match(unit):
            raise forms.ValidationError(_abbreviation_error())
        return unit

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_sent(self, data.get("issued_date"))
        doc_type = data.get("doc_type")
        if doc_type is not None and doc_type.abbreviation:
            data["drafting_unit"] = ""  # a named type's symbol has no unit
        return data


class OutgoingEditForm(_SentAfterIssued, forms.ModelForm):
    """What may still change once a line has its number: never the number, date or summary."""

    issued_amount = forms.IntegerField(label=_("Number of copies"), min_value=1, max_value=100000)

    class Meta:
        model = OutgoingDocument
        fields = ["to_places", "archive_holder", "issued_amount", "sent_date", "note"]
        widgets = {
            "to_places": forms.Textarea(attrs={"rows": 4}),
            "sent_date": date_input(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_sent(self, self.instance.issued_date)
        return data


class SeriesForm(forms.ModelForm):
    """A number series of one agency and the types it numbers; a type belongs to one series at most."""

    class Meta:
        model = RegisterSeries
        fields = ["code", "name", "doc_types"]
        widgets = {"doc_types": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.instance.agency = agency
        choices(self, "doc_types", DocumentType.objects.all())
        self.fields["doc_types"].help_text = _(
            "These types take their numbers from this series; every other type from the agency's common series."
        )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip().lower()
        taken = RegisterSeries.objects.filter(agency=self.agency, code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("The agency already has a series with this code."))
        return code

    def clean_doc_types(self) -> QuerySet[DocumentType]:
        types: QuerySet[DocumentType] = self.cleaned_data["doc_types"]
        elsewhere = (
            RegisterSeries.doc_types.through.objects.filter(registerseries__agency=self.agency, documenttype__in=types)
            .exclude(registerseries=self.instance.pk)
            .select_related("registerseries", "documenttype")
            .order_by("documenttype__order")
        )
        clashes = [f"{row.documenttype.name} ({row.registerseries.name})" for row in elsewhere]
        if clashes:
            raise forms.ValidationError(
                _("A type is numbered in one series only; already in another series: %(types)s.")
                % {"types": ", ".join(clashes)}
            )
        return types


class DocumentTypeForm(forms.ModelForm):
    class Meta:
        model = DocumentType
        fields = ["name", "abbreviation", "order", "is_active"]

    def clean_abbreviation(self) -> str:
        abbreviation: str = self.cleaned_data["abbreviation"].strip()
        if not abbreviation:
            return abbreviation
        if not ABBREVIATION.match(abbreviation):
            raise forms.ValidationError(_abbreviation_error())
        taken = DocumentType.objects.filter(abbreviation=abbreviation).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("“%(abbreviation)s” is already the abbreviation of %(name)s.")
                % {"abbreviation": abbreviation, "name": taken[0].name}
            )
        return abbreviation
