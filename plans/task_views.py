"""Task pages: a plan's tasks, and carrying them out (progress, contributions, comments, hand-overs).

Every task is fetched through accounts.access; the workflows live in
plans.actions, which refuse what the plan's state does not allow.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from accounts import access
from accounts.models import Unit, User
from files.models import Attachment
from plans import actions, mentions
from plans.actions import ActionError
from plans.models import Mention, Plan, Task, TaskStatus, TaskUpdate
from plans.task_forms import (
    CancelForm,
    CommentForm,
    ContributionForm,
    EvidenceMixin,
    ExtendForm,
    ProgressForm,
    ReassignForm,
    TaskForm,
)


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {"nav_active": "tasks", **context}, status=status)


def _htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return isinstance(htmx, HtmxDetails) and bool(htmx) and not htmx.history_restore_request


def _closed(request: HttpRequest, task: Task) -> HttpResponse | None:
    """Refuse any change to a task of a closed plan."""
    if not task.plan.is_closed:
        return None
    messages.error(request, _("The plan is closed: its tasks can no longer be updated."))
    return _back(request, task)


def _back(request: HttpRequest, task: Task) -> HttpResponse:
    """To the task page; an htmx request loads the whole page rather than nest it in the history."""
    url = reverse("plans:task_detail", args=[task.pk])
    return HttpResponseClientRedirect(url) if _htmx(request) else redirect(url)


# Creating, editing, deleting --------------------------------------------------


def _pk(value: str | None) -> int:
    """A primary key from the query string; 0 (matches nothing) when it is not one."""
    return int(value) if value and value.isascii() and value.isdigit() else 0


def _initial(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    """The "add a sub-task" and "add a task to this section" links pass the parent or the section."""
    initial: dict[str, Any] = {}
    parent = plan.tasks.filter(pk=_pk(request.GET.get("parent"))).select_related("section", "lead_unit").first()
    section = plan.sections.filter(pk=_pk(request.GET.get("section"))).first()
    if parent is not None:
        initial.update(parent=parent, lead_unit=parent.lead_unit, area=parent.area_id)
        section = section or parent.section
    if section is not None:
        initial["section"] = section
        initial.setdefault("area", section.area_id)
    return initial


@transaction.atomic
def _save(form: TaskForm, old_parent_id: int | None = None) -> Task:
    """The task, its occurrences when it recurs, and the progress of the tasks above it (before and after)."""
    created = form.instance.pk is None
    task: Task = form.save()
    old_parent = Task.objects.filter(pk=old_parent_id).first() if old_parent_id else None
    if task.recurrence and (created or "recurrence" in form.changed_data):
        task.generate_occurrences()
    if task.parent_id:
        task.roll_up()
    if old_parent is not None and old_parent.pk != task.parent_id:
        old_parent.roll_up()
    return task


@login_required
def task_create(request: HttpRequest, plan_pk: int) -> HttpResponse:
    user = access.signed_in(request)
    plan = access.access_plan(user, plan_pk, manage=True)
    if plan.is_closed:
        messages.error(request, _("The plan is closed: no tasks can be added to it."))
        return redirect("plans:detail", plan.pk)
    form = TaskForm(request.POST or None, plan=plan, initial=_initial(request, plan))
    if request.method == "POST" and form.is_valid():
        task = _save(form)
        count = task.children.count() if task.recurrence else 0
        if count:
            messages.success(
                request,
                _("The task was added with %(count)s occurrences, one per period.") % {"count": count},
            )
        else:
            messages.success(request, _("The task was added."))
        return redirect("plans:task_detail", task.pk)
    return _page(request, "plans/task_form.html", {"form": form, "plan": plan})


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    task = access.access_task(user, pk, manage=True)
    if refused := _closed(request, task):
        return refused
    old_parent_id = task.parent_id  # validating the form sets the new one on the task
    form = TaskForm(request.POST or None, plan=task.plan, instance=task)
    if request.method == "POST" and form.is_valid():
        _save(form, old_parent_id)
        messages.success(request, _("The task was saved."))
        return redirect("plans:task_detail", task.pk)
    return _page(request, "plans/task_form.html", {"form": form, "plan": task.plan, "task": task})


@login_required
def task_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    task = access.access_task(user, pk, manage=True)
    if not task.plan.is_editable:
        messages.error(
            request, _("The plan has been issued: its tasks can no longer be deleted. Cancel the task instead.")
        )
        return redirect("plans:task_detail", task.pk)
    below = task.children.count()
    if request.method == "POST":
        with transaction.atomic():
            parent = task.parent
            task.delete()
            if parent is not None:
                parent.roll_up()
        messages.success(request, _("The task was deleted."))
        return redirect("plans:detail", task.plan_id)
    return _page(request, "plans/task_confirm_delete.html", {"task": task, "plan": task.plan, "below": below})


# The task page ------------------------------------------------------------------


@dataclass
class Entry:
    """One history entry as the page shows it."""

    update: TaskUpdate
    text: SafeString
    links: list[tuple[str, str | None]]
    files: list[Attachment] = field(default_factory=list)


def _link(text: str) -> tuple[str, str | None]:
    """A link is clickable only when it is a web address; document numbers stay text."""
    parts = urlsplit(text)
    return (text, text) if parts.scheme in ("http", "https") and parts.netloc and " " not in text else (text, None)


def history(task: Task) -> list[Entry]:
    """The task's updates, newest first, with their evidence: three queries whatever their number."""
    updates = list(task.updates.select_related("author", "unit"))
    files: dict[int, list[Attachment]] = defaultdict(list)
    if updates:
        owner_type = ContentType.objects.get_for_model(TaskUpdate)
        for attachment in Attachment.objects.filter(owner_type=owner_type, owner_id__in=[u.pk for u in updates]):
            files[attachment.owner_id].append(attachment)
    return [Entry(u, mentions.highlight(u.text), [_link(line) for line in u.link_list()], files[u.pk]) for u in updates]


