"""The one-stop-shop dashboard's numbers: a year's trend by month, rankings, the procedures.

Everything is read from `DossierRollup` (never the dossiers), in a constant number
of GROUP BY queries whatever the number of agencies, units and procedures:

- `months`: the 12 months of a year, each with its deadline classes as of the month's
  end (level "m"), and in the same query the year's totals (level "y");
- `ranking`: agencies or units by on-time rate for the year (level "y"), ties
  sharing a rank;
- `procedures`: the procedures with the most dossiers received in the year.

Rates follow `services.indicators`: on-time = (early + on time + in process within
the deadline) ÷ counted; online = received online ÷ counted; online payment = paid
online ÷ counted dossiers with a fee.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from django.db.models import Q, QuerySet, Sum

from services.indicators import rate
from services.models import Channel, DossierRollup

PROCEDURES_SHOWN = 50
CLASSES = ("early", "on_time", "late", "within", "over")


@dataclass
class Figures:
    received: int = 0
    withdrawn: int = 0
    online: int = 0  # received online, not withdrawn
    with_fee: int = 0
    paid_online: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    within: int = 0
    over: int = 0

    @classmethod
    def read(cls, row: dict[str, Any], prefix: str = "n_") -> Figures:
        """From the aggregates of `sums` (with the same prefix)."""
        figures = cls(**{name: row.get(prefix + name) or 0 for name in cls.__dataclass_fields__})
        figures.online -= row.get(f"{prefix}online_withdrawn") or 0
        return figures

    def add(self, other: Figures) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def counted(self) -> int:
        return self.received - self.withdrawn

    @property
    def in_time(self) -> int:
        return self.early + self.on_time + self.within

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.in_time, self.counted)

    @property
    def online_rate(self) -> float | None:
        return rate(self.online, self.counted)

    @property
    def payment_rate(self) -> float | None:
        return rate(self.paid_online, self.with_fee)


def sums(level: str, prefix: str = "n_") -> dict[str, Any]:
    """The aggregates `Figures.read` takes, with the deadline classes of `level` (m, q, h, y).

    The prefix keeps the names apart from the rollup's own columns."""
    online = Q(channel=Channel.ONLINE)
    result: dict[str, Any] = {
        f"{prefix}{name}": Sum(name) for name in ("received", "withdrawn", "with_fee", "paid_online")
    }
    result[f"{prefix}online"] = Sum("received", filter=online)
    result[f"{prefix}online_withdrawn"] = Sum("withdrawn", filter=online)
    result |= {f"{prefix}{name}": Sum(f"{name}_{level}") for name in CLASSES}
    return result


def rollups(agency_ids: Iterable[int], year: int, *, unit_id: int | None = None) -> QuerySet[DossierRollup]:
    found = DossierRollup.objects.filter(
        agency_id__in=list(agency_ids), month__gte=date(year, 1, 1), month__lte=date(year, 12, 1)
    )
    return found if unit_id is None else found.filter(unit_id=unit_id)


@dataclass
class Month:
    month: date
    figures: Figures


def months(rows: QuerySet[DossierRollup], year: int) -> tuple[list[Month], Figures]:
    """The 12 months of the year (level "m") and the year's totals (level "y"), in one query."""
    found = {
        row["month"]: row for row in rows.values("month").annotate(**sums("m", "m_"), **sums("y", "y_")).order_by()
    }
    result, total = [], Figures()
    for number in range(1, 13):
        row = found.get(date(year, number, 1), {})
        result.append(Month(date(year, number, 1), Figures.read(row, "m_")))
        total.add(Figures.read(row, "y_"))
    return result, total


@dataclass
class Ranked:
    pk: int | None
    name: str
    figures: Figures
    rank: int | None = None  # None: nothing counted, so no rate to rank by
    extra: dict[str, Any] = field(default_factory=dict)


def rank(rows: Sequence[Ranked]) -> list[Ranked]:
    """Best on-time rate first; equal rates share a rank (1, 1, 3); rows without a rate come last."""
    rated = [row for row in rows if row.figures.counted]
    rated.sort(key=lambda row: (-Fraction(row.figures.in_time, row.figures.counted), row.name))
    previous: Fraction | None = None
    for position, row in enumerate(rated, start=1):
        value = Fraction(row.figures.in_time, row.figures.counted)
        row.rank = position if value != previous else rated[position - 2].rank
        previous = value
    return rated + sorted((row for row in rows if not row.figures.counted), key=lambda row: row.name)


