"""What the system already knows about a unit's work in a period, for its report.

`unit_data(period, unit)` gathers the unit's tasks (those it leads in the
agency's plans of the period's year that were not finished before the period
began and had started by its cut-off), their state as it stood at the cut-off,
the progress posted in the period with links and evidence files, and the
targets it is responsible for with the latest value recorded by the cut-off.
The result is plain JSON: shown live while the report is a draft and frozen in
the report when it is submitted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from files.models import Attachment
from plans.models import (
    PlanStatus,
    Target,
    TargetStatus,
    TargetValue,
    Task,
    TaskState,
    TaskStatus,
    TaskUpdate,
    UpdateKind,
)
from reports.models import ReportingPeriod

REPORTED_KINDS = (UpdateKind.PROGRESS, UpdateKind.CONTRIBUTION, UpdateKind.EXTEND, UpdateKind.CANCEL)
IN_FORCE = (PlanStatus.ISSUED, PlanStatus.IN_PROGRESS, PlanStatus.CLOSED)
# The states a report counts, in the order tables show them.
COUNTED_STATES = (
    TaskState.DONE_EARLY,
    TaskState.DONE_ON_TIME,
    TaskState.DONE_LATE,
    TaskState.DONE,
    TaskState.IN_PROGRESS,
    TaskState.NOT_STARTED,
    TaskState.OVERDUE,
    TaskState.CANCELLED,
)


def as_of(period: ReportingPeriod, today: date | None = None) -> date:
    """The day the report speaks of: the cut-off, or today while the period is still running."""
    today = today or timezone.localdate()
    return min(today, period.cutoff)


def finished_later(task: Task, day: date) -> bool:
    return task.status == TaskStatus.DONE and task.completed_on is not None and task.completed_on > day


def progress_at(task: Task, day: date) -> int:
    """The progress as it stood at the end of `day`: the last progress posted by then.

    Today's progress stands for a task not finished after `day` that has no
    posted progress (set by hand); a task finished later had the last value
    posted before, or nothing.
    """
    posted = getattr(task, "progress_at_cutoff", None)
    if finished_later(task, day):
        return posted or 0
    return task.progress if posted is None else posted


def state_at(task: Task, day: date) -> str:
    """`Task.state` as it stood at the end of `day`: work completed later was still open then."""
    if task.status == TaskStatus.CANCELLED:
        return TaskState.CANCELLED
    if task.status == TaskStatus.DONE and not finished_later(task, day):
        return task.state(day) if task.completed_on else TaskState.DONE
    if task.due_date and task.due_date < day:
        return TaskState.OVERDUE
    # Work finished shortly after the day was under way on it.
    started = finished_later(task, day) or progress_at(task, day) > 0 or task.status != TaskStatus.NOT_STARTED
    return TaskState.IN_PROGRESS if started else TaskState.NOT_STARTED


def period_tasks(period: ReportingPeriod, unit_ids: Iterable[int] | None = None) -> QuerySet[Task]:
    """Leaf tasks of the agency's plans of the period's year that belong in the period's reports."""
    tasks = Task.objects.filter(
        agency_id=period.agency_id, plan__year=period.year, plan__status__in=IN_FORCE, children__isnull=True
    )
    if unit_ids is not None:
        tasks = tasks.filter(lead_unit_id__in=list(unit_ids))
    finished_before = Q(status=TaskStatus.DONE, completed_on__lt=period.start)
    posted = TaskUpdate.objects.filter(
        task=OuterRef("pk"), kind=UpdateKind.PROGRESS, progress__isnull=False, created__lte=_window(period)[1]
    ).order_by("-created", "-pk")
    return (
        tasks.exclude(finished_before)
        .annotate(progress_at_cutoff=Subquery(posted.values("progress")[:1]))
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=period.cutoff))
        .select_related("plan", "area", "lead_unit")
        .order_by("plan_id", "order", "pk")
    )


def _window(period: ReportingPeriod) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(period.start, time.min, tzinfo=zone),
        datetime.combine(period.cutoff, time.max, tzinfo=zone),
    )


def _updates(period: ReportingPeriod) -> Prefetch[Any]:
    low, high = _window(period)
    return Prefetch(
        "updates",
        queryset=TaskUpdate.objects.filter(kind__in=REPORTED_KINDS, created__range=(low, high))
        .select_related("author", "unit")
        .order_by("created", "pk"),
        to_attr="period_updates",
    )


