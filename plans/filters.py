"""The filters of the task lists: one small form, applied to any task queryset.

A list shows what the filters leave; its tabs count those tasks per state
(one aggregate query) before the state filter narrows them. Choices come from
what the person can see, built from one query each, so validating a filter
costs nothing more and a value outside them is a field error, never a crash.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, cast

from django import forms
from django.db.models import Case, Count, F, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import access
from accounts.models import Membership, Unit, User
from lib import periods
from plans.models import OPEN_STATUSES, OPEN_TASK_STATUSES, ReformArea, Task, TaskQuerySet, TaskState

# The states a list filters and counts by: they partition the tasks.
STATES = [
    TaskState.NOT_STARTED,
    TaskState.IN_PROGRESS,
    TaskState.OVERDUE,
    TaskState.DONE,
    TaskState.DONE_LATE,
    TaskState.CANCELLED,
]

_PERIOD = re.compile(r"^(\d{4})-(?:(\d{1,2})|[qQ]([1-4]))$")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def tasks_of(user: access.AnyUser) -> TaskQuerySet:
    """Every task the person can see, with the task queryset's methods."""
    return cast(TaskQuerySet, access.visible_tasks(user))


def state_counts(tasks: QuerySet[Task], today: date) -> dict[str, int]:
    """How many tasks in each state, and "all": one query."""
    counts = {str(state): Count("pk", filter=Task.state_filter(state, today)) for state in STATES}
    return tasks.order_by().aggregate(all=Count("pk"), **counts)


