"""The agency's self-assessment: opening the year's assessment, scores, evidence, progress and submission.

Each step that writes is one plain function in `transaction.atomic` taking the
acting person; a refusal raises `AssessmentError` with messages for the person,
and nothing is written. The arithmetic (checks against the set's maxima, steps
and options, the index) is `indices.scoring`'s.

What the agency must do before its leader submits (`missing`): score every
applicable self-assessed item of the scored areas, and back every score with
evidence or a written explanation (giải trình). Bonus and penalty items are
claimed only when they apply: a claim (more than 0 points) needs the same backing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Model, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Agency, Role, User
from documents import register
from documents.models import OutgoingDocument
from files import validation
from files.models import Attachment
from indices import scoring
from indices.models import (
    Applicability,
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    Criterion,
    CriterionKind,
    Evidence,
    Method,
    Score,
    SetStatus,
)
from lib.text import fold
from notifications.models import Kind
from notifications.notify import notify
from plans.models import Plan, PlanStatus, ReformArea, Target, Task, TaskUpdate
from reports.models import AgencyReport, AgencyReportStatus
from services.models import Procedure

# Records that may prove a score, by the Evidence field that links them.
LINK_MODELS: dict[str, type[Model]] = {
    "document": OutgoingDocument,
    "plan": Plan,
    "task": Task,
    "target": Target,
    "agency_report": AgencyReport,
}
ISSUED_PLAN_STATUSES = (PlanStatus.ISSUED, PlanStatus.IN_PROGRESS, PlanStatus.CLOSED)
NUMBERED_REPORT_STATUSES = (AgencyReportStatus.APPROVED, AgencyReportStatus.SENT, AgencyReportStatus.RECEIVED)
SUGGESTIONS = 6
_WORD = re.compile(r"\w+")
# Syllables too common in Vietnamese titles to say anything on their own (folded).
COMMON_SYLLABLES = frozenset(
    {"va", "cua", "cac", "nhung", "cho", "trong", "theo", "voi", "duoc", "la", "tai", "ve", "nam", "mot", "so",
     "tren", "duoi", "den", "tu", "thuc", "hien", "cong", "tac", "viec"}
)  # fmt: skip


class AssessmentError(Exception):
    """The step is refused; `messages` say why, for the person."""

    def __init__(self, *messages: str) -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)


# Opening the year's assessment ---------------------------------------------------


def leaves(criteria: Iterable[Criterion]) -> list[Criterion]:
    """The scored items of a set: criteria without children, in the set's order."""
    criteria = list(criteria)
    parents = {c.parent_id for c in criteria if c.parent_id}
    return [c for c in criteria if c.pk not in parents]


def rule(criterion: Criterion, criteria: dict[int, Criterion]) -> str:
    """The applicability rule of a leaf: its own, else the nearest parent's that is not "always"."""
    node: Criterion | None = criterion
    while node is not None:
        if node.applicability != Applicability.ALWAYS:
            return node.applicability
        node = criteria.get(node.parent_id) if node.parent_id else None
    return Applicability.ALWAYS


def handles_procedures(agency: Agency) -> bool:
    return Procedure.objects.filter(agency=agency).exists()


@transaction.atomic
def open_assessment(
    criteria_set: CriteriaSet,
    agency: Agency,
    year: int,
    user: User,
    *,
    self_due: date | None = None,
) -> Assessment:
    """The agency's assessment of `year` against the set, with one score row per scored item."""
    errors = []
    if criteria_set.status != SetStatus.IN_USE:
        errors.append(
            _("Only a criteria set in use can be assessed against; this one is “%(status)s”.")
            % {"status": criteria_set.get_status_display()}
        )
    if criteria_set.agency_kind != agency.kind:
        errors.append(
            _("The set is for “%(set_kind)s”, but %(agency)s is a “%(kind)s”.")
            % {
                "set_kind": criteria_set.get_agency_kind_display(),
                "agency": agency.short_name or agency.name,
                "kind": agency.get_kind_display(),
            }
        )
    if criteria_set.year != year:
        errors.append(
            _("The set is the one of %(set_year)s, not of %(year)s.") % {"set_year": criteria_set.year, "year": year}
        )
    if criteria_set.province_id is not None and criteria_set.province_id != agency.province_root.pk:
        errors.append(_("The set was issued for another province."))
    if errors:
        raise AssessmentError(*errors)
    if Assessment.objects.filter(agency=agency, year=year).exists():
        raise _exists(agency, year)
    criteria = {c.pk: c for c in criteria_set.criteria.all()}
    procedures = handles_procedures(agency)
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                criteria_set=criteria_set, agency=agency, year=year, self_due=self_due, opened_by=user
            )
    except IntegrityError:  # opened by someone else a moment ago
        raise _exists(agency, year) from None
    scores = []
    for leaf in leaves(criteria.values()):
        score = Score(assessment=assessment, criterion=leaf)
        if rule(leaf, criteria) == Applicability.PROCEDURES and not procedures:
            score.applicable = False
            score.not_applicable_reason = _(
                "%(agency)s handles no administrative procedure in the catalogue of procedures."
            ) % {"agency": agency.short_name or agency.name}
        scores.append(score)
    Score.objects.bulk_create(scores)
    assessment.record(user, assessment.opened_at)
    return assessment


