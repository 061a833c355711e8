"""Criteria sets: the list, a set's tree, its fields and criteria, copies, publishing, Excel both ways.

Everybody in a province reads its sets (and the national ones); the
province's overseers and administrators keep them (`accounts.access`). A set
in use, replaced, or already used by assessments is never changed in place:
the pages that would change it answer with a message that offers a new version.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import AgencyKind
from indices import criteria
from indices.criteria_forms import CriteriaSetForm, CriterionForm, ImportForm, descendants
from indices.models import CriteriaSet, Criterion, CriterionKind, Method, SetStatus
from indices.scoring import check_set
from lib import xlsx

PER_PAGE = 50
ZERO = Decimal(0)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# The list ---------------------------------------------------------------------


@login_required
def set_list(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    visible = access.visible_criteria_sets(user)
    chosen = {
        "year": _int(request.GET.get("year")),
        "kind": request.GET.get("kind", "") if request.GET.get("kind") in AgencyKind.values else "",
        "status": request.GET.get("status", "") if request.GET.get("status") in SetStatus.values else "",
    }
    sets = visible
    if chosen["year"] is not None:
        sets = sets.filter(year=chosen["year"])
    if chosen["kind"]:
        sets = sets.filter(agency_kind=chosen["kind"])
    if chosen["status"]:
        sets = sets.filter(status=chosen["status"])
    sets = (
        sets.select_related("province")
        .annotate(criteria_count=Count("criteria"))
        .order_by("-year", "agency_kind", "province__name", "-version", "pk")
    )
    page = Paginator(sets, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "indices/set_list.html",
        {
            "page": page,
            "sets": page.object_list,
            "chosen": chosen,
            "filtered": any(v not in (None, "") for v in chosen.values()),
            "years": visible.order_by("-year").values_list("year", flat=True).distinct(),
            "kinds": AgencyKind.choices,
            "statuses": SetStatus.choices,
            "can_manage": access.can_manage_criteria(user),
            "nav_active": "par",
        },
    )


# One set ----------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    criterion: Criterion
    depth: int
    options: str
    is_leaf: bool


@dataclass
class Totals:
    self_points: Decimal = ZERO
    survey_points: Decimal = ZERO
    scored: Decimal = ZERO
    bonus_cap: Decimal = ZERO
    penalty_cap: Decimal = ZERO


def tree_lines(nodes: list[Criterion]) -> tuple[list[Line], Totals]:
    """The set's rows in tree order with their depth, and the points by kind and method."""
    ordered = criteria.tree_order(nodes)
    parents = {c.parent_id for c in nodes if c.parent_id}
    by_pk = {c.pk: c for c in nodes}
    totals = Totals()
    lines: list[Line] = []
    for criterion in ordered:
        depth, node = 1, criterion
        while node.parent_id in by_pk and depth < 10:
            depth, node = depth + 1, by_pk[node.parent_id]
        is_leaf = criterion.pk not in parents
        if criterion.parent_id is None:
            if criterion.kind == CriterionKind.BONUS:
                totals.bonus_cap += criterion.max_points
            elif criterion.kind == CriterionKind.PENALTY:
                totals.penalty_cap += criterion.max_points
            else:
                totals.scored += criterion.max_points
        if is_leaf and criterion.kind == CriterionKind.SCORED:
            if criterion.method == Method.SURVEY:
                totals.survey_points += criterion.max_points
            else:
                totals.self_points += criterion.max_points
        options = "; ".join(
            f"{o.get('label', '')} ({criteria.options_text([o]).rpartition('=')[2]})" for o in criterion.options or []
        )
        lines.append(Line(criterion, depth, options, is_leaf))
    return lines, totals


@login_required
def set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    criteria_set = access.access_criteria_set(user, pk)
    nodes = list(criteria_set.criteria.all())
    lines, totals = tree_lines(nodes)
    can_manage = access.can_manage_criteria_set(user, criteria_set)
    locked = criteria.locked_reason(criteria_set)
    versions = (
        access.visible_criteria_sets(user)
        .filter(province=criteria_set.province_id, agency_kind=criteria_set.agency_kind)
        .filter(year__in=[criteria_set.year, criteria_set.year - 1, criteria_set.year + 1])
        .exclude(pk=criteria_set.pk)
        .order_by("-year", "-version")
        .only("pk", "name", "year", "version", "status", "is_example", "previous_id")
    )
    return render(
        request,
        "indices/set_detail.html",
        {
            "set": criteria_set,
            "lines": lines,
            "totals": totals,
            "warnings": check_set(nodes),
            "locked": locked,
            "versions": versions,
            "can_manage": can_manage,
            "can_edit": can_manage and not locked,
            "can_publish": can_manage and criteria_set.status == SetStatus.DRAFT,
            "next_year": criteria_set.year + 1,
            "nav_active": "par",
        },
    )


def _refuse_locked(request: HttpRequest, criteria_set: CriteriaSet) -> HttpResponse | None:
    """Redirect to the set with the reason when it cannot be edited; the page offers a new version."""
    reason = criteria.locked_reason(criteria_set)
    if not reason:
        return None
    messages.error(request, reason)
    return redirect("par:set_detail", criteria_set.pk)


