"""Workflows that write several records at once, each in one transaction.

Views check who may act (accounts.access); these functions check whether the
plan's state allows it and raise `ActionError` with a message for the person.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from documents import register
from lib import periods
from plans.models import (
    TRANSITIONS,
    LegalBasis,
    Mention,
    Plan,
    PlanStatus,
    PlanVersion,
    Section,
    Target,
    TargetValue,
    Task,
    TaskStatus,
    TaskUpdate,
    UpdateKind,
)

_Tree = TypeVar("_Tree", Section, Task)


class ActionError(Exception):
    """The action is not possible now; the message says why, for the person."""


# Plans ------------------------------------------------------------------


def snapshot(plan: Plan) -> dict[str, Any]:
    """What the plan says at this moment: its document block, outline, tasks and targets."""
    return {
        "plan": {
            "kind": plan.kind,
            "year": plan.year,
            "title": plan.title,
            "symbol": plan.symbol,
            "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
            "place": plan.place,
            "signer": [plan.signer_authority, plan.signer_position, plan.signer_name],
            "recipients": plan.recipients,
            "purpose": plan.purpose,
            "requirements": plan.requirements,
            "budget": plan.budget,
            "organisation": plan.organisation,
        },
        "legal_bases": [
            [b.doc_type, b.symbol, b.issued_on.isoformat() if b.issued_on else None, b.issuer, b.summary]
            for b in plan.legal_bases.all()
        ],
        "sections": [[s.pk, s.parent_id, s.label, s.title] for s in plan.sections.all()],
        "tasks": [
            {
                "label": t.label,
                "content": t.content,
                "area": t.area.code if t.area else None,
                "lead_unit": t.lead_unit.name,
                "coordinating_units": [u.name for u in t.coordinating_units.all()],
                "due_date": t.due_date.isoformat() if t.due_date else None,
                "due_text": t.due_text,
                "output": t.output,
                "status": t.status,
            }
            for t in plan.tasks.filter(parent__isnull=True)
            .select_related("area", "lead_unit")
            .prefetch_related("coordinating_units")
        ],
        "targets": [[t.statement, t.comparator, str(t.value), str(t.value_max)] for t in plan.targets.all()],
    }


def record_version(plan: Plan, user: User | None, note: str = "") -> PlanVersion:
    last = plan.versions.aggregate(n=Max("number"))["n"] or 0
    return PlanVersion.objects.create(
        plan=plan, number=last + 1, status=plan.status, note=note, snapshot=snapshot(plan), created_by=user
    )


@transaction.atomic
def transition(plan: Plan, step: str, user: User, *, note: str = "", issued_on: date | None = None) -> Plan:
    """Move the plan one step of draft → submitted → issued → in progress → closed.

    Issuing writes the plan into its agency's outgoing register, which gives it
    the next number of the year of issue (in the series of its type), and keeps
    that number and symbol ("05/KH-SNgV") on the plan.
    """
    plan = Plan.objects.select_for_update().select_related("agency").get(pk=plan.pk)
    rule = TRANSITIONS.get(step)
    if rule is None or plan.status not in rule["from"]:
        raise ActionError(
            _("This step is not possible while the plan is “%(status)s”.") % {"status": plan.get_status_display()}
        )
    if step == "submit" and not plan.tasks.exists() and not plan.targets.exists():
        raise ActionError(_("Add at least one task or target before submitting the plan."))
    if step == "return" and not note.strip():
        raise ActionError(_("Say why the plan goes back to draft."))
    if step == "issue":
        on = issued_on or timezone.localdate()
        entry = register.register_outgoing(
            plan.agency,
            type_code=plan.doc_type,
            issued_date=on,
            subject=plan.title,
            signer_position=plan.signer_position,
            signer_full_name=plan.signer_name,
            to_places=plan.recipients,
            source=plan,
            user=user,
        )
        plan.number = entry.code_number
        plan.register_year = entry.register_year
        plan.issued_on = on
        plan.symbol = entry.number_symbol
        plan.place = plan.place or plan.agency.place_name
    plan.status = rule["to"]
    plan.save()
    record_version(plan, user, note or str(rule["label"]))
    return plan


@transaction.atomic
def copy_plan(plan: Plan, user: User, *, year: int | None = None) -> Plan:
    """The plan for another year: outline, legal bases, tasks and targets, dates shifted; no history."""
    year = year or plan.year + 1
    shift = year - plan.year
    new = Plan.objects.create(
        agency=plan.agency,
        kind=plan.kind,
        year=year,
        period_start=periods.shift_year(plan.period_start, shift),
        period_end=periods.shift_year(plan.period_end, shift),
        title=_replace_year(plan.title, plan.year, year),
        doc_type=plan.doc_type,
        place=plan.place,
        signer_authority=plan.signer_authority,
        signer_position=plan.signer_position,
        signer_name=plan.signer_name,
        recipients=plan.recipients,
        purpose=plan.purpose,
        requirements=plan.requirements,
        budget=plan.budget,
        budget_amount=plan.budget_amount,
        organisation=plan.organisation,
        copied_from=plan,
        created_by=user,
    )
    for basis in plan.legal_bases.all():
        LegalBasis.objects.create(
            plan=new,
            order=basis.order,
            doc_type=basis.doc_type,
            symbol=basis.symbol,
            issued_on=basis.issued_on,
            issuer=basis.issuer,
            summary=basis.summary,
            linked_plan=basis.linked_plan,
        )
    sections: dict[int, Section] = {}
    for section in _parents_first(list(plan.sections.all())):
        sections[section.pk] = Section.objects.create(
            plan=new,
            parent=sections.get(section.parent_id) if section.parent_id else None,
            label=section.label,
            title=_replace_year(section.title, plan.year, year),
            order=section.order,
            area=section.area,
        )
    tasks: dict[int, Task] = {}
    # Occurrences are regenerated from their recurring task, not copied.
    originals = [
        t
        for t in plan.tasks.select_related("parent", "lead_unit__successor").prefetch_related("coordinating_units")
        if t.parent is None or not t.parent.recurrence
    ]
    for task in _parents_first(originals):
        copy = Task.objects.create(
            plan=new,
            agency_id=new.agency_id,
            section=sections.get(task.section_id) if task.section_id else None,
            parent=tasks.get(task.parent_id) if task.parent_id else None,
            order=task.order,
            label=task.label,
            content=_replace_year(task.content, plan.year, year),
            area=task.area,
            lead_unit=_current_unit(task.lead_unit),
            start_date=periods.shift_year(task.start_date, shift),
            due_date=periods.shift_year(task.due_date, shift),
            due_text=_replace_year(task.due_text, plan.year, year),
            recurrence=task.recurrence,
            output=task.output,
            priority=task.priority,
        )
        copy.coordinating_units.set(task.coordinating_units.all())
        tasks[task.pk] = copy
    for copy in tasks.values():
        if copy.recurrence:
            copy.generate_occurrences()
    for target in plan.targets.all():
        Target.objects.create(
            plan=new,
            agency_id=new.agency_id,
            section=sections.get(target.section_id) if target.section_id else None,
            order=target.order,
            statement=_replace_year(target.statement, plan.year, year),
            area=target.area,
            metric_kind=target.metric_kind,
            comparator=target.comparator,
            value=target.value,
            value_max=target.value_max,
            unit_of_measure=target.unit_of_measure,
            responsible_unit=target.responsible_unit,
            measurement=target.measurement,
            indicator_code=target.indicator_code,
            indicator_scope=target.indicator_scope,
        )
    return new


def _parents_first(items: list[_Tree]) -> list[_Tree]:
    """Items of a tree (sections, tasks) ordered so that each comes after its parent."""
    by_pk = {item.pk: item for item in items}

    def depth(item: _Tree) -> int:
        level, seen = 0, {item.pk}
        while item.parent_id in by_pk and item.parent_id not in seen:
            seen.add(item.parent_id)
            item = by_pk[item.parent_id]
            level += 1
        return level

    return sorted(items, key=lambda item: (depth(item), item.order, item.pk))


def _current_unit(unit: Unit) -> Unit:
    """A merged or renamed unit's successor takes its tasks in the new year."""
    return unit.successor if unit.successor is not None else unit


