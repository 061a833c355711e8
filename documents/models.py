"""Documents in and out: the types of Decree 30, the outgoing register and its
series, checks of signed PDFs, and plan imports waiting for review."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentType(models.Model):
    """An administrative document type and its abbreviation (Decree 30, art. 7): data."""

    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("e.g. Kế hoạch."))
    abbreviation = models.CharField(
        _("abbreviation"), max_length=10, blank=True, help_text=_("Goes into the symbol, e.g. KH. Empty for công văn.")
    )
    order = models.PositiveIntegerField(_("display order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["abbreviation"], condition=~Q(abbreviation=""), name="document_type_abbreviation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name

    def audit_agency_id(self) -> int | None:
        return None  # shared by every agency


class RegisterSeries(models.Model):
    """A number series of an agency's outgoing register covering some types.

    Without any, the agency has one series for all types (Decree 30, art. 15.1.c
    lets the head choose one series or one per type).
    """

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.CASCADE, related_name="register_series"
    )
    code = models.SlugField(_("code"), max_length=20, help_text=_("Short name of the series, e.g. qd."))
    name = models.CharField(_("name"), max_length=150)
    doc_types = models.ManyToManyField(DocumentType, verbose_name=_("document types"), related_name="+")

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="register_series_code_unique")]

    def __str__(self) -> str:
        return self.name

    def audit_agency_id(self) -> int | None:
        return self.agency_id


class NumberCounter(models.Model):
    """The last number given in one series of an agency's register for one calendar year."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    series = models.CharField(max_length=20, blank=True, default="")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "series"], name="documents_number_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}/{self.series}: {self.last_number}"

    @classmethod
    def take(cls, agency_id: int, year: int, series: str = "") -> int:
        """The next number of the series; call inside a transaction."""
        cls.objects.get_or_create(agency_id=agency_id, year=year, series=series)
        counter = cls.objects.select_for_update().get(agency_id=agency_id, year=year, series=series)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        return counter.last_number


class OutgoingDocumentQuerySet(models.QuerySet["OutgoingDocument"]):
    pass


class OutgoingDocument(models.Model):
    """One line of the outgoing register (Sổ đăng ký văn bản đi, Decree 30 Phụ lục IV).

    Field names follow the metadata of Phụ lục VI (CodeNumber, CodeNotation,
    Subject, SignerInfo, IssuedAmount ...).
    """

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="outgoing_documents"
    )
    register_year = models.PositiveIntegerField(_("register year"))
    series = models.CharField(_("series"), max_length=20, blank=True, default="")
    code_number = models.PositiveIntegerField(_("number"))
    code_notation = models.CharField(_("symbol"), max_length=30, help_text=_("e.g. KH-SNgV."))
    type_code = models.CharField(_("type abbreviation"), max_length=10, blank=True)
    type_name = models.CharField(_("document type"), max_length=100)
    issued_date = models.DateField(_("date of the document"))
    subject = models.CharField(_("summary (trích yếu)"), max_length=500)
    signer_position = models.CharField(_("signer's position"), max_length=100, blank=True)
    signer_full_name = models.CharField(_("signer"), max_length=150, blank=True)
    to_places = models.TextField(_("recipients (Nơi nhận)"), blank=True, help_text=_("One per line."))
    archive_holder = models.CharField(_("unit or person keeping the file copy"), max_length=255, blank=True)
    issued_amount = models.PositiveIntegerField(_("number of copies"), default=1)
    sent_date = models.DateField(_("date sent"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    source = GenericForeignKey("source_type", "source_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    objects = OutgoingDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing register")
        ordering = ["-register_year", "series", "-code_number"]
        constraints = [
            # Decree 30, art. 15.1: unique within the year for the issuing body.
            models.UniqueConstraint(
                fields=["agency", "register_year", "series", "code_number"], name="outgoing_number_unique"
            )
        ]
        indexes = [models.Index(fields=["source_type", "source_id"], name="outgoing_source_idx")]

    def __str__(self) -> str:
        return f"{self.number_symbol} {self.subject}"

    @property
    def number_symbol(self) -> str:
        """ "05/KH-SNgV": a leading zero below 10 (Decree 30, Phụ lục I, II.3)."""
        return f"{self.code_number:02d}/{self.code_notation}"

    def audit_agency_id(self) -> int | None:
        return self.agency_id


class SignatureCheck(models.Model):
    """The verification of one signature of an uploaded signed PDF."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    attachment = models.ForeignKey(
        "files.Attachment", verbose_name=_("file"), on_delete=models.CASCADE, related_name="signature_checks"
    )
    field_name = models.CharField(_("signature field"), max_length=255, blank=True)
    signer_name = models.CharField(_("signer"), max_length=255, blank=True)
    signer_email = models.CharField(_("e-mail"), max_length=255, blank=True)
    signing_time = models.DateTimeField(_("signing time"), null=True, blank=True)
    issuer = models.CharField(_("certificate issuer"), max_length=500, blank=True)
    serial = models.CharField(_("certificate serial number"), max_length=100, blank=True)
    intact = models.BooleanField(_("document unchanged since signing"), default=False)
    valid = models.BooleanField(_("signature mathematically valid"), default=False)
    trusted = models.BooleanField(_("certificate chains to a configured trust root"), default=False)
    coverage = models.CharField(_("coverage"), max_length=100, blank=True)
    summary = models.TextField(_("details"), blank=True)
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("signature check")
        verbose_name_plural = _("signature checks")
        ordering = ["attachment", "signing_time", "pk"]

    def __str__(self) -> str:
        return f"{self.signer_name} {self.signing_time}"

    def audit_agency_id(self) -> int | None:
        return self.agency_id


class PlanImport(models.Model):
    """A document read by the plan importer, waiting for a person to review and save it."""

    agency = models.ForeignKey("accounts.Agency", verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+")
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    source_text = models.TextField(_("text read from the file"))
    result = models.JSONField(_("what was read"), default=dict)
    unit_map = models.JSONField(_("printed unit names and the agency's units"), default=dict)
    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("saved as"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return self.original_name

    def audit_agency_id(self) -> int | None:
        return self.agency_id
