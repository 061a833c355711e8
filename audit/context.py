"""Who is acting, from where: set once per request, read when an entry is recorded.

A ContextVar (not a thread-local) so that it also follows a request through
asgiref's sync/async hops. Outside a request (management commands, shell)
nothing is set and entries are recorded as the system's.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

SYSTEM = "system"
ANONYMOUS = "anonymous"
USER_AGENT_LENGTH = 255


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    name: str
    ip_address: str | None = None
    user_agent: str = ""


_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)
_actor_deleted: ContextVar[bool] = ContextVar("audit_actor_deleted", default=False)


@contextmanager
def bind(request: HttpRequest) -> Iterator[None]:
    token = _request.set(request)
    deleted_token = _actor_deleted.set(False)
    try:
        yield
    finally:
        _actor_deleted.reset(deleted_token)
        _request.reset(token)


def forget_actor() -> None:
    """The acting person's row is being deleted: keep their name, drop the link."""
    _actor_deleted.set(True)


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or the address our own proxies saw when settings say they exist.

    AXES_IPWARE_PROXY_COUNT > 0 means that many trusted proxies append to
    X-Forwarded-For, so the client is that many entries from the right; anything
    further left was written by the client and proves nothing.
    """
    candidate = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def current_actor() -> Actor:
    request = _request.get()
    if request is None:
        return Actor(None, SYSTEM)
    ip = client_ip(request)
    agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH]
    # Read the user now, not when the request began: signing in changes it.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Actor(None, ANONYMOUS, ip, agent)
    full_name = getattr(user, "full_name", "")
    name = f"{full_name} ({user.username})" if full_name else user.username
    return Actor(None if _actor_deleted.get() else user.pk, name[:300], ip, agent)