def _replace_year(text: str, old: int, new: int) -> str:
    return re.sub(rf"(?<!\d){old}(?!\d)", str(new), text) if text else text


# Tasks ------------------------------------------------------------------


def _require_open(task: Task) -> None:
    if task.plan.is_closed:
        raise ActionError(_("The plan is closed: its tasks can no longer be updated."))
    if not task.plan.is_open:
        raise ActionError(_("The plan has not been issued yet: progress is reported once it is issued."))


def mentioned_people(text: str, task: Task) -> list[User]:
    """People of the task's agency named as @username in the text."""
    from accounts.models import Membership
    from plans.mentions import MENTION

    names = {name.rstrip(".").casefold() for name in MENTION.findall(text or "")}
    if not names:
        return []
    members = Membership.objects.current().filter(agency_id=task.agency_id).values("user_id")
    # Usernames are matched without regard to case, like at sign-in.
    return list(User.objects.annotate(name=Lower("username")).filter(name__in=names, pk__in=members, is_active=True))


def _mention(update: TaskUpdate) -> list[User]:
    people = [p for p in mentioned_people(update.text, update.task) if p.pk != update.author_id]
    Mention.objects.bulk_create([Mention(update=update, person=p) for p in people], ignore_conflicts=True)
    return people


@transaction.atomic
def post_progress(
    task: Task,
    user: User,
    *,
    text: str,
    progress: int | None,
    links: str = "",
    unit: Unit | None = None,
    contribution: bool = False,
) -> TaskUpdate:
    """A progress update (lead unit) or contribution (coordinating unit); moves the plan into progress."""
    _require_open(task)
    if task.status == TaskStatus.CANCELLED:
        raise ActionError(_("The task is cancelled."))
    if task.children.exists() and progress is not None and not contribution:
        raise ActionError(_("This task's progress comes from its sub-tasks; update those instead."))
    update = TaskUpdate.objects.create(
        task=task,
        kind=UpdateKind.CONTRIBUTION if contribution else UpdateKind.PROGRESS,
        author=user,
        unit=unit,
        text=text,
        progress=None if contribution else progress,
        links=links,
    )
    if progress is not None and not contribution:
        task.set_progress(progress)
        task.save(update_fields=["progress", "status", "completed_on"])
        if task.parent is not None:
            task.parent.roll_up()
    if task.plan.status == PlanStatus.ISSUED:
        Plan.objects.filter(pk=task.plan_id).update(status=PlanStatus.IN_PROGRESS)
        task.plan.status = PlanStatus.IN_PROGRESS
    _mention(update)
    return update


