"""The improvement plan drafted from an assessment's gaps, and the province's PAPI / PCI results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Agency, AgencyKind, User
from indices import governance as gov
from indices import improvement
from indices.governance_forms import LinkTaskForm, ResultForm
from indices.models import GovernanceDimension, GovernanceIndex, GovernanceScore, ImprovementLink


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"nav_active": "par", **context})


# The improvement plan ------------------------------------------------------------


@login_required
def improvement_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what would be drafted; POST: draft it and open the plan."""
    user = access.signed_in(request)
    assessment = access.access_assessment(user, pk)
    if not access.can_manage_agency(user, assessment.agency):
        raise PermissionDenied
    if request.method == "POST":
        try:
            plan = improvement.draft_plan(assessment, user)
        except improvement.ImprovementError as error:
            if error.plan is not None:
                messages.error(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        error.message,
                        reverse("plans:detail", args=[error.plan.pk]),
                        _("Open it"),
                    ),
                )
            else:
                messages.error(request, error.message)
            return redirect("par:improvement_plan", assessment.pk)
        messages.success(
            request,
            _("The draft plan “%(title)s” was made from the assessment: edit it, then submit it for approval.")
            % {"title": plan.title},
        )
        return redirect("plans:detail", plan.pk)
    found = improvement.preview(assessment)
    return _page(
        request,
        "indices/improvement_plan.html",
        {"assessment": assessment, "preview": found, "subnav": "assessments"},
    )


# PAPI and PCI ------------------------------------------------------------------


def _provinces(user: User) -> list[Agency]:
    if access.is_admin(user):
        return list(Agency.objects.filter(parent__isnull=True, kind=AgencyKind.PROVINCE).order_by("name"))
    return list(Agency.objects.filter(pk__in=access.provinces_of(user)).order_by("name"))


def _province(request: HttpRequest, provinces: list[Agency]) -> Agency | None:
    wanted = request.GET.get("province", "")
    for province in provinces:
        if str(province.pk) == wanted:
            return province
    return provinces[0] if provinces else None


@login_required
def governance(request: HttpRequest) -> HttpResponse:
    """Per index: the years × dimensions table with total, rank and group, and a chart per dimension."""
    user = access.signed_in(request)
    provinces = _provinces(user)
    province = _province(request, provinces)
    indices = list(GovernanceIndex.objects.prefetch_related("dimensions"))
    index = next((i for i in indices if i.code == request.GET.get("index")), indices[0] if indices else None)
    table = charts = None
    if index is not None and province is not None:
        results = list(
            gov.results_of(user, province)
            .filter(index=index)
            .prefetch_related(Prefetch("scores", queryset=GovernanceScore.objects.all()))
        )
        table = gov.tables([index], results)[0]
        charts = gov.charts(table)
    return _page(
        request,
        "indices/governance.html",
        {
            "subnav": "governance",
            "provinces": provinces,
            "province": province,
            "indices": indices,
            "index": index,
            "table": table,
            "charts": charts,
            "can_record": province is not None and access.can_record_governance(user, province),
        },
    )


@login_required
def governance_record(request: HttpRequest, code: str) -> HttpResponse:
    """A year's published result of an index, for the province's overseers and administrators."""
    user = access.signed_in(request)
    provinces = [p for p in _provinces(user) if access.can_record_governance(user, p)]
    if not provinces:
        raise PermissionDenied
    province = _province(request, provinces)
    assert province is not None
    if not GovernanceIndex.objects.exists():
        gov.ensure_indices()
    index = get_object_or_404(GovernanceIndex.objects.prefetch_related("dimensions"), code=code)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year - 1)
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    result = gov.results_of(user, province).filter(index=index, year=year).prefetch_related("scores__dimension").first()
    form = ResultForm(
        request.POST or None,
        dimensions=gov.dimensions_for(index, year),
        result=result,
        groups=gov.known_groups(index),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            gov.record_result(
                index,
                province,
                year,
                scores=form.scores(),
                user=user,
                total=data["total"],
                rank=data["rank"],
                ranked_of=data["ranked_of"],
                group=data["group"],
                source=data["source"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("The %(index)s result of %(year)s was saved.") % {"index": index.code.upper(), "year": year},
            )
            return redirect(f"{reverse('par:governance')}?index={index.code}&province={province.pk}")
    return _page(
        request,
        "indices/governance_record.html",
        {
            "subnav": "governance",
            "index": index,
            "indices": GovernanceIndex.objects.all(),
            "province": province,
            "provinces": provinces,
            "year": year,
            "result": result,
            "form": form,
        },
    )


@login_required
def dimension_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A dimension's scores over the years and the tasks working on it; keepers link tasks."""
    user = access.signed_in(request)
    dimension = get_object_or_404(GovernanceDimension.objects.select_related("index"), pk=pk)
    provinces = _provinces(user)
    province = _province(request, provinces)
    can_link = province is not None and gov.can_link(user, province)
    form = None
    if can_link and province is not None:
        form = LinkTaskForm(
            request.POST if request.POST.get("action") == "link" else None,
            tasks=gov.linkable_tasks(user, province).filter(parent__isnull=True),
        )
    if request.method == "POST":
        if not can_link or province is None or form is None:
            raise PermissionDenied
        back = f"{reverse('par:dimension_detail', args=[dimension.pk])}?province={province.pk}"
        try:
            if request.POST.get("action") == "unlink":
                link = get_object_or_404(
                    ImprovementLink.objects.filter(dimension=dimension), pk=request.POST.get("link") or 0
                )
                gov.unlink_task(link, user, province)
                messages.success(request, _("The task is no longer linked to this dimension."))
                return redirect(back)
            if form.is_valid():
                gov.link_task(dimension, form.cleaned_data["task"], user, province)
                messages.success(request, _("The task was linked to this dimension."))
                return redirect(back)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(back)
    scores = []
    links: list[ImprovementLink] = []
    chart = None
    if province is not None:
        scores = list(
            GovernanceScore.objects.filter(dimension=dimension, result__in=gov.results_of(user, province))
            .select_related("result")
            .order_by("result__year")
        )
        chart = gov.line_chart(
            [s.result.year for s in scores],
            [s.score for s in scores],
            name=str(dimension),
            maximum=dimension.max_score,
        )
        links = list(
            ImprovementLink.objects.filter(dimension=dimension, task__in=gov.province_tasks(user, province))
            .select_related("task__plan", "task__lead_unit", "task__agency")
            .order_by("task__agency__name", "-task__plan__year", "task__order", "task__pk")
        )
    manageable = (
        set(
            gov.linkable_tasks(user, province)
            .filter(pk__in=[link.task_id for link in links])
            .values_list("pk", flat=True)
        )
        if can_link and province is not None and links
        else set()
    )
    return _page(
        request,
        "indices/dimension_detail.html",
        {
            "subnav": "governance",
            "dimension": dimension,
            "province": province,
            "provinces": provinces,
            "scores": scores,
            "chart": chart,
            "links": [(link, link.task_id in manageable) for link in links],
            "form": form,
            "today": timezone.localdate(),
        },
    )
