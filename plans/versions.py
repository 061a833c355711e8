"""Reading stored plan versions: a snapshot shown read-only, and what changed since the one before.

Snapshots are JSON written by `plans.actions.snapshot`; older ones may lack
keys, so every read has a default. Tasks are matched across versions by their
outline label and content: same pair, then same label, then same content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from plans.models import Comparator, Plan, PlanKind, ReformArea, Target, TaskStatus

# The document fields of a snapshot, in the order the page shows them.
PLAN_FIELDS: list[tuple[str, Any]] = [
    ("kind", Plan._meta.get_field("kind").verbose_name),
    ("year", Plan._meta.get_field("year").verbose_name),
    ("title", Plan._meta.get_field("title").verbose_name),
    ("symbol", Plan._meta.get_field("symbol").verbose_name),
    ("issued_on", Plan._meta.get_field("issued_on").verbose_name),
    ("place", Plan._meta.get_field("place").verbose_name),
    ("signer", _("signer")),
    ("recipients", Plan._meta.get_field("recipients").verbose_name),
    ("purpose", Plan._meta.get_field("purpose").verbose_name),
    ("requirements", Plan._meta.get_field("requirements").verbose_name),
    ("budget", Plan._meta.get_field("budget").verbose_name),
    ("organisation", Plan._meta.get_field("organisation").verbose_name),
]

TASK_FIELDS: list[tuple[str, Any]] = [
    ("label", _("outline position")),
    ("content", _("task")),
    ("area", _("reform area")),
    ("lead_unit", _("lead unit")),
    ("coordinating_units", _("coordinating units")),
    ("due_date", _("due date")),
    ("due_text", _("deadline as printed")),
    ("output", _("expected output")),
    ("status", _("status")),
]


@dataclass
class Change:
    label: Any
    old: str
    new: str


@dataclass
class TaskChange:
    task: dict[str, Any]
    changes: list[Change]


@dataclass
class Differences:
    fields: list[Change] = field(default_factory=list)
    tasks_added: list[dict[str, Any]] = field(default_factory=list)
    tasks_removed: list[dict[str, Any]] = field(default_factory=list)
    tasks_changed: list[TaskChange] = field(default_factory=list)
    bases_added: list[str] = field(default_factory=list)
    bases_removed: list[str] = field(default_factory=list)
    sections_added: list[str] = field(default_factory=list)
    sections_removed: list[str] = field(default_factory=list)
    targets_added: list[str] = field(default_factory=list)
    targets_removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(bool(getattr(self, name)) for name in self.__dataclass_fields__)


# Showing one snapshot ------------------------------------------------------


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _decimal(value: Any) -> Decimal | None:
    if value in (None, "", "None"):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value if v)
    return str(value)


def document(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The plan part of a snapshot, ready for a template."""
    plan = dict(snapshot.get("plan") or {})
    kind = plan.get("kind")
    signer = plan.get("signer") or ["", "", ""]
    return {
        **plan,
        "kind_label": PlanKind(kind).label if kind in PlanKind.values else kind or "",
        "issued_on": _date(plan.get("issued_on")),
        "signer_authority": signer[0] if len(signer) > 0 else "",
        "signer_position": signer[1] if len(signer) > 1 else "",
        "signer_name": signer[2] if len(signer) > 2 else "",
        "recipient_list": [line for line in (plan.get("recipients") or "").splitlines() if line.strip()],
    }


