"""One-stop-shop data: the working-day calendar, the procedure catalogue, dossiers.

- `CalendarException`: a day administrators declare off (beyond the public
  holidays of the `holidays` package) or worked (a swapped Saturday). With the
  package they make `lib.workdays.Calendar` (`services.calendar.current()`).
- `Procedure`: an administrative procedure (thủ tục hành chính) of the
  catalogue: national code, name, field, the agency that handles it, the level
  of online service, the processing time limit with its unit, fee, date
  published. Procedures met first in a dossier import are created
  "unclassified" and reported.
- `ColumnMapping`: a saved mapping from the headers of an export to the
  canonical columns, for the procedure and dossier imports.
- `Dossier`: one dossier (hồ sơ) of the one-stop shop, unique by agency and
  code; its deadline status follows ../shared/domain/one-stop.md
  (`services.deadlines`).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lib import workdays
from plans.models import Searchable, SearchQuerySet


class ExceptionKind(models.TextChoices):
    DAY_OFF = "day_off", _("Extra day off")
    WORKING = "working", _("Working day (swapped)")


class CalendarException(models.Model):
    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ExceptionKind.choices)
    name = models.CharField(
        _("reason"), max_length=255, help_text=_("e.g. Làm bù cho ngày nghỉ 29/04/2024, or Nghỉ bù Quốc khánh.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_kind_display()}"

    def audit_agency_id(self) -> int | None:
        return None


class TimeUnit(models.TextChoices):
    WORKING_DAYS = workdays.WORKING_DAYS, _("working days")
    DAYS = workdays.DAYS, _("days")
    HOURS = workdays.HOURS, _("working hours")
    MONTHS = workdays.MONTHS, _("months")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Fully online")
    PARTIAL = "partial", _("Partly online")
    NONE = "none", _("Not online")


class Procedure(Searchable):
    SEARCHED = ("code", "name", "field")

    code = models.CharField(_("national code"), max_length=50, unique=True, help_text=_("e.g. 1.001234"))
    name = models.TextField(_("name"))
    field = models.CharField(_("field"), max_length=255, blank=True, help_text=_("Lĩnh vực, e.g. Lãnh sự."))
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="procedures",
    )
    online_level = models.CharField(
        _("online service"), max_length=20, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    time_limit = models.DecimalField(
        _("processing time limit"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    time_unit = models.CharField(
        _("unit of the time limit"), max_length=20, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    fee = models.DecimalField(
        _("fee (VND)"), max_digits=14, decimal_places=0, default=0, validators=[MinValueValidator(0)]
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    unclassified = models.BooleanField(
        _("unclassified"), default=False, help_text=_("Created by a dossier import that named an unknown code.")
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = SearchQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative procedure")
        verbose_name_plural = _("administrative procedures")
        ordering = ["code"]
        indexes = [models.Index(fields=["agency", "code"], name="procedure_agency_code_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def audit_agency_id(self) -> int | None:
        return self.agency_id


class MappingTarget(models.TextChoices):
    PROCEDURES = "procedures", _("Procedure catalogue")
    DOSSIERS = "dossiers", _("Dossiers")


class ColumnMapping(models.Model):
    """Which header of an export holds each canonical column: {"code": "MaHoSo", …}."""

    name = models.CharField(_("name"), max_length=100)
    target = models.CharField(_("for"), max_length=20, choices=MappingTarget.choices)
    columns = models.JSONField(_("columns"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        ordering = ["target", "name"]
        constraints = [models.UniqueConstraint(fields=["target", "name"], name="mapping_unique_name")]

    def __str__(self) -> str:
        return self.name

    def audit_agency_id(self) -> int | None:
        return None


class Channel(models.TextChoices):
    DIRECT = "direct", _("At the counter")
    ONLINE = "online", _("Online")
    POSTAL = "postal", _("By post")


class DossierStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    IN_PROCESS = "in_process", _("In process")
    PROCESSED = "processed", _("Processed")
    RETURNED = "returned", _("Result returned")
    REFUSED = "refused", _("Refused")
    STOPPED = "stopped", _("Stopped")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Dossier(models.Model):
    # No index of their own: (agency, code) and (procedure, received_at) lead with them, and a million
    # rows imported pay for every index.
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="dossiers", db_index=False
    )
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    code = models.CharField(_("dossier code"), max_length=100)
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="dossiers", db_index=False
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("received"))
    # The appointment day (ngày hẹn trả): deadlines compare dates, not times.
    due_date = models.DateField(_("due"), null=True, blank=True)
    due_computed = models.BooleanField(_("due date computed"), default=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    returned_at = models.DateTimeField(_("result returned"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=30, choices=DossierStatus.choices)
    supplement_requests = models.PositiveSmallIntegerField(_("supplement requests"), default=0)
    supplement_days = models.PositiveSmallIntegerField(_("working days spent supplementing"), default=0)
    fee = models.DecimalField(_("fee (VND)"), max_digits=14, decimal_places=0, default=0)
    paid_online = models.BooleanField(_("paid online"), default=False)
    digitised = models.BooleanField(_("digitised"), default=False)
    electronic_result = models.BooleanField(_("electronic result"), default=False)
    # The deadline status at the end of the month, quarter, half-year and year of receipt
    # (`services.rollups.CLASSES`), kept by `rollups.classify` so that rollups are GROUP BYs.
    class_month = models.PositiveSmallIntegerField(default=0, editable=False)
    class_quarter = models.PositiveSmallIntegerField(default=0, editable=False)
    class_half = models.PositiveSmallIntegerField(default=0, editable=False)
    class_year = models.PositiveSmallIntegerField(default=0, editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["agency", "-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="dossier_unique_code"),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(finished_at__gte=F("received_at")),
                name="dossier_finished_after_received",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "received_at"], name="dossier_agency_received_idx"),
            models.Index(fields=["procedure", "received_at"], name="dossier_procedure_received_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        from services import rollups

        rollups.classify(self)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.finished_at and self.received_at and self.finished_at < self.received_at:
            raise ValidationError({"finished_at": _("A dossier cannot be finished before it was received.")})

    def audit_agency_id(self) -> int | None:
        return self.agency_id

    def deadline_status(self, reference: Any = None) -> str:
        from services import deadlines

        return deadlines.status(self, reference)


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def import_path(instance: Any, filename: str) -> str:
    """A random name: the person's file name is kept in original_name, never used as a path."""
    return f"dossier-imports/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"


