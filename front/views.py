from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import requires_csrf_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import access
from accounts.middleware import has_totp
from accounts.models import Agency, Membership, Role, Unit, User
from accounts.views import locked_accounts


@dataclass
class Attention:
    """One line of "what needs my attention" on the home page."""

    text: str | Promise
    count: int
    url: str | None = None
    level: str = "warning"


@dataclass
class HomeSection:
    title: str | Promise
    items: list[Attention] = field(default_factory=list)


def _has_device() -> Exists:
    return Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))


def _admin_section() -> HomeSection:
    locked = len(locked_accounts())
    no_coordinator = (
        Agency.objects.current()
        .exclude(Exists(Membership.objects.current().filter(agency=OuterRef("pk"), role=Role.COORDINATOR)))
        .count()
    )
    without_role = User.objects.filter(is_active=True).exclude(Exists(Membership.objects.filter(user=OuterRef("pk"))))
    admins_without_2fa = (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(memberships__role__in=[Role.ADMIN, Role.OVERSEER]))
        .exclude(_has_device())
        .distinct()
        .count()
    )
    return HomeSection(
        _("System administration"),
        [
            Attention(_("Accounts locked after failed sign-ins"), locked, reverse("accounts:lockouts"), "danger"),
            Attention(_("Agencies without a reform coordinator"), no_coordinator, reverse("org:agency_list")),
            Attention(_("Active people without any role"), without_role.exclude(is_superuser=True).count()),
            Attention(_("Administrators and overseers without two-factor authentication"), admins_without_2fa),
        ],
    )


def _coordinator_section(agency: Agency) -> HomeSection:
    units = Unit.objects.current().filter(agency=agency)
    without_head = units.exclude(
        Exists(Membership.objects.current().filter(unit=OuterRef("pk"), role=Role.UNIT_HEAD))
    ).count()
    people = User.objects.filter(
        is_active=True, memberships__in=Membership.objects.current().filter(agency=agency)
    ).distinct()
    url = reverse("org:agency_detail", args=[agency.pk])
    no_email = people.filter(email="").count()
    never_signed_in = people.filter(last_login__isnull=True).count()
    return HomeSection(
        _("Organisation of %(agency)s") % {"agency": agency.short_name},
        [
            Attention(_("Units without a head"), without_head, url),
            Attention(_("People without an e-mail address (they will miss reminders)"), no_email, url),
            Attention(_("People who have never signed in"), never_signed_in, url, "info"),
        ],
    )


def _overseer_section(user: User) -> HomeSection:
    agencies = (
        access.visible_agencies(user)
        .current()
        .filter(Q(province__in=access.overseen_provinces(user)) | Q(pk__in=access.overseen_provinces(user)))
    )
    no_coordinator = agencies.exclude(
        Exists(Membership.objects.current().filter(agency=OuterRef("pk"), role=Role.COORDINATOR))
    ).count()
    return HomeSection(
        _("Agencies of the province"),
        [
            Attention(_("Agencies you oversee"), agencies.count(), reverse("org:agency_list"), "info"),
            Attention(_("Agencies without a reform coordinator"), no_coordinator, reverse("org:agency_list")),
        ],
    )


def _unit_section(unit: Unit) -> HomeSection:
    members = User.objects.filter(
        is_active=True, memberships__in=Membership.objects.current().filter(unit=unit)
    ).distinct()
    return HomeSection(
        _("Your unit: %(unit)s") % {"unit": unit.name},
        [
            Attention(_("Members of the unit"), members.count(), reverse("org:unit_detail", args=[unit.pk]), "info"),
            Attention(_("Members without an e-mail address"), members.filter(email="").count()),
        ],
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    ms = access.memberships(user)
    sections: list[HomeSection] = []
    if access.is_admin(user):
        sections.append(_admin_section())
    if access.is_overseer(user):
        sections.append(_overseer_section(user))
    # One section per agency and per unit, whatever the number of roles held there.
    led = {m.agency_id: m.agency for m in ms if m.role in (Role.COORDINATOR, Role.LEADER)}
    sections += [_coordinator_section(agency) for agency in led.values()]
    units = {m.unit_id: m.unit for m in ms if m.role in (Role.UNIT_HEAD, Role.STAFF) and m.unit is not None}
    sections += [_unit_section(unit) for unit in units.values()]
    own: list[Attention] = []
    if not user.email:
        own.append(Attention(_("Add an e-mail address so that reminders and password resets reach you"), 1))
    if not has_totp(user):
        own.append(
            Attention(
                _("Protect your account with two-factor authentication"), 1, reverse("accounts:otp_setup"), "info"
            )
        )
    sections.append(HomeSection(_("Your account"), own))
    for section in sections:
        section.items = [item for item in section.items if item.count]
    return render(
        request,
        "front/home.html",
        {"memberships": ms, "sections": sections, "nav_active": "home"},
    )


def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: the hashed static name exists only after collectstatic.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


# Error pages: our own templates in both languages, never a stack trace.


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: whatever broke must not break the error page too.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render({"request": request}), status=500)
