"""The appraisal after the agency submitted its self-assessment, and the survey points.

    submitted → round1 (appraisers score each item, with comments)
              → explaining (the agency answers on disputed items until a due date)
              → round2 (the appraised score) → final (the council's scores)

Each step is one plain function in `transaction.atomic` that locks the
assessment row, checks who is acting and the status, writes the rows with who
and when, and tells the people concerned. Refusals raise `AppraisalError`
with a message for the person (and per-row messages for a table of scores);
a person who may not take the step at all gets PermissionDenied. Scores are
checked against the set with `scoring.check_score`.

Survey points are entered by the province's overseers for survey-assessed
items at any time before the council finalises (also before the agency
submits: the survey does not wait for the self-assessment), by hand or from
an Excel file for every agency of the province at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Agency, Membership, Role, User
from indices import scoring
from indices.models import Assessment, AssessmentStatus, Criterion, Method, Score
from lib import xlsx
from lib.text import fold
from notifications.models import Kind
from notifications.notify import notify

# Until the notifications app has a kind of its own for the PAR Index (a migration), appraisal
# news goes with the agency's consolidated report: the same people follow both.
NOTIFY_KIND = Kind.PAR

Status = AssessmentStatus


class AppraisalError(Exception):
    """The step is not possible now; `errors` holds the reasons per score (pk) for a table of scores."""

    def __init__(self, message: str, errors: Mapping[int, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = dict(errors or {})


def _say(text: Callable[[], str]) -> str:
    """Notification text in the interface's default language (Vietnamese)."""
    with translation.override(settings.LANGUAGE_CODE):
        return text()


def _day(value: date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _locked(assessment: Assessment) -> Assessment:
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("agency", "agency__province", "criteria_set")
        .get(pk=assessment.pk)
    )
    return locked


def _refresh(assessment: Assessment, locked: Assessment) -> None:
    for name in ("status", "explanation_due", "finalised_at", "finalised_by_id"):
        setattr(assessment, name, getattr(locked, name))


def _require_appraiser(user: User, assessment: Assessment) -> None:
    if not access.can_appraise(user, assessment):
        raise PermissionDenied


def _agency_people(agency: Agency) -> list[User]:
    """The agency's coordinators and leaders today: who answers and who is told."""
    ids = Membership.objects.current().filter(agency=agency, role__in=[Role.COORDINATOR, Role.LEADER]).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "pk"))


def _scores(assessment: Assessment) -> list[Score]:
    return list(assessment.scores.select_related("criterion").order_by("criterion__order", "criterion__pk"))


def disputed(scores: Iterable[Score]) -> list[Score]:
    """Applicable items round 1 scored differently from the agency."""
    return [s for s in scores if s.applicable and s.disputed]


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


# Steps ------------------------------------------------------------------------


@transaction.atomic
def start_round1(assessment: Assessment, user: User, now: datetime | None = None) -> Assessment:
    """Take a submitted self-assessment into appraisal round 1."""
    _require_appraiser(user, assessment)
    locked = _locked(assessment)
    if locked.status != Status.SUBMITTED:
        raise AppraisalError(_("Only a submitted self-assessment can be taken into appraisal."))
    locked.status = Status.ROUND1
    locked.save(update_fields=["status"])
    locked.record(user, _now(now))
    _refresh(assessment, locked)
    return locked


@dataclass
class Entry:
    """One row of the appraisal table as typed: the round's score and comment, the council's column."""

    score: Score
    value: Any = None
    comment: str = ""
    final: Any = None
    final_comment: str = ""
    has_final: bool = False