def legal_bases(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for row in snapshot.get("legal_bases") or []:
        doc_type, symbol, issued_on, issuer, summary = (list(row) + [None] * 5)[:5]
        rows.append(
            {
                "doc_type": doc_type or "",
                "symbol": symbol or "",
                "issued_on": _date(issued_on),
                "issuer": issuer or "",
                "summary": summary or "",
            }
        )
    return rows


def tasks(snapshot: dict[str, Any], areas: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The appendix rows of a snapshot, with dates, area names and status labels."""
    areas = areas if areas is not None else area_names([snapshot])
    rows = []
    for task in snapshot.get("tasks") or []:
        status = task.get("status")
        rows.append(
            {
                **task,
                "due_date": _date(task.get("due_date")),
                "area_name": areas.get(task.get("area") or "", task.get("area") or ""),
                "status_label": TaskStatus(status).label if status in TaskStatus.values else status or "",
                "coordinating_units": task.get("coordinating_units") or [],
            }
        )
    return rows


def targets(snapshot: dict[str, Any]) -> list[dict[str, str]]:
    rows = []
    for row in snapshot.get("targets") or []:
        statement, comparator, value, value_max = (list(row) + [None] * 4)[:4]
        goal = Target(
            comparator=comparator if comparator in Comparator.values else Comparator.GTE,
            value=_decimal(value),
            value_max=_decimal(value_max),
        )
        rows.append({"statement": statement or "", "goal": goal.display_goal() if goal.value is not None else ""})
    return rows


def area_names(snapshots: list[dict[str, Any]]) -> dict[str, str]:
    """Names of the reform areas the snapshots' tasks refer to by code (one query)."""
    codes = {t.get("area") for s in snapshots for t in s.get("tasks") or [] if t.get("area")}
    if not codes:
        return {}
    return {a.code: a.label for a in ReformArea.objects.filter(code__in=codes)}


# What changed --------------------------------------------------------------


def _plan_value(plan: dict[str, Any], name: str) -> str:
    value = plan.get(name)
    if name == "kind":
        return str(PlanKind(value).label) if value in PlanKind.values else _text(value)
    if name == "issued_on":
        day = _date(value)
        return day.strftime("%d/%m/%Y") if day else ""
    if name == "signer":
        return " ".join(str(v) for v in value or [] if v)
    return _text(value)


def _task_value(task: dict[str, Any], name: str, areas: dict[str, str]) -> str:
    value = task.get(name)
    if name == "due_date":
        day = _date(value)
        return day.strftime("%d/%m/%Y") if day else ""
    if name == "status":
        return str(TaskStatus(value).label) if value in TaskStatus.values else _text(value)
    if name == "area":
        return areas.get(value or "", _text(value))
    if name == "coordinating_units":
        return ", ".join(sorted(value or []))
    return _text(value)


def _match_tasks(
    old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Pairs of the same task in two versions, then the removed and the added ones.

    Same label and content first, then same content (relabelled), then a label
    found once on each side (reworded); labels such as "a" repeat under every
    heading, so a repeated label alone proves nothing.
    """
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    old_left, new_left = list(old), list(new)

    def pair_up(key: Any, unique: bool = False) -> None:
        nonlocal new_left
        remaining = []
        for candidate in new_left:
            wanted = key(candidate)
            matches = [o for o in old_left if wanted and key(o) == wanted]
            if unique and (
                sum(1 for o in old if key(o) == wanted) != 1 or sum(1 for n in new if key(n) == wanted) != 1
            ):
                matches = []
            if matches:
                old_left.remove(matches[0])
                pairs.append((matches[0], candidate))
            else:
                remaining.append(candidate)
        new_left = remaining

    pair_up(lambda t: (t.get("label") or "", t.get("content") or ""))
    pair_up(lambda t: t.get("content") or "")
    pair_up(lambda t: t.get("label") or "", unique=True)
    return pairs, old_left, new_left


def _as_lines(rows: list[Any]) -> list[str]:
    return [" ".join(_text(v) for v in row if v) if isinstance(row, list) else _text(row) for row in rows]


def _added_removed(old: list[str], new: list[str]) -> tuple[list[str], list[str]]:
    remaining = list(old)
    added = []
    for line in new:
        if line in remaining:
            remaining.remove(line)
        else:
            added.append(line)
    return added, remaining


def differences(old: dict[str, Any], new: dict[str, Any], areas: dict[str, str] | None = None) -> Differences:
    """What the newer snapshot says differently from the older one."""
    areas = areas if areas is not None else area_names([old, new])
    result = Differences()
    old_plan, new_plan = old.get("plan") or {}, new.get("plan") or {}
    for name, label in PLAN_FIELDS:
        before, after = _plan_value(old_plan, name), _plan_value(new_plan, name)
        if before != after:
            result.fields.append(Change(label, before, after))

    pairs, result.tasks_removed, result.tasks_added = _match_tasks(old.get("tasks") or [], new.get("tasks") or [])
    for before_task, after_task in pairs:
        changes = []
        for name, label in TASK_FIELDS:
            before, after = _task_value(before_task, name, areas), _task_value(after_task, name, areas)
            if before != after:
                changes.append(Change(label, before, after))
        if changes:
            result.tasks_changed.append(TaskChange(after_task, changes))

    def bases(snapshot: dict[str, Any]) -> list[str]:
        return [" ".join(p for p in (b["doc_type"], b["symbol"], b["summary"]) if p) for b in legal_bases(snapshot)]

    result.bases_added, result.bases_removed = _added_removed(bases(old), bases(new))
    result.sections_added, result.sections_removed = _added_removed(
        _as_lines([row[2:4] for row in old.get("sections") or []]),
        _as_lines([row[2:4] for row in new.get("sections") or []]),
    )

    def goals(snapshot: dict[str, Any]) -> list[str]:
        return [" ".join(p for p in (t["statement"], t["goal"]) if p) for t in targets(snapshot)]

    result.targets_added, result.targets_removed = _added_removed(goals(old), goals(new))
    return result
