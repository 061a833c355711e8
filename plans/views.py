"""Plan pages: the list, the plan itself, its workflow, versions, copying, legal bases and outline."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Avg, Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import User
from lib import xlsx
from plans import actions, versions
from plans.actions import ActionError
from plans.forms import CopyForm, LegalBasisForm, PlanForm, SectionForm, StepForm, default_year
from plans.models import (
    TRANSITIONS,
    LegalBasis,
    Plan,
    PlanKind,
    PlanQuerySet,
    PlanStatus,
    Section,
    Target,
    TargetValue,
    Task,
    TaskState,
    TaskStatus,
)

if TYPE_CHECKING:
    from documents.models import OutgoingDocument

PLANS_PER_PAGE = 30
APPROVER_STEPS = ("issue", "return")
MAX_DEPTH = 3  # deeper outline levels share the last indentation


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"nav_active": "plans", **context})


def _refuse_closed(request: HttpRequest, plan: Plan) -> HttpResponse | None:
    if plan.is_closed:
        messages.error(request, _("The plan is closed: reopen it before changing it."))
        return redirect("plans:detail", plan.pk)
    return None


def may_take(user: User, plan: Plan, step: str) -> bool:
    """Approving, issuing and sending back are the leaders'; the other steps the plan's managers'."""
    if step in APPROVER_STEPS:
        return access.can_approve_plan(user, plan)
    return access.can_edit_plan(user, plan)


# The list ------------------------------------------------------------------


def _export_plans(plans: PlanQuerySet) -> HttpResponse:
    headers = [
        _("No."),
        capfirst(_("number and symbol")),
        _("Date of issue"),
        _("Title"),
        _("Agency"),
        _("Year"),
        _("Kind"),
        _("Status"),
        _("Tasks"),
        _("Progress"),
    ]
    rows = [
        [
            number,
            plan.symbol,
            plan.issued_on,
            plan.title,
            plan.agency.short_name,
            plan.year,
            plan.get_kind_display(),
            plan.get_status_display(),
            getattr(plan, "task_count", 0),
            round(getattr(plan, "mean_progress", None) or 0),
        ]
        for number, plan in enumerate(plans, start=1)
    ]
    content = xlsx.table_workbook(_("Plans"), headers, rows, widths=[6, 16, 12, 60, 24, 8, 22, 20, 10, 10])
    return xlsx.response(content, f"{_('Plans')}.xlsx")


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    visible = cast(PlanQuerySet, access.visible_plans(user))
    counted = Q(tasks__parent__isnull=True) & ~Q(tasks__status=TaskStatus.CANCELLED)
    plans = (
        visible.select_related("agency")
        .annotate(
            task_count=Count("tasks", filter=Q(tasks__parent__isnull=True)),
            mean_progress=Avg("tasks__progress", filter=counted),
        )
        .order_by("-year", "agency__name", "-pk")
    )
    filters: dict[str, str] = {}
    year = request.GET.get("year", "").strip()
    if year.isdigit():
        plans = plans.filter(year=int(year))
        filters["year"] = year
    kind = request.GET.get("kind", "")
    if kind in PlanKind.values:
        plans = plans.filter(kind=kind)
        filters["kind"] = kind
    status = request.GET.get("status", "")
    if status in PlanStatus.values:
        plans = plans.filter(status=status)
        filters["status"] = status
    agencies = list(access.visible_agencies(user).filter(plans__in=visible).distinct().order_by("name"))
    agency = request.GET.get("agency", "")
    if agency.isdigit() and len(agencies) > 1:
        plans = plans.filter(agency_id=int(agency))
        filters["agency"] = agency
    q = request.GET.get("q", "").strip()
    if q:
        plans = plans.search(q)
    if request.GET.get("format") == "xlsx":
        return _export_plans(plans)
    years = visible.order_by("-year").values_list("year", flat=True).distinct()
    return _page(
        request,
        "plans/plan_list.html",
        {
            "page": Paginator(plans, PLANS_PER_PAGE).get_page(request.GET.get("page")),
            "years": list(years),
            "kinds": PlanKind.choices,
            "statuses": PlanStatus.choices,
            "agencies": agencies if len(agencies) > 1 else [],
            "filters": filters,
            "q": q,
            "can_create": access.can_create_plans(user),
        },
    )


