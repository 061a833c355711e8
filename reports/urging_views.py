"""Urging by hand: the Office sends a unit a note (kept in history, notified to the unit's people)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import access
from reports import urging
from reports.urging_forms import UrgeForm


@login_required
def urge(request: HttpRequest, unit_pk: int) -> HttpResponse:
    user = access.signed_in(request)
    unit = access.access_unit(user, unit_pk)
    if not access.can_manage_reporting(user, unit.agency):
        raise PermissionDenied
    form = UrgeForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        urging.send_urging_note(
            user, unit, form.cleaned_data["text"], task=form.cleaned_data["task"], period=form.cleaned_data["period"]
        )
        messages.success(request, _("The urging note was sent to %(unit)s.") % {"unit": unit.name})
        return redirect("reports:urging_history", unit.agency_id)
    return render(request, "reports/urge.html", {"unit": unit, "form": form, "nav_active": "reports"})


@login_required
def urging_history(request: HttpRequest, agency_pk: int) -> HttpResponse:
    user = access.signed_in(request)
    agency = access.access_agency(user, agency_pk)
    notes = (
        access.visible_urging_notes(user)
        .filter(agency=agency)
        .select_related("unit", "author", "task", "period")
        .order_by("-created", "-pk")
    )
    page = Paginator(notes, 25).get_page(request.GET.get("page"))
    units = agency.units.current().order_by("order", "name") if access.can_manage_reporting(user, agency) else []
    return render(
        request,
        "reports/urging_history.html",
        {"agency": agency, "page": page, "units": units, "nav_active": "reports"},
    )