def _evidence(update_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    if not update_ids:
        return {}
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    owner_type = ContentType.objects.get_for_model(TaskUpdate)
    for attachment in Attachment.objects.filter(owner_type=owner_type, owner_id__in=update_ids).order_by("pk"):
        found[attachment.owner_id].append(
            {"name": attachment.original_name, "url": reverse("files:download", args=[attachment.pk])}
        )
    return found


def task_rows(period: ReportingPeriod, tasks: Iterable[Task], day: date) -> list[dict[str, Any]]:
    tasks = list(tasks)
    evidence = _evidence([u.pk for t in tasks for u in getattr(t, "period_updates", [])])
    rows = []
    for task in tasks:
        updates = []
        for update in getattr(task, "period_updates", []):
            updates.append(
                {
                    "date": timezone.localdate(update.created).isoformat(),
                    "kind": update.kind,
                    "text": update.text,
                    "progress": update.progress,
                    "links": update.link_list(),
                    "author": update.author.full_name if update.author else "",
                    "unit": update.unit.name if update.unit else "",
                    "files": evidence.get(update.pk, []),
                }
            )
        rows.append(
            {
                "id": task.pk,
                "url": reverse("plans:task_detail", args=[task.pk]),
                "label": task.label,
                "content": task.content,
                "plan": task.plan.symbol or task.plan.title,
                "area": task.area.code if task.area else "",
                "area_name": task.area.name if task.area else "",
                "unit_id": task.lead_unit_id,
                "unit": task.lead_unit.name,
                "due_date": task.due_date.isoformat() if task.due_date else None,
                "due_text": task.due_text,
                "output": task.output,
                "progress": progress_at(task, day),
                "completed_on": (
                    task.completed_on.isoformat() if task.completed_on and not finished_later(task, day) else None
                ),
                "state": state_at(task, day),
                "updates": updates,
            }
        )
    return rows


def target_rows(period: ReportingPeriod, targets: Iterable[Target], day: date) -> list[dict[str, Any]]:
    rows = []
    for target in targets:
        values = [v for v in getattr(target, "period_values", []) if v.period_end <= period.cutoff]
        latest = values[0] if values else None
        rows.append(
            {
                "id": target.pk,
                "url": reverse("plans:target_detail", args=[target.pk]),
                "statement": target.statement,
                "goal": target.display_goal(),
                "area": target.area.code if target.area else "",
                "unit_id": target.responsible_unit_id,
                "actual": str(latest.actual.normalize()) if latest else None,
                "period_label": latest.period_label if latest else "",
                "status": target.status_for(latest, day) if latest else TargetStatus.NOT_MEASURED,
            }
        )
    return rows


def period_targets(period: ReportingPeriod, unit_ids: Iterable[int] | None = None) -> QuerySet[Target]:
    targets = Target.objects.filter(agency_id=period.agency_id, plan__year=period.year, plan__status__in=IN_FORCE)
    if unit_ids is not None:
        targets = targets.filter(responsible_unit_id__in=list(unit_ids))
    return (
        targets.select_related("plan", "area")
        .prefetch_related(
            Prefetch(
                "values",
                queryset=TargetValue.objects.filter(period_end__lte=period.cutoff).order_by(
                    "-period_end", "-recorded_at", "-pk"
                ),
                to_attr="period_values",
            )
        )
        .order_by("plan_id", "order", "pk")
    )


def counts(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    found = Counter(row["state"] for row in rows)
    result = {state.value: found.get(state.value, 0) for state in COUNTED_STATES}
    result["total"] = sum(found.values())
    return result


def data(period: ReportingPeriod, unit_ids: Iterable[int] | None = None, today: date | None = None) -> dict[str, Any]:
    """The pre-filled part of the reports of some units (all the agency's when None), as plain JSON."""
    day = as_of(period, today)
    tasks = task_rows(period, period_tasks(period, unit_ids).prefetch_related(_updates(period)), day)
    targets = target_rows(period, period_targets(period, unit_ids), day)
    return {
        "as_of": day.isoformat(),
        "start": period.start.isoformat(),
        "cutoff": period.cutoff.isoformat(),
        "tasks": tasks,
        "targets": targets,
        "counts": counts(tasks),
    }


def unit_data(period: ReportingPeriod, unit_id: int, today: date | None = None) -> dict[str, Any]:
    """One unit's report."""
    return data(period, [unit_id], today)


def agency_data(period: ReportingPeriod, today: date | None = None) -> dict[str, Any]:
    """Every unit of the agency at once (for the consolidated report)."""
    return data(period, None, today)
