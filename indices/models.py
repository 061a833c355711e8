"""The PAR Index (Chỉ số CCHC) and the province's governance indices (PAPI, PCI).

- `CriteriaSet`: the criteria a province (or the ministry) issued for one year and
  one kind of agency, tied to its decision; versioned: a set in use is never
  changed in place, a new version is made instead (`previous`). Its ranking
  bands and rounding are data.
- `Criterion`: a node of the set's tree, area → criterion → sub-criterion
  ("3.2.1"), with its maximum points, how it is assessed (self-scored and
  appraised, or by the survey), the evidence required, the allowed score steps
  or options, and when it does not apply. Areas of kind bonus or penalty hold
  the bonus and penalty items; the area's maximum is their cap.
- `Assessment`: one agency's assessment of one year against one set, from the
  self-assessment through the two appraisal rounds to the council's final
  scores. `Score`: one leaf criterion of it, with every score and comment
  kept (self, round 1, the agency's explanation, round 2, final, survey).
  `Evidence`: what proves a score: an uploaded file (with the page or section
  it proves) or a link to something already in the system.
- `GovernanceIndex` / `GovernanceDimension` / `GovernanceResult` /
  `GovernanceScore`: PAPI and PCI results of the province by year and
  dimension, as published. `ImprovementLink`: a plan task that works on a
  criterion's lost points or on a PAPI/PCI dimension.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import AgencyKind


def default_bands() -> list[dict[str, Any]]:
    """Ranking groups of the PAR Index 2022 (indices.md §1.6), with D below 70 as provinces add."""
    return [
        {"label": "A", "min": 90},
        {"label": "B", "min": 80},
        {"label": "C", "min": 70},
        {"label": "D", "min": 0},
    ]


class SetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_USE = "in_use", _("In use")
    RETIRED = "retired", _("Replaced")


class CriteriaSet(models.Model):
    """The criteria of the PAR Index for one year and one kind of agency, as a decision issued them."""

    name = models.CharField(_("name"), max_length=255)
    year = models.PositiveIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    agency_kind = models.CharField(
        _("kind of agency"), max_length=20, choices=AgencyKind.choices, default=AgencyKind.DEPARTMENT
    )
    # The province whose Department of Home Affairs issued and appraises the set; blank: a national set.
    province = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="criteria_sets",
    )
    decision = models.CharField(
        _("issued by decision"), max_length=255, blank=True, help_text=_("e.g. Quyết định số 1156/QĐ-UBND")
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous version or year"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
    )
    status = models.CharField(_("status"), max_length=20, choices=SetStatus.choices, default=SetStatus.DRAFT)
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("An example set shipped with the demo, not an issued decision.")
    )
    bands = models.JSONField(
        _("ranking groups"),
        default=default_bands,
        blank=True,
        help_text=_("Groups from the highest: label and lowest index, e.g. A from 90, B from 80, C from 70, D below."),
    )
    decimals = models.PositiveSmallIntegerField(
        _("decimal places"), default=2, validators=[MaxValueValidator(4)], help_text=_("Index rounding (half up).")
    )
    cap_at_100 = models.BooleanField(
        _("index at most 100"), default=True, help_text=_("Bonus points cannot lift the index above 100.")
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("put in use"), null=True, blank=True)

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["-year", "agency_kind", "-version", "pk"]
        constraints = [
            # One version number per province (or among national sets), year and kind of agency.
            models.UniqueConstraint(
                fields=["province", "year", "agency_kind", "version"],
                condition=Q(province__isnull=False),
                name="criteria_set_unique_version",
            ),
            models.UniqueConstraint(
                fields=["year", "agency_kind", "version"],
                condition=Q(province__isnull=True),
                name="criteria_set_unique_national_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year}, v{self.version})"

    def audit_agency_id(self) -> int | None:
        return self.province_id

    @property
    def is_locked(self) -> bool:
        """In use (or replaced) sets are never edited in place: a new version is made."""
        return self.status != SetStatus.DRAFT or self.assessments.exists()


class CriterionKind(models.TextChoices):
    SCORED = "scored", _("Scored")
    BONUS = "bonus", _("Bonus points")
    PENALTY = "penalty", _("Penalty points")


class Method(models.TextChoices):
    SELF = "self", _("Self-assessed and appraised")
    SURVEY = "survey", _("Sociological survey")


class Applicability(models.TextChoices):
    ALWAYS = "always", _("Applies to every agency")
    PROCEDURES = "procedures", _("Only agencies that handle administrative procedures")
    DECLARED = "declared", _("The agency may declare it not applicable, with a reason")


class Criterion(models.Model):
    """An area, criterion or sub-criterion of a set; leaves are scored."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.CASCADE, related_name="criteria"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("e.g. 3.2.1"))
    name = models.TextField(_("name"))
    order = models.PositiveIntegerField(_("order"), default=0)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CriterionKind.choices, default=CriterionKind.SCORED)
    method = models.CharField(_("assessed by"), max_length=10, choices=Method.choices, default=Method.SELF)
    guidance = models.TextField(_("scoring guidance"), blank=True)
    evidence_required = models.TextField(_("evidence required"), blank=True)
    step = models.DecimalField(
        _("score step"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Scores must be multiples of it, e.g. 0.25. Blank: any value up to the maximum."),
    )
    # [{"label": "Ban hành đúng hạn", "points": "1.00"}, …]: the score is one of them.
    options = models.JSONField(_("score options"), default=list, blank=True)
    applicability = models.CharField(
        _("applies"), max_length=20, choices=Applicability.choices, default=Applicability.ALWAYS
    )
    # Words matched against plans, reports and tasks to suggest evidence (blank: the name's words).
    keywords = models.CharField(_("keywords for evidence"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    def audit_agency_id(self) -> int | None:
        return self.criteria_set.province_id

    @property
    def depth(self) -> int:
        """1 for an area, 2 for a criterion, 3 for a sub-criterion (from the code's parts)."""
        return self.code.count(".") + 1


class AssessmentStatus(models.TextChoices):
    SELF = "self", _("Self-assessment")
    SUBMITTED = "submitted", _("Submitted, awaiting appraisal")
    ROUND1 = "round1", _("Appraisal round 1")
    EXPLAINING = "explaining", _("Agency's explanations")
    ROUND2 = "round2", _("Appraisal round 2")
    FINAL = "final", _("Finalised by the council")


class Assessment(models.Model):
    """One agency's PAR Index assessment of one year."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.PROTECT, related_name="assessments"
    )
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="par_assessments"
    )
    year = models.PositiveIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.SELF
    )
    self_due = models.DateField(_("self-assessment due"), null=True, blank=True)
    explanation_due = models.DateField(_("explanations due"), null=True, blank=True)
    difficulties = models.TextField(_("difficulties and obstacles"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    # The self-assessment report's number in the outgoing register once the leader approved it.
    report = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("self-assessment report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)

    class Meta:
        verbose_name = _("PAR Index assessment")
        verbose_name_plural = _("PAR Index assessments")
        ordering = ["-year", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="assessment_unique_year"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"

    def audit_agency_id(self) -> int | None:
        return self.agency_id

    def record(self, actor: Any, at: Any, note: str = "") -> AssessmentEvent:
        """Keep the step the assessment has just reached: who, when, with what note."""
        return AssessmentEvent.objects.create(assessment=self, status=self.status, actor=actor, at=at, note=note)

    @property
    def self_editable(self) -> bool:
        """The agency's scores and evidence change only during the self-assessment."""
        return self.status == AssessmentStatus.SELF


class Score(models.Model):
    """One leaf criterion of an assessment: every score, comment and explanation, with who and when."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    applicable = models.BooleanField(_("applicable"), default=True)
    not_applicable_reason = models.TextField(_("why it does not apply"), blank=True)
    # Self-assessment.
    self_score = models.DecimalField(_("self score"), max_digits=7, decimal_places=2, null=True, blank=True)
    self_note = models.TextField(_("how the score was reached"), blank=True)
    explanation = models.TextField(
        _("explanation (giải trình)"), blank=True, help_text=_("Required when the score has no evidence.")
    )
    self_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    self_at = models.DateTimeField(null=True, blank=True)
    # Appraisal round 1.
    round1_score = models.DecimalField(_("round 1 score"), max_digits=7, decimal_places=2, null=True, blank=True)
    round1_comment = models.TextField(_("appraiser's comment"), blank=True)
    round1_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    round1_at = models.DateTimeField(null=True, blank=True)
    # The agency's answer on a disputed item.
    answer = models.TextField(_("agency's explanation"), blank=True)
    answer_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer_at = models.DateTimeField(null=True, blank=True)
    # Appraisal round 2: the appraised score.
    round2_score = models.DecimalField(_("round 2 score"), max_digits=7, decimal_places=2, null=True, blank=True)
    round2_comment = models.TextField(_("round 2 comment"), blank=True)
    round2_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    round2_at = models.DateTimeField(null=True, blank=True)
    # The council's final score, when it differs from the appraised one.
    final_score = models.DecimalField(_("final score"), max_digits=7, decimal_places=2, null=True, blank=True)
    final_comment = models.TextField(_("council's note"), blank=True)
    # Survey-assessed items: the points the survey gave.
    survey_score = models.DecimalField(_("survey points"), max_digits=7, decimal_places=2, null=True, blank=True)
    survey_source = models.CharField(_("survey source"), max_length=255, blank=True)
    survey_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    survey_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        ordering = ["criterion__order", "criterion__pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="score_unique_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.criterion.code}"

    def audit_agency_id(self) -> int | None:
        return self.assessment.agency_id

    @property
    def disputed(self) -> bool:
        """Round 1 gave another score than the agency's own."""
        return self.round1_score is not None and self.round1_score != self.self_score


class AssessmentEvent(models.Model):
    """A step of an assessment's way: who moved it to which status, when, with what note."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("step"), max_length=20, choices=AssessmentStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("assessment step")
        verbose_name_plural = _("assessment steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.assessment} {self.status}"

    def audit_agency_id(self) -> int | None:
        return self.assessment.agency_id


class Evidence(models.Model):
    """What proves a score: a file with the page or section it proves, or a record already in the system."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence")
    attachment = models.ForeignKey(
        "files.Attachment", verbose_name=_("file"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    document = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("issued document"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    task = models.ForeignKey(
        "plans.Task", verbose_name=_("task"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target = models.ForeignKey(
        "plans.Target", verbose_name=_("target"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    agency_report = models.ForeignKey(
        "reports.AgencyReport",
        verbose_name=_("report"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    locator = models.CharField(_("page or section"), max_length=255, blank=True, help_text=_("e.g. p. 3, section II.2"))
    note = models.TextField(_("note"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    LINKS = ("attachment", "document", "plan", "task", "target", "agency_report")

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(attachment__isnull=False, document=None, plan=None, task=None, target=None, agency_report=None)
                    | Q(attachment=None, document__isnull=False, plan=None, task=None, target=None, agency_report=None)
                    | Q(attachment=None, document=None, plan__isnull=False, task=None, target=None, agency_report=None)
                    | Q(attachment=None, document=None, plan=None, task__isnull=False, target=None, agency_report=None)
                    | Q(attachment=None, document=None, plan=None, task=None, target__isnull=False, agency_report=None)
                    | Q(attachment=None, document=None, plan=None, task=None, target=None, agency_report__isnull=False)
                ),
                name="evidence_exactly_one_link",
            ),
        ]

    def __str__(self) -> str:
        return str(self.linked)

    def audit_agency_id(self) -> int | None:
        return self.score.assessment.agency_id

    @property
    def linked(self) -> Any:
        for name in self.LINKS:
            value = getattr(self, name)
            if value is not None:
                return value
        return None

    def clean(self) -> None:
        super().clean()
        if sum(getattr(self, f"{name}_id") is not None for name in self.LINKS) != 1:
            raise ValidationError(_("Evidence is one file or one linked record."))


class GovernanceIndex(models.Model):
    """An index the province is measured by each year (PAPI, PCI), with its dimensions as data."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=255)
    publisher = models.CharField(_("published by"), max_length=255, blank=True)
    scale_note = models.CharField(_("scale"), max_length=255, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("governance index")
        verbose_name_plural = _("governance indices")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class GovernanceDimension(models.Model):
    """A dimension (PAPI: chỉ số nội dung) or sub-index (PCI: chỉ số thành phần), in force for some years."""

    index = models.ForeignKey(GovernanceIndex, on_delete=models.CASCADE, related_name="dimensions")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=255)
    order = models.PositiveIntegerField(_("order"), default=0)
    max_score = models.DecimalField(_("maximum score"), max_digits=7, decimal_places=2, null=True, blank=True)
    from_year = models.PositiveIntegerField(_("from year"), null=True, blank=True)
    to_year = models.PositiveIntegerField(_("to year"), null=True, blank=True)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["index", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["index", "code"], name="dimension_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class GovernanceResult(models.Model):
    """A province's published result for one year: the total, rank and group as published."""

    index = models.ForeignKey(GovernanceIndex, on_delete=models.PROTECT, related_name="results")
    province = models.ForeignKey(
        "accounts.Agency", verbose_name=_("province"), on_delete=models.CASCADE, related_name="governance_results"
    )
    year = models.PositiveIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    total = models.DecimalField(_("total score"), max_digits=7, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    ranked_of = models.PositiveIntegerField(_("out of"), null=True, blank=True)
    group = models.CharField(_("performance group"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("governance index result")
        verbose_name_plural = _("governance index results")
        ordering = ["index", "-year"]
        constraints = [models.UniqueConstraint(fields=["index", "province", "year"], name="governance_result_unique")]

    def __str__(self) -> str:
        return f"{self.index.code} {self.year}"

    def audit_agency_id(self) -> int | None:
        return self.province_id


class GovernanceScore(models.Model):
    result = models.ForeignKey(GovernanceResult, on_delete=models.CASCADE, related_name="scores")
    dimension = models.ForeignKey(GovernanceDimension, on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("dimension score")
        verbose_name_plural = _("dimension scores")
        ordering = ["dimension__order", "dimension__pk"]
        constraints = [models.UniqueConstraint(fields=["result", "dimension"], name="governance_score_unique")]

    def __str__(self) -> str:
        return f"{self.dimension.code}: {self.score}"


class ImprovementLink(models.Model):
    """A plan task that works on a PAR criterion (points lost) or on a PAPI/PCI dimension."""

    task = models.ForeignKey("plans.Task", on_delete=models.CASCADE, related_name="improvement_links")
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    dimension = models.ForeignKey(
        GovernanceDimension,
        verbose_name=_("dimension"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="links",
    )
    points_at_stake = models.DecimalField(_("points at stake"), max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("improvement link")
        verbose_name_plural = _("improvement links")
        constraints = [
            models.CheckConstraint(
                condition=Q(criterion__isnull=False) | Q(dimension__isnull=False), name="improvement_link_target"
            ),
            models.UniqueConstraint(fields=["task", "criterion"], name="improvement_link_unique_criterion"),
            models.UniqueConstraint(fields=["task", "dimension"], name="improvement_link_unique_dimension"),
        ]

    def __str__(self) -> str:
        return str(self.criterion or self.dimension)

    def audit_agency_id(self) -> int | None:
        return self.task.agency_id
