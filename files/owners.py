"""What attachments can belong to, and who may see or change them.

Each owner model registers two functions from accounts.access (or its own app's
access helpers): `view(user, pk)` returns the owner or raises Http404 when the
user may not see it; `manage(user, owner)` says whether they may attach and
remove files. Later apps register their models in their AppConfig.ready():

    owners.register(Plan, view=access_plan, manage=can_edit_plan)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model
from django.http import Http404

if TYPE_CHECKING:
    from accounts.access import AnyUser


@dataclass(frozen=True)
class Owner:
    model: type[Model]
    view: Callable[[AnyUser, Any], Any]
    manage: Callable[[AnyUser, Any], bool]


_registry: dict[str, Owner] = {}


def register(
    model: type[Model], *, view: Callable[[AnyUser, Any], Any], manage: Callable[[AnyUser, Any], bool]
) -> None:
    if not callable(getattr(model, "audit_agency_id", None)):
        raise ImproperlyConfigured(f"{model.__name__} needs an audit_agency_id() method to own attachments.")
    _registry[model._meta.label_lower] = Owner(model, view, manage)


def for_model(model: type[Model]) -> Owner:
    try:
        return _registry[model._meta.label_lower]
    except KeyError:
        raise ImproperlyConfigured(f"{model.__name__} is not registered with files.owners.") from None


def access_owner(user: AnyUser, owner_type: str | ContentType, pk: Any, *, manage: bool = False) -> Any:
    """The owner if the user can see it (else Http404), checked for `manage` (else PermissionDenied)."""
    label = owner_type if isinstance(owner_type, str) else f"{owner_type.app_label}.{owner_type.model}"
    entry = _registry.get(label)
    if entry is None:
        raise Http404
    owner = entry.view(user, pk)
    if manage and not entry.manage(user, owner):
        raise PermissionDenied
    return owner
