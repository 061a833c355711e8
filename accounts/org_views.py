"""Organisation pages: agencies, their units and people, and the Excel import."""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from accounts import access, importer
from accounts.emails import send_invitation
from accounts.models import Agency, AgencyKind, Membership, Role, Unit, User
from accounts.org_forms import (
    AgencyForm,
    ImportForm,
    MembershipForm,
    PersonCreateForm,
    PersonForm,
    UnitForm,
)

logger = logging.getLogger(__name__)

PEOPLE_PER_PAGE = 50
PEOPLE_ON_AGENCY_PAGE = 50
MAX_DEPTH = 4  # deeper levels of the agency tree share the last indentation


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {"nav_active": "org", "today": timezone.localdate(), **context}, status=status)


def _invite(request: HttpRequest, person: User) -> bool:
    """Send the "set your password" e-mail; False when it could not be sent."""
    try:
        return send_invitation(person, request)
    except OSError:  # SMTP trouble: the person exists and can use "Forgot your password?"
        logger.exception("Could not send the invitation to %s", person.username)
        return False


# Agencies ----------------------------------------------------------------


def _tree(agencies: list[Agency]) -> list[tuple[Agency, int]]:
    """Agencies in tree order with their depth; current ones before closed ones."""
    by_pk = {a.pk: a for a in agencies}
    children: dict[int, list[Agency]] = defaultdict(list)
    roots: list[Agency] = []
    for agency in agencies:
        if agency.parent_id in by_pk:
            children[agency.parent_id].append(agency)
        else:
            roots.append(agency)
    rows: list[tuple[Agency, int]] = []
    seen: set[int] = set()

    def walk(nodes: list[Agency], depth: int) -> None:
        for node in sorted(nodes, key=lambda a: (not a.is_current, a.name.casefold())):
            if node.pk in seen:
                continue
            seen.add(node.pk)
            rows.append((node, min(depth, MAX_DEPTH)))
            walk(children[node.pk], depth + 1)

    walk(roots, 0)
    return rows


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    agencies = (
        access.visible_agencies(user)
        .select_related("successor")
        .annotate(
            unit_count=Count("units", filter=Q(units__in=Unit.objects.current())),
            has_coordinator=Exists(Membership.objects.current().filter(agency=OuterRef("pk"), role=Role.COORDINATOR)),
        )
    )
    kind = request.GET.get("kind", "")
    if kind in AgencyKind.values:
        agencies = agencies.filter(kind=kind)
    else:
        kind = ""
    q = request.GET.get("q", "").strip()
    if q:
        agencies = agencies.filter(
            Q(name__icontains=q) | Q(short_name__icontains=q) | Q(abbreviation__icontains=q) | Q(code__icontains=q)
        )
    return _page(
        request,
        "org/agency_list.html",
        {
            "rows": _tree(list(agencies)),
            "kinds": AgencyKind.choices,
            "kind": kind,
            "q": q,
            "can_create": access.can_manage_agencies(user),
        },
    )


@login_required
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    agency = access.access_agency(user, pk)
    units = list(agency.units.select_related("successor").order_by("order", "name"))
    memberships = (
        Membership.objects.current()
        .filter(agency=agency)
        .select_related("user", "unit")
        .order_by("user__full_name", "user__pk", "role")
    )
    people: dict[int, tuple[User, list[Membership]]] = {}
    for m in memberships:
        people.setdefault(m.user_id, (m.user, []))[1].append(m)
    everyone = list(people.values())
    related = (
        Agency.objects.filter(Q(pk__in=[agency.parent_id, agency.successor_id]) | Q(successor=agency))
        .filter(pk__in=access.visible_agencies(user))
        .order_by("name")
    )
    by_pk = {a.pk: a for a in related}
    return _page(
        request,
        "org/agency_detail.html",
        {
            "agency": agency,
            "parent": by_pk.get(agency.parent_id or 0),
            "successor": by_pk.get(agency.successor_id or 0),
            "predecessors": [a for a in related if a.successor_id == agency.pk],
            "current_units": [u for u in units if u.is_current],
            "closed_units": [u for u in units if not u.is_current],
            "people": everyone[:PEOPLE_ON_AGENCY_PAGE],
            "people_count": len(everyone),
            "can_manage": access.can_manage_agency(user, agency),
            "can_edit": access.can_manage_agencies(user),
        },
    )


