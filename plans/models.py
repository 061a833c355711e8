"""The reform plan as living data: plans, their outline, tasks, targets and execution.

A plan (Kế hoạch) belongs to one agency and one year. Its outline (sections)
keeps the agency's own numbering; each task also maps to one standard reform
area (data, editable) for statistics across agencies. Tasks are the appendix
rows: a lead unit, coordinating units, a deadline, an expected output. Units
post progress updates with evidence; every update is kept. Targets (chỉ tiêu)
are measured by actual values per period.

`agency` is denormalised onto tasks and targets so that access scoping and
lists stay one indexed filter.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Self, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lib import periods
from lib.text import fold, search_text

_M = TypeVar("_M", bound=models.Model)


class SearchQuerySet(models.QuerySet[_M, _M]):
    def search(self, query: str) -> Self:
        """Accent- and case-insensitive: "cai cach" finds "Cải cách" on SQLite and PostgreSQL alike."""
        folded = fold(query)
        return self.filter(search_text__contains=folded) if folded else self


class Searchable(models.Model):
    """A record found by search: `search_text` keeps the folded text of its SEARCHED fields."""

    SEARCHED: ClassVar[tuple[str, ...]] = ()

    search_text = models.TextField(editable=False, default="")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_text(*(getattr(self, name) for name in self.SEARCHED))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "updated"}
        super().save(*args, **kwargs)


class ReformArea(models.Model):
    """A standard reform area (Resolution 76/NQ-CP): data administrators edit."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    order = models.PositiveIntegerField(_("display order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    keywords = models.TextField(
        _("keywords"),
        blank=True,
        help_text=_("Words in a task or section title that point to this area, one per line (for imports)."),
    )

    class Meta:
        verbose_name = _("reform area")
        verbose_name_plural = _("reform areas")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def audit_agency_id(self) -> int | None:
        return None  # shared by every agency


class PlanKind(models.TextChoices):
    REFORM = "reform", _("Yearly reform plan")
    INDEX = "index", _("Index improvement plan")
    TARGETS = "targets", _("Targets plan")
    EMULATION = "emulation", _("Emulation plan")
    OTHER = "other", _("Other plan")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    ISSUED = "issued", _("Approved and issued")
    IN_PROGRESS = "in_progress", pgettext_lazy("plan status", "In progress")
    CLOSED = "closed", _("Closed")


# Where a plan may go from each status, and the name of the step.
TRANSITIONS: dict[str, dict[str, Any]] = {
    "submit": {"from": [PlanStatus.DRAFT], "to": PlanStatus.SUBMITTED, "label": _("Submit for approval")},
    "return": {"from": [PlanStatus.SUBMITTED], "to": PlanStatus.DRAFT, "label": _("Return to draft")},
    "issue": {"from": [PlanStatus.SUBMITTED], "to": PlanStatus.ISSUED, "label": _("Approve and issue")},
    "start": {"from": [PlanStatus.ISSUED], "to": PlanStatus.IN_PROGRESS, "label": _("Start implementation")},
    "close": {"from": [PlanStatus.ISSUED, PlanStatus.IN_PROGRESS], "to": PlanStatus.CLOSED, "label": _("Close")},
    "reopen": {"from": [PlanStatus.CLOSED], "to": PlanStatus.IN_PROGRESS, "label": _("Reopen")},
}

OPEN_STATUSES = (PlanStatus.ISSUED, PlanStatus.IN_PROGRESS)


class SignerAuthority(models.TextChoices):
    NONE = "", _("(the head signs)")
    KT = "KT.", "KT."
    TM = "TM.", "TM."
    TL = "TL.", "TL."
    TUQ = "TUQ.", "TUQ."
    Q = "Q.", "Q."


class PlanQuerySet(SearchQuerySet["Plan"]):
    pass


