"""Template helpers for targets computed from the one-stop dossiers (`services.targets`)."""

from __future__ import annotations

from datetime import datetime

from django import template

from plans.models import Target
from services import targets

register = template.Library()


@register.filter
def indicator_label(code: str) -> str:
    """The label of a service indicator code ("on_time_rate" → "Dossiers processed early or on time")."""
    return targets.label_of(code)


@register.simple_tag
def last_computed(target: Target) -> datetime | None:
    """When the target's values were last computed from the dossiers (one query)."""
    result: datetime | None = targets.last_computed(target)
    return result