def _exists(agency: Agency, year: int) -> AssessmentError:
    return AssessmentError(
        _("%(agency)s already has its assessment of %(year)s; open it from the list instead.")
        % {"agency": agency.short_name or agency.name, "year": year}
    )


# Scores ---------------------------------------------------------------------------


def _locked_score(score: Score) -> Score:
    return (
        Score.objects.select_for_update(of=("self",))
        .select_related("assessment", "assessment__agency", "criterion", "criterion__criteria_set")
        .get(pk=score.pk)
    )


def _require_editable(assessment: Assessment) -> None:
    if not assessment.self_editable:
        raise AssessmentError(
            _("The self-assessment was submitted (“%(status)s”); its scores and evidence are read-only.")
            % {"status": assessment.get_status_display()}
        )


@transaction.atomic
def save_self_score(
    score: Score,
    user: User,
    value: Any,
    note: str = "",
    explanation: str = "",
    applicable: bool = True,
    reason: str = "",
    *,
    now: datetime | None = None,
) -> Score:
    """The agency's own score of one item, how it was reached and its explanation; or "does not apply"."""
    score = _locked_score(score)
    _require_editable(score.assessment)
    criterion = score.criterion
    if criterion.method == Method.SURVEY:
        raise AssessmentError(_("This item is scored by the sociological survey, not by the agency."))
    criteria = {c.pk: c for c in criterion.criteria_set.criteria.all()}
    item_rule = rule(criterion, criteria)
    if item_rule == Applicability.PROCEDURES and not score.applicable:
        raise AssessmentError(
            _("This item does not apply to the agency: %(reason)s") % {"reason": score.not_applicable_reason}
        )
    if not applicable:
        if item_rule != Applicability.DECLARED:
            raise AssessmentError(_("This item applies to every agency; it cannot be declared not applicable."))
        if not reason.strip():
            raise AssessmentError(_("Say why the item does not apply to the agency."))
        score.applicable = False
        score.not_applicable_reason = reason.strip()
        score.self_score = None
    else:
        points, errors = scoring.check_score(criterion, value)
        if errors:
            raise AssessmentError(*errors)
        score.applicable = True
        score.not_applicable_reason = ""
        score.self_score = points
    score.self_note = note.strip()
    score.explanation = explanation.strip()
    score.self_by = user
    score.self_at = now or timezone.now()
    score.save()
    return score


# Evidence -------------------------------------------------------------------------


@transaction.atomic
def add_evidence(
    score: Score,
    user: User,
    *,
    file: UploadedFile | None = None,
    link: Model | None = None,
    locator: str = "",
    note: str = "",
) -> Evidence:
    """An uploaded file, or a link to one record of the agency (document, plan, task, target, report)."""
    score = _locked_score(score)
    _require_editable(score.assessment)
    if (file is None) == (link is None):
        raise AssessmentError(_("Choose one file or one record as evidence."))
    evidence = Evidence(score=score, locator=locator.strip(), note=note.strip(), added_by=user)
    if file is not None:
        try:
            checked = validation.check(file)
        except ValidationError as error:
            raise AssessmentError(*error.messages) from None
        evidence.attachment = Attachment.store(score, file, checked, user=user, description=locator.strip()[:255])
    else:
        name = next((n for n, model in LINK_MODELS.items() if isinstance(link, model)), None)
        if name is None:
            raise TypeError(f"{type(link).__name__} cannot be evidence")
        if getattr(link, "agency_id", None) != score.assessment.agency_id:
            raise AssessmentError(
                _("Only records of %(agency)s can prove its scores.")
                % {"agency": score.assessment.agency.short_name or score.assessment.agency.name}
            )
        if Evidence.objects.filter(score=score, **{name: link}).exists():
            raise AssessmentError(_("This record is already evidence of the item."))
        setattr(evidence, name, link)
    evidence.save()
    return evidence