class Plan(Searchable):
    SEARCHED = ("title", "symbol")

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="plans"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices, default=PlanKind.REFORM)
    year = models.PositiveIntegerField(
        _("year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The year the plan is for."),
    )
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    title = models.CharField(_("title (trích yếu)"), max_length=500)
    # Decree 30 document block.
    doc_type = models.CharField(_("document type"), max_length=10, default="KH")
    number = models.PositiveIntegerField(_("number"), null=True, blank=True, editable=False)
    register_year = models.PositiveIntegerField(_("register year"), null=True, blank=True, editable=False)
    symbol = models.CharField(_("number and symbol"), max_length=60, blank=True, editable=False)
    place = models.CharField(_("place"), max_length=100, blank=True)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    signer_authority = models.CharField(
        _("signing authority"), max_length=5, choices=SignerAuthority.choices, blank=True
    )
    signer_position = models.CharField(_("signer's position"), max_length=150, blank=True)
    signer_name = models.CharField(_("signer's full name"), max_length=150, blank=True)
    recipients = models.TextField(_("recipients (Nơi nhận)"), blank=True, help_text=_("One per line."))
    # Free-text sections.
    purpose = models.TextField(_("purpose"), blank=True)
    requirements = models.TextField(_("requirements"), blank=True)
    budget = models.TextField(_("budget"), blank=True)
    budget_amount = models.DecimalField(
        _("budget amount (VND)"), max_digits=18, decimal_places=0, null=True, blank=True
    )
    organisation = models.TextField(_("organisation of implementation"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "-pk"]
        constraints = [
            # Decree 30, art. 15: a number and symbol once per body per calendar year (the
            # register numbers each series; two series may both hold a number 5).
            models.UniqueConstraint(
                fields=["agency", "register_year", "symbol"],
                condition=Q(number__isnull=False),
                name="plan_symbol_unique_per_agency_year",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="plan_period_ordered",
            ),
        ]
        indexes = [models.Index(fields=["agency", "year"], name="plan_agency_year_idx")]

    def __str__(self) -> str:
        return f"{self.symbol} {self.title}".strip() if self.symbol else self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.year and not self.period_start:
            self.period_start = date(self.year, 1, 1)
        if self.year and not self.period_end:
            self.period_end = date(self.year, 12, 31)
        super().save(*args, **kwargs)

    def audit_agency_id(self) -> int | None:
        return self.agency_id

    def clean(self) -> None:
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The end of the period must not be before its start.")})

    # Workflow -----------------------------------------------------------

    @property
    def is_editable(self) -> bool:
        """Its content may still change freely (before it is issued)."""
        return self.status in (PlanStatus.DRAFT, PlanStatus.SUBMITTED)

    @property
    def is_open(self) -> bool:
        """Issued and not closed: units carry out and report on its tasks."""
        return self.status in OPEN_STATUSES

    @property
    def is_closed(self) -> bool:
        return self.status == PlanStatus.CLOSED

    def allowed_transitions(self) -> list[str]:
        return [name for name, step in TRANSITIONS.items() if self.status in step["from"]]

    def build_symbol(self, number: int | None = None) -> str:
        """ "05/KH-SNgV": numbers below 10 get a leading zero (Decree 30, Phụ lục I, II.3)."""
        number = self.number if number is None else number
        abbreviation = self.agency.abbreviation
        prefix = f"{number:02d}" if number else ""
        return f"{prefix}/{self.doc_type}-{abbreviation}"


class PlanVersion(models.Model):
    """A snapshot of a plan at a step of its life (submitted, issued, amended …)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    snapshot = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"

    def audit_agency_id(self) -> int | None:
        return self.plan.agency_id


class LegalBasis(models.Model):
    """A document the plan cites as its basis (căn cứ), linked when it is in the system."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="legal_bases")
    order = models.PositiveIntegerField(_("order"), default=0)
    doc_type = models.CharField(_("document type"), max_length=10, blank=True, help_text=_("e.g. QĐ, KH, CT."))
    symbol = models.CharField(_("number and symbol"), max_length=60, blank=True, help_text=_("e.g. 3223/QĐ-UBND."))
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    issuer = models.CharField(_("issuer"), max_length=255, blank=True)
    summary = models.CharField(_("summary"), max_length=1000, blank=True)
    linked_plan = models.ForeignKey(
        Plan,
        verbose_name=_("document in the system"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cited_by",
    )

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return " ".join(p for p in (self.doc_type, self.symbol) if p) or self.summary[:60]

    def audit_agency_id(self) -> int | None:
        return self.plan.agency_id

    def clean(self) -> None:
        super().clean()
        if not (self.symbol or self.summary):
            raise ValidationError(_("Give at least the number and symbol or the summary of the document."))

    def find_document(self) -> Plan | None:
        """The issued plan of the same province with this symbol (and date, when given)."""
        if not self.symbol:
            return None
        province_id = self.plan.agency.province_id or self.plan.agency_id
        candidates = Plan.objects.filter(symbol__iexact=self.symbol.strip(), number__isnull=False).filter(
            Q(agency__province_id=province_id) | Q(agency_id=province_id)
        )
        if self.issued_on:
            candidates = candidates.filter(issued_on=self.issued_on)
        return candidates.exclude(pk=self.plan_id).order_by("-issued_on").first()


class Section(models.Model):
    """An outline heading of the plan, with the agency's own label ("II", "1", "a", "7.1")."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", verbose_name=_("under"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    label = models.CharField(_("label"), max_length=20, blank=True, help_text=_("As printed: II, 1, a, 7.1."))
    title = models.CharField(_("title"), max_length=500)
    order = models.PositiveIntegerField(_("order"), default=0)
    area = models.ForeignKey(
        ReformArea,
        verbose_name=_("reform area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("New tasks under this heading take this area."),
    )

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.label}. {self.title}" if self.label else self.title

    def audit_agency_id(self) -> int | None:
        return self.plan.agency_id


class Recurrence(models.TextChoices):
    NONE = periods.NONE, _("Once")
    CONTINUOUS = periods.CONTINUOUS, _("Continuous (checked each quarter)")
    MONTHLY = periods.MONTHLY, _("Monthly")
    QUARTERLY = periods.QUARTERLY, _("Quarterly")
    HALF_YEARLY = periods.HALF_YEARLY, _("Every six months")
    YEARLY = periods.YEARLY, _("Yearly")


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TaskState(models.TextChoices):
    """What a person sees: the stored status with the clock applied."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    OVERDUE = "overdue", _("Overdue")
    DONE_EARLY = "done_early", _("Done early")
    DONE_ON_TIME = "done_on_time", _("Done on time")
    DONE_LATE = "done_late", _("Done late")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_TASK_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)


class TaskQuerySet(SearchQuerySet["Task"]):
    def open(self) -> TaskQuerySet:
        return self.filter(status__in=OPEN_TASK_STATUSES)

    def overdue(self, today: date | None = None) -> TaskQuerySet:
        """Open and past due in a plan under way (a closed plan's leftovers are history, not alerts)."""
        today = today or timezone.localdate()
        return self.open().filter(due_date__lt=today, plan__status__in=OPEN_STATUSES)

    def for_units(self, unit_ids: Iterable[int]) -> Self:
        """Tasks the units lead or coordinate (a subquery, so no duplicate rows to remove)."""
        unit_ids = list(unit_ids)
        coordinated = Task.coordinating_units.through.objects.filter(unit_id__in=unit_ids).values("task_id")
        return self.filter(Q(lead_unit_id__in=unit_ids) | Q(pk__in=coordinated))

    def leaves(self) -> TaskQuerySet:
        """Tasks people carry out: no sub-tasks or occurrences below them."""
        return self.filter(children__isnull=True)


class Task(Searchable):
    """A task of a plan (an appendix row), or a sub-task / occurrence of one."""

    SEARCHED = ("content", "output", "label", "due_text")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+", editable=False)
    section = models.ForeignKey(
        Section, verbose_name=_("section"), null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    label = models.CharField(_("outline position"), max_length=20, blank=True, help_text=_("As printed: a, 1, 1.2."))
    content = models.TextField(_("task"))
    area = models.ForeignKey(
        ReformArea, verbose_name=_("reform area"), null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    lead_unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="led_tasks"
    )
    coordinating_units = models.ManyToManyField(
        "accounts.Unit", verbose_name=_("coordinating units"), blank=True, related_name="coordinated_tasks"
    )
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible people"), blank=True, related_name="assigned_tasks"
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    due_text = models.CharField(
        _("deadline as printed"), max_length=100, blank=True, help_text=_("e.g. Quý II/2022, Tháng 6, Thường xuyên.")
    )
    recurrence = models.CharField(_("repeats"), max_length=20, choices=Recurrence.choices, blank=True)
    output = models.TextField(_("expected output"), blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "order", "pk"]
        indexes = [
            models.Index(fields=["agency", "status", "due_date"], name="task_agency_status_due_idx"),
            models.Index(fields=["plan", "order"], name="task_plan_order_idx"),
            models.Index(fields=["lead_unit", "status"], name="task_lead_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_progress_max_100"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(due_date__isnull=True) | Q(due_date__gte=F("start_date")),
                name="task_due_after_start",
            ),
        ]

    def __str__(self) -> str:
        text = self.content if len(self.content) <= 80 else self.content[:79] + "…"
        return f"{self.label}) {text}" if self.label else text

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.plan_id and not self.agency_id:
            self.agency_id = self.plan.agency_id
        super().save(*args, **kwargs)

    def audit_agency_id(self) -> int | None:
        return self.agency_id

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.start_date and self.due_date and self.due_date < self.start_date:
            errors["due_date"] = _("The due date must not be before the start date.")
        if self.lead_unit_id is None:
            errors["lead_unit"] = _("Choose the lead unit.")
        elif self.plan_id and self.lead_unit.agency_id != self.plan.agency_id:
            errors["lead_unit"] = _("The lead unit must belong to the plan's agency.")
        if self.status == TaskStatus.CANCELLED and not self.cancel_reason.strip():
            errors["cancel_reason"] = _("Give the reason for cancelling.")
        if errors:
            raise ValidationError(errors)

    def state(self, today: date | None = None) -> str:
        """Not started, in progress, overdue, done early / on time / late, or cancelled."""
        if self.status == TaskStatus.CANCELLED:
            return TaskState.CANCELLED
        if self.status == TaskStatus.DONE:
            if not (self.due_date and self.completed_on):
                return TaskState.DONE
            if self.completed_on < self.due_date:
                return TaskState.DONE_EARLY
            if self.completed_on == self.due_date:
                return TaskState.DONE_ON_TIME
            return TaskState.DONE_LATE
        today = today or timezone.localdate()
        if self.due_date and self.due_date < today:
            return TaskState.OVERDUE
        return self.status

    @staticmethod
    def state_filter(state: str, today: date) -> Q:
        """The tasks in one display state, as a filter: `state()` in SQL, for lists to filter and count.

        Done early and on time share "done" here; the tests hold the two to the same answers.
        """
        late = Q(due_date__lt=today)
        on_time = Q(due_date__isnull=True) | Q(completed_on__isnull=True) | Q(completed_on__lte=F("due_date"))
        return {
            TaskState.NOT_STARTED: Q(status=TaskStatus.NOT_STARTED) & ~late,
            TaskState.IN_PROGRESS: Q(status=TaskStatus.IN_PROGRESS) & ~late,
            TaskState.OVERDUE: Q(status__in=OPEN_TASK_STATUSES) & late,
            TaskState.DONE: Q(status=TaskStatus.DONE) & on_time,
            TaskState.DONE_LATE: Q(status=TaskStatus.DONE, completed_on__gt=F("due_date")),
            TaskState.CANCELLED: Q(status=TaskStatus.CANCELLED),
        }[TaskState(state)]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TASK_STATUSES

    @property
    def counts_for_progress(self) -> bool:
        return self.status != TaskStatus.CANCELLED

    def set_progress(self, value: int, today: date | None = None) -> None:
        """Progress and the status that follows from it (100% is done)."""
        value = max(0, min(100, int(value)))
        self.progress = value
        if self.status == TaskStatus.CANCELLED:
            return
        if value >= 100:
            self.status = TaskStatus.DONE
            self.completed_on = self.completed_on or today or timezone.localdate()
        else:
            self.status = TaskStatus.IN_PROGRESS if value > 0 else TaskStatus.NOT_STARTED
            self.completed_on = None

    def roll_up(self) -> None:
        """Derive this task's progress from its children, then its parent's (mean of those that count)."""
        node: Task | None = self
        while node is not None:
            children = list(node.children.all())
            if children:
                counted = [c.progress for c in children if c.counts_for_progress]
                if counted:
                    mean = round(sum(counted) / len(counted))
                    latest = max((c.completed_on for c in children if c.completed_on), default=None)
                    node.set_progress(mean, today=latest)
                    node.save(update_fields=["progress", "status", "completed_on"])
            node = node.parent

    def generate_occurrences(self) -> list[Task]:
        """Create one child per period of a recurring task (none when it has children already)."""
        if not self.recurrence or self.children.exists():
            return []
        plan = self.plan
        start = self.start_date or plan.period_start or date(plan.year, 1, 1)
        end = self.due_date or plan.period_end or date(plan.year, 12, 31)
        created = []
        coordinating = list(self.coordinating_units.all())
        assignees = list(self.assignees.all())
        for index, period in enumerate(periods.occurrences(self.recurrence, start, end), start=1):
            child = Task.objects.create(
                plan=plan,
                agency_id=self.agency_id,
                section=self.section,
                parent=self,
                order=index,
                label=f"{self.label}.{index}" if self.label else str(index),
                content=f"{self.content} ({period.label})",
                area=self.area,
                lead_unit=self.lead_unit,
                start_date=period.start,
                due_date=period.end,
                due_text=period.label,
                output=self.output,
                priority=self.priority,
            )
            child.coordinating_units.set(coordinating)
            child.assignees.set(assignees)
            created.append(child)
        return created


class UpdateKind(models.TextChoices):
    PROGRESS = "progress", _("Progress update")
    CONTRIBUTION = "contribution", _("Contribution of a coordinating unit")
    COMMENT = "comment", _("Comment")
    REASSIGN = "reassign", _("Reassigned")
    EXTEND = "extend", _("Deadline extended")
    CANCEL = "cancel", _("Cancelled")
    REOPEN = "reopen", _("Reopened")


class TaskUpdate(models.Model):
    """One entry of a task's history: progress, a contribution, a comment or a change of hands."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(_("kind"), max_length=20, choices=UpdateKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("text"), blank=True)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    links = models.TextField(
        _("links to documents"), blank=True, help_text=_("Addresses or document numbers, one per line.")
    )
    old_due_date = models.DateField(_("previous due date"), null=True, blank=True)
    new_due_date = models.DateField(_("new due date"), null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("task update")
        verbose_name_plural = _("task updates")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created:%d/%m/%Y}"

    def audit_agency_id(self) -> int | None:
        return self.task.agency_id

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class Mention(models.Model):
    """A person named with @username in a task update; shown on their home page until seen."""

    update = models.ForeignKey(TaskUpdate, on_delete=models.CASCADE, related_name="mentions")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions")
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["update", "person"], name="mention_unique")]
        indexes = [models.Index(fields=["person", "seen_at"], name="mention_person_seen_idx")]

    def __str__(self) -> str:
        return f"@{self.person_id} in {self.update_id}"


class MetricKind(models.TextChoices):
    PERCENT = "percent", _("Percentage")
    COUNT = "count", _("Count")
    MONEY = "money", _("Amount of money")
    BOOLEAN = "boolean", _("Yes / no")


class Comparator(models.TextChoices):
    GTE = "gte", "≥"
    LTE = "lte", "≤"
    EQ = "eq", "="
    RANGE = "range", pgettext_lazy("comparator", "between")


class Measurement(models.TextChoices):
    MANUAL = "manual", _("Entered by hand each period")
    INDICATOR = "indicator", _("Computed from an indicator")


class IndicatorScope(models.TextChoices):
    AGENCY = "agency", _("The whole agency")
    UNIT = "unit", _("The responsible unit")


class TargetStatus(models.TextChoices):
    NOT_MEASURED = "not_measured", _("Not measured yet")
    MET = "met", _("Met")
    AT_RISK = "at_risk", _("At risk")
    NOT_MET = "not_met", _("Not met")


class TargetQuerySet(SearchQuerySet["Target"]):
    def with_status(self, today: date) -> Self:
        """Targets with their latest value (`latest_value_id`, `latest_actual`) and `status_code`.

        The status is Target.status_for in SQL, so that lists can filter and
        count by it; the tests hold the two to the same answers.
        """
        latest = TargetValue.objects.filter(target=OuterRef("pk")).order_by("-period_end", "-recorded_at", "-pk")
        queryset = self.annotate(
            latest_value_id=Subquery(latest.values("pk")[:1]),
            latest_actual=Subquery(
                latest.values("actual")[:1], output_field=models.DecimalField(max_digits=18, decimal_places=2)
            ),
        )
        meets = (
            Q(comparator=Comparator.GTE, latest_actual__gte=F("value"))
            | Q(comparator=Comparator.LTE, latest_actual__lte=F("value"))
            | Q(comparator=Comparator.EQ, latest_actual=F("value"))
            | Q(
                comparator=Comparator.RANGE,
                latest_actual__gte=F("value"),
                latest_actual__lte=Coalesce("value_max", "value"),
            )
        )
        running = Q(plan__period_end__isnull=True) | Q(plan__period_end__gte=today)
        return queryset.annotate(
            status_code=Case(
                When(latest_actual__isnull=True, then=Value(TargetStatus.NOT_MEASURED.value)),
                When(meets, then=Value(TargetStatus.MET.value)),
                When(running, then=Value(TargetStatus.AT_RISK.value)),
                default=Value(TargetStatus.NOT_MET.value),
                output_field=models.CharField(),
            )
        )


class Target(Searchable):
    """A quantitative target (chỉ tiêu): "Tối thiểu 50% …", "03–05 sáng kiến", "100% …"."""

    SEARCHED = ("statement", "unit_of_measure")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+", editable=False)
    section = models.ForeignKey(
        Section, verbose_name=_("section"), null=True, blank=True, on_delete=models.SET_NULL, related_name="targets"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    statement = models.TextField(_("target"))
    area = models.ForeignKey(
        ReformArea, verbose_name=_("reform area"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    metric_kind = models.CharField(_("kind of measure"), max_length=20, choices=MetricKind.choices)
    comparator = models.CharField(_("comparison"), max_length=10, choices=Comparator.choices, default=Comparator.GTE)
    value = models.DecimalField(_("target value"), max_digits=18, decimal_places=2, null=True, blank=True)
    value_max = models.DecimalField(_("upper value (range)"), max_digits=18, decimal_places=2, null=True, blank=True)
    unit_of_measure = models.CharField(
        _("unit of measure"), max_length=50, blank=True, help_text=_("e.g. %, sáng kiến, triệu đồng.")
    )
    responsible_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
    )
    measurement = models.CharField(
        _("measurement"), max_length=20, choices=Measurement.choices, default=Measurement.MANUAL
    )
    indicator_code = models.CharField(
        _("indicator"), max_length=50, blank=True, help_text=_("The service indicator that will compute it.")
    )
    indicator_scope = models.CharField(
        _("measured over"),
        max_length=20,
        choices=IndicatorScope.choices,
        default=IndicatorScope.AGENCY,
        help_text=_("The dossiers of the whole agency, or only those of the responsible unit."),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value_max__isnull=True) | Q(value_max__gte=F("value")),
                name="target_range_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.statement if len(self.statement) <= 80 else self.statement[:79] + "…"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.plan_id and not self.agency_id:
            self.agency_id = self.plan.agency_id
        super().save(*args, **kwargs)

    def audit_agency_id(self) -> int | None:
        return self.agency_id

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.metric_kind == MetricKind.BOOLEAN:
            self.comparator = Comparator.EQ
            if self.value is None:
                self.value = Decimal(1)
        elif self.value is None:
            errors["value"] = _("Give the target value.")
        if self.comparator == Comparator.RANGE:
            if self.value_max is None:
                errors["value_max"] = _("A range needs an upper value.")
            elif self.value is not None and self.value > self.value_max:
                errors["value_max"] = _("The lower value must not be greater than the upper value.")
        else:
            self.value_max = None
        if self.metric_kind == MetricKind.PERCENT and self.value is not None and not 0 <= self.value <= 100:
            errors["value"] = _("A percentage is between 0 and 100.")
        unit = self.responsible_unit if self.responsible_unit_id else None
        if unit is not None and self.plan_id and unit.agency_id != self.plan.agency_id:
            errors["responsible_unit"] = _("The responsible unit must belong to the plan's agency.")
        if errors:
            raise ValidationError(errors)

    def meets(self, actual: Decimal) -> bool:
        if self.value is None:
            return False
        if self.comparator == Comparator.GTE:
            return actual >= self.value
        if self.comparator == Comparator.LTE:
            return actual <= self.value
        if self.comparator == Comparator.RANGE:
            return self.value <= actual <= (self.value_max if self.value_max is not None else self.value)
        return actual == self.value

    def status_for(self, latest: TargetValue | None, today: date | None = None) -> str:
        """Met when the latest value meets the target; otherwise at risk until the plan's period ends."""
        if latest is None:
            return TargetStatus.NOT_MEASURED
        if self.meets(latest.actual):
            return TargetStatus.MET
        today = today or timezone.localdate()
        end = self.plan.period_end
        if end is None or today <= end:
            return TargetStatus.AT_RISK
        return TargetStatus.NOT_MET

    def display_goal(self) -> str:
        """ "≥ 50 %", "3–5 sáng kiến", "Yes"."""
        if self.metric_kind == MetricKind.BOOLEAN:
            return str(_("Yes"))

        def number(value: Decimal | None) -> str:
            if value is None:
                return "?"
            # Grouped the local way: "450.000.000" in Vietnamese, "450,000,000" in English.
            return number_format(value.normalize(), force_grouping=True)

        unit = f" {self.unit_of_measure}" if self.unit_of_measure else ""
        if self.comparator == Comparator.RANGE:
            return f"{number(self.value)}–{number(self.value_max)}{unit}"
        return f"{self.get_comparator_display()} {number(self.value)}{unit}"


class TargetValue(models.Model):
    """An actual value of a target for one period, with evidence attached."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="values")
    period_label = models.CharField(_("period"), max_length=50, help_text=_("e.g. Quý II/2022, 6 tháng đầu năm."))
    period_end = models.DateField(_("end of the period"))
    actual = models.DecimalField(_("actual value"), max_digits=18, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("actual value")
        verbose_name_plural = _("actual values")
        ordering = ["-period_end", "-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.period_label}: {self.actual}"

    def audit_agency_id(self) -> int | None:
        return self.target.agency_id