def _unit_among(user: User, units: list[Unit]) -> Unit | None:
    """The unit the person speaks for: the first of these they belong to in any role."""
    mine = {m.unit_id for m in access.memberships(user) if m.unit_id}
    return next((u for u in units if u.pk in mine), None)


def _detail(request: HttpRequest, task: Task, **forms: Any) -> HttpResponse:
    user = access.signed_in(request)
    plan = task.plan
    children = list(task.children.select_related("lead_unit"))
    live = not plan.is_closed
    working = plan.is_open and task.status != TaskStatus.CANCELLED
    can_manage = access.can_manage_task(user, task)
    may_progress = working and not children and access.can_post_progress(user, task)
    may_contribute = working and access.can_contribute(user, task)
    may_comment = live and access.can_comment(user, task)
    Mention.objects.filter(person=user, update__task=task, seen_at__isnull=True).update(seen_at=timezone.now())
    context = {
        "task": task,
        "plan": plan,
        "section": task.section,
        "parent": task.parent,
        "coordinating_units": list(task.coordinating_units.all()),
        "assignees": list(task.assignees.all()),
        "children": children,
        "counted_children": sum(1 for c in children if c.counts_for_progress),
        "entries": history(task),
        "can_manage": can_manage and live,
        "can_delete": can_manage and plan.is_editable,
        "can_reassign": live and access.can_reassign_within_unit(user, task),
        "progress_form": forms.get("progress_form")
        or (ProgressForm(initial={"progress": task.progress}) if may_progress else None),
        "contribution_form": forms.get("contribution_form") or (ContributionForm() if may_contribute else None),
        "comment_form": forms.get("comment_form") or (CommentForm() if may_comment else None),
        "children_block_progress": bool(children) and working and access.can_post_progress(user, task),
    }
    # A comment posted with htmx gets the history back, with a fresh form or the form's errors.
    partial = _htmx(request) and "comment_form" in forms
    return _page(request, "plans/_task_activity.html" if partial else "plans/task_detail.html", context)


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.access_task(access.signed_in(request), pk)
    return _detail(request, task)


def _store_update(
    task: Task,
    user: User,
    form: EvidenceMixin,
    *,
    text: str,
    progress: int | None,
    unit: Unit | None,
    contribution: bool,
) -> TaskUpdate:
    """The update and its evidence files, all or nothing."""
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            update = actions.post_progress(
                task,
                user,
                text=text,
                progress=progress,
                links=form.cleaned_data["links"],
                unit=unit,
                contribution=contribution,
            )
            for upload, checked in form.checked_files:
                stored.append(Attachment.store(update, upload, checked, user=user))
    except BaseException:
        for attachment in stored:  # the rows were rolled back; the stored files go too
            attachment.file.delete(save=False)
        raise
    return update