class DossierImport(models.Model):
    """One run of the dossier import: what it read, wrote and rejected (line and reason)."""

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.CASCADE, related_name="dossier_imports"
    )
    original_name = models.CharField(_("file"), max_length=255)
    # A large upload waits here for the scheduler (services.import_queue); deleted once imported.
    upload = models.FileField(_("uploaded file"), upload_to=import_path, max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    mapping = models.ForeignKey(
        ColumnMapping, verbose_name=_("mapping"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.RUNNING)
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    new_procedures = models.JSONField(_("unknown procedure codes"), default=list, blank=True)
    # The first rejected rows: [{"line": 12, "reason": "…"}, …] (the count says how many in all).
    errors = models.JSONField(_("rejected rows"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("dossier import")
        verbose_name_plural = _("dossier imports")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name

    def audit_agency_id(self) -> int | None:
        return self.agency_id


class DossierRollup(models.Model):
    """Counts of the dossiers received in one month, by agency, unit, procedure and channel.

    Kept by the import (`services.rollups.refresh`) and recomputable from the dossiers
    (`manage.py recompute_rollups`). The deadline counts are given as of the end of the
    month, quarter, half-year and year of receipt (suffixes _m, _q, _h, _y), the reference
    dates of the periods the month belongs to.
    """

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("accounts.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month of receipt
    channel = models.CharField(max_length=20, choices=Channel.choices)
    received = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    with_fee = models.PositiveIntegerField(default=0)
    paid_online = models.PositiveIntegerField(default=0)
    digitised = models.PositiveIntegerField(default=0)
    early_m = models.PositiveIntegerField(default=0)
    on_time_m = models.PositiveIntegerField(default=0)
    late_m = models.PositiveIntegerField(default=0)
    within_m = models.PositiveIntegerField(default=0)
    over_m = models.PositiveIntegerField(default=0)
    eresult_m = models.PositiveIntegerField(default=0)
    early_q = models.PositiveIntegerField(default=0)
    on_time_q = models.PositiveIntegerField(default=0)
    late_q = models.PositiveIntegerField(default=0)
    within_q = models.PositiveIntegerField(default=0)
    over_q = models.PositiveIntegerField(default=0)
    eresult_q = models.PositiveIntegerField(default=0)
    early_h = models.PositiveIntegerField(default=0)
    on_time_h = models.PositiveIntegerField(default=0)
    late_h = models.PositiveIntegerField(default=0)
    within_h = models.PositiveIntegerField(default=0)
    over_h = models.PositiveIntegerField(default=0)
    eresult_h = models.PositiveIntegerField(default=0)
    early_y = models.PositiveIntegerField(default=0)
    on_time_y = models.PositiveIntegerField(default=0)
    late_y = models.PositiveIntegerField(default=0)
    within_y = models.PositiveIntegerField(default=0)
    over_y = models.PositiveIntegerField(default=0)
    eresult_y = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("dossier rollup")
        verbose_name_plural = _("dossier rollups")
        indexes = [models.Index(fields=["agency", "month"], name="rollup_agency_month_idx")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%m/%Y} {self.procedure_id}"
