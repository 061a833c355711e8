from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.middleware import SESSION_FLAG
from accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str | None  # None: an area that later releases bring
    key: str


# The yearly cycle, in the order people meet it. Areas without a page yet are
# shown so users see where the product is going, but are not links. Targets
# live under plans (linked from plan pages), so they need no item of their own.
_COMING = [
    ("surveys", _("Surveys")),
    ("emulation", _("Emulation and rewards")),
]


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Before the second factor is passed, show no navigation at all.
    if not user.is_verified() and not request.session.get(SESSION_FLAG):
        return {}
    items = [
        NavItem(_("Home"), reverse("front:home"), "home"),
        NavItem(_("Plans"), reverse("plans:list"), "plans"),
        NavItem(_("Tasks"), reverse("plans:my_tasks"), "tasks"),
        NavItem(_("Outgoing register"), reverse("documents:register"), "documents"),
        NavItem(_("Reports"), reverse("reports:index"), "reports"),
        NavItem(_("One-stop shop"), reverse("services:dashboard"), "services"),
        NavItem(_("PAR Index"), reverse("par:index"), "par"),
    ]
    items += [NavItem(label, None, key) for key, label in _COMING]
    agency = access.primary_agency(user)
    if agency is not None or access.is_admin(user) or access.is_overseer(user):
        items.append(NavItem(_("Organisation"), reverse("org:agency_list"), "org"))
    if access.is_admin(user) or Role.COORDINATOR in access.roles(user):
        items.append(NavItem(_("Audit trail"), reverse("audit:list"), "audit"))
    if user.is_staff:
        items.append(NavItem(_("Administration"), reverse("admin:index"), "admin"))
    return {"nav_items": items, "nav_agency": agency}
