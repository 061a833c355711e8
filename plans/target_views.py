"""Targets (chỉ tiêu): the list across plans, the goal form, and actual values with evidence."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import User
from files.models import Attachment
from lib import xlsx
from plans import actions
from plans.models import (
    MetricKind,
    ReformArea,
    Target,
    TargetQuerySet,
    TargetStatus,
    TargetValue,
)
from plans.target_forms import TargetForm, TargetValueForm

PER_PAGE = 50


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {"nav_active": "plans", **context}, status=status)


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _export(targets: list[Target]) -> HttpResponse:
    """The filtered targets as an Excel sheet: three queries whatever their number."""
    latest_ids = [getattr(t, "latest_value_id", None) for t in targets]
    latest = TargetValue.objects.in_bulk([pk for pk in latest_ids if pk])
    rows = []
    for number, (target, latest_id) in enumerate(zip(targets, latest_ids, strict=True), start=1):
        value = latest.get(latest_id) if latest_id else None
        rows.append(
            [
                number,
                str(target.plan),
                target.statement,
                target.area.label if target.area else "",
                target.display_goal(),
                display_actual(target, value) if value else "",
                value.period_label if value else "",
                str(TargetStatus(target.status_for(value)).label),
                target.responsible_unit.name if target.responsible_unit else "",
            ]
        )
    headers = [
        _("No."),
        _("Plan"),
        _("Target"),
        _("Reform area"),
        _("Goal"),
        _("Latest value"),
        _("Period"),
        _("Status"),
        _("Responsible unit"),
    ]
    content = xlsx.table_workbook(_("Targets"), headers, rows, widths=[6, 30, 60, 18, 14, 14, 14, 18, 24])
    return xlsx.response(content, f"{_('Targets')}.xlsx")


def display_actual(target: Target, value: TargetValue | None) -> str:
    """ "55 %", "1.200.000 đồng", "Yes": an actual value as people read it."""
    if value is None:
        return ""
    if target.metric_kind == MetricKind.BOOLEAN:
        return _("Yes") if value.actual else _("No")
    number = formats.number_format(Decimal(f"{value.actual.normalize():f}"), force_grouping=True)
    return f"{number} {target.unit_of_measure}".strip()


@dataclass
class Row:
    target: Target
    latest: TargetValue | None
    actual: str


# The list -----------------------------------------------------------------


@login_required
def target_list(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    visible = cast(TargetQuerySet, access.visible_targets(user))
    show_agency = access.is_admin(user) or access.is_overseer(user)
    chosen = {name: _int(request.GET.get(name)) for name in ("plan", "year", "agency", "unit", "area")}
    if not show_agency:
        chosen["agency"] = None
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if status not in TargetStatus.values:
        status = ""

    targets = visible.search(q)
    lookups = {"plan": "plan_id", "year": "plan__year", "agency": "agency_id", "unit": "responsible_unit_id"}
    lookups["area"] = "area_id"
    for name, lookup in lookups.items():
        if chosen[name] is not None:
            targets = targets.filter(**{lookup: chosen[name]})
    annotated = targets.with_status(timezone.localdate())
    counts = annotated.aggregate(
        **{code: Count("pk", filter=Q(status_code=code)) for code in TargetStatus.values},
        total=Count("pk"),
    )
    if status:
        annotated = annotated.filter(Q(status_code=status))
    annotated = annotated.select_related("plan", "agency", "responsible_unit", "area").order_by(
        "-plan__year", "plan_id", "order", "pk"
    )
    if request.GET.get("format") == "xlsx":
        return _export(list(annotated))
    page = Paginator(annotated, PER_PAGE).get_page(request.GET.get("page"))
    latest_ids = [getattr(t, "latest_value_id", None) for t in page]
    latest = TargetValue.objects.in_bulk([pk for pk in latest_ids if pk])
    rows = []
    for target, latest_id in zip(page, latest_ids, strict=True):
        value = latest.get(latest_id) if latest_id else None
        rows.append(Row(target, value, display_actual(target, value)))

    plans = list(
        access.visible_plans(user)
        .filter(pk__in=visible.values("plan"))
        .select_related("agency")
        .order_by("-year", "agency__name", "pk")
    )
    units = access.visible_units(user).filter(pk__in=visible.values("responsible_unit")).select_related("agency")
    return _page(
        request,
        "plans/target_list.html",
        {
            "page": page,
            "rows": rows,
            "counts": [(code, label, counts[code], code == status) for code, label in TargetStatus.choices],
            "total": counts["total"],
            "chosen": chosen,
            "status": status,
            "q": q,
            "filtered": bool(q or status or any(v is not None for v in chosen.values())),
            "plans": plans,
            "years": sorted({p.year for p in plans}, reverse=True),
            "agencies": (
                list(access.visible_agencies(user).filter(pk__in=visible.values("agency")).order_by("name"))
                if show_agency
                else []
            ),
            "units": sorted(units, key=lambda u: (u.agency.name, u.name)),
            "areas": list(ReformArea.objects.all()),
            "show_agency": show_agency,
        },
    )


# One target ---------------------------------------------------------------


def _may_delete(target: Target, has_values: bool) -> bool:
    plan = target.plan
    return not plan.is_closed and (plan.is_editable or not has_values)


def _evidence(values: list[TargetValue]) -> dict[int, list[Attachment]]:
    """The files attached to each value, in one query."""
    by_value: dict[int, list[Attachment]] = defaultdict(list)
    if values:
        attachments = Attachment.objects.filter(
            owner_type=ContentType.objects.get_for_model(TargetValue), owner_id__in=[v.pk for v in values]
        ).order_by("uploaded_at", "pk")
        for attachment in attachments:
            by_value[attachment.owner_id].append(attachment)
    return by_value


def _detail(
    request: HttpRequest, user: User, target: Target, form: TargetValueForm | None = None, status: int = 200
) -> HttpResponse:
    values = list(target.values.select_related("recorded_by"))
    evidence = _evidence(values)
    plan = target.plan
    can_record = access.can_record_value(user, target) and plan.is_open
    if can_record and form is None:
        form = TargetValueForm(target)
    return _page(
        request,
        "plans/target_detail.html",
        {
            "target": target,
            "plan": plan,
            "latest": values[0] if values else None,
            "latest_actual": display_actual(target, values[0] if values else None),
            "values": [(v, display_actual(target, v), evidence.get(v.pk, [])) for v in values],
            "form": form if can_record else None,
            "may_record": access.can_record_value(user, target),
            "can_manage": access.can_edit_plan(user, plan) and not plan.is_closed,
            "can_delete": access.can_edit_plan(user, plan) and _may_delete(target, bool(values)),
        },
        status=status,
    )


@login_required
def target_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    return _detail(request, user, access.access_target(user, pk))


def _form(request: HttpRequest, target: Target) -> HttpResponse:
    if request.method == "POST" and "prefill" in request.POST:
        initial = TargetForm.prefilled(request.POST)
        if not initial.pop("found"):
            messages.warning(request, _("No figure was found in the statement: enter the goal yourself."))
        form = TargetForm(instance=target, initial=initial)
    elif request.method == "POST":
        form = TargetForm(request.POST, instance=target)
        if form.is_valid():
            created = target.pk is None
            with transaction.atomic():
                if created:
                    highest = target.plan.targets.aggregate(m=Max("order"))["m"]
                    target.order = (highest or 0) + 1
                form.save()
            messages.success(request, _("The target was added.") if created else _("The target was saved."))
            return redirect("plans:target_detail", target.pk)
    else:
        form = TargetForm(instance=target)
    return _page(
        request,
        "plans/target_form.html",
        {"form": form, "target": target if target.pk else None, "plan": target.plan},
    )


@login_required
def target_create(request: HttpRequest, plan_pk: int) -> HttpResponse:
    user = access.signed_in(request)
    plan = access.access_plan(user, plan_pk, manage=True)
    if plan.is_closed:
        messages.error(request, _("The plan is closed: its targets can no longer change."))
        return redirect("plans:detail", plan.pk)
    return _form(request, Target(plan=plan, agency=plan.agency))


@login_required
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    target = access.access_target(user, pk, manage=True)
    if target.plan.is_closed:
        messages.error(request, _("The plan is closed: its targets can no longer change."))
        return redirect("plans:target_detail", target.pk)
    return _form(request, target)


@login_required
@require_POST
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    target = access.access_target(user, pk, manage=True)
    values = list(target.values.all())
    if not _may_delete(target, bool(values)):
        if target.plan.is_closed:
            messages.error(request, _("The plan is closed: its targets can no longer change."))
        else:
            messages.error(request, _("This target already has actual values: it can no longer be deleted."))
        return redirect("plans:target_detail", target.pk)
    plan_pk = target.plan_id
    with transaction.atomic():
        for attachments in _evidence(values).values():
            for attachment in attachments:
                attachment.remove()
        target.delete()
    messages.success(request, _("The target was deleted."))
    return redirect(f"{reverse('plans:target_list')}?plan={plan_pk}")


# Actual values ------------------------------------------------------------


def record_with_evidence(target: Target, user: User, form: TargetValueForm) -> TargetValue:
    """The value and its files, all or nothing (a file stored before a failure is removed)."""
    stored: list[Attachment] = []
    data = form.cleaned_data
    try:
        with transaction.atomic():
            value = actions.record_value(
                target,
                user,
                period_label=data["period_label"].strip(),
                period_end=data["period_end"],
                actual=data["actual"],
                note=data["note"],
            )
            for upload, checked in form.checked:
                stored.append(Attachment.store(value, upload, checked, user=user))
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return value


@login_required
@require_POST
def target_value(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    target = access.access_target(user, pk)
    if not access.can_record_value(user, target):
        raise PermissionDenied
    form = TargetValueForm(target, request.POST, request.FILES)
    if not form.is_valid():
        if not target.plan.is_open:  # the page shows no form to correct
            messages.error(request, _("Values are recorded while the plan is issued and not closed."))
            return redirect("plans:target_detail", target.pk)
        return _detail(request, user, target, form, status=400)
    try:
        value = record_with_evidence(target, user, form)
    except actions.ActionError as exc:
        messages.error(request, str(exc))
        return redirect("plans:target_detail", target.pk)
    messages.success(
        request,
        _("The value for %(period)s was recorded: %(actual)s.")
        % {"period": value.period_label, "actual": display_actual(target, value)},
    )
    return redirect("plans:target_detail", target.pk)