@login_required
@require_POST
def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_update(request, pk, contribution=False)


@login_required
@require_POST
def task_contribute(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_update(request, pk, contribution=True)


def _post_update(request: HttpRequest, pk: int, *, contribution: bool) -> HttpResponse:
    """A lead unit's progress update, or a coordinating unit's contribution, with its evidence."""
    user = access.signed_in(request)
    task = access.access_task(user, pk)
    allowed = access.can_contribute(user, task) if contribution else access.can_post_progress(user, task)
    if not allowed:
        raise PermissionDenied
    if refused := _closed(request, task):
        return refused
    form_class = ContributionForm if contribution else ProgressForm
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        if contribution:
            return _detail(request, task, contribution_form=form)
        return _detail(request, task, progress_form=form)
    units = list(task.coordinating_units.all()) if contribution else [task.lead_unit]
    try:
        update = _store_update(
            task,
            user,
            form,
            text=form.cleaned_data["text"],
            progress=None if contribution else form.cleaned_data["progress"],
            unit=_unit_among(user, units),
            contribution=contribution,
        )
    except ActionError as error:
        messages.error(request, str(error))
        return redirect("plans:task_detail", task.pk)
    mentions.notify(update, request)
    if contribution:
        messages.success(request, _("Your unit's contribution was saved."))
    else:
        messages.success(request, _("Your progress update was saved."))
    return redirect("plans:task_detail", task.pk)


@login_required
@require_POST
def task_comment(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    task = access.access_task(user, pk)
    if not access.can_comment(user, task):
        raise PermissionDenied
    if refused := _closed(request, task):
        return refused
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _detail(request, task, comment_form=form)
    try:
        update = actions.comment(task, user, form.cleaned_data["text"])
    except ActionError as error:
        messages.error(request, str(error))
        return _back(request, task)
    mentions.notify(update, request)
    if _htmx(request):
        return _detail(request, task, comment_form=CommentForm())
    messages.success(request, _("Your comment was added."))
    return redirect("plans:task_detail", task.pk)


# Hand-overs, deadlines, cancelling ------------------------------------------------


@login_required
def task_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    task = access.access_task(user, pk)
    full = access.can_manage_task(user, task)
    if not full and not access.can_reassign_within_unit(user, task):
        raise PermissionDenied
    if refused := _closed(request, task):
        return refused
    form = ReassignForm(request.POST or None, task=task, full=full)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.reassign(
                task,
                user,
                lead_unit=data["lead_unit"] if full else None,
                coordinating_units=list(data["coordinating_units"]) if full else None,
                assignees=list(data["assignees"]),
                note=data["note"],
            )
        except ActionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The task was reassigned."))
            return redirect("plans:task_detail", task.pk)
    return _page(request, "plans/task_reassign.html", {"form": form, "task": task, "plan": task.plan, "full": full})


@login_required
def task_extend(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    task = access.access_task(user, pk, manage=True)
    if refused := _closed(request, task):
        return refused
    form = ExtendForm(request.POST or None, task=task)
    if request.method == "POST" and form.is_valid():
        try:
            actions.extend(
                task, user, new_due_date=form.cleaned_data["new_due_date"], reason=form.cleaned_data["reason"]
            )
        except ActionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The due date was extended."))
            return redirect("plans:task_detail", task.pk)
    return _page(request, "plans/task_extend.html", {"form": form, "task": task, "plan": task.plan})


@login_required
def task_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.signed_in(request)
    task = access.access_task(user, pk, manage=True)
    if refused := _closed(request, task):
        return refused
    if task.status == TaskStatus.CANCELLED:
        messages.info(request, _("The task is already cancelled."))
        return redirect("plans:task_detail", task.pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.cancel(task, user, reason=form.cleaned_data["reason"])
        except ActionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The task was cancelled."))
            return redirect("plans:task_detail", task.pk)
    below = task.children.exclude(status=TaskStatus.CANCELLED).count()
    return _page(request, "plans/task_cancel.html", {"form": form, "task": task, "plan": task.plan, "below": below})