@transaction.atomic
def comment(task: Task, user: User, text: str) -> TaskUpdate:
    if task.plan.is_closed:
        raise ActionError(_("The plan is closed: its tasks can no longer be updated."))
    update = TaskUpdate.objects.create(task=task, kind=UpdateKind.COMMENT, author=user, text=text)
    _mention(update)
    return update


@transaction.atomic
def reassign(
    task: Task,
    user: User,
    *,
    lead_unit: Unit | None = None,
    coordinating_units: list[Unit] | None = None,
    assignees: list[User] | None = None,
    note: str = "",
) -> TaskUpdate:
    """Hand the task to another unit (coordinator) or other people (unit head); kept in history."""
    if task.plan.is_closed:
        raise ActionError(_("The plan is closed: its tasks can no longer be updated."))
    details: dict[str, Any] = {}
    if lead_unit is not None and lead_unit.pk != task.lead_unit_id:
        if lead_unit.agency_id != task.agency_id:
            raise ActionError(_("The lead unit must belong to the plan's agency."))
        details["lead_unit"] = [task.lead_unit.name, lead_unit.name]
        task.lead_unit = lead_unit
        task.save(update_fields=["lead_unit"])
    if coordinating_units is not None:
        before = sorted(u.name for u in task.coordinating_units.all())
        after = sorted(u.name for u in coordinating_units)
        if before != after:
            details["coordinating_units"] = [before, after]
            task.coordinating_units.set(coordinating_units)
    if assignees is not None:
        before = sorted(p.full_name for p in task.assignees.all())
        after = sorted(p.full_name for p in assignees)
        if before != after:
            details["assignees"] = [before, after]
            task.assignees.set(assignees)
    if not details:
        raise ActionError(_("Nothing changed."))
    return TaskUpdate.objects.create(task=task, kind=UpdateKind.REASSIGN, author=user, text=note, details=details)