def _check_entry(entry: Entry, round_name: str) -> tuple[dict[str, Any], list[str]]:
    """The fields the row would write and the reasons it is refused."""
    score, criterion = entry.score, entry.score.criterion
    errors: list[str] = []
    value, problems = scoring.check_score(criterion, entry.value)
    errors += problems
    comment = (entry.comment or "").strip()
    typed = value is not None or bool(comment)
    if criterion.method == Method.SURVEY and typed:
        errors.append(_("Survey items get their points from the survey, not from the appraisal."))
    elif not score.applicable and typed:
        errors.append(_("This item does not apply to the agency."))
    elif round_name == "round1" and value is not None and value != score.self_score and not comment:
        errors.append(_("Say why the score differs from the agency's own: the agency answers this comment."))
    changes: dict[str, Any] = {}
    if value != getattr(score, f"{round_name}_score") or comment != getattr(score, f"{round_name}_comment"):
        changes = {f"{round_name}_score": value, f"{round_name}_comment": comment}
    if entry.has_final:
        final, problems = scoring.check_score(criterion, entry.final)
        errors += [_("Final score: %(reason)s") % {"reason": p} for p in problems]
        final_comment = (entry.final_comment or "").strip()
        if criterion.method == Method.SURVEY and (final is not None or final_comment):
            errors.append(_("Survey items get their points from the survey, not from the appraisal."))
        if final != score.final_score or final_comment != score.final_comment:
            changes.update(final_score=final, final_comment=final_comment)
    return changes, errors


def _write(score: Score, changes: dict[str, Any], round_name: str, user: User, now: datetime) -> None:
    if not changes:
        return
    for name, value in changes.items():
        setattr(score, name, value)
    fields = list(changes)
    if f"{round_name}_score" in changes:
        setattr(score, f"{round_name}_by", user)
        setattr(score, f"{round_name}_at", now)
        fields += [f"{round_name}_by", f"{round_name}_at"]
    score.save(update_fields=fields)


def _round_of(status: str) -> str | None:
    return {Status.ROUND1: "round1", Status.ROUND2: "round2"}.get(Status(status))


