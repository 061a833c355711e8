"""The arithmetic of the PAR Index: scores checked against the set, the index by area and overall, ranks.

Everything here reads the set's data (maximum points, steps, options, caps,
bands, rounding); nothing about a particular year's method is written in code.

- A leaf's score at a stage: `self` is the agency's own score; `appraised` is
  round 2's score, else round 1's, else the agency's; `final` is the council's,
  else the appraised one. Survey items have the survey's points at every stage.
- Not-applicable leaves leave the sums, so the index is rescaled over what
  applies (indices.md §1.2). When no survey point at all was entered for the
  agency, the survey items are left out the same way (the appraised score,
  rescaled, is the index); once some are entered, a missing one counts 0.
- Bonus and penalty: the sum of an area's items, capped by the area's maximum;
  the index = (achieved + bonus − penalty) ÷ applicable maximum × 100, rounded
  half up to the set's decimals, kept within 0 … 100 unless the set allows more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from indices.models import Assessment, CriteriaSet, Criterion, CriterionKind, Method, Score
from lib import numbers

STAGES = ("self", "appraised", "final")
ZERO = Decimal(0)
HUNDRED = Decimal(100)
SCORE_DECIMALS = 2  # Score's decimal fields


# Checks ---------------------------------------------------------------------


def check_score(criterion: Criterion, value: Any) -> tuple[Decimal | None, list[str]]:
    """The score as a Decimal and the reasons it is refused (none: accepted)."""
    try:
        score = numbers.decimal(value)
    except ValueError:
        return None, [_("“%(value)s” is not a number.") % {"value": value}]
    if score is None:
        return None, []
    errors: list[str] = []
    if score < 0:
        errors.append(_("A score cannot be negative."))
    if score > criterion.max_points:
        errors.append(
            _("%(score)s is above the maximum of %(max)s points.")
            % {"score": _points(score), "max": _points(criterion.max_points)}
        )
    options = option_points(criterion)
    if options:
        if score not in options:
            errors.append(
                _("The score must be one of %(options)s.") % {"options": ", ".join(_points(p) for p in options)}
            )
    elif not errors:  # within range (a huge number's remainder cannot even be computed)
        if criterion.step and score % criterion.step != 0:
            errors.append(_("The score must be a multiple of %(step)s.") % {"step": _points(criterion.step)})
        elif score != rounded(score, SCORE_DECIMALS):
            # Scores are stored with two decimals: a third one would be silently rounded away.
            errors.append(_("A score has at most two decimal places."))
    return score, errors


def option_points(criterion: Criterion) -> list[Decimal]:
    points = []
    for option in criterion.options or []:
        try:
            points.append(Decimal(str(option["points"])))
        except (KeyError, TypeError, InvalidOperation):
            continue
    return points


def check_set(criteria: Sequence[Criterion]) -> list[str]:
    """What is wrong with a set's tree: duplicate codes, parents whose children's points do not add up.

    Works on saved criteria and on unsaved ones whose `parent` is set to the
    (unsaved) parent object, as an import builds them before writing.
    """
    errors: list[str] = []
    seen: set[str] = set()
    by_pk = {c.pk: c for c in criteria if c.pk is not None}
    parent_field = Criterion._meta.get_field("parent")
    children: dict[int, list[Criterion]] = defaultdict(list)
    for criterion in criteria:
        if criterion.code in seen:
            errors.append(_("The code %(code)s is used twice.") % {"code": criterion.code})
        seen.add(criterion.code)
        parent = by_pk.get(criterion.parent_id) if criterion.parent_id is not None else None
        if parent is None and parent_field.is_cached(criterion):
            parent = criterion.parent
        if parent is not None:
            children[id(parent)].append(criterion)
    for criterion in criteria:
        kids = children.get(id(criterion), [])
        if not kids:
            continue
        total = sum((kid.max_points for kid in kids), ZERO)
        # Bonus and penalty areas are caps: their items may promise more than the cap.
        if criterion.kind == CriterionKind.SCORED and total != criterion.max_points:
            errors.append(
                _("%(code)s has %(max)s points but its items add up to %(total)s.")
                % {"code": criterion.code, "max": _points(criterion.max_points), "total": _points(total)}
            )
        for kid in kids:
            if kid.kind != criterion.kind:
                errors.append(
                    _("%(code)s is not of the same kind as %(parent)s.") % {"code": kid.code, "parent": criterion.code}
                )
    return errors


def _points(value: Decimal) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


# The index ------------------------------------------------------------------


def value_at(score: Score, stage: str, criterion: Criterion | None = None) -> Decimal | None:
    """The leaf's score at a stage; pass its criterion when the score was loaded without it."""
    if (criterion or score.criterion).method == Method.SURVEY:
        return score.survey_score
    if stage == "self":
        return score.self_score
    appraised = next((v for v in (score.round2_score, score.round1_score, score.self_score) if v is not None), None)
    if stage == "appraised":
        return appraised
    if stage == "final":
        return score.final_score if score.final_score is not None else appraised
    raise ValueError(stage)