@transaction.atomic
def extend(task: Task, user: User, *, new_due_date: date, reason: str) -> TaskUpdate:
    if task.plan.is_closed:
        raise ActionError(_("The plan is closed: its tasks can no longer be updated."))
    if not reason.strip():
        raise ActionError(_("Give the reason for the extension."))
    if task.start_date and new_due_date < task.start_date:
        raise ActionError(_("The due date must not be before the start date."))
    if task.due_date and new_due_date <= task.due_date:
        raise ActionError(_("The new due date must be later than the current one."))
    old = task.due_date
    task.due_date = new_due_date
    task.save(update_fields=["due_date"])
    return TaskUpdate.objects.create(
        task=task, kind=UpdateKind.EXTEND, author=user, text=reason, old_due_date=old, new_due_date=new_due_date
    )


@transaction.atomic
def cancel(task: Task, user: User, *, reason: str) -> TaskUpdate:
    if task.plan.is_closed:
        raise ActionError(_("The plan is closed: its tasks can no longer be updated."))
    if not reason.strip():
        raise ActionError(_("Give the reason for cancelling."))
    if task.status == TaskStatus.CANCELLED:
        raise ActionError(_("The task is already cancelled."))
    task.status = TaskStatus.CANCELLED
    task.cancel_reason = reason
    task.save(update_fields=["status", "cancel_reason"])
    for child in task.children.exclude(status=TaskStatus.CANCELLED):
        child.status = TaskStatus.CANCELLED
        child.cancel_reason = reason
        child.save(update_fields=["status", "cancel_reason"])
    if task.parent is not None:
        task.parent.roll_up()
    return TaskUpdate.objects.create(task=task, kind=UpdateKind.CANCEL, author=user, text=reason)


@transaction.atomic
def bulk_assign(
    tasks: list[Task], user: User, *, lead_unit: Unit | None = None, assignees: list[User] | None = None
) -> int:
    """Reassign many tasks at once; each keeps its own history entry. Returns how many changed."""
    changed = 0
    for task in tasks:
        try:
            reassign(task, user, lead_unit=lead_unit, assignees=assignees)
        except ActionError:
            continue
        changed += 1
    return changed


# Targets ----------------------------------------------------------------


@transaction.atomic
def record_value(
    target: Target, user: User, *, period_label: str, period_end: date, actual: Decimal, note: str = ""
) -> TargetValue:
    if target.plan.is_closed:
        raise ActionError(_("The plan is closed: its targets can no longer be measured."))
    if not target.plan.is_open:
        raise ActionError(_("The plan has not been issued yet: targets are measured once it is issued."))
    return TargetValue.objects.create(
        target=target, period_label=period_label, period_end=period_end, actual=actual, note=note, recorded_by=user
    )
