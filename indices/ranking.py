"""The index of many assessments at once: rankings, year-over-year, points lost.

Lists never compute assessment by assessment from the database: `load` reads
the criteria of the sets involved and the scores of every assessment in two
queries and hands them to `scoring.compute_from`, so a province's ranking costs
the same few queries for 2 agencies or 60.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Agency
from indices import scoring
from indices.models import Assessment, AssessmentStatus, Criterion, Score
from indices.scoring import STAGES, Part, Ranked, Result


def load(assessments: Iterable[Assessment], stages: Sequence[str] = STAGES) -> dict[int, dict[str, Result]]:
    """{assessment pk: {stage: Result}} in two queries; assessments need their criteria_set loaded."""
    assessments = list(assessments)
    if not assessments:
        return {}
    criteria: dict[int, dict[int, Criterion]] = defaultdict(dict)
    for criterion in Criterion.objects.filter(criteria_set__in={a.criteria_set_id for a in assessments}):
        criteria[criterion.criteria_set_id][criterion.pk] = criterion
    scores: dict[int, list[Score]] = defaultdict(list)
    for score in Score.objects.filter(assessment__in=[a.pk for a in assessments]).order_by():
        scores[score.assessment_id].append(score)
    return {
        a.pk: {
            stage: scoring.compute_from(a.criteria_set, criteria[a.criteria_set_id], scores[a.pk], stage)
            for stage in stages
        }
        for a in assessments
    }


def assessments_of(province: Agency, year: int, kind: str, *, final_only: bool = False) -> list[Assessment]:
    """The assessments of the province's agencies of one kind for a year (one query)."""
    queryset = Assessment.objects.filter(agency__province=province, year=year, agency__kind=kind).select_related(
        "agency", "criteria_set"
    )
    if final_only:
        queryset = queryset.filter(status=AssessmentStatus.FINAL)
    return list(queryset.order_by("agency__name", "pk"))


def rankings(
    province: Agency, year: int, kind: str, stages: Sequence[str] = STAGES, *, final_only: bool = False
) -> dict[str, list[Ranked]]:
    """The ranking at each stage, from one load (three queries whatever the number of agencies)."""
    assessments = assessments_of(province, year, kind, final_only=final_only)
    results = load(assessments, stages)
    return {stage: scoring.rank([(a, results[a.pk][stage]) for a in assessments]) for stage in stages}


def ranking(province: Agency, year: int, kind: str, stage: str = "final", *, final_only: bool = False) -> list[Ranked]:
    """Agencies of one kind in the province ranked by their index at a stage, with their group (band)."""
    return rankings(province, year, kind, [stage], final_only=final_only)[stage]


def indices_by_agency(
    province: Agency, year: int, kind: str, stage: str = "final", *, final_only: bool = False
) -> dict[int, Decimal | None]:
    """{agency pk: index} of a year, e.g. last year's for the change column."""
    return {r.assessment.agency_id: r.result.index for r in ranking(province, year, kind, stage, final_only=final_only)}


def change(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    if current is None or previous is None:
        return None
    return current - previous


@dataclass
class YearRow:
    assessment: Assessment
    results: dict[str, Result]
    change: Decimal | None  # final index against the year before's final index

    @property
    def year(self) -> int:
        return self.assessment.year

    @property
    def group(self) -> str:
        return scoring.band(self.assessment.criteria_set, self.results["final"].index)


def year_over_year(agency: Agency, *, final_only: bool = False) -> list[YearRow]:
    """The agency's index per year and stage, newest first, with the change of the final index."""
    queryset = Assessment.objects.filter(agency=agency).select_related("agency", "criteria_set")
    if final_only:
        queryset = queryset.filter(status=AssessmentStatus.FINAL)
    assessments = list(queryset.order_by("year"))
    results = load(assessments)
    rows: list[YearRow] = []
    previous: YearRow | None = None
    for assessment in assessments:
        found = results[assessment.pk]
        # Change against last year's final index only: an assessment still in progress has none yet.
        settled = previous is not None and previous.assessment.status == AssessmentStatus.FINAL
        before = (
            previous.results["final"].index if settled and previous and previous.year == assessment.year - 1 else None
        )
        row = YearRow(assessment, found, change(found["final"].index, before))
        rows.append(row)
        previous = row
    return rows[::-1]


@dataclass
class Lost:
    areas: list[Part]
    criteria: list[Part]

    @property
    def total(self) -> Decimal:
        return sum((p.lost for p in self.areas), Decimal(0))


def points_lost(assessment: Assessment, stage: str = "final", result: Result | None = None) -> Lost:
    """Areas and scored items (leaves) where points were lost, the most lost first."""
    result = result or scoring.compute(assessment, stage)
    parents = {p.criterion.parent_id for p in result.criteria} | {p.criterion.parent_id for p in result.areas}

    def order(part: Part) -> tuple[Decimal, int, int]:
        return (-part.lost, part.criterion.order, part.criterion.pk)

    areas = sorted((p for p in result.areas if p.lost > 0), key=order)
    leaves = sorted((p for p in result.criteria if p.lost > 0 and p.criterion.pk not in parents), key=order)
    return Lost(areas, leaves)


def provisional(assessment: Assessment) -> bool:
    """Not finalised by the council yet: its ranking may still change."""
    return assessment.status != AssessmentStatus.FINAL
