"""What the PAR Index's sub-navigation needs to know about the person (no query: memberships are cached)."""

from __future__ import annotations

from django.http import HttpRequest

from accounts import access


def par(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"perms_par": {"appraise": access.is_admin(user) or access.is_overseer(user)}}
