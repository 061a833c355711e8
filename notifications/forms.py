from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import transaction

from accounts.models import User
from notifications.models import Kind, Preference
from notifications.notify import all_channels


@dataclass
class PreferenceRow:
    label: str
    in_app: forms.BoundField
    email: forms.BoundField


class PreferencesForm(forms.Form):
    """Two checkboxes per kind of notification: in the application, by e-mail."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        chosen = all_channels([user.pk], list(Kind))
        for kind in Kind:
            in_app, by_email = chosen[(user.pk, kind)]
            self.fields[f"{kind.value}-in_app"] = forms.BooleanField(required=False, initial=in_app, label=kind.label)
            self.fields[f"{kind.value}-email"] = forms.BooleanField(required=False, initial=by_email, label=kind.label)

    def rows(self) -> list[PreferenceRow]:
        return [
            PreferenceRow(str(kind.label), self[f"{kind.value}-in_app"], self[f"{kind.value}-email"]) for kind in Kind
        ]

    @transaction.atomic
    def save(self) -> None:
        for kind in Kind:
            Preference.objects.update_or_create(
                user=self.user,
                kind=kind,
                defaults={
                    "in_app": self.cleaned_data[f"{kind.value}-in_app"],
                    "by_email": self.cleaned_data[f"{kind.value}-email"],
                },
            )
