"""Audit trail: `audit.register(Model, exclude=[...])` in an app's ready() records its changes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.models import Model


def register(model: type[Model], exclude: Iterable[str] = ()) -> None:
    from audit.recorder import register as _register

    _register(model, exclude)
