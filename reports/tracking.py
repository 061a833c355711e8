"""Submission tracking: who has reported for a period, and each unit's on-time rate over a year.

Definitions (they feed emulation and the PAR Index, so they are fixed here):

- A unit report is **submitted** once it has a first submission
  (`first_submitted_at`); a return and resubmission does not change it.
- It is **on time** when that first submission falls (in local time) on or
  before the period's units' due date, **late** when after.
- It is **missing** when it has never been submitted and the units' due date
  has passed (today is after it).
- It is **expected** (counts in a rate) when its units' due date has passed or
  it was submitted already: a report not yet due and not yet sent counts for
  nothing, neither for nor against the unit.
- A unit's **on-time rate** over a year is on time ÷ expected × 100, rounded to
  one decimal, over every reporting period of the agency of that year
  (periodic and ad hoc); no rate while nothing is expected.

Every count is made in SQL (one query for a set of periods, one for a year).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q

from accounts.models import Agency, Unit
from reports.models import ReportStatus, UnitReport


def _submitted(prefix: str = "") -> Q:
    return Q(**{f"{prefix}first_submitted_at__isnull": False})


def _late(prefix: str = "") -> Q:
    return _submitted(prefix) & Q(**{f"{prefix}first_submitted_at__date__gt": F(f"{prefix}period__unit_due")})


def _missing(today: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}first_submitted_at__isnull": True, f"{prefix}period__unit_due__lt": today})


def rate(on_time: int, expected: int) -> Decimal | None:
    """On time ÷ expected as a percentage with one decimal (half up); None when nothing is expected."""
    if not expected:
        return None
    return (Decimal(on_time) * 100 / Decimal(expected)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class PeriodCounts:
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    accepted: int = 0
    returned: int = 0


def period_counts(period_ids: Iterable[int], today: date) -> dict[int, PeriodCounts]:
    """The submission counts of each period (one query); periods without reports are absent."""
    rows = (
        UnitReport.objects.filter(period_id__in=list(period_ids))
        .order_by()
        .values("period_id")
        .annotate(
            expected=Count("pk"),
            submitted=Count("pk", filter=_submitted()),
            late=Count("pk", filter=_late()),
            missing=Count("pk", filter=_missing(today)),
            accepted=Count("pk", filter=Q(status=ReportStatus.ACCEPTED)),
            returned=Count("pk", filter=Q(status=ReportStatus.RETURNED)),
        )
    )
    return {
        row["period_id"]: PeriodCounts(
            expected=row["expected"],
            submitted=row["submitted"],
            on_time=row["submitted"] - row["late"],
            late=row["late"],
            missing=row["missing"],
            accepted=row["accepted"],
            returned=row["returned"],
        )
        for row in rows
    }


@dataclass
class UnitRate:
    unit: Unit | None  # None on the agency's total line
    expected: int
    submitted: int
    on_time: int
    late: int
    missing: int

    @property
    def rate(self) -> Decimal | None:
        return rate(self.on_time, self.expected)


def unit_rates(agency: Agency, year: int, today: date) -> list[UnitRate]:
    """One row per unit that had a report to make in the year (one query), in the units' order."""
    of_year = Q(reports__period__year=year, reports__period__agency=agency)
    expected = of_year & (_submitted("reports__") | Q(reports__period__unit_due__lt=today))
    units = (
        Unit.objects.filter(agency=agency)
        .annotate(
            n_reports=Count("reports", filter=of_year),
            n_expected=Count("reports", filter=expected),
            n_submitted=Count("reports", filter=of_year & _submitted("reports__")),
            n_late=Count("reports", filter=of_year & _late("reports__")),
            n_missing=Count("reports", filter=of_year & _missing(today, "reports__")),
        )
        .filter(n_reports__gt=0)
        .order_by("order", "name", "pk")
    )
    return [
        UnitRate(
            unit=unit,
            expected=unit.n_expected,
            submitted=unit.n_submitted,
            on_time=unit.n_submitted - unit.n_late,
            late=unit.n_late,
            missing=unit.n_missing,
        )
        for unit in units
    ]


def total(rows: Iterable[UnitRate]) -> UnitRate:
    """The agency's line: the sums of its units' rows."""
    rows = list(rows)
    return UnitRate(
        unit=None,
        expected=sum(r.expected for r in rows),
        submitted=sum(r.submitted for r in rows),
        on_time=sum(r.on_time for r in rows),
        late=sum(r.late for r in rows),
        missing=sum(r.missing for r in rows),
    )
