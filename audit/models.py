"""The audit trail: one row per create, update or delete of a registered model.

Entries are written by audit.recorder from model signals and never changed
afterwards; there is no view, form or admin action that edits or deletes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from audit.context import ANONYMOUS, SYSTEM


class Action(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")


@dataclass(frozen=True)
class ChangeRow:
    label: str
    old: str
    new: str


class AuditEntry(models.Model):
    timestamp = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A snapshot: the entry keeps saying who it was after the person is renamed or removed.
    actor_name = models.CharField(_("person's name"), max_length=300)
    # Indexed by the (agency, timestamp) index below: the scoped list's filter and order.
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, verbose_name=_("object type"), on_delete=models.PROTECT)
    object_id = models.CharField(_("object ID"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-timestamp", "-pk"]
        indexes = [
            models.Index(fields=["agency", "-timestamp"], name="audit_agency_time_idx"),
            models.Index(fields=["content_type", "object_id"], name="audit_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    @property
    def actor_display(self) -> str:
        if self.actor_id is None and self.actor_name == SYSTEM:
            return str(_("System"))
        if self.actor_id is None and self.actor_name == ANONYMOUS:
            return str(_("Anonymous visitor"))
        return self.actor_name

    @property
    def type_key(self) -> str:
        return f"{self.content_type.app_label}.{self.content_type.model}"

    @property
    def type_label(self) -> str:
        model = self.content_type.model_class()
        return str(model._meta.verbose_name).capitalize() if model else self.content_type.model

    def change_rows(self) -> list[ChangeRow]:
        """The changes as label, old and new text, in the model's field order."""
        model = self.content_type.model_class()
        rows = []
        for name, pair in self.changes.items():
            old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            field = _field(model, name)
            label = str(field.verbose_name).capitalize() if field else name
            rows.append(ChangeRow(label, display_value(field, old), display_value(field, new)))
        return rows


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def display_value(field: models.Field[Any, Any] | None, value: Any) -> str:
    """Text for one stored value (see audit.recorder.readable for how it was stored)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict) and "str" in value:
        return str(value["str"])
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if field is not None and field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            return formats.date_format(timezone.localtime(datetime.fromisoformat(value)), "SHORT_DATETIME_FORMAT")
        except ValueError:
            return value
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    return str(value)
