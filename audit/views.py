from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts import access
from audit.forms import AuditFilterForm
from audit.models import AuditEntry

PAGE_SIZE = 50


def _entries(request: HttpRequest) -> QuerySet[AuditEntry]:
    if not access.can_view_audit_trail(request.user):
        raise Http404
    return access.visible_audit_entries(request.user).select_related("agency", "content_type")


def _start_of(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filter(entries: QuerySet[AuditEntry], data: dict[str, Any]) -> QuerySet[AuditEntry]:
    if data.get("agency"):
        entries = entries.filter(agency=data["agency"])
    if data.get("type"):
        app_label, _dot, model = data["type"].partition(".")
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model)
    if data.get("action"):
        entries = entries.filter(action=data["action"])
    if data.get("person"):
        entries = entries.filter(actor_name__icontains=data["person"])
    if data.get("date_from"):
        entries = entries.filter(timestamp__gte=_start_of(data["date_from"]))
    if data.get("date_to"):
        entries = entries.filter(timestamp__lt=_start_of(data["date_to"] + timedelta(days=1)))
    if data.get("q"):
        entries = entries.filter(Q(object_repr__icontains=data["q"]) | Q(object_id=data["q"]))
    return entries


@login_required
@require_safe
def entry_list(request: HttpRequest) -> HttpResponse:
    entries = _entries(request)
    form = AuditFilterForm(request.GET or None, agencies=access.managed_agencies(request.user))
    if form.is_bound:
        form.is_valid()  # invalid filters are shown with their message and left out
        entries = _filter(entries, form.cleaned_data)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"form": form, "page": page, "nav_active": "audit"})


@login_required
@require_safe
def object_history(request: HttpRequest, type: str, object_id: str) -> HttpResponse:
    app_label, _dot, model = type.partition(".")
    entries = _entries(request).filter(
        content_type__app_label=app_label, content_type__model=model, object_id=object_id
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    if not page.object_list:
        raise Http404  # nothing visible: missing and "not yours" look the same
    latest = page.object_list[0]
    return render(request, "audit/history.html", {"page": page, "latest": latest, "nav_active": "audit"})