@transaction.atomic
def remove_evidence(evidence: Evidence, user: User) -> None:
    """Remove evidence (and its file) while the self-assessment is open."""
    score = _locked_score(evidence.score)
    _require_editable(score.assessment)
    attachment = evidence.attachment
    evidence.delete()
    if attachment is not None:
        attachment.remove()


# Suggested evidence ---------------------------------------------------------------


@dataclass
class Suggestion:
    """A record of the agency that may prove the item: the Evidence field to link it by, and why it came up."""

    kind: str
    record: Any
    label: str
    detail: str
    matched: int
    day: date | None = None

    @property
    def kind_label(self) -> str:
        return str(getattr(Evidence._meta.get_field(self.kind), "verbose_name", self.kind))


def terms(criterion: Criterion) -> list[str]:
    """What to look for: the keywords (comma or semicolon separated), else the name's word pairs and acronyms."""
    if criterion.keywords.strip():
        return [t for t in (_words(k).strip() for k in re.split(r"[,;\n]", criterion.keywords)) if t]
    words = re.findall(r"\w+", fold(criterion.name))
    found = [
        f"{a} {b}"
        for a, b in zip(words, words[1:], strict=False)
        if not (a in COMMON_SYLLABLES and b in COMMON_SYLLABLES)
    ]
    # Acronyms such as CCHC or TTHC say much in few letters.
    found += [fold(w) for w in re.findall(r"\b[A-ZĐ]{3,}\b", criterion.name)]
    return list(dict.fromkeys(found))


def _words(text: str) -> str:
    """The folded words between spaces, so that a term matches whole words only."""
    return " " + " ".join(_WORD.findall(fold(text))) + " "


def _matches(text: str, wanted: Sequence[str]) -> int:
    folded = _words(text)
    return sum(f" {term} " in folded for term in wanted)


def _areas_of(area: Criterion) -> list[int]:
    """The reform areas whose name or keywords the PAR area's name contains."""
    name = _words(area.name)
    found = []
    for reform in ReformArea.objects.filter(is_active=True):
        phrases = [fold(reform.name), *(fold(line) for line in reform.keywords.splitlines())]
        if any(p.strip() and _words(p) in name for p in phrases):
            found.append(reform.pk)
    return found