# One plan ------------------------------------------------------------------


@dataclass
class OutlineRow:
    """A line of the appendix table: a heading or a task, with its indentation."""

    depth: int
    section: Section | None = None
    task: Task | None = None


@dataclass
class Summary:
    """Progress of the top-level tasks that count, for one reform area or lead unit."""

    label: str
    count: int = 0
    total: int = 0
    done: int = 0
    overdue: int = 0

    @property
    def mean(self) -> int:
        return round(self.total / self.count) if self.count else 0


def outline(sections: list[Section], tasks: list[Task]) -> list[OutlineRow]:
    """Headings in tree order, each followed by its tasks; sub-tasks and occurrences under their parent."""
    known = {s.pk for s in sections}
    child_sections: dict[int | None, list[Section]] = defaultdict(list)
    for section in sections:
        child_sections[section.parent_id if section.parent_id in known else None].append(section)
    task_ids = {t.pk for t in tasks}
    children: dict[int, list[Task]] = defaultdict(list)
    by_section: dict[int | None, list[Task]] = defaultdict(list)
    for task in tasks:
        if task.parent_id in task_ids:
            children[task.parent_id].append(task)
        else:
            by_section[task.section_id if task.section_id in known else None].append(task)
    rows: list[OutlineRow] = []
    seen: set[int] = set()

    def add_tasks(items: list[Task], depth: int) -> None:
        for task in items:
            if task.pk in seen:
                continue
            seen.add(task.pk)
            rows.append(OutlineRow(min(depth, MAX_DEPTH), task=task))
            add_tasks(children[task.pk], depth + 1)

    visited: set[int] = set()

    def add_sections(items: list[Section], depth: int) -> None:
        for section in items:
            if section.pk in visited:
                continue
            visited.add(section.pk)
            rows.append(OutlineRow(min(depth, MAX_DEPTH), section=section))
            add_tasks(by_section[section.pk], 0)
            add_sections(child_sections[section.pk], depth + 1)

    add_tasks(by_section[None], 0)
    add_sections(child_sections[None], 0)
    return rows


def summarise(tasks: list[Task], key: Callable[[Task], tuple[Hashable, str]]) -> list[Summary]:
    """Counts and mean progress of the top-level tasks that count, grouped by `key` (sort key, label)."""
    today = timezone.localdate()
    groups: dict[Hashable, Summary] = {}
    for task in tasks:
        if task.parent_id is not None or not task.counts_for_progress:
            continue
        order, label = key(task)
        summary = groups.setdefault(order, Summary(label))
        summary.count += 1
        summary.total += task.progress
        summary.done += task.status == TaskStatus.DONE
        summary.overdue += task.state(today) == TaskState.OVERDUE
    return [groups[k] for k in sorted(groups, key=lambda k: (k is None, k))]


def _area_key(task: Task) -> tuple[Hashable, str]:
    if task.area is None:
        return (None, _("No reform area"))
    return ((task.area.order, task.area.pk), task.area.label)


def _unit_key(task: Task) -> tuple[Hashable, str]:
    return ((task.lead_unit.name.casefold(), task.lead_unit.pk), task.lead_unit.name)


