"""Task lists across plans: all, mine, my unit's, overdue, the year's timeline, their export, bulk reassignment.

Every list starts from access.visible_tasks, narrows it with the filters of
plans/filters.py, counts the states in one query and shows a page of rows in a
fixed number of queries, however many tasks there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import ExtractMonth, RowNumber
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from accounts import access
from accounts.models import Membership, Role, User
from lib import xlsx
from plans import actions
from plans.filters import (
    STATES,
    BulkAssignForm,
    TaskFilter,
    open_first,
    state_counts,
    tasks_of,
    with_related,
)
from plans.models import Task, TaskState

PER_PAGE = 50
PER_MONTH = 25  # tasks shown in a month of the timeline; the rest behind a link

ALL, MINE, UNIT, OVERDUE, TIMELINE = "all", "mine", "unit", "overdue", "timeline"
LISTS = {
    ALL: ("plans:task_list", gettext_lazy("All tasks")),
    MINE: ("plans:my_tasks", gettext_lazy("My tasks")),
    UNIT: ("plans:unit_tasks", gettext_lazy("My unit's tasks")),
    OVERDUE: ("plans:overdue_tasks", gettext_lazy("Overdue tasks")),
}


@dataclass
class Row:
    task: Task
    manageable: bool
    days_late: int | None


@dataclass
class Month:
    start: date
    tasks: list[Task] = field(default_factory=list)
    total: int = 0

    @property
    def period(self) -> str:
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def more(self) -> int:
        return self.total - len(self.tasks)


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"nav_active": "tasks", **context})


def _partial(request: HttpRequest) -> bool:
    """A filter changed through htmx: swap the results only (going back in history needs the whole page)."""
    htmx = getattr(request, "htmx", None)
    return isinstance(htmx, HtmxDetails) and bool(htmx) and not htmx.history_restore_request


def followed_units(user: User) -> set[int]:
    """The units whose tasks the person follows: where they work, or a coordinator's office."""
    units = access.units_of(user)
    units |= {m.unit_id for m in access.memberships(user) if m.role == Role.COORDINATOR and m.unit_id}
    return units


def preset(user: User, view: str, today: date) -> QuerySet[Task]:
    """The tasks of one list before its filters."""
    tasks = tasks_of(user)
    if view == MINE:
        assigned = Task.assignees.through.objects.filter(user_id=user.pk).values("task_id")
        unassigned_in_my_unit = Q(lead_unit_id__in=access.units_of(user), assignees__isnull=True)
        return tasks.filter(Q(pk__in=assigned) | unassigned_in_my_unit)
    if view == UNIT:
        units = followed_units(user)
        return tasks.for_units(units) if units else tasks.none()
    if view == OVERDUE:
        return tasks.overdue(today)
    return tasks


def ordered(tasks: QuerySet[Task], view: str) -> QuerySet[Task]:
    if view == OVERDUE:  # the oldest first
        return tasks.order_by("due_date", "plan_id", "order", "pk")
    return open_first(tasks)


def _listing(request: HttpRequest, view: str) -> HttpResponse:
    user = access.signed_in(request)
    today = timezone.localdate()
    form = TaskFilter(request.GET, user=user, today=today)
    no_unit = view == UNIT and not followed_units(user)
    tasks = form.apply(preset(user, view, today))
    counts = state_counts(tasks, today) if not no_unit else {}
    tasks = ordered(form.apply_state(tasks), view)
    page = Paginator(with_related(tasks), PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        Row(
            task,
            access.can_manage_task(user, task),
            (today - task.due_date).days if task.due_date and task.is_open and task.due_date < today else None,
        )
        for task in page.object_list
    ]
    managed = {row.task.agency_id for row in rows if row.manageable}
    # Responsible people are offered within one agency: across many the list would be endless.
    bulk_form = BulkAssignForm(agency_ids=managed, people=len(managed) == 1) if managed else None
    url_name, title = LISTS[view]
    context = {
        "view": view,
        "title": title,
        "list_url": reverse(url_name),
        "tabs": [(key, reverse(name), label) for key, (name, label) in LISTS.items()],
        "form": form,
        "counts": counts,
        "state_tabs": [(str(s), s.label, counts.get(str(s), 0)) for s in STATES],
        "page": page,
        "rows": rows,
        "bulk_form": bulk_form,
        "no_unit": no_unit,
        "today": today,
    }
    partial = _partial(request)
    context["partial"] = partial
    return _page(request, "plans/_task_table.html" if partial else "plans/task_list.html", context)


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    return _listing(request, ALL)


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    return _listing(request, MINE)