@login_required
def agency_create(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_agencies(access.signed_in(request)):
        raise PermissionDenied
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        agency = form.save()
        messages.success(request, _("The agency “%(name)s” was created.") % {"name": agency.name})
        return redirect("org:agency_detail", agency.pk)
    return _page(request, "org/agency_form.html", {"form": form})


@login_required
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    agency = access.access_agency(user, pk)
    if not access.can_manage_agencies(user):
        raise PermissionDenied
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The agency “%(name)s” was saved.") % {"name": agency.name})
        return redirect("org:agency_detail", agency.pk)
    return _page(request, "org/agency_form.html", {"form": form, "agency": agency})


# Units -------------------------------------------------------------------


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    unit = access.access_unit(user, pk)
    members = sorted(
        Membership.objects.current().filter(unit=unit).select_related("user"),
        key=lambda m: (m.role != Role.UNIT_HEAD, m.user.full_name.casefold(), m.user_id),
    )
    related = Unit.objects.filter(Q(pk=unit.successor_id) | Q(successor=unit)).order_by("name")
    return _page(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "agency": unit.agency,
            "heads": [m.user for m in members if m.role == Role.UNIT_HEAD],
            "members": members,
            "successor": next((u for u in related if u.pk == unit.successor_id), None),
            "predecessors": [u for u in related if u.successor_id == unit.pk],
            "can_manage": access.can_manage_agency(user, unit.agency),
        },
    )


@login_required
def unit_create(request: HttpRequest, pk: int) -> HttpResponse:
    agency = access.access_agency(access.signed_in(request), pk, manage=True)
    form = UnitForm(request.POST or None, instance=Unit(agency=agency))
    if request.method == "POST" and form.is_valid():
        unit = form.save()
        messages.success(request, _("The unit “%(name)s” was created.") % {"name": unit.name})
        return redirect("org:unit_detail", unit.pk)
    return _page(request, "org/unit_form.html", {"form": form, "agency": agency})


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.access_unit(access.signed_in(request), pk, manage=True)
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        unit = form.save()
        messages.success(request, _("The unit “%(name)s” was saved.") % {"name": unit.name})
        if unit.valid_to is not None:
            staying = Membership.objects.current().filter(unit=unit, valid_to__isnull=True).count()
            if staying:
                messages.warning(
                    request,
                    _(
                        "%(count)s people still belong to this unit after it closes. "
                        "Give them roles in other units and end these ones."
                    )
                    % {"count": staying},
                )
        return redirect("org:unit_detail", unit.pk)
    return _page(request, "org/unit_form.html", {"form": form, "agency": unit.agency, "unit": unit})


# People ------------------------------------------------------------------


@login_required
def person_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    agency = access.access_agency(user, pk)
    units = list(Unit.objects.current().filter(agency=agency).order_by("order", "name"))
    roles_here = Membership.objects.current().filter(agency=agency)
    unit_id = request.GET.get("unit", "")
    unit = next((u for u in units if str(u.pk) == unit_id), None)
    if unit is not None:
        roles_here = roles_here.filter(unit=unit)
    role = request.GET.get("role", "")
    if role in Role.values:
        roles_here = roles_here.filter(role=role)
    else:
        role = ""
    people = (
        access.visible_people(user)
        .filter(pk__in=roles_here.values("user_id"))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.current().filter(agency=agency).select_related("unit"),
                to_attr="roles_here",
            )
        )
        .order_by("full_name", "pk")
    )
    q = request.GET.get("q", "").strip()
    if q:
        people = people.filter(Q(full_name__icontains=q) | Q(username__icontains=q) | Q(email__icontains=q))
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "agency": agency,
        "units": units,
        "roles": Role.choices,
        "unit_id": str(unit.pk) if unit else "",
        "role": role,
        "q": q,
        "page": page,
        "can_manage": access.can_manage_agency(user, agency),
    }
    htmx = getattr(request, "htmx", None)
    # Live search swaps the table only; going back in history needs the whole page.
    partial = isinstance(htmx, HtmxDetails) and bool(htmx) and not htmx.history_restore_request
    return _page(request, "org/_people_table.html" if partial else "org/person_list.html", context)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    person = access.access_person(user, pk)
    can_manage = access.can_manage_person(user, person)
    today = timezone.localdate()
    rows = []
    for m in access.scope(user, person.memberships.select_related("agency", "unit")).order_by("-valid_from", "-pk"):
        ended = m.valid_to is not None and m.valid_to < today
        rows.append((m, ended, can_manage and not ended and access.can_manage_membership(user, m)))
    rows.sort(key=lambda row: row[1])  # roles in force first
    return _page(
        request,
        "org/person_detail.html",
        {
            "person": person,
            "memberships": rows,
            "can_manage": can_manage,
            "is_self": person.pk == user.pk,
        },
    )