def agency_ranking(rows: QuerySet[DossierRollup]) -> list[Ranked]:
    lines = rows.values("agency_id", "agency__short_name", "agency__name").annotate(**sums("y")).order_by()
    return rank(
        [
            Ranked(line["agency_id"], line["agency__short_name"] or line["agency__name"], Figures.read(line))
            for line in lines
        ]
    )


def unit_ranking(rows: QuerySet[DossierRollup], no_unit: str) -> list[Ranked]:
    """The units (and the dossiers of no unit, named `no_unit`) by on-time rate."""
    lines = (
        rows.values("unit_id", "unit__name", "agency_id", "agency__short_name", "agency__name")
        .annotate(**sums("y"))
        .order_by()
    )
    return rank(
        [
            Ranked(
                line["unit_id"],
                line["unit__name"] or no_unit,
                Figures.read(line),
                extra={"agency": line["agency__short_name"] or line["agency__name"]},
            )
            for line in lines
        ]
    )


@dataclass
class ProcedureLine:
    pk: int
    code: str
    name: str
    figures: Figures


def procedures(rows: QuerySet[DossierRollup], limit: int = PROCEDURES_SHOWN) -> list[ProcedureLine]:
    """The procedures with the most dossiers received (level "y")."""
    lines = (
        rows.values("procedure_id", "procedure__code", "procedure__name")
        .annotate(**sums("y"))
        .order_by("-n_received", "procedure__code")[:limit]
    )
    return [
        ProcedureLine(line["procedure_id"], line["procedure__code"], line["procedure__name"], Figures.read(line))
        for line in lines
    ]


def years(agency_ids: Iterable[int]) -> list[int]:
    """The years with rollups, latest first."""
    found = DossierRollup.objects.filter(agency_id__in=list(agency_ids)).dates("month", "year", order="DESC")
    return [day.year for day in found]


# Charts: inline SVG geometry computed here, drawn by the template ------------

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 28


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ at least `value` (the top of a count axis)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if factor * step >= value:
                return factor * step
        step *= 10


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # the month, under the bar
    title: str  # the tooltip: month and value


@dataclass
class Point:
    x: float
    y: float
    title: str


@dataclass
class Series:
    name: str
    css: str
    segments: list[str]  # polyline "x,y x,y" runs, broken where a month has no rate
    points: list[Point]


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM
    ticks: list[Tick] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    labels: list[Point] = field(default_factory=list)  # month labels under the x axis


def _slots(count: int) -> tuple[float, float]:
    slot = (WIDTH - RIGHT - LEFT) / count
    return slot, LEFT + slot / 2


def _y(fraction: float) -> float:
    return round(HEIGHT - BOTTOM - fraction * (HEIGHT - BOTTOM - TOP), 1)


def _labels(labels: Sequence[str]) -> list[Point]:
    slot, first = _slots(len(labels))
    return [Point(round(first + i * slot, 1), HEIGHT - BOTTOM + 18, label) for i, label in enumerate(labels)]


def bar_chart(labels: Sequence[str], values: Sequence[int], titles: Sequence[str]) -> Chart:
    top = nice_ceiling(max(values, default=0))
    slot, first = _slots(len(values))
    width = round(slot * 0.6, 1)
    steps = 5 if top % 5 == 0 else 2 if top % 2 == 0 else 1  # whole numbers on the axis
    chart = Chart(ticks=[Tick(_y(i / steps), str(top * i // steps)) for i in range(steps + 1)], labels=_labels(labels))
    for i, value in enumerate(values):
        y = _y(value / top)
        chart.bars.append(
            Bar(round(first + i * slot - width / 2, 1), y, width, round(HEIGHT - BOTTOM - y, 1), labels[i], titles[i])
        )
    return chart


def line_chart(
    labels: Sequence[str], series: Sequence[tuple[str, str, Sequence[float | None], Sequence[str]]]
) -> Chart:
    """Rates from 0 to 100 %: each series is (name, CSS class, values as fractions or None, tooltips)."""
    slot, first = _slots(len(labels))
    chart = Chart(ticks=[Tick(_y(i / 4), f"{25 * i}%") for i in range(5)], labels=_labels(labels))
    for name, css, values, titles in series:
        segments: list[list[str]] = [[]]
        points = []
        for i, value in enumerate(values):
            if value is None:
                segments.append([])
                continue
            point = Point(round(first + i * slot, 1), _y(value), titles[i])
            points.append(point)
            segments[-1].append(f"{point.x},{point.y}")
        chart.series.append(Series(name, css, [" ".join(run) for run in segments if len(run) > 1], points))
    return chart