def registered_line(plan: Plan) -> OutgoingDocument | None:
    """The plan's line in its agency's outgoing register (same agency: readable with the plan)."""
    from documents.models import OutgoingDocument

    return (
        OutgoingDocument.objects.filter(
            agency_id=plan.agency_id, source_type=ContentType.objects.get_for_model(Plan), source_id=plan.pk
        )
        .order_by("-pk")
        .first()
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    plan = access.access_plan(user, pk)
    bases = list(plan.legal_bases.select_related("linked_plan"))
    linked = {b.linked_plan_id for b in bases if b.linked_plan_id}
    readable = set(access.visible_plans(user).filter(pk__in=linked).values_list("pk", flat=True)) if linked else set()
    sections = list(plan.sections.select_related("area"))
    tasks = list(
        plan.tasks.select_related("lead_unit", "area", "section")
        .prefetch_related("coordinating_units")
        .order_by("order", "pk")
    )
    targets = []
    for target in plan.targets.select_related("responsible_unit").prefetch_related("values").order_by("order", "pk"):
        target.plan = plan  # its status reads the plan's period
        latest: TargetValue | None = next(iter(target.values.all()), None)
        targets.append((target, latest))
    can_edit = access.can_edit_plan(user, plan)
    steps = [
        {
            "name": name,
            "label": TRANSITIONS[name]["label"],
            "danger": name in ("return", "close"),
        }
        for name in plan.allowed_transitions()
        if may_take(user, plan, name)
    ]
    steps.sort(key=lambda step: step["danger"])  # the way forward first
    return _page(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "agency": plan.agency,
            "copied_from": access.visible_plans(user).filter(pk=plan.copied_from_id).first()
            if plan.copied_from_id
            else None,
            "recipients": [line.strip() for line in plan.recipients.splitlines() if line.strip()],
            "registered": registered_line(plan) if plan.number else None,
            "bases": [(b, b.linked_plan_id in readable) for b in bases],
            "rows": outline(sections, tasks),
            "task_count": sum(1 for t in tasks if t.parent_id is None),
            "targets": targets,
            "by_area": summarise(tasks, _area_key),
            "by_unit": summarise(tasks, _unit_key),
            "steps": steps,
            "today": timezone.localdate(),
            "can_edit": can_edit,
            "can_change": can_edit and not plan.is_closed,
            "can_delete": can_edit and plan.status == PlanStatus.DRAFT,
        },
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    if not access.can_create_plans(user):
        raise PermissionDenied
    agencies = access.managed_agencies(user).current()
    home = agencies[0] if len(agencies) == 1 else access.primary_agency(user)
    form = PlanForm(
        request.POST or None,
        agencies=agencies,
        initial={
            "agency": home.pk if home else None,
            "year": default_year(),
            "place": home.place_name if home else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        plan = form.save(commit=False)
        plan.created_by = user
        plan.place = plan.place or plan.agency.place_name
        plan.save()
        messages.success(request, _("The draft plan “%(title)s” was created.") % {"title": plan.title})
        return redirect("plans:detail", plan.pk)
    return _page(request, "plans/plan_form.html", {"form": form})


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    plan = access.access_plan(user, pk, manage=True)
    if refused := _refuse_closed(request, plan):
        return refused
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            plan = form.save()
            if plan.is_open and form.has_changed():
                actions.record_version(plan, user, _("Amended"))
        messages.success(request, _("The plan was saved."))
        return redirect("plans:detail", plan.pk)
    return _page(request, "plans/plan_form.html", {"form": form, "plan": plan})


@login_required
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.access_plan(access.signed_in(request), pk, manage=True)
    if plan.status != PlanStatus.DRAFT:
        messages.error(request, _("Only a draft plan can be deleted; close it instead."))
        return redirect("plans:detail", plan.pk)
    if request.method == "POST":
        title = plan.title
        plan.delete()
        messages.success(request, _("The draft plan “%(title)s” was deleted.") % {"title": title})
        return redirect("plans:list")
    task_count = plan.tasks.count()
    return _page(
        request,
        "plans/confirm_delete.html",
        {
            "title": _("Delete the draft plan"),
            "question": _("Delete the draft plan “%(title)s”?") % {"title": plan.title},
            "details": ngettext(
                "Its task, its targets, outline and legal bases are deleted with it.",
                "Its %(count)s tasks, its targets, outline and legal bases are deleted with it.",
                task_count,
            )
            % {"count": task_count}
            if task_count
            else "",
            "cancel_url": reverse("plans:detail", args=[plan.pk]),
            "plan": plan,
        },
    )


_STEP_DONE = {
    "submit": lambda plan: _("The plan was submitted for approval."),
    "return": lambda plan: _("The plan went back to draft."),
    "issue": lambda plan: _("The plan was approved and issued as %(symbol)s.") % {"symbol": plan.symbol},
    "start": lambda plan: _("Implementation of the plan has started."),
    "close": lambda plan: _("The plan was closed."),
    "reopen": lambda plan: _("The plan was reopened."),
}


@require_POST
@login_required
def plan_transition(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = access.signed_in(request)
    plan = access.access_plan(user, pk)
    if step not in TRANSITIONS:
        raise Http404
    if not may_take(user, plan, step):
        raise PermissionDenied
    form = StepForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("plans:detail", plan.pk)
    try:
        plan = actions.transition(
            plan, step, user, note=form.cleaned_data["note"], issued_on=form.cleaned_data["issued_on"]
        )
    except ActionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _STEP_DONE[step](plan))
    return redirect("plans:detail", plan.pk)


# Versions ------------------------------------------------------------------


@login_required
def version_list(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.access_plan(access.signed_in(request), pk)
    return _page(
        request,
        "plans/versions.html",
        {"plan": plan, "versions": plan.versions.select_related("created_by").order_by("-number")},
    )


@login_required
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    plan = access.access_plan(access.signed_in(request), pk)
    version = get_object_or_404(plan.versions.select_related("created_by"), number=number)
    previous = plan.versions.filter(number__lt=number).order_by("-number").first()
    snapshots = [version.snapshot] + ([previous.snapshot] if previous else [])
    areas = versions.area_names(snapshots)
    return _page(
        request,
        "plans/version_detail.html",
        {
            "plan": plan,
            "version": version,
            "previous": previous,
            "changes": versions.differences(previous.snapshot, version.snapshot, areas) if previous else None,
            "document": versions.document(version.snapshot),
            "bases": versions.legal_bases(version.snapshot),
            "tasks": versions.tasks(version.snapshot, areas),
            "targets": versions.targets(version.snapshot),
            "newer": plan.versions.filter(number__gt=number).order_by("number").first(),
        },
    )


# Copy ----------------------------------------------------------------------


@login_required
def plan_copy(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    plan = access.access_plan(user, pk, manage=True)
    form = CopyForm(request.POST or None, initial={"year": plan.year + 1})
    if request.method == "POST" and form.is_valid():
        copy = actions.copy_plan(plan, user, year=form.cleaned_data["year"])
        messages.success(
            request,
            _("The plan was copied to a draft for %(year)s: check its dates and tasks, then submit it.")
            % {"year": copy.year},
        )
        return redirect("plans:detail", copy.pk)
    return _page(request, "plans/plan_copy.html", {"plan": plan, "form": form})


# Legal bases ---------------------------------------------------------------


def _basis(user: User, pk: int) -> LegalBasis:
    basis = access.access(user, LegalBasis.objects.select_related("plan", "plan__agency"), pk, "plan__agency")
    if not access.can_edit_plan(user, basis.plan):
        raise PermissionDenied
    return basis


def _next_order(queryset: Any) -> int:
    return int(queryset.aggregate(n=Max("order"))["n"] or 0) + 1


@login_required
def basis_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.access_plan(access.signed_in(request), pk, manage=True)
    if refused := _refuse_closed(request, plan):
        return refused
    form = LegalBasisForm(
        request.POST or None,
        instance=LegalBasis(plan=plan),
        initial={"order": _next_order(plan.legal_bases)},
    )
    if request.method == "POST" and form.is_valid():
        basis = form.save()
        messages.success(request, _("The legal basis “%(basis)s” was added.") % {"basis": basis})
        return redirect(reverse("plans:detail", args=[plan.pk]) + "#bases")
    return _page(request, "plans/basis_form.html", {"form": form, "plan": plan})


@login_required
def basis_edit(request: HttpRequest, pk: int) -> HttpResponse:
    basis = _basis(access.signed_in(request), pk)
    plan = basis.plan
    if refused := _refuse_closed(request, plan):
        return refused
    form = LegalBasisForm(request.POST or None, instance=basis)
    if request.method == "POST" and form.is_valid():
        basis = form.save()
        messages.success(request, _("The legal basis “%(basis)s” was saved.") % {"basis": basis})
        return redirect(reverse("plans:detail", args=[plan.pk]) + "#bases")
    return _page(request, "plans/basis_form.html", {"form": form, "plan": plan, "basis": basis})


@login_required
def basis_delete(request: HttpRequest, pk: int) -> HttpResponse:
    basis = _basis(access.signed_in(request), pk)
    plan = basis.plan
    if refused := _refuse_closed(request, plan):
        return refused
    if request.method == "POST":
        basis.delete()
        messages.success(request, _("The legal basis “%(basis)s” was removed.") % {"basis": basis})
        return redirect(reverse("plans:detail", args=[plan.pk]) + "#bases")
    return _page(
        request,
        "plans/confirm_delete.html",
        {
            "title": _("Remove a legal basis"),
            "question": _("Remove the legal basis “%(basis)s” from the plan?") % {"basis": basis},
            "cancel_url": reverse("plans:detail", args=[plan.pk]) + "#bases",
            "confirm_label": _("Remove"),
            "plan": plan,
        },
    )


# Outline -------------------------------------------------------------------


def _section(user: User, pk: int) -> Section:
    section = access.access(user, Section.objects.select_related("plan", "plan__agency"), pk, "plan__agency")
    if not access.can_edit_plan(user, section.plan):
        raise PermissionDenied
    return section


@login_required
def section_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.access_plan(access.signed_in(request), pk, manage=True)
    if refused := _refuse_closed(request, plan):
        return refused
    parent = request.GET.get("parent", "")
    form = SectionForm(
        request.POST or None,
        instance=Section(plan=plan),
        initial={"order": _next_order(plan.sections), "parent": int(parent) if parent.isdigit() else None},
    )
    if request.method == "POST" and form.is_valid():
        section = form.save()
        messages.success(request, _("The heading “%(section)s” was added.") % {"section": section})
        return redirect(reverse("plans:detail", args=[plan.pk]) + "#outline")
    return _page(request, "plans/section_form.html", {"form": form, "plan": plan})


@login_required
def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    section = _section(access.signed_in(request), pk)
    plan = section.plan
    if refused := _refuse_closed(request, plan):
        return refused
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        section = form.save()
        messages.success(request, _("The heading “%(section)s” was saved.") % {"section": section})
        return redirect(reverse("plans:detail", args=[plan.pk]) + "#outline")
    return _page(request, "plans/section_form.html", {"form": form, "plan": plan, "section": section})


@transaction.atomic
def remove_section(section: Section) -> None:
    """Delete a heading; what was under it moves up to the heading above (or to no heading)."""
    parent_id = section.parent_id
    # One save each rather than update(), so the audit trail records the moves.
    for child in section.children.all():
        child.parent_id = parent_id
        child.save(update_fields=["parent"])
    for item in [*Task.objects.filter(section=section), *Target.objects.filter(section=section)]:
        item.section_id = parent_id
        item.save(update_fields=["section"])
    section.delete()


@login_required
def section_delete(request: HttpRequest, pk: int) -> HttpResponse:
    section = _section(access.signed_in(request), pk)
    plan = section.plan
    if refused := _refuse_closed(request, plan):
        return refused
    if request.method == "POST":
        remove_section(section)
        messages.success(request, _("The heading “%(section)s” was removed.") % {"section": section})
        return redirect(reverse("plans:detail", args=[plan.pk]) + "#outline")
    task_count = section.tasks.count()
    return _page(
        request,
        "plans/confirm_delete.html",
        {
            "title": _("Remove a heading"),
            "question": _("Remove the heading “%(section)s”?") % {"section": section},
            "details": _("Its tasks, targets and sub-headings are not deleted: they move to the heading above it.")
            if task_count or section.children.exists() or section.targets.exists()
            else "",
            "cancel_url": reverse("plans:detail", args=[plan.pk]) + "#outline",
            "confirm_label": _("Remove"),
            "plan": plan,
        },
    )