def open_first(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Open tasks of plans under way first, then other open tasks, then the rest; each group by due date."""
    rank = Case(
        When(status__in=OPEN_TASK_STATUSES, plan__status__in=OPEN_STATUSES, then=Value(0)),
        When(status__in=OPEN_TASK_STATUSES, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return tasks.annotate(open_rank=rank).order_by(
        "open_rank", F("due_date").asc(nulls_last=True), "plan_id", "order", "pk"
    )


def with_related(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Everything a list row shows, in a fixed number of queries however many rows."""
    return tasks.select_related("plan", "plan__agency", "lead_unit", "area").prefetch_related(
        "coordinating_units", "assignees"
    )


def parse_period(value: str) -> tuple[date, date] | None:
    """ "2026-06" → June 2026, "2026-Q2" → April to June 2026; None when unreadable."""
    match = _PERIOD.match(value.strip())
    if not match:
        return None
    year = int(match[1])
    if not 2000 <= year <= 2100:
        return None
    if match[3]:
        quarter = int(match[3])
        return date(year, quarter * 3 - 2, 1), periods.quarter_end(year, quarter)
    month = int(match[2])
    if not 1 <= month <= 12:
        return None
    return date(year, month, 1), periods.month_end(year, month)


def period_label(value: str) -> str:
    """ "2026-Q2" → "Quarter II/2026", "2026-06" → "06/2026"."""
    span = parse_period(value)
    if span is None:
        return value
    start, _end = span
    if "q" in value.lower():
        return _("Quarter %(quarter)s/%(year)s") % {"quarter": _ROMAN[(start.month + 2) // 3], "year": start.year}
    return f"{start.month:02d}/{start.year}"


def period_choices(year: int) -> list[tuple[str, str]]:
    quarters = [f"{year}-Q{q}" for q in range(1, 5)]
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    return [(value, period_label(value)) for value in quarters + months]


def date_input() -> forms.TextInput:
    return forms.TextInput(attrs={"placeholder": gettext_lazy("dd/mm/yyyy"), "inputmode": "numeric", "size": 10})


class TaskFilter(forms.Form):
    """The filters of a task list, bound to the query string."""

    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": gettext_lazy("Words of the task"), "autocomplete": "off"}),
    )
    agency = forms.ChoiceField(label=gettext_lazy("Agency"), required=False)
    plan = forms.ChoiceField(label=gettext_lazy("Plan"), required=False)
    year = forms.ChoiceField(label=gettext_lazy("Year of the plan"), required=False)
    area = forms.ChoiceField(label=gettext_lazy("Reform area"), required=False)
    unit = forms.ChoiceField(
        label=gettext_lazy("Unit"),
        required=False,
        help_text=gettext_lazy("Tasks the unit leads or coordinates."),
    )
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False)
    period = forms.CharField(label=gettext_lazy("Due in"), required=False, widget=forms.Select)
    due_from = forms.DateField(label=gettext_lazy("Due from"), required=False, widget=date_input())
    due_to = forms.DateField(label=gettext_lazy("Due until"), required=False, widget=date_input())
    live = forms.BooleanField(label=gettext_lazy("Only plans under way"), required=False)
    open = forms.BooleanField(label=gettext_lazy("Only open tasks"), required=False)

    def __init__(
        self, data: Any, *, user: User, today: date, only: tuple[str, ...] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.today = today
        self.multi_agency = access.is_admin(user) or access.is_overseer(user)
        if only is not None:
            for name in list(self.fields):
                if name not in only:
                    del self.fields[name]
        if not self.multi_agency:
            self.fields.pop("agency", None)

        agency_id = None
        if "agency" in self.fields:
            agencies = list(access.visible_agencies(user).current().order_by("name").values_list("pk", "name"))
            self._choices("agency", [("", _("All agencies")), *((str(pk), name) for pk, name in agencies)])
            wanted = str(self.data.get("agency", ""))
            if wanted in {str(pk) for pk, _name in agencies}:
                agency_id = int(wanted)

        if "plan" in self.fields or "year" in self.fields:
            plans = access.visible_plans(user)
            if agency_id:
                plans = plans.filter(agency_id=agency_id)
            plan_rows = list(plans.order_by("-year", "symbol", "pk").values_list("pk", "year", "symbol", "title"))
            if "plan" in self.fields:
                self._choices(
                    "plan",
                    [
                        ("", _("All plans")),
                        *((str(pk), f"{symbol} {title}".strip()) for pk, _year, symbol, title in plan_rows),
                    ],
                )
            if "year" in self.fields:
                years = sorted({year for _pk, year, _symbol, _title in plan_rows}, reverse=True)
                self._choices("year", [("", _("All years")), *((str(y), str(y)) for y in years)])

        if "area" in self.fields:
            areas = ReformArea.objects.order_by("order", "pk").values_list("pk", "short_name", "name")
            self._choices(
                "area",
                [
                    ("", _("All areas")),
                    *((str(pk), short or name) for pk, short, name in areas),
                ],
            )

        if "unit" in self.fields:
            units = access.visible_units(user).current().select_related("agency")
            if agency_id:
                units = units.filter(agency_id=agency_id)
            unit_list = list(units.order_by("agency__name", "order", "name"))
            self._choices("unit", [("", _("All units")), *self._unit_choices(unit_list)])

        if "state" in self.fields:
            self._choices("state", [("", _("All states")), *((str(s), s.label) for s in STATES)])

        if "period" in self.fields:
            year = self._year() or today.year
            choices = [("", _("Any time")), *period_choices(year)]
            current = str(self.data.get("period", ""))
            if current and current not in dict(choices) and parse_period(current):
                choices.append((current, period_label(current)))
            self.fields["period"].widget.choices = choices

    def _choices(self, name: str, choices: list[Any]) -> None:
        cast(forms.ChoiceField, self.fields[name]).choices = choices

    @staticmethod
    def _unit_choices(units: list[Unit]) -> list[Any]:
        """One flat list for one agency; grouped by agency otherwise."""
        if len({u.agency_id for u in units}) <= 1:
            return [(str(u.pk), u.name) for u in units]
        groups: dict[str, list[tuple[str, str]]] = {}
        for u in units:
            groups.setdefault(u.agency.short_name or u.agency.name, []).append((str(u.pk), u.name))
        return list(groups.items())

    def _year(self) -> int | None:
        value = str(self.data.get("year", ""))
        return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None

    def clean_period(self) -> str:
        value = self.cleaned_data.get("period", "").strip()
        if value and parse_period(value) is None:
            raise forms.ValidationError(_("Choose a month (2026-06) or a quarter (2026-Q2)."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("due_from"), data.get("due_to")
        if start and end and end < start:
            self.add_error("due_to", _("The end must not be before the start."))
            del data["due_from"]  # half a range would mislead
        return data

    def value(self, name: str) -> Any:
        """A valid filter value, or None: an invalid filter is shown as an error and not applied."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or None

    def apply(self, tasks: QuerySet[Task]) -> QuerySet[Task]:
        """Every filter but the state (the tabs count the states of what this leaves)."""
        if q := self.value("q"):
            tasks = cast(TaskQuerySet, tasks).search(q)
        if agency := self.value("agency"):
            tasks = tasks.filter(agency_id=int(agency))
        if plan := self.value("plan"):
            tasks = tasks.filter(plan_id=int(plan))
        if year := self.value("year"):
            tasks = tasks.filter(plan__year=int(year))
        if area := self.value("area"):
            tasks = tasks.filter(area_id=int(area))
        if unit := self.value("unit"):
            tasks = cast(TaskQuerySet, tasks).for_units([int(unit)])
        if (period := self.value("period")) and (span := parse_period(period)):
            tasks = tasks.filter(due_date__range=span)
        if due_from := self.value("due_from"):
            tasks = tasks.filter(due_date__gte=due_from)
        if due_to := self.value("due_to"):
            tasks = tasks.filter(due_date__lte=due_to)
        if self.value("live"):  # issued or in progress: what people can still act on
            tasks = tasks.filter(plan__status__in=OPEN_STATUSES)
        if self.value("open"):
            tasks = tasks.filter(status__in=OPEN_TASK_STATUSES)
        return tasks

    def apply_state(self, tasks: QuerySet[Task]) -> QuerySet[Task]:
        if state := self.value("state"):
            tasks = tasks.filter(Task.state_filter(state, self.today))
        return tasks

    # Filters people use less: behind "More filters" so a phone shows the list sooner.
    MORE = ("agency", "year", "due_from", "due_to", "live", "open")

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.MORE]

    def more_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name in self.MORE]

    def more_used(self) -> bool:
        return any(self.data.get(name) for name in self.MORE if name in self.fields)

    @property
    def is_filtered(self) -> bool:
        return any(self.value(name) for name in self.fields)


def bulk_people(agency_ids: set[int]) -> QuerySet[User]:
    """Who may be made responsible for tasks of these agencies: people working in one of their units."""
    members = Membership.objects.current().filter(agency_id__in=agency_ids, unit__isnull=False).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by("full_name", "pk")


class UnitChoiceField(forms.ModelChoiceField):
    """Units, named with their agency when the choice spans several agencies."""

    with_agency = False

    def label_from_instance(self, obj: Any) -> str:
        if self.with_agency:
            return f"{obj.name} – {obj.agency.short_name or obj.agency.name}"
        return str(obj.name)


class BulkAssignForm(forms.Form):
    """A new lead unit and/or responsible people for the ticked tasks."""

    lead_unit = UnitChoiceField(label=gettext_lazy("New lead unit"), queryset=Unit.objects.none(), required=False)
    assignees = forms.ModelMultipleChoiceField(
        label=gettext_lazy("New responsible people"),
        queryset=User.objects.none(),
        required=False,
        help_text=gettext_lazy("Hold Ctrl (or Cmd) to choose several. Choose nobody to keep each task's people."),
    )

    def __init__(self, *args: Any, agency_ids: set[int], people: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.current().filter(agency_id__in=agency_ids).select_related("agency")
        lead_unit = cast(UnitChoiceField, self.fields["lead_unit"])
        lead_unit.queryset = units.order_by("agency__name", "order", "name")
        lead_unit.empty_label = _("(keep)")
        lead_unit.with_agency = len(agency_ids) > 1
        if people:
            cast(forms.ModelMultipleChoiceField, self.fields["assignees"]).queryset = bulk_people(agency_ids)
        else:
            del self.fields["assignees"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("lead_unit") and not data.get("assignees") and not self.errors:
            raise forms.ValidationError(_("Choose a new lead unit or responsible people."))
        return data
