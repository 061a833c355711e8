"""Periodic reporting: the calendar, unit reports, the agency's consolidated report, urging.

- `ReportingSchedule`: one line of an agency's reporting calendar (monthly,
  quarterly, 6-monthly, 9-monthly, yearly) with its data cut-off day and due
  dates per level, as offsets administrators edit. `ReportingPeriod` rows are
  made from it for each year (`reports.calendar`); ad-hoc requests are periods
  of their own. A period's state (upcoming, open, closed) follows from its dates.
- `UnitReport`: what one unit reports for one period: the data the system
  pre-fills (its tasks, their progress in the period, targets, evidence), the
  unit head's narrative, and the workflow draft → submitted → returned /
  accepted. `UnitReportVersion` keeps every submission, return and acceptance.
- `AgencyReport`: the agency's consolidated Báo cáo for the period, drafted from
  the unit reports and task data, approved by the leader (numbered in the
  outgoing register), sent to the province and received or returned there.
- `UrgingPolicy`: when reminders fire and escalate, per agency; its
  `next_run_at` is the column the scheduler claims. `UrgingNote`: a note the
  Office sends a unit by hand.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Six-monthly")
    NINE_MONTHS = "nine_months", _("Nine-monthly")
    YEARLY = "yearly", _("Yearly")
    AD_HOC = "ad_hoc", _("Ad hoc")


PERIODIC = [f for f in Frequency if f != Frequency.AD_HOC]


def validate_day_list(value: str) -> None:
    from reports import calendar

    calendar.day_list(value)


class ReportingSchedule(models.Model):
    """A kind of periodic report in force in an agency, and how its dates are set."""

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.CASCADE, related_name="reporting_schedules"
    )
    frequency = models.CharField(
        _("frequency"), max_length=20, choices=[(f.value, f.label) for f in PERIODIC], default=Frequency.QUARTERLY
    )
    active = models.BooleanField(_("in force"), default=True)
    cutoff_day = models.PositiveSmallIntegerField(
        _("data cut-off day"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_(
            "Day of the period's last month on which figures are cut off (Decree 09/2019: the 14th); "
            "31 means the last day of the month."
        ),
    )
    only = models.CharField(
        _("only these periods"),
        max_length=50,
        blank=True,
        validators=[validate_day_list],
        help_text=_("Blank: every period of the year. e.g. 1, 3 for the reports of quarters I and III only."),
    )
    opens_days_before = models.PositiveSmallIntegerField(
        _("opens (days before the cut-off)"),
        default=7,
        validators=[MaxValueValidator(60)],
        help_text=_("Units can start their report this many days before the cut-off."),
    )
    unit_due_days = models.PositiveSmallIntegerField(
        _("units report to the Office (days after the cut-off)"), default=2, validators=[MaxValueValidator(60)]
    )
    agency_due_days = models.PositiveSmallIntegerField(
        _("the agency reports to the province (days after the cut-off)"),
        default=5,
        validators=[MaxValueValidator(90)],
    )

    class Meta:
        verbose_name = _("reporting schedule")
        verbose_name_plural = _("reporting schedules")
        ordering = ["agency", "frequency"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "frequency"], name="schedule_unique_frequency"),
            models.CheckConstraint(
                condition=Q(unit_due_days__lte=F("agency_due_days")), name="schedule_unit_due_before_agency_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.get_frequency_display()}"

    def clean(self) -> None:
        super().clean()
        if (
            self.unit_due_days is not None
            and self.agency_due_days is not None
            and self.unit_due_days > self.agency_due_days
        ):
            raise ValidationError(
                {"agency_due_days": _("The agency's report cannot be due before its units' reports.")}
            )

    def audit_agency_id(self) -> int | None:
        return self.agency_id


class PeriodState(models.TextChoices):
    UPCOMING = "upcoming", _("Not open yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ReportingPeriod(models.Model):
    """One reporting round of an agency: "Quý I/2022", "6 tháng đầu năm 2022", or an ad-hoc request."""

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.CASCADE, related_name="reporting_periods"
    )
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    # Month (1–12), quarter (1–4), half (1–2), 1 for 9-month and yearly reports; a sequence for ad-hoc ones.
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(
        _("title"), max_length=255, blank=True, help_text=_("For an ad-hoc report: what is asked for.")
    )
    request_reference = models.CharField(
        _("requested by"), max_length=255, blank=True, help_text=_("e.g. Công văn số 123/UBND-NC ngày 02/3/2022.")
    )
    start = models.DateField(_("figures from"))
    cutoff = models.DateField(_("data cut-off"))
    opens_on = models.DateField(_("opens on"))
    unit_due = models.DateField(_("units' reports due"))
    agency_due = models.DateField(_("agency's report due"))
    # Set by the scheduler once the units' reports exist (the claim column of "open periods").
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["agency", "-cutoff", "frequency"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "frequency", "year", "number"], name="period_unique"),
            models.CheckConstraint(condition=Q(start__lte=F("cutoff")), name="period_start_before_cutoff"),
            models.CheckConstraint(condition=Q(cutoff__lte=F("unit_due")), name="period_cutoff_before_unit_due"),
            models.CheckConstraint(condition=Q(unit_due__lte=F("agency_due")), name="period_unit_before_agency_due"),
        ]
        indexes = [models.Index(fields=["opened_at", "opens_on"], name="period_opening_idx")]

    def __str__(self) -> str:
        return str(self.label)

    def audit_agency_id(self) -> int | None:
        return self.agency_id

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.start and self.cutoff and self.start > self.cutoff:
            errors["start"] = _("The figures cannot start after the data cut-off.")
        if self.cutoff and self.unit_due and self.cutoff > self.unit_due:
            errors["cutoff"] = _("The data cut-off must not be after the units' due date.")
        if self.unit_due and self.agency_due and self.unit_due > self.agency_due:
            errors["agency_due"] = _("The agency's report cannot be due before its units' reports.")
        if self.opens_on and self.unit_due and self.opens_on > self.unit_due:
            errors["opens_on"] = _("The period must open before the units' reports are due.")
        if errors:
            raise ValidationError(errors)

    @property
    def label(self) -> str:
        from reports import calendar

        return calendar.period_label(self)

    def state(self, today: date | None = None) -> str:
        today = today or timezone.localdate()
        if today < self.opens_on:
            return PeriodState.UPCOMING
        if today <= self.agency_due:
            return PeriodState.OPEN
        return PeriodState.CLOSED


class ReportStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")


EDITABLE_REPORT_STATUSES = (ReportStatus.NOT_STARTED, ReportStatus.DRAFT, ReportStatus.RETURNED)


class UnitReport(models.Model):
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="unit_reports"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+", editable=False)
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.NOT_STARTED
    )
    results = models.TextField(_("results achieved"), blank=True)
    limitations = models.TextField(_("limitations and their causes"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    next_tasks = models.TextField(_("tasks for the next period"), blank=True)
    # The pre-filled data as it stood at the last submission (None while never submitted).
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    version = models.PositiveSmallIntegerField(_("version"), default=0)
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(_("Office's comments"), blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("unit report")
        verbose_name_plural = _("unit reports")
        ordering = ["period", "unit__order", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="unit_report_unique")]
        indexes = [models.Index(fields=["agency", "status"], name="unit_report_agency_status_idx")]

    def __str__(self) -> str:
        return f"{self.unit} – {self.period}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.period_id and not self.agency_id:
            self.agency_id = self.period.agency_id
        super().save(*args, **kwargs)

    def audit_agency_id(self) -> int | None:
        return self.agency_id

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_REPORT_STATUSES

    @property
    def is_submitted(self) -> bool:
        return self.first_submitted_at is not None

    def submitted_late(self) -> bool:
        """Late when first submitted after the units' due date (a return and resubmission does not change it)."""
        if self.first_submitted_at is None:
            return False
        return timezone.localdate(self.first_submitted_at) > self.period.unit_due

    def is_missing(self, today: date | None = None) -> bool:
        """Never submitted and past the units' due date."""
        today = today or timezone.localdate()
        return self.first_submitted_at is None and today > self.period.unit_due