def suggestions(score: Score, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Records of the agency that may prove the item, best first, those linked already left out.

    Issued plans and outgoing documents of the year, tasks with evidence (progress
    with links or files) in the item's area, targets with values and the
    consolidated reports of the year, matched on the item's keywords (or the
    words of its name) without accents.
    """
    assessment = score.assessment
    agency_id, year = assessment.agency_id, assessment.year
    wanted = terms(score.criterion)
    if not wanted:
        return []
    linked = {
        (name, pk) for row in score.evidence.values(*(f"{n}_id" for n in LINK_MODELS)) for name in LINK_MODELS
        if (pk := row[f"{name}_id"]) is not None
    }  # fmt: skip
    found: list[Suggestion] = []

    def add(kind: str, record: Any, text: str, label: str, detail: str, day: date | None, bonus: int = 0) -> None:
        matched = _matches(text, wanted) + bonus
        if matched and (kind, record.pk) not in linked:
            found.append(Suggestion(kind, record, label, detail, matched, day))

    any_term = Q()
    for term in wanted:
        any_term |= Q(search_text__contains=term)
    for plan in Plan.objects.filter(any_term, agency_id=agency_id, year=year, status__in=ISSUED_PLAN_STATUSES):
        add("plan", plan, plan.title, plan.title, plan.symbol, plan.issued_on)
    for document in OutgoingDocument.objects.filter(agency_id=agency_id, register_year=year).only(
        "pk", "subject", "code_number", "code_notation", "issued_date", "agency_id"
    ):
        add("document", document, document.subject, document.subject, document.number_symbol, document.issued_date)
    areas = _areas_of(scoring.area_of(score.criterion, {c.pk: c for c in score.criterion.criteria_set.criteria.all()}))
    update_type = ContentType.objects.get_for_model(TaskUpdate)
    with_files = Attachment.objects.filter(owner_type=update_type).values("owner_id")
    proven = TaskUpdate.objects.filter(Q(pk__in=with_files) | ~Q(links=""), task__agency_id=agency_id)
    tasks = (
        Task.objects.filter(agency_id=agency_id, plan__year=year, pk__in=proven.values("task_id"))
        .filter(Q(area_id__in=areas) | any_term)
        .select_related("plan")
        .order_by("-due_date", "pk")
    )
    for task in tasks[:100]:
        add("task", task, f"{task.content} {task.output}", task.content, task.plan.title, task.due_date,
            bonus=int(task.area_id in areas))  # fmt: skip
    targets = Target.objects.filter(any_term, agency_id=agency_id, plan__year=year, values__isnull=False).distinct()
    for target in targets.select_related("plan")[:100]:
        add("target", target, target.statement, target.statement, target.plan.title, None)
    reports = AgencyReport.objects.filter(
        agency_id=agency_id, period__year=year, status__in=NUMBERED_REPORT_STATUSES
    ).select_related("outgoing")
    for report in reports:
        number = report.outgoing.number_symbol if report.outgoing else ""
        add(
            "agency_report",
            report,
            report.title,
            report.title,
            number,
            report.approved_at and report.approved_at.date(),
        )
    found.sort(key=lambda s: (-s.matched, -(s.day or date.min).toordinal(), s.kind, s.record.pk))
    return found[:limit]


# Progress and what is missing ---------------------------------------------------


def required(score: Score) -> bool:
    """The agency must score it: an applicable self-assessed item of a scored area."""
    return score.applicable and score.criterion.method == Method.SELF and score.criterion.kind == CriterionKind.SCORED


def claimed(score: Score) -> bool:
    """A bonus or penalty item the agency says applies (more than 0 points)."""
    return score.criterion.kind != CriterionKind.SCORED and bool(score.self_score)


def backed(score: Score, evidence_count: int) -> bool:
    return evidence_count > 0 or bool(score.explanation.strip())


@dataclass
class Item:
    """A scored item with what the pages need: its area and how many pieces of evidence prove it."""

    score: Score
    area: Criterion
    evidence_count: int

    @property
    def criterion(self) -> Criterion:
        return self.score.criterion

    @property
    def self_assessed(self) -> bool:
        return self.score.applicable and self.criterion.method == Method.SELF

    @property
    def unscored(self) -> bool:
        return required(self.score) and self.score.self_score is None

    @property
    def unbacked(self) -> bool:
        due = required(self.score) and self.score.self_score is not None
        return (due or claimed(self.score)) and not backed(self.score, self.evidence_count)

    @property
    def has_explanation(self) -> bool:
        return bool(self.score.explanation.strip())


def items(assessment: Assessment, criteria: dict[int, Criterion] | None = None) -> list[Item]:
    """Every scored item in the set's order with its area and evidence count (two queries, one with `criteria`)."""
    if criteria is None:
        criteria = {c.pk: c for c in assessment.criteria_set.criteria.all()}
    scores = (
        assessment.scores.select_related("criterion")
        .annotate(evidence_count=Count("evidence"))
        .order_by("criterion__order", "criterion__pk")
    )
    found = []
    for score in scores:
        criterion = criteria.get(score.criterion_id, score.criterion)
        score.criterion = criterion
        area = criterion
        while area.parent_id in criteria:
            area = criteria[area.parent_id]
        found.append(Item(score, area, getattr(score, "evidence_count", 0)))
    return found


@dataclass
class AreaProgress:
    """One area: its required items (applicable, self-assessed), those scored, those scored and backed."""

    area: Criterion
    required: int = 0
    scored: int = 0
    done: int = 0
    claimed: int = 0
    not_applicable: int = 0
    survey: int = 0
    items: list[Item] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(self.done * 100 / self.required) if self.required else 100


