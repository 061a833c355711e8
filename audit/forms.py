from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency
from audit.models import Action
from audit.recorder import registered_models

DATE_INPUT = forms.TextInput(attrs={"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "size": 10})


def type_choices() -> list[tuple[str, str]]:
    found = [(m._meta.label_lower, str(m._meta.verbose_name).capitalize()) for m in registered_models()]
    return [("", str(_("All types"))), *sorted(found, key=lambda c: c[1])]


class AuditFilterForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), required=False, empty_label=_("All agencies")
    )
    type = forms.ChoiceField(label=_("Object type"), required=False)
    action = forms.ChoiceField(label=_("Action"), choices=[("", _("All actions")), *Action.choices], required=False)
    person = forms.CharField(label=_("Person"), required=False, max_length=100)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    q = forms.CharField(label=_("Object"), required=False, max_length=100)

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ModelChoiceField)
        agency_field.queryset = agencies
        type_field = self.fields["type"]
        assert isinstance(type_field, forms.ChoiceField)
        type_field.choices = type_choices()
        for name in ("date_from", "date_to"):
            self.fields[name].error_messages["invalid"] = _("Enter a date as dd/mm/yyyy, for example 25/03/2025.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data