@login_required
def unit_tasks(request: HttpRequest) -> HttpResponse:
    return _listing(request, UNIT)


@login_required
def overdue_tasks(request: HttpRequest) -> HttpResponse:
    return _listing(request, OVERDUE)


# Timeline ------------------------------------------------------------------

TIMELINE_FILTERS = ("agency", "area", "unit")


def _year(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() and 2000 <= int(value) <= 2100 else default


def timeline_tasks(user: User, form: TaskFilter, year: int) -> QuerySet[Task]:
    """Tasks people carry out (no sub-tasks; occurrences of recurring ones each in its month) due in the year."""
    return form.apply(tasks_of(user).leaves()).filter(due_date__year=year)


@login_required
def timeline(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    today = timezone.localdate()
    year = _year(request.GET.get("year"), today.year)
    form = TaskFilter(request.GET, user=user, today=today, only=TIMELINE_FILTERS)
    month = ExtractMonth("due_date")
    # The first PER_MONTH of each month and the month's total, in one query.
    tasks = (
        timeline_tasks(user, form, year)
        .annotate(
            rank=Window(RowNumber(), partition_by=[month], order_by=[F("due_date").asc(), F("pk").asc()]),
            month_total=Window(Count("pk"), partition_by=[month]),
        )
        .filter(rank__lte=PER_MONTH)
        .select_related("plan", "lead_unit", "area")
        .order_by("due_date", "pk")
    )
    months = [Month(date(year, m, 1)) for m in range(1, 13)]
    for task in tasks:
        assert task.due_date is not None
        entry = months[task.due_date.month - 1]
        entry.tasks.append(task)
        entry.total = task.month_total
    return _page(
        request,
        "plans/timeline.html",
        {
            "year": year,
            "form": form,
            "months": months,
            "total": sum(m.total for m in months),
            "tabs": [(key, reverse(name), label) for key, (name, label) in LISTS.items()],
            "today": today,
        },
    )


# Export ----------------------------------------------------------------------

EXPORT_HEADERS = (
    gettext_lazy("No."),
    gettext_lazy("Plan"),
    gettext_lazy("Task"),
    gettext_lazy("Reform area"),
    gettext_lazy("Lead unit"),
    gettext_lazy("Coordinating units"),
    gettext_lazy("Responsible people"),
    gettext_lazy("Due date"),
    gettext_lazy("Deadline as printed"),
    gettext_lazy("State"),
    gettext_lazy("Progress (%)"),
    gettext_lazy("Expected output"),
)
EXPORT_WIDTHS = (6, 18, 60, 20, 24, 28, 24, 12, 16, 16, 10, 36)


def _names(pairs: QuerySet[Any, tuple[Any, ...]]) -> dict[int, str]:
    """(task id, name) pairs → "name; name" per task."""
    found: dict[int, list[str]] = {}
    for task_id, name in pairs:
        found.setdefault(task_id, []).append(name)
    return {task_id: "; ".join(names) for task_id, names in found.items()}


def export_rows(tasks: QuerySet[Task], today: date) -> list[tuple[Any, ...]]:
    """The rows of the workbook in three queries and without model instances: thousands stay quick."""
    ids = tasks.order_by().values("pk")
    coordinating = _names(
        Task.coordinating_units.through.objects.filter(task__in=ids)
        .order_by("unit__order", "unit__name")
        .values_list("task_id", "unit__name")
    )
    assignees = _names(
        Task.assignees.through.objects.filter(task__in=ids)
        .order_by("user__full_name")
        .values_list("task_id", "user__full_name")
    )
    rows = []
    labels = {state: str(state.label) for state in TaskState}
    columns = tasks.values_list(
        "pk", "plan__symbol", "plan__title", "content", "area__short_name", "area__name", "lead_unit__name",
        "due_date", "due_text", "status", "completed_on", "progress", "output",
    )  # fmt: skip
    for number, row in enumerate(columns, start=1):
        pk, symbol, title, content, area_short, area, lead, due, due_text, status, completed, progress, output = row
        state = Task(status=status, due_date=due, completed_on=completed).state(today)
        rows.append(
            (
                number,
                symbol or title,
                content,
                area_short or area or "",
                lead,
                coordinating.get(pk, ""),
                assignees.get(pk, ""),
                due,
                due_text,
                labels[TaskState(state)],
                progress,
                output,
            )
        )
    return rows


@login_required
def task_export(request: HttpRequest) -> HttpResponse:
    """The list the person looks at (`view` and its filters) as a workbook."""
    user = access.signed_in(request)
    today = timezone.localdate()
    view = request.GET.get("view", ALL)
    if view == TIMELINE:
        form = TaskFilter(request.GET, user=user, today=today, only=TIMELINE_FILTERS)
        year = _year(request.GET.get("year"), today.year)
        tasks = timeline_tasks(user, form, year).order_by("due_date", "pk")
    else:
        view = view if view in LISTS else ALL
        form = TaskFilter(request.GET, user=user, today=today)
        tasks = ordered(form.apply_state(form.apply(preset(user, view, today))), view)
    rows = export_rows(tasks, today)
    content = xlsx.table_workbook(str(_("Tasks")), [str(h) for h in EXPORT_HEADERS], rows, EXPORT_WIDTHS)
    return xlsx.response(content, f"{_('Tasks')} {today:%d-%m-%Y}.xlsx")


# Bulk reassignment ---------------------------------------------------------------


def _back(request: HttpRequest) -> HttpResponseRedirect:
    """To the list the form was posted from, with its filters; only ever to a page of this site."""
    target = request.POST.get("next", "")
    hosts = {request.get_host()}
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=hosts, require_https=request.is_secure()):
        target = reverse("plans:task_list")
    return HttpResponseRedirect(target)


def _ids(values: list[str]) -> list[int]:
    try:
        return sorted({int(v) for v in values})
    except ValueError:
        raise Http404 from None


def _refusals(tasks: list[Task], form: BulkAssignForm) -> list[str]:
    """Why some of the tasks cannot take the new unit or people (nothing is changed then)."""
    lead_unit = form.cleaned_data.get("lead_unit")
    people: list[User] = list(form.cleaned_data.get("assignees") or [])
    works_in: set[tuple[int, int | None]] = set()
    if people:
        works_in = set(
            Membership.objects.current().filter(user__in=people, unit__isnull=False).values_list("user_id", "unit_id")
        )
    problems = []
    for task in tasks:
        unit = lead_unit or task.lead_unit
        if lead_unit is not None and lead_unit.agency_id != task.agency_id:
            problems.append(
                _("%(unit)s is not a unit of the agency of task “%(task)s”.") % {"unit": unit.name, "task": task}
            )
            continue
        for person in people:
            if (person.pk, unit.pk) not in works_in:
                problems.append(
                    _("%(person)s does not work in %(unit)s, the lead unit of task “%(task)s”.")
                    % {"person": person.full_name, "unit": unit.name, "task": task}
                )
    return problems


@login_required
@require_POST
def bulk_assign(request: HttpRequest) -> HttpResponse:
    user = access.signed_in(request)
    ids = _ids(request.POST.getlist("tasks"))
    if not ids:
        messages.error(request, _("Tick the tasks to reassign."))
        return _back(request)
    tasks = list(access.visible_tasks(user).filter(pk__in=ids).select_related("plan", "plan__agency", "lead_unit"))
    if len(tasks) != len(ids):
        raise Http404
    if not all(access.can_manage_task(user, task) for task in tasks):
        raise PermissionDenied
    agency_ids = {task.agency_id for task in tasks}
    form = BulkAssignForm(request.POST, agency_ids=agency_ids, people=len(agency_ids) == 1)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _back(request)
    problems = _refusals(tasks, form)
    if problems:
        for problem in problems:
            messages.error(request, problem)
        return _back(request)
    people = form.cleaned_data.get("assignees")
    with transaction.atomic():
        changed = actions.bulk_assign(
            tasks, user, lead_unit=form.cleaned_data.get("lead_unit"), assignees=list(people) if people else None
        )
    messages.success(
        request, ngettext("%(count)d task reassigned.", "%(count)d tasks reassigned.", changed) % {"count": changed}
    )
    if changed < len(tasks):
        unchanged = len(tasks) - changed
        messages.info(
            request,
            ngettext(
                "%(count)d task was left as it was (nothing to change, or its plan is closed).",
                "%(count)d tasks were left as they were (nothing to change, or their plan is closed).",
                unchanged,
            )
            % {"count": unchanged},
        )
    return _back(request)