def progress(assessment: Assessment, found: Sequence[Item] | None = None) -> list[AreaProgress]:
    """Per area, in the set's order: required items, scored, scored with evidence or explanation."""
    found = items(assessment) if found is None else found
    areas: dict[int, AreaProgress] = {}
    for item in found:
        part = areas.setdefault(item.area.pk, AreaProgress(item.area))
        part.items.append(item)
        if not item.score.applicable:
            part.not_applicable += 1
        elif item.criterion.method == Method.SURVEY:
            part.survey += 1
        elif required(item.score):
            part.required += 1
            if item.score.self_score is not None:
                part.scored += 1
                if not item.unbacked:
                    part.done += 1
        elif claimed(item.score):
            part.claimed += 1
    return sorted(areas.values(), key=lambda p: (p.area.order, p.area.pk))


@dataclass
class Missing:
    item: Item
    message: str


def missing(assessment: Assessment, found: Sequence[Item] | None = None) -> list[Missing]:
    """What stands in the way of submitting: items unscored, or scored without evidence and explanation."""
    found = items(assessment) if found is None else found
    result = []
    for item in found:
        code = item.criterion.code
        if item.unscored:
            result.append(Missing(item, _("%(code)s is not scored.") % {"code": code}))
        elif item.unbacked:
            result.append(
                Missing(item, _("%(code)s has neither evidence nor an explanation (giải trình).") % {"code": code})
            )
    return result


# Submission -----------------------------------------------------------------------


def report_subject(assessment: Assessment) -> str:
    agency = assessment.agency
    return (
        f"Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {assessment.year} "
        f"của {agency.short_name or agency.name}"
    )


def appraising_body(agency: Agency) -> str:
    """The name of the body that appraises the agency: its province's agency of overseers (Sở Nội vụ)."""
    root = agency.province_root
    body = (
        Agency.objects.filter(Q(pk=root.pk) | Q(province=root), memberships__role=Role.OVERSEER)
        .exclude(pk=root.pk)
        .order_by("pk")
        .values_list("name", flat=True)
        .first()
    )
    return body or "Sở Nội vụ"


def report_recipients(assessment: Assessment, body: str | None = None) -> list[str]:
    """ "Nơi nhận": the appraising body, the province's People's Committee (b/c)."""
    root = assessment.agency.province_root
    lines = [body or appraising_body(assessment.agency)]
    if root.pk != assessment.agency_id:
        lines.append(f"{root.short_name or root.name} (b/c)")
    return lines


@transaction.atomic
def submit(assessment: Assessment, user: User, *, now: datetime | None = None) -> Assessment:
    """The leader approves and submits: the report is numbered (Báo cáo) and the province's overseers are told."""
    from reports.agency_actions import overseers

    now = now or timezone.now()
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("agency", "agency__province", "criteria_set")
        .get(pk=assessment.pk)
    )
    _require_editable(assessment)
    if not access.can_submit_assessment(user, assessment):
        raise AssessmentError(_("Only a leader of the agency can approve and submit the self-assessment."))
    gaps = missing(assessment)
    if gaps:
        raise AssessmentError(_("The self-assessment cannot be submitted yet:"), *(gap.message for gap in gaps))
    entry = register.register_outgoing(
        assessment.agency,
        type_code="BC",
        issued_date=timezone.localdate(now),
        subject=report_subject(assessment),
        signer_position=user.position,
        signer_full_name=user.full_name,
        to_places="\n".join(report_recipients(assessment)),
        source=assessment,
        user=user,
    )
    assessment.report = entry
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_by = user
    assessment.submitted_at = now
    assessment.save()
    assessment.record(user, now, entry.number_symbol)
    with translation.override(settings.LANGUAGE_CODE):  # the recipients read Vietnamese
        notify(
            overseers(assessment.agency),
            kind=Kind.PAR,
            key=f"par_assessment:{assessment.pk}:submitted",
            title=_("%(agency)s submitted its PAR Index self-assessment of %(year)s")
            % {"agency": assessment.agency.short_name or assessment.agency.name, "year": assessment.year},
            body=_("Self-assessment report no. %(number)s.") % {"number": entry.number_symbol},
            url=reverse("par:assessment_detail", args=[assessment.pk]),
            agency=assessment.agency,
            now=now,
            actor=user,
        )
    return assessment


def self_index(assessment: Assessment, found: Sequence[Item] | None = None) -> scoring.Result:
    """The index from the agency's own scores (`scoring.compute` at the "self" stage)."""
    scores = None if found is None else [item.score for item in found]
    return scoring.compute(assessment, "self", scores)
