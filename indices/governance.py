"""The province's governance indices (PAPI, PCI): results as published, series for charts, linked tasks.

- `ensure_indices()` makes the indices and dimensions of `data/governance.json`
  that are missing (never overwrites what administrators changed).
- `record_result` keeps one year's published result: total, rank, group,
  source and a score for every dimension in force that year, all or nothing.
- `table` gives the years × dimensions of an index for a province and
  `charts` its line charts (SVG drawn by the server, as the one-stop dashboard).
- `link_task` / `unlink_task`: a plan task of the province's agencies that
  works on a dimension.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Agency, User
from indices.models import GovernanceDimension, GovernanceIndex, GovernanceResult, GovernanceScore, ImprovementLink
from lib import numbers
from plans.models import Task
from services.dashboard import HEIGHT, WIDTH, Chart, Point, Series, Tick

DATA = Path(__file__).resolve().parent / "data" / "governance.json"


@cache
def data() -> dict[str, Any]:
    with DATA.open(encoding="utf-8") as f:
        loaded: dict[str, Any] = json.load(f)
    return loaded


def ensure_indices() -> list[GovernanceIndex]:
    """Create the indices and dimensions of the data file that are missing; return the indices created."""
    created: list[GovernanceIndex] = []
    with transaction.atomic():
        for spec in data()["indices"]:
            index, new = GovernanceIndex.objects.get_or_create(
                code=spec["code"],
                defaults={
                    "name": spec["name"],
                    "publisher": spec.get("publisher", ""),
                    "scale_note": spec.get("scale_note", ""),
                    "order": spec.get("order", 0),
                },
            )
            if new:
                created.append(index)
            known = set(index.dimensions.values_list("code", flat=True))
            GovernanceDimension.objects.bulk_create(
                GovernanceDimension(
                    index=index,
                    code=dim["code"],
                    name=dim["name"],
                    order=order,
                    max_score=Decimal(dim["max_score"]) if dim.get("max_score") else None,
                    from_year=dim.get("from_year"),
                    to_year=dim.get("to_year"),
                )
                for order, dim in enumerate(spec["dimensions"], start=1)
                if dim["code"] not in known
            )
    return created


def known_groups(index: GovernanceIndex) -> list[str]:
    """The performance groups the index publishes (for the form's suggestions)."""
    for spec in data()["indices"]:
        if spec["code"] == index.code:
            return list(spec.get("groups", []))
    return []


def in_force(dimension: GovernanceDimension, year: int) -> bool:
    return (dimension.from_year is None or dimension.from_year <= year) and (
        dimension.to_year is None or year <= dimension.to_year
    )


def dimensions_for(index: GovernanceIndex, year: int) -> list[GovernanceDimension]:
    """The dimensions measured in that year, in order."""
    return [d for d in index.dimensions.all() if in_force(d, year)]


def is_province(agency: Agency) -> bool:
    return agency.parent_id is None


# Recording a result ------------------------------------------------------------


def _whole(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(value) from None
    return number


@transaction.atomic
def record_result(
    index: GovernanceIndex,
    province: Agency,
    year: int,
    *,
    scores: Mapping[str, Any],
    user: User | None,
    total: Any = None,
    rank: Any = None,
    ranked_of: Any = None,
    group: str = "",
    source: str = "",
) -> GovernanceResult:
    """Keep a year's published result (replacing the year's earlier one); every message at once, nothing saved.

    `scores` maps dimension codes to the published scores; every dimension in
    force that year needs one, and no other dimension may have one.
    """
    errors: list[str] = []
    if not is_province(province):
        errors.append(_("Results are recorded for a province."))
    if not 2000 <= year <= 2100:
        errors.append(_("The year must be between 2000 and 2100."))
    dimensions = dimensions_for(index, year)
    if not dimensions and not errors:
        errors.append(
            _("%(index)s has no dimension measured in %(year)s: add its dimensions first.")
            % {"index": index.code.upper(), "year": year}
        )
    wanted = {d.code for d in dimensions}
    values: dict[str, Decimal] = {}
    for dimension in dimensions:
        label = f"{dimension.code}. {dimension.name}"
        try:
            value = numbers.decimal(scores.get(dimension.code))
        except ValueError:
            errors.append(
                _("%(dimension)s: “%(value)s” is not a number.")
                % {"dimension": label, "value": scores.get(dimension.code)}
            )
            continue
        if value is None:
            errors.append(_("%(dimension)s: give the published score.") % {"dimension": label})
        elif value < 0:
            errors.append(_("%(dimension)s: a score cannot be negative.") % {"dimension": label})
        elif dimension.max_score is not None and value > dimension.max_score:
            errors.append(
                _("%(dimension)s: %(score)s is above the maximum of %(max)s.")
                % {"dimension": label, "score": points(value), "max": points(dimension.max_score)}
            )
        elif value != value.quantize(Decimal("0.01")):
            errors.append(_("%(dimension)s: give at most two decimals.") % {"dimension": label})
        else:
            values[dimension.code] = value
    for code, value in scores.items():
        if dimensions and code not in wanted and value not in (None, ""):
            errors.append(_("The dimension %(code)s is not measured in %(year)s.") % {"code": code, "year": year})
    try:
        total_value = numbers.decimal(total)
        if total_value is not None and (total_value < 0 or total_value != total_value.quantize(Decimal("0.01"))):
            errors.append(_("The total must be a positive number with at most two decimals."))
    except ValueError:
        total_value = None
        errors.append(_("The total “%(value)s” is not a number.") % {"value": total})
    try:
        rank_value = _whole(rank)
        of_value = _whole(ranked_of)
    except ValueError:
        rank_value = of_value = None
        errors.append(_("The rank and the number of provinces ranked are whole numbers."))
    if rank_value is not None and rank_value < 1:
        errors.append(_("The rank starts at 1."))
    if of_value is not None and of_value < 1:
        errors.append(_("The number of provinces ranked starts at 1."))
    if rank_value is not None and of_value is not None and rank_value > of_value:
        errors.append(
            _("The rank %(rank)s is beyond the %(of)s provinces ranked.") % {"rank": rank_value, "of": of_value}
        )
    if errors:
        raise ValidationError(errors)
    result, _created = GovernanceResult.objects.update_or_create(
        index=index,
        province=province,
        year=year,
        defaults={
            "total": total_value,
            "rank": rank_value,
            "ranked_of": of_value,
            "group": group.strip()[:100],
            "source": source.strip()[:255],
            "recorded_by": user,
        },
    )
    result.scores.all().delete()
    GovernanceScore.objects.bulk_create(
        GovernanceScore(result=result, dimension=d, score=values[d.code]) for d in dimensions
    )
    return result


def points(value: Decimal | None) -> str:
    """Two decimals, the local way ("5,39" in Vietnamese)."""
    return "" if value is None else number_format(value, 2)


# The years of an index --------------------------------------------------------


@dataclass
class Row:
    result: GovernanceResult
    scores: dict[int, Decimal]  # by dimension pk
    values: list[Decimal | None] = field(default_factory=list)  # in the order of the table's dimensions

    def cells(self, dimensions: Sequence[GovernanceDimension]) -> list[Decimal | None]:
        return [self.scores.get(d.pk) for d in dimensions]


@dataclass
class Table:
    index: GovernanceIndex
    dimensions: list[GovernanceDimension]
    rows: list[Row] = field(default_factory=list)  # by year, oldest first

    @property
    def years(self) -> list[int]:
        return [row.result.year for row in self.rows]

    def values(self, dimension: GovernanceDimension) -> list[Decimal | None]:
        return [row.scores.get(dimension.pk) for row in self.rows]


def results_of(user: User, province: Agency) -> QuerySet[GovernanceResult]:
    return access.visible_governance_results(user).filter(province=province)


def tables(indices: Sequence[GovernanceIndex], results: Sequence[GovernanceResult]) -> list[Table]:
    """One table per index from results with their scores prefetched (no query per row)."""
    by_index: dict[int, Table] = {}
    for index in indices:
        by_index[index.pk] = Table(index, [])
    for result in sorted(results, key=lambda r: r.year):
        table = by_index.get(result.index_id)
        if table is None:
            continue
        table.rows.append(Row(result, {s.dimension_id: s.score for s in result.scores.all()}))
    for index in indices:
        table = by_index[index.pk]
        years = table.years
        # Dimensions of the years shown (or in force now, with no year yet), in order.
        table.dimensions = [
            d for d in index.dimensions.all() if any(in_force(d, y) for y in years) or (not years and d.to_year is None)
        ]
        for row in table.rows:
            row.values = row.cells(table.dimensions)
    return list(by_index.values())


# Charts ------------------------------------------------------------------------

LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28


def _y(value: Decimal, top: Decimal) -> float:
    fraction = float(value / top) if top else 0.0
    return round(HEIGHT - BOTTOM - min(max(fraction, 0.0), 1.0) * (HEIGHT - BOTTOM - TOP), 1)


def _top(values: Sequence[Decimal | None], maximum: Decimal | None) -> Decimal:
    if maximum:
        return maximum
    highest = max((v for v in values if v is not None), default=Decimal(1))
    step = Decimal(1)
    while True:
        for factor in (1, 2, 5):
            if factor * step >= highest:
                return factor * step
        step *= 10


def line_chart(
    years: Sequence[int], values: Sequence[Decimal | None], *, name: str, maximum: Decimal | None = None
) -> Chart:
    """The values of one dimension over the years, on an axis from 0 to its maximum score."""
    top = _top(values, maximum)
    chart = Chart(left=LEFT)
    chart.ticks = [Tick(_y(top * i / 5, top), points(top * i / 5)) for i in range(6)]
    count = max(len(years), 1)
    slot = (WIDTH - RIGHT - LEFT) / count
    first = LEFT + slot / 2
    chart.labels = [Point(round(first + i * slot, 1), HEIGHT - BOTTOM + 18, str(year)) for i, year in enumerate(years)]
    runs: list[list[str]] = [[]]
    dots: list[Point] = []
    for i, (year, value) in enumerate(zip(years, values, strict=True)):
        if value is None:
            runs.append([])
            continue
        dot = Point(round(first + i * slot, 1), _y(value, top), f"{year}: {points(value)}")
        dots.append(dot)
        runs[-1].append(f"{dot.x},{dot.y}")
    chart.series.append(Series(name, "chart-line-ontime", [" ".join(run) for run in runs if len(run) > 1], dots))
    return chart


@dataclass
class DimensionChart:
    dimension: GovernanceDimension | None  # None: the total
    name: str
    chart: Chart


def charts(table: Table) -> list[DimensionChart]:
    years = table.years
    found = [
        DimensionChart(d, str(d), line_chart(years, table.values(d), name=str(d), maximum=d.max_score))
        for d in table.dimensions
    ]
    totals = [row.result.total for row in table.rows]
    if any(t is not None for t in totals):
        maxima = [d.max_score for d in table.dimensions]
        # The PAPI total is the sum of its dimensions; a weighted total (PCI) is on 100.
        top = sum((m for m in maxima if m is not None), Decimal(0)) if all(maxima) else None
        top = top if top and max((t for t in totals if t is not None), default=Decimal(0)) <= top else None
        name = _("Total")
        found.insert(0, DimensionChart(None, name, line_chart(years, totals, name=name, maximum=top or Decimal(100))))
    return found


# Tasks working on a dimension ---------------------------------------------------


def province_tasks(user: User, province: Agency) -> QuerySet[Task]:
    """Tasks of the province's agencies the person can see."""
    return access.visible_tasks(user).filter(Q(agency__province=province) | Q(agency=province))


def can_link(user: User, province: Agency) -> bool:
    """Keepers of the results, and coordinators of the province's agencies (for their own tasks)."""
    if access.can_record_governance(user, province):
        return True
    return access.managed_agencies(user).filter(Q(province=province) | Q(pk=province.pk)).exists()


def linkable_tasks(user: User, province: Agency) -> QuerySet[Task]:
    tasks = province_tasks(user, province)
    if access.can_record_governance(user, province):
        return tasks
    return tasks.filter(agency__in=access.managed_agencies(user))


@transaction.atomic
def link_task(dimension: GovernanceDimension, task: Task, user: User, province: Agency) -> ImprovementLink:
    if not linkable_tasks(user, province).filter(pk=task.pk).exists():
        raise ValidationError(_("You cannot link this task."))
    link, created = ImprovementLink.objects.get_or_create(task=task, dimension=dimension)
    if not created:
        raise ValidationError(_("The task is already linked to this dimension."))
    return link


@transaction.atomic
def unlink_task(link: ImprovementLink, user: User, province: Agency) -> None:
    if link.dimension_id is None or not linkable_tasks(user, province).filter(pk=link.task_id).exists():
        raise ValidationError(_("You cannot unlink this task."))
    link.delete()