@login_required
def set_create(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    if not access.can_manage_criteria(user):
        raise PermissionDenied
    form = CriteriaSetForm(request.POST or None, user=user, initial={"agency_kind": AgencyKind.DEPARTMENT})
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = user
        criteria_set = form.save()
        messages.success(request, _("The criteria set was created as a draft: add its criteria."))
        return redirect("par:set_detail", criteria_set.pk)
    return render(request, "indices/set_form.html", {"form": form, "nav_active": "par"})


@login_required
def set_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    criteria_set = access.access_criteria_set(user, pk, manage=True)
    refused = _refuse_locked(request, criteria_set)
    if refused:
        return refused
    form = CriteriaSetForm(request.POST or None, instance=criteria_set, user=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The criteria set was saved."))
        return redirect("par:set_detail", criteria_set.pk)
    return render(request, "indices/set_form.html", {"form": form, "set": criteria_set, "nav_active": "par"})


@login_required
@require_POST
def set_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """A new version of the same year (no year posted) or the set carried into another year."""
    user = access.signed_in(request)
    criteria_set = access.access_criteria_set(user, pk, manage=True)
    year_text = request.POST.get("year", "").strip()
    year = _int(year_text)
    if year_text and year is None:
        messages.error(request, _("The year must be between 2000 and 2100."))
        return redirect("par:set_detail", criteria_set.pk)
    try:
        copy = criteria.copy_set(criteria_set, user, year=year)
    except criteria.Refused as refused:
        for message in refused.messages:
            messages.error(request, message)
        return redirect("par:set_detail", criteria_set.pk)
    if copy.year == criteria_set.year:
        messages.success(
            request,
            _("Version %(version)s was made as a draft: change it, then publish it.") % {"version": copy.version},
        )
    else:
        messages.success(request, _("The set was copied to %(year)s as a draft.") % {"year": copy.year})
    return redirect("par:set_detail", copy.pk)


@login_required
@require_POST
def set_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    criteria_set = access.access_criteria_set(user, pk, manage=True)
    try:
        criteria.publish(criteria_set, user)
    except criteria.Refused as refused:
        messages.error(request, _("The set was not published:"))
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The set is now in use; any earlier version in use is marked replaced."))
    return redirect("par:set_detail", criteria_set.pk)


@login_required
def set_export(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    criteria_set = access.access_criteria_set(user, pk)
    return xlsx.response(criteria.export_set(criteria_set), criteria.filename(criteria_set))


@login_required
def set_template(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    if not access.can_manage_criteria(user):
        raise PermissionDenied
    return xlsx.response(criteria.build_template(), "Mau-bo-tieu-chi-CCHC.xlsx")


@login_required
def set_import(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    if not access.can_manage_criteria(user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, user=user)
    problems: list[criteria.Problem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        province = form.cleaned_data["province"]
        if not access.can_manage_criteria(user, province):
            raise PermissionDenied
        parsed = criteria.read_workbook(upload, upload.name, upload.size)
        if parsed.ok:
            try:
                criteria_set = criteria.create_from(parsed, province=province, user=user)
            except criteria.Refused as refused:
                problems = [criteria.Problem(None, message) for message in refused.messages]
            else:
                messages.success(
                    request,
                    _("The set was imported as a draft with %(count)s criteria: check it, then publish it.")
                    % {"count": len(parsed.criteria)},
                )
                return redirect("par:set_detail", criteria_set.pk)
        else:
            problems = parsed.problems
    return render(
        request,
        "indices/set_import.html",
        {
            "form": form,
            "problems": problems,
            "columns": criteria.COLUMNS,
            "fields": criteria.SET_FIELDS,
            "nav_active": "par",
        },
    )


# Criteria ---------------------------------------------------------------------


@login_required
def criterion_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    criteria_set = access.access_criteria_set(user, pk, manage=True)
    refused = _refuse_locked(request, criteria_set)
    if refused:
        return refused
    initial = {}
    parent_pk = _int(request.GET.get("parent"))
    parent = criteria_set.criteria.filter(pk=parent_pk).first() if parent_pk else None
    if parent is not None:
        initial = {
            "parent": parent,
            "kind": parent.kind,
            "method": parent.method,
            "applicability": parent.applicability,
        }
    form = CriterionForm(request.POST or None, criteria_set=criteria_set, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            criterion = form.save()
            criteria.renumber(criteria_set)
        messages.success(request, _("The criterion %(code)s was added.") % {"code": criterion.code})
        return redirect(reverse("par:set_detail", args=[criteria_set.pk]) + f"#criterion-{criterion.pk}")
    return render(request, "indices/criterion_form.html", {"form": form, "set": criteria_set, "nav_active": "par"})


@login_required
def criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    criterion = access.access_criterion(user, pk, manage=True)
    criteria_set = criterion.criteria_set
    refused = _refuse_locked(request, criteria_set)
    if refused:
        return refused
    form = CriterionForm(request.POST or None, instance=criterion, criteria_set=criteria_set)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            criteria.renumber(criteria_set)
        messages.success(request, _("The criterion %(code)s was saved.") % {"code": criterion.code})
        return redirect(reverse("par:set_detail", args=[criteria_set.pk]) + f"#criterion-{criterion.pk}")
    return render(
        request,
        "indices/criterion_form.html",
        {"form": form, "set": criteria_set, "criterion": criterion, "nav_active": "par"},
    )


@login_required
def criterion_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    criterion = access.access_criterion(user, pk, manage=True)
    criteria_set = criterion.criteria_set
    refused = _refuse_locked(request, criteria_set)
    if refused:
        return refused
    below = len(descendants(criterion, list(criteria_set.criteria.all()))) - 1
    if request.method == "POST":
        code = criterion.code
        criterion.delete()
        messages.success(request, _("The criterion %(code)s was deleted.") % {"code": code})
        return redirect("par:set_detail", criteria_set.pk)
    return render(
        request,
        "indices/criterion_delete.html",
        {"set": criteria_set, "criterion": criterion, "below": below, "nav_active": "par"},
    )