@login_required
def person_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    agency = access.access_agency(user, pk, manage=True)
    form = PersonCreateForm(request.POST or None, agency=agency, is_admin=access.is_admin(user))
    if request.method == "POST" and form.is_valid():
        person = form.save()
        if _invite(request, person):
            messages.success(
                request,
                _("%(name)s was added and invited by e-mail to set a password.") % {"name": person.full_name},
            )
        else:
            messages.warning(
                request,
                _("%(name)s was added, but no invitation was sent: add an e-mail address and invite them.")
                % {"name": person.full_name},
            )
        return redirect("org:person_detail", person.pk)
    return _page(request, "org/person_form.html", {"form": form, "agency": agency})


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.access_person(access.signed_in(request), pk, manage=True)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The details of %(name)s were saved.") % {"name": person.full_name})
        return redirect("org:person_detail", person.pk)
    return _page(request, "org/person_form.html", {"form": form, "person": person})


def _set_active(request: HttpRequest, pk: int, active: bool) -> HttpResponse:
    user = access.signed_in(request)
    person = access.access_person(user, pk, manage=True)
    if person.pk == user.pk:
        messages.error(request, _("You cannot deactivate or reactivate your own account."))
    elif person.is_active != active:
        person.is_active = active
        person.save(update_fields=["is_active"])
        if active:
            messages.success(request, _("%(name)s can sign in again.") % {"name": person.full_name})
        else:
            messages.success(request, _("%(name)s can no longer sign in.") % {"name": person.full_name})
    return redirect("org:person_detail", person.pk)


@require_POST
@login_required
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=False)


@require_POST
@login_required
def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=True)


@login_required
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    person = access.access_person(user, pk, manage=True)
    agencies = access.managed_agencies(user).current().order_by("name")
    chosen = request.GET.get("agency") or next(
        (m.agency_id for m in person.memberships.filter(agency__in=agencies).order_by("pk")), None
    )
    form = MembershipForm(
        request.POST or None,
        person=person,
        agencies=agencies,
        is_admin=access.is_admin(user),
        initial={"agency": chosen},
    )
    if request.method == "POST" and form.is_valid():
        membership = form.save()
        messages.success(
            request,
            _("%(name)s is now %(role)s in %(agency)s.")
            % {"name": person.full_name, "role": membership.get_role_display(), "agency": membership.agency.name},
        )
        return redirect("org:person_detail", person.pk)
    return _page(request, "org/membership_form.html", {"form": form, "person": person})


@require_POST
@login_required
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    membership = access.access(user, Membership.objects.select_related("user", "agency"), pk)
    if not (access.can_manage_membership(user, membership) and access.can_manage_person(user, membership.user)):
        raise PermissionDenied
    today = timezone.localdate()
    if membership.valid_to is not None and membership.valid_to < today:
        messages.info(request, _("This role had already ended."))
    elif membership.user_id == user.pk and membership.role == Role.COORDINATOR and not access.is_admin(user):
        messages.error(
            request,
            _("You cannot end your own role as reform coordinator: ask another coordinator or an administrator."),
        )
    else:
        membership.valid_to = max(today, membership.valid_from or today)
        membership.save(update_fields=["valid_to"])
        messages.success(
            request,
            _("The role “%(role)s” of %(name)s in %(agency)s ends today.")
            % {
                "role": membership.get_role_display(),
                "name": membership.user.full_name,
                "agency": membership.agency.name,
            },
        )
    return redirect("org:person_detail", membership.user_id)


# Import ------------------------------------------------------------------


@login_required
def import_people(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    agency = access.access_agency(user, pk, manage=True)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    result = None
    invited: list[User] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = importer.import_workbook(upload, agency=agency, user=user, name=upload.name, size=upload.size)
        invited = [person for person in result.new_people if _invite(request, person)]
    return _page(
        request,
        "org/import.html",
        {
            "agency": agency,
            "form": form,
            "result": result,
            "problems": result.problems[:200] if result else [],
            "invited": invited,
            "not_invited": [p for p in result.new_people if p not in invited] if result else [],
        },
    )


@login_required
def import_template(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    agency = access.access_agency(user, pk, manage=True)
    response = HttpResponse(
        importer.build_template(is_admin=access.is_admin(user)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="cchc-import-{agency.code}.xlsx"'
    return response
