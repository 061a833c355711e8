"""Records creates, updates and deletes of registered models from their signals.

pre_save loads the stored row once (only the audited fields), post_save compares
and writes one entry; the entry is written on the same connection, so it commits
or rolls back with the change whenever the caller works in a transaction (views
that write use transaction.atomic; deletes always run in one).

QuerySet.update(), bulk_create() and raw saves (fixtures) send no per-object
signals and are not recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from audit.context import current_actor, forget_actor
from audit.models import Action, AuditEntry

# Never recorded, whatever the model: parts of field names that hold secrets.
SECRET_WORDS = frozenset({"password", "key", "token", "secret"})
# Changed by signing in, not by anybody's decision.
NOISE_FIELDS = frozenset({"last_login"})
MAX_TEXT = 1000

_BEFORE_ATTR = "_audit_before"
_AGENCY_ATTR = "_audit_agency_id"


@dataclass(frozen=True)
class Registration:
    model: type[models.Model]
    fields: tuple[models.Field[Any, Any], ...]


_registry: dict[type[models.Model], Registration] = {}


def register(model: type[models.Model], exclude: Iterable[str] = ()) -> None:
    if not callable(getattr(model, "audit_agency_id", None)):
        raise ImproperlyConfigured(f"{model.__name__} needs an audit_agency_id() method to be audited.")
    excluded = set(exclude)
    fields = tuple(f for f in model._meta.concrete_fields if _audited(f, excluded))
    _registry[model] = Registration(model, fields)
    uid = f"audit:{model._meta.label_lower}"
    pre_save.connect(_pre_save, sender=model, dispatch_uid=uid)
    post_save.connect(_post_save, sender=model, dispatch_uid=uid)
    pre_delete.connect(_pre_delete, sender=model, dispatch_uid=uid)
    post_delete.connect(_post_delete, sender=model, dispatch_uid=uid)


def registered_models() -> list[type[models.Model]]:
    return list(_registry)


def _audited(field: models.Field[Any, Any], excluded: set[str]) -> bool:
    if field.primary_key or field.name in excluded or field.name in NOISE_FIELDS:
        return False
    if SECRET_WORDS & set(field.name.lower().split("_")):
        return False
    # auto_now stamps change on every save: they would turn "nothing changed" into an entry.
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return False
    return not isinstance(field, models.BinaryField)


def _fields(registration: Registration, update_fields: Iterable[str] | None) -> list[models.Field[Any, Any]]:
    if update_fields is None:
        return list(registration.fields)
    wanted = set(update_fields)
    return [f for f in registration.fields if f.name in wanted or f.attname in wanted]


def _raw(field: models.Field[Any, Any], value: Any) -> Any:
    """Compare values as the database would store them ("3" and 3 are the same number)."""
    if isinstance(value, FieldFile):
        return value.name or None
    try:
        return field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return value


def readable(field: models.Field[Any, Any], value: Any, instance: models.Model | None = None) -> Any:
    """A JSON value that still reads well once the row is gone: FKs keep their name."""
    if value is None:
        return None
    if isinstance(field, models.ForeignKey):
        related = None
        if instance is not None and field.is_cached(instance):
            related = field.get_cached_value(instance)
            if related is not None and related.pk != value:
                related = None
        if related is None:
            model: Any = field.related_model
            related = model._base_manager.filter(pk=value).first()
        return {"id": value, "str": str(related)[:MAX_TEXT] if related is not None else ""}
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, bool | int | float | list | dict):
        return value
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _snapshot(registration: Registration, instance: models.Model) -> dict[str, Any]:
    """Every audited field with a value, as {name: [old, new]} halves are built from."""
    values = {}
    for field in registration.fields:
        raw = _raw(field, field.value_from_object(instance))
        if raw is not None and raw != "":
            values[field.name] = readable(field, raw, instance)
    return values


def _record(instance: models.Model, action: str, changes: dict[str, Any], agency_id: int | None) -> None:
    actor = current_actor()
    model = type(instance)
    # An agency being deleted cannot be pointed at by the entry recording it.
    if action == Action.DELETE and model is AuditEntry.agency.field.related_model and instance.pk == agency_id:
        agency_id = None
    AuditEntry.objects.create(
        actor_id=actor.user_id,
        actor_name=actor.name,
        agency_id=agency_id,
        action=action,
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        changes=changes,
        ip_address=actor.ip_address,
        user_agent=actor.user_agent,
    )


def _agency_id(instance: models.Model) -> int | None:
    return instance.audit_agency_id()  # type: ignore[attr-defined]


def _pre_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    before: dict[str, Any] = {}
    setattr(instance, _BEFORE_ATTR, before)
    if raw or instance._state.adding or instance.pk is None:
        return
    fields = _fields(_registry[sender], kwargs.get("update_fields"))
    if not fields:
        return  # e.g. signing in saves last_login only
    rows = sender._base_manager.using(kwargs.get("using")).filter(pk=instance.pk)
    row = rows.values(*(f.attname for f in fields)).first()
    if row is not None:
        before.update({f.name: _raw(f, row[f.attname]) for f in fields})


def _post_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    registration = _registry[sender]
    if created:
        changes = {name: [None, value] for name, value in _snapshot(registration, instance).items()}
        _record(instance, Action.CREATE, changes, _agency_id(instance))
        return
    before: dict[str, Any] = getattr(instance, _BEFORE_ATTR, None) or {}
    changes = {}
    for field in registration.fields:
        if field.name not in before:
            continue
        old, new = before[field.name], _raw(field, field.value_from_object(instance))
        if old != new:
            changes[field.name] = [readable(field, old), readable(field, new, instance)]
    if changes:
        _record(instance, Action.UPDATE, changes, _agency_id(instance))


def _pre_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    # Before the cascade: a person's memberships (their agency) are gone afterwards.
    setattr(instance, _AGENCY_ATTR, _agency_id(instance))
    if sender is AuditEntry.actor.field.related_model and instance.pk == current_actor().user_id:
        # People deleting their own account: this request's entries can no longer point at them.
        forget_actor()


def _post_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    changes = {name: [value, None] for name, value in _snapshot(_registry[sender], instance).items()}
    agency_id = getattr(instance, _AGENCY_ATTR, None)
    _record(instance, Action.DELETE, changes, agency_id)
