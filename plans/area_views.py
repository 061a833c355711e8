"""Reform areas: shared data every signed-in person reads and administrators edit.

Areas are never deleted from here: one no longer used is switched off, and
the tasks and targets that point to it keep it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts import access
from plans.models import ReformArea
from plans.target_forms import AreaForm


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"nav_active": "plans", **context})


@login_required
def area_list(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    # Tasks counted are those the person can see: the list is shared, the figures are not.
    areas = ReformArea.objects.annotate(
        task_count=Count("tasks", filter=Q(tasks__agency__in=access.visible_agencies(user)))
    ).order_by("order", "pk")
    return _page(request, "plans/area_list.html", {"areas": areas, "can_manage": access.can_manage_areas(user)})


def _form(request: HttpRequest, area: ReformArea | None) -> HttpResponse:
    if not access.can_manage_areas(access.signed_in(request)):
        raise PermissionDenied
    form = AreaForm(request.POST if request.method == "POST" else None, instance=area)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("The reform area “%(name)s” was saved.") % {"name": saved.name})
        return redirect("plans:area_list")
    return _page(request, "plans/area_form.html", {"form": form, "area": area})


@login_required
def area_create(request: HttpRequest) -> HttpResponse:
    return _form(request, None)


@login_required
def area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form(request, get_object_or_404(ReformArea, pk=pk))