@transaction.atomic
def save_appraisal(assessment: Assessment, user: User, entries: Iterable[Entry], now: datetime | None = None) -> int:
    """Save the table of the current round at once: every row is checked first, nothing is saved on any error.

    Returns how many rows changed. In round 2 the rows may carry the council's final score.
    """
    _require_appraiser(user, assessment)
    locked = _locked(assessment)
    round_name = _round_of(locked.status)
    if round_name is None:
        raise AppraisalError(
            _("Scores are appraised in round 1 and round 2 only; this assessment is at “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    entries = list(entries)
    if any(e.score.assessment_id != locked.pk for e in entries):
        raise AppraisalError(_("A row belongs to another assessment."))
    errors: dict[int, list[str]] = {}
    planned: list[tuple[Score, dict[str, Any]]] = []
    for entry in entries:
        if entry.has_final and round_name != "round2":
            entry.has_final = False
        changes, problems = _check_entry(entry, round_name)
        if problems:
            errors[entry.score.pk] = problems
        planned.append((entry.score, changes))
    if errors:
        raise AppraisalError(_("Nothing was saved: correct the rows marked below."), errors)
    moment = _now(now)
    for score, changes in planned:
        _write(score, changes, round_name, user, moment)
    return sum(1 for _score, changes in planned if changes)


def _save_one(score: Score, user: User, round_name: str, value: Any, comment: str, now: datetime | None) -> Score:
    assessment = score.assessment
    expected = Status.ROUND1 if round_name == "round1" else Status.ROUND2
    _require_appraiser(user, assessment)
    if _locked(assessment).status != expected:
        raise AppraisalError(
            _("Round 1 scores are entered during round 1 only.")
            if round_name == "round1"
            else _("Round 2 scores are entered during round 2 only.")
        )
    try:
        save_appraisal(assessment, user, [Entry(score, value, comment)], now)
    except AppraisalError as error:
        raise AppraisalError("; ".join(error.errors.get(score.pk, [])) or error.message) from None
    return score


@transaction.atomic
def save_round1(score: Score, user: User, value: Any, comment: str = "", now: datetime | None = None) -> Score:
    """The appraisers' round 1 score of one item, with their comment, who and when."""
    return _save_one(score, user, "round1", value, comment, now)


@transaction.atomic
def save_round2(score: Score, user: User, value: Any, comment: str = "", now: datetime | None = None) -> Score:
    """The appraised (round 2) score of one item, with a comment, who and when."""
    return _save_one(score, user, "round2", value, comment, now)


@transaction.atomic
def ask_explanations(assessment: Assessment, user: User, due: date | None, now: datetime | None = None) -> list[Score]:
    """Ask the agency to explain the disputed items by `due`; tells its coordinators and leaders."""
    _require_appraiser(user, assessment)
    locked = _locked(assessment)
    if locked.status != Status.ROUND1:
        raise AppraisalError(_("Explanations are asked for at the end of round 1."))
    today = timezone.localdate(_now(now))
    if due is None:
        raise AppraisalError(_("Give the date the agency's explanations are due."))
    if due < today:
        raise AppraisalError(_("The due date for explanations cannot be in the past."))
    items = disputed(_scores(locked))
    if not items:
        raise AppraisalError(_("No item is disputed: round 1 agrees with the agency's scores. Start round 2 directly."))
    locked.status = Status.EXPLAINING
    locked.explanation_due = due
    locked.save(update_fields=["status", "explanation_due"])
    codes = ", ".join(s.criterion.code for s in items)
    locked.record(user, _now(now), _("Due %(due)s; disputed items: %(codes)s") % {"due": _day(due), "codes": codes})

    def title() -> str:
        return _("PAR Index %(year)s: explain %(count)s disputed items by %(due)s") % {
            "year": locked.year,
            "count": len(items),
            "due": _day(due),
        }

    def body() -> str:
        return _(
            "The appraisers scored these items differently from your self-assessment: %(codes)s. "
            "Answer each of them by %(due)s."
        ) % {"codes": codes, "due": _day(due)}

    notify(
        _agency_people(locked.agency),
        kind=NOTIFY_KIND,
        key=f"par_assessment:{locked.pk}:explain:{due.isoformat()}",
        title=_say(title),
        body=_say(body),
        url=reverse("par:answers", args=[locked.pk]),
        agency=locked.agency,
        now=now,
        actor=user,
    )
    _refresh(assessment, locked)
    return items


@transaction.atomic
def save_answer(score: Score, user: User, text: str, now: datetime | None = None) -> Score:
    """The agency's explanation (giải trình) of one disputed item, until the due date (inclusive)."""
    assessment = score.assessment
    locked = _locked(assessment)
    if locked.status != Status.EXPLAINING:
        raise AppraisalError(_("Explanations are given only while the province asks for them."))
    if not access.can_answer_appraisal(user, locked):
        raise PermissionDenied
    if locked.explanation_due and timezone.localdate(_now(now)) > locked.explanation_due:
        raise AppraisalError(
            _("The explanations were due on %(due)s; answers are no longer accepted.")
            % {"due": _day(locked.explanation_due)}
        )
    fresh = Score.objects.select_related("criterion").get(pk=score.pk, assessment=locked)
    if not (fresh.applicable and fresh.disputed):
        raise AppraisalError(_("Only items the appraisers scored differently are explained."))
    text = (text or "").strip()
    if not text:
        raise AppraisalError(_("Write the explanation."))
    fresh.answer, fresh.answer_by, fresh.answer_at = text, user, _now(now)
    fresh.save(update_fields=["answer", "answer_by", "answer_at"])
    score.answer, score.answer_by, score.answer_at = fresh.answer, fresh.answer_by, fresh.answer_at
    return score


def unanswered(assessment: Assessment) -> list[Score]:
    return [s for s in disputed(_scores(assessment)) if not s.answer.strip()]


@transaction.atomic
def start_round2(assessment: Assessment, user: User, now: datetime | None = None) -> Assessment:
    """Round 2: after the due date for explanations or once every disputed item is answered
    (from round 1 directly when nothing is disputed)."""
    _require_appraiser(user, assessment)
    locked = _locked(assessment)
    if locked.status == Status.ROUND1:
        if disputed(_scores(locked)):
            raise AppraisalError(_("Some items are disputed: ask the agency for its explanations first."))
    elif locked.status == Status.EXPLAINING:
        waiting = unanswered(locked)
        today = timezone.localdate(_now(now))
        if waiting and locked.explanation_due and today <= locked.explanation_due:
            raise AppraisalError(
                _(
                    "%(count)s disputed items are not answered yet and the explanations are due on %(due)s: "
                    "round 2 starts after that date or once every item is answered."
                )
                % {"count": len(waiting), "due": _day(locked.explanation_due)}
            )
    else:
        raise AppraisalError(_("Round 2 follows round 1 and the agency's explanations."))
    locked.status = Status.ROUND2
    locked.save(update_fields=["status"])
    locked.record(user, _now(now))
    _refresh(assessment, locked)
    return locked


@transaction.atomic
def finalise(
    assessment: Assessment,
    user: User,
    final: Mapping[Score, tuple[Any, str]] | None = None,
    now: datetime | None = None,
) -> Assessment:
    """The council's decision: optional final scores per item, then the assessment is final; tells the agency."""
    _require_appraiser(user, assessment)
    locked = _locked(assessment)
    if locked.status != Status.ROUND2:
        raise AppraisalError(_("The council finalises after appraisal round 2."))
    if final:
        entries = [
            Entry(score, score.round2_score, score.round2_comment, value, comment, has_final=True)
            for score, (value, comment) in final.items()
        ]
        save_appraisal(locked, user, entries, now)
    moment = _now(now)
    locked.status = Status.FINAL
    locked.finalised_by, locked.finalised_at = user, moment
    locked.save(update_fields=["status", "finalised_by", "finalised_at"])
    result = scoring.compute(locked, "final")
    locked.record(user, moment, str(result.index) if result.index is not None else "")

    def title() -> str:
        return _("PAR Index %(year)s: the council finalised your results") % {"year": locked.year}

    def body() -> str:
        if result.index is None:
            return _("The final scores are available.")
        return _("Final index: %(index)s (group %(group)s).") % {
            "index": formats.number_format(result.index, 2),
            "group": scoring.band(locked.criteria_set, result.index) or "—",
        }

    notify(
        _agency_people(locked.agency),
        kind=NOTIFY_KIND,
        key=f"par_assessment:{locked.pk}:final",
        title=_say(title),
        body=_say(body),
        url=reverse("par:results", args=[locked.pk]),
        agency=locked.agency,
        now=now,
        actor=user,
    )
    _refresh(assessment, locked)
    return locked


# Survey points ----------------------------------------------------------------


def can_enter_survey(user: User, assessment: Assessment) -> bool:
    return access.can_appraise(user, assessment) and assessment.status != Status.FINAL


@transaction.atomic
def save_survey_points(
    assessment: Assessment,
    user: User,
    points: Mapping[Criterion, Any],
    source: str = "",
) -> int:
    """Survey points of survey-assessed items ({criterion: points}, blank clears); all or nothing.

    Returns how many items changed. Refused (per criterion pk in `errors`) for
    items that are not survey-assessed or scores the set does not allow.
    """
    _require_appraiser(user, assessment)
    locked = _locked(assessment)
    if locked.status == Status.FINAL:
        raise AppraisalError(_("The council has finalised this assessment: its survey points no longer change."))
    scores = {s.criterion_id: s for s in locked.scores.select_related("criterion")}
    errors: dict[int, list[str]] = {}
    planned: list[tuple[Score, Decimal | None]] = []
    for criterion, raw in points.items():
        score = scores.get(criterion.pk)
        if score is None:
            errors[criterion.pk] = [_("%(code)s is not an item of this assessment.") % {"code": criterion.code}]
            continue
        if score.criterion.method != Method.SURVEY:
            errors[criterion.pk] = [_("%(code)s is not assessed by the survey.") % {"code": criterion.code}]
            continue
        value, problems = scoring.check_score(score.criterion, raw)
        if problems:
            errors[criterion.pk] = problems
            continue
        planned.append((score, value))
    if errors:
        raise AppraisalError(_("Nothing was saved: correct the points marked below."), errors)
    source = (source or "").strip()[:255]
    changed = 0
    moment = timezone.now()
    for score, value in planned:
        if score.survey_score == value and (value is None or score.survey_source == source):
            continue
        score.survey_score = value
        score.survey_source = source if value is not None else ""
        score.survey_by, score.survey_at = user, moment
        score.save(update_fields=["survey_score", "survey_source", "survey_by", "survey_at"])
        changed += 1
    return changed


# Survey import ----------------------------------------------------------------

# Accepted headers, folded (lib.text.fold): the English names and the usual Vietnamese ones.
HEADERS = {
    "agency": ("agency code", "agency", "ma co quan", "ma don vi", "co quan", "don vi"),
    "criterion": ("criterion code", "criterion", "ma tieu chi", "tieu chi", "ma", "stt"),
    "points": ("points", "score", "diem", "diem khao sat", "diem dieu tra"),
}
TEMPLATE_HEADERS = ("Mã cơ quan", "Mã tiêu chí", "Điểm")


@dataclass
class Rejected:
    line: int
    agency: str
    criterion: str
    reason: str


@dataclass
class SurveyImport:
    saved: int = 0
    assessments: int = 0
    rejected: list[Rejected] = field(default_factory=list)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _columns(header: Iterable[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for position, value in enumerate(header):
        name = fold(_cell(value))
        for key, names in HEADERS.items():
            if name in names and key not in found:
                found[key] = position
    return found


def import_survey(file: IO[bytes], user: User, province: Agency, year: int, name: str = "") -> SurveyImport:
    """Survey points from an Excel file: agency code, criterion code, points per row.

    All or nothing: when any row is wrong, every wrong row is reported with its
    line and reason and nothing is saved. Raises `xlsx.Rejected` when the file
    itself cannot be read.
    """
    if not (access.is_admin(user) or province.pk in access.overseen_provinces(user)):
        raise PermissionDenied
    name = name or str(getattr(file, "name", "") or "")
    workbook = xlsx.open_workbook(file, name)
    try:
        rows = list(workbook.worksheets[0].iter_rows(values_only=True)) if workbook.worksheets else []
    finally:
        workbook.close()
    if not rows:
        raise xlsx.Rejected(_("The workbook is empty."))
    columns = _columns(rows[0])
    missing = [label for key, label in zip(HEADERS, TEMPLATE_HEADERS, strict=True) if key not in columns]
    if missing:
        raise xlsx.Rejected(
            _("The first row must name the columns %(columns)s; missing: %(missing)s.")
            % {"columns": ", ".join(TEMPLATE_HEADERS), "missing": ", ".join(missing)}
        )
    assessments = {
        fold(a.agency.code): a
        for a in Assessment.objects.filter(year=year)
        .filter(agency__province=province)
        .select_related("agency", "criteria_set")
    }
    set_ids = {a.criteria_set_id for a in assessments.values()}
    criteria: dict[int, dict[str, Criterion]] = {pk: {} for pk in set_ids}
    parents: set[int] = set()
    for node in Criterion.objects.filter(criteria_set__in=set_ids):
        criteria[node.criteria_set_id][node.code] = node
        if node.parent_id:
            parents.add(node.parent_id)
    outcome = SurveyImport()
    planned: dict[int, dict[Criterion, Any]] = {}
    seen: set[tuple[int, int]] = set()
    for line, row in enumerate(rows[1:], start=2):
        cells = [_cell(v) for v in row]

        def at(key: str, cells: list[str] = cells) -> str:
            position = columns[key]
            return cells[position] if position < len(cells) else ""

        agency_code, code, raw = at("agency"), at("criterion"), at("points")
        if not (agency_code or code or raw):
            continue

        def reject(reason: str, agency_code: str = agency_code, code: str = code, line: int = line) -> None:
            outcome.rejected.append(Rejected(line, agency_code, code, reason))

        assessment = assessments.get(fold(agency_code))
        if assessment is None:
            reject(
                _("No agency of the province with the code “%(code)s” has an assessment for %(year)s.")
                % {"code": agency_code, "year": year}
            )
            continue
        if assessment.status == Status.FINAL:
            reject(_("The council has finalised this agency's assessment."))
            continue
        criterion = criteria[assessment.criteria_set_id].get(code)
        if criterion is None:
            reject(_("The criteria set has no item with the code “%(code)s”.") % {"code": code})
            continue
        if criterion.method != Method.SURVEY or criterion.pk in parents:
            reject(_("%(code)s is not assessed by the survey.") % {"code": code})
            continue
        value, problems = scoring.check_score(criterion, raw)
        if value is None and not problems:
            problems = [_("The points are missing.")]
        if problems:
            reject(" ".join(problems))
            continue
        if (assessment.pk, criterion.pk) in seen:
            reject(_("This agency and item appear twice in the file."))
            continue
        seen.add((assessment.pk, criterion.pk))
        planned.setdefault(assessment.pk, {})[criterion] = value
    if outcome.rejected:
        return outcome
    by_pk = {a.pk: a for a in assessments.values()}
    source = _("Imported from %(name)s") % {"name": name}
    with transaction.atomic():
        for pk, points in planned.items():
            outcome.saved += save_survey_points(by_pk[pk], user, points, source)
            outcome.assessments += 1
    return outcome


def survey_template() -> bytes:
    return xlsx.table_workbook(_("Survey points"), TEMPLATE_HEADERS, [], widths=[20, 16, 10])