@dataclass
class Part:
    """An area or a criterion: what applies of it, what was achieved, the component index."""

    criterion: Criterion
    max_points: Decimal = ZERO
    achieved: Decimal = ZERO
    index: Decimal | None = None
    unscored: int = 0

    @property
    def lost(self) -> Decimal:
        return self.max_points - self.achieved


@dataclass
class Result:
    stage: str
    areas: list[Part] = field(default_factory=list)
    criteria: list[Part] = field(default_factory=list)
    max_points: Decimal = ZERO  # applicable maximum of the scored items
    achieved: Decimal = ZERO
    self_max: Decimal = ZERO
    self_achieved: Decimal = ZERO
    survey_max: Decimal = ZERO
    survey_achieved: Decimal = ZERO
    survey_held: bool = False
    bonus: Decimal = ZERO
    penalty: Decimal = ZERO
    total: Decimal = ZERO
    index: Decimal | None = None
    unscored: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": _num(self.index),
            "total": _num(self.total),
            "max_points": _num(self.max_points),
            "self_points": _num(self.self_achieved),
            "survey_points": _num(self.survey_achieved) if self.survey_held else None,
            "bonus": _num(self.bonus),
            "penalty": _num(self.penalty),
            "unscored": self.unscored,
            "areas": [
                {
                    "code": part.criterion.code,
                    "name": part.criterion.name,
                    "max_points": _num(part.max_points),
                    "points": _num(part.achieved),
                    "index": _num(part.index),
                }
                for part in self.areas
            ],
        }


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def rounded(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def compute(assessment: Assessment, stage: str, scores: Iterable[Score] | None = None) -> Result:
    """The index of an assessment at a stage (self, appraised or final)."""
    if scores is None:
        scores = assessment.scores.select_related("criterion")
    scores = list(scores)
    criteria_set = assessment.criteria_set
    criteria = {c.pk: c for c in criteria_set.criteria.all()}
    return compute_from(criteria_set, criteria, scores, stage)


def compute_from(criteria_set: CriteriaSet, criteria: dict[int, Criterion], scores: list[Score], stage: str) -> Result:
    """The index from scores loaded beforehand (`criteria`: the set's criteria by pk), so lists compute
    many assessments from one query; a score's criterion is read from `criteria`, never loaded again."""
    if stage not in STAGES:
        raise ValueError(stage)
    result = Result(stage)

    def criterion_of(score: Score) -> Criterion:
        return criteria.get(score.criterion_id) or score.criterion

    result.survey_held = any(
        criterion_of(s).method == Method.SURVEY and s.survey_score is not None and s.applicable for s in scores
    )
    parts: dict[int, Part] = {pk: Part(c) for pk, c in criteria.items()}
    bonus: dict[int, Decimal] = defaultdict(lambda: ZERO)
    penalty: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for score in scores:
        criterion = criterion_of(score)
        if not score.applicable:
            continue
        survey = criterion.method == Method.SURVEY
        if survey and not result.survey_held:
            continue
        value = value_at(score, stage, criterion)
        area = area_of(criterion, criteria)
        if criterion.kind == CriterionKind.BONUS:
            bonus[area.pk] += min(value or ZERO, criterion.max_points)
            continue
        if criterion.kind == CriterionKind.PENALTY:
            penalty[area.pk] += min(value or ZERO, criterion.max_points)
            continue
        if value is None:
            result.unscored += 1
        points = min(value or ZERO, criterion.max_points)
        result.max_points += criterion.max_points
        result.achieved += points
        if survey:
            result.survey_max += criterion.max_points
            result.survey_achieved += points
        else:
            result.self_max += criterion.max_points
            result.self_achieved += points
        node: Criterion | None = criterion
        while node is not None:
            part = parts[node.pk]
            part.max_points += criterion.max_points
            part.achieved += points
            part.unscored += value is None
            node = criteria.get(node.parent_id) if node.parent_id else None
    result.bonus = sum((min(v, criteria[pk].max_points) for pk, v in bonus.items()), ZERO)
    result.penalty = sum((min(v, criteria[pk].max_points) for pk, v in penalty.items()), ZERO)
    result.total = result.achieved + result.bonus - result.penalty
    decimals = criteria_set.decimals
    if result.max_points > 0:
        index = result.total * HUNDRED / result.max_points
        index = max(index, ZERO)
        if criteria_set.cap_at_100:
            index = min(index, HUNDRED)
        result.index = rounded(index, decimals)
    for part in parts.values():
        if part.max_points > 0:
            part.index = rounded(part.achieved * HUNDRED / part.max_points, decimals)
    ordered = sorted(parts.values(), key=lambda p: (p.criterion.order, p.criterion.pk))
    result.areas = [
        p
        for p in ordered
        if p.criterion.parent_id is None and p.criterion.kind == CriterionKind.SCORED and p.max_points
    ]
    result.criteria = [p for p in ordered if p.criterion.parent_id is not None and p.max_points]
    return result


def area_of(criterion: Criterion, criteria: dict[int, Criterion]) -> Criterion:
    """The area (top of the tree) a criterion belongs to, within the set's criteria by pk."""
    node = criterion
    while node.parent_id is not None and node.parent_id in criteria:
        node = criteria[node.parent_id]
    return node


# Ranks ----------------------------------------------------------------------


def band(criteria_set: CriteriaSet, index: Decimal | None) -> str:
    """The group of an index: the first band (from the highest) whose lower bound it reaches."""
    if index is None:
        return ""
    bands = sorted(criteria_set.bands or [], key=lambda b: Decimal(str(b.get("min", 0))), reverse=True)
    for entry in bands:
        if index >= Decimal(str(entry.get("min", 0))):
            return str(entry.get("label", ""))
    return ""


@dataclass
class Ranked:
    assessment: Assessment
    result: Result
    rank: int | None
    group: str


def rank(results: Sequence[tuple[Assessment, Result]]) -> list[Ranked]:
    """Competition ranking by index (1, 2, 2, 4); assessments without an index come last, unranked."""
    ordered = sorted(
        results,
        key=lambda pair: (pair[1].index is None, -(pair[1].index or ZERO), pair[0].agency.name),
    )
    ranked: list[Ranked] = []
    previous: Decimal | None = None
    position = 0
    for number, (assessment, result) in enumerate(ordered, start=1):
        if result.index is None:
            ranked.append(Ranked(assessment, result, None, ""))
            continue
        if result.index != previous:
            position = number
            previous = result.index
        ranked.append(Ranked(assessment, result, position, band(assessment.criteria_set, result.index)))
    return ranked