class VersionAction(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class UnitReportVersion(models.Model):
    """A submission, return or acceptance of a unit report, with the report as it stood."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    action = models.CharField(_("action"), max_length=20, choices=VersionAction.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    content = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("unit report version")
        verbose_name_plural = _("unit report versions")
        ordering = ["report", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.report} v{self.number} {self.action}"

    def audit_agency_id(self) -> int | None:
        return self.report.agency_id


class AgencyReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_APPROVAL = "pending_approval", _("Awaiting the leader's approval")
    APPROVED = "approved", _("Approved and numbered")
    SENT = "sent", _("Sent to the province")
    RETURNED = "returned", _("Returned by the province")
    RECEIVED = "received", _("Received by the province")


EDITABLE_AGENCY_STATUSES = (AgencyReportStatus.DRAFT, AgencyReportStatus.RETURNED)


class AgencyReport(models.Model):
    """The agency's consolidated report for a period (Báo cáo, symbol BC-<agency>)."""

    period = models.OneToOneField(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="agency_report"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+", editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=AgencyReportStatus.choices, default=AgencyReportStatus.DRAFT
    )
    title = models.CharField(_("summary"), max_length=500)
    overview = models.TextField(_("leadership and direction"), blank=True)
    results = models.TextField(_("results by reform area"), blank=True)
    limitations = models.TextField(_("limitations and their causes"), blank=True)
    next_tasks = models.TextField(_("tasks for the next period"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    # The figures and tables as drafted (refreshed on demand, frozen at approval).
    figures = models.JSONField(default=dict, blank=True)
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("One per line, as printed under Nơi nhận."))
    signer_position = models.CharField(_("signer's position"), max_length=150, blank=True)
    signer_full_name = models.CharField(_("signer's full name"), max_length=150, blank=True)
    outgoing = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("register line"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    first_sent_at = models.DateTimeField(_("first sent"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed by the province"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(_("province's comments"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("consolidated report")
        verbose_name_plural = _("consolidated reports")
        ordering = ["-period__cutoff"]
        indexes = [models.Index(fields=["agency", "status"], name="agency_report_status_idx")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.period_id and not self.agency_id:
            self.agency_id = self.period.agency_id
        super().save(*args, **kwargs)

    def audit_agency_id(self) -> int | None:
        return self.agency_id

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_AGENCY_STATUSES

    def sent_late(self) -> bool:
        if self.first_sent_at is None:
            return False
        return timezone.localdate(self.first_sent_at) > self.period.agency_due


class AgencyReportEvent(models.Model):
    """A step of the consolidated report's way (submitted, approved, sent, returned, received)."""

    report = models.ForeignKey(AgencyReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=AgencyReportStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    content = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("consolidated report step")
        verbose_name_plural = _("consolidated report steps")
        ordering = ["report", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"

    def audit_agency_id(self) -> int | None:
        return self.report.agency_id


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class UrgingPolicy(models.Model):
    """When an agency's reminders fire and escalate. One row per agency, made with the defaults."""

    agency = models.OneToOneField(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.CASCADE, related_name="urging_policy"
    )
    active = models.BooleanField(_("send reminders"), default=True)
    task_days_before = models.CharField(
        _("remind of a task this many days before its due date"),
        max_length=50,
        default="7, 2",
        validators=[validate_day_list],
        help_text=_("Whole numbers separated by commas, e.g. 7, 2."),
    )
    report_days_before = models.CharField(
        _("remind of a report this many days before it is due"),
        max_length=50,
        default="3, 1",
        validators=[validate_day_list],
        help_text=_("Whole numbers separated by commas, e.g. 3, 1."),
    )
    escalate_to_head_after = models.PositiveSmallIntegerField(
        _("tell the unit head after (days overdue)"), default=2, validators=[MaxValueValidator(90)]
    )
    escalate_to_office_after = models.PositiveSmallIntegerField(
        _("tell the Office after (days overdue)"), default=5, validators=[MaxValueValidator(180)]
    )
    send_hour = models.PositiveSmallIntegerField(
        _("send reminders from (hour)"), default=7, validators=[MaxValueValidator(23)]
    )
    digest_weekday = models.PositiveSmallIntegerField(
        _("weekly digest on"), choices=Weekday.choices, default=Weekday.MONDAY
    )
    # The scheduler claims the agency's round with a conditional update of this column.
    next_run_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_run_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("urging policy")
        verbose_name_plural = _("urging policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(escalate_to_head_after__lte=F("escalate_to_office_after")),
                name="urging_head_before_office",
            )
        ]

    def __str__(self) -> str:
        return str(self.agency)

    def clean(self) -> None:
        super().clean()
        if (
            self.escalate_to_head_after is not None
            and self.escalate_to_office_after is not None
            and self.escalate_to_head_after > self.escalate_to_office_after
        ):
            raise ValidationError(
                {"escalate_to_office_after": _("The Office is told after the unit head, not before.")}
            )

    def audit_agency_id(self) -> int | None:
        return self.agency_id


class UrgingNote(models.Model):
    """A note the Office sends a unit to urge it (đôn đốc), kept in history."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+", editable=False)
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="urgings")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    text = models.TextField(_("text"))
    task = models.ForeignKey(
        "plans.Task", verbose_name=_("task"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="urgings",
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("urging note")
        verbose_name_plural = _("urging notes")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.unit}: {self.text[:60]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.unit_id and not self.agency_id:
            self.agency_id = self.unit.agency_id
        super().save(*args, **kwargs)

    def audit_agency_id(self) -> int | None:
        return self.agency_id
