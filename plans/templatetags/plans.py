"""Small pieces every plans page shows the same way: task state, progress, target status."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from plans.models import Target, TargetStatus, TargetValue, Task, TaskState

register = template.Library()

_STATE_CLASS = {
    TaskState.NOT_STARTED: "badge",
    TaskState.IN_PROGRESS: "badge badge-info",
    TaskState.OVERDUE: "badge badge-danger",
    TaskState.DONE_EARLY: "badge badge-ok",
    TaskState.DONE_ON_TIME: "badge badge-ok",
    TaskState.DONE: "badge badge-ok",
    TaskState.DONE_LATE: "badge badge-warn",
    TaskState.CANCELLED: "badge badge-muted",
}

_TARGET_CLASS = {
    TargetStatus.NOT_MEASURED: "badge",
    TargetStatus.MET: "badge badge-ok",
    TargetStatus.AT_RISK: "badge badge-warn",
    TargetStatus.NOT_MET: "badge badge-danger",
}


@register.simple_tag
def task_state(task: Task, today: date | None = None) -> SafeString:
    """`{% task_state task %}`: a badge with "Overdue", "Done late", …"""
    state = TaskState(task.state(today))
    return format_html('<span class="{}">{}</span>', _STATE_CLASS[state], state.label)


@register.simple_tag
def progress_bar(value: int | None) -> SafeString:
    """`{% progress_bar task.progress %}`: a native progress bar with the figure beside it."""
    value = max(0, min(100, int(value or 0)))
    return format_html(
        '<span class="progress"><progress max="100" value="{}">{}%</progress> {}%</span>', value, value, value
    )


@register.simple_tag
def target_status(target: Target, latest: TargetValue | None, today: date | None = None) -> SafeString:
    """`{% target_status target latest_value %}`: met, at risk, not met or not measured."""
    status = TargetStatus(target.status_for(latest, today))
    return format_html('<span class="{}">{}</span>', _TARGET_CLASS[status], status.label)
