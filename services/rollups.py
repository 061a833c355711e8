"""Rollups of dossiers: counts per agency, unit, procedure, month of receipt and channel.

Indicator reads must stay fast on millions of dossiers. Every indicator period
(month, quarter, half-year, year) is a run of whole months, and its reference
date (../shared/contracts/service-indicators.md) is the end of the period. So
each dossier keeps its deadline status as of the end of its month, quarter,
half-year and year of receipt (`classify`, four small columns), and a rollup row
counts them with one GROUP BY. A period's numbers are then the sum of at most
twelve rollup months per key, read at the level of the period.

`refresh(keys)` rebuilds the rollups of the (agency, month) pairs an import
touched; `recompute()` rebuilds everything from the dossiers.
"""

from __future__ import annotations

import calendar as cal
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, DateField, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from services import deadlines
from services.models import Dossier, DossierRollup

EXCLUDED, EARLY, ON_TIME, LATE, WITHIN, OVER = range(6)
CLASSES: dict[str, int] = {
    deadlines.DeadlineStatus.EXCLUDED: EXCLUDED,
    deadlines.DeadlineStatus.EARLY: EARLY,
    deadlines.DeadlineStatus.ON_TIME: ON_TIME,
    deadlines.DeadlineStatus.LATE: LATE,
    deadlines.DeadlineStatus.IN_PROCESS_WITHIN: WITHIN,
    deadlines.DeadlineStatus.IN_PROCESS_LATE: OVER,
}
LEVELS = {"m": "class_month", "q": "class_quarter", "h": "class_half", "y": "class_year"}
COUNTS = {"early": EARLY, "on_time": ON_TIME, "late": LATE, "within": WITHIN, "over": OVER}


def references(day: date) -> dict[str, date]:
    """The ends of the month, quarter, half-year and year of a day."""

    def end(month: int) -> date:
        return date(day.year, month, cal.monthrange(day.year, month)[1])

    return {
        "m": end(day.month),
        "q": end((day.month - 1) // 3 * 3 + 3),
        "h": end(6 if day.month <= 6 else 12),
        "y": date(day.year, 12, 31),
    }


def classify(dossier: Dossier) -> Dossier:
    """Set the dossier's four deadline classes (as of the end of each period of its receipt)."""
    for level, reference in references(timezone.localdate(dossier.received_at)).items():
        setattr(dossier, LEVELS[level], CLASSES[deadlines.status(dossier, reference)])
    return dossier


def month_of(moment: datetime) -> date:
    return timezone.localdate(moment).replace(day=1)


def _aggregates() -> dict[str, Any]:
    counted = ~Q(status="withdrawn")
    result: dict[str, Any] = {
        "received": Count("pk"),
        "withdrawn": Count("pk", filter=Q(status="withdrawn")),
        "with_fee": Count("pk", filter=counted & Q(fee__gt=0)),
        "paid_online": Count("pk", filter=counted & Q(fee__gt=0, paid_online=True)),
        "digitised": Count("pk", filter=counted & Q(digitised=True)),
    }
    for level, column in LEVELS.items():
        for name, code in COUNTS.items():
            result[f"{name}_{level}"] = Count("pk", filter=Q(**{column: code}))
        finished = Q(**{f"{column}__in": (EARLY, ON_TIME, LATE)})
        result[f"eresult_{level}"] = Count("pk", filter=finished & Q(electronic_result=True))
    return result


def _bounds(month: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return datetime.combine(month, time.min, tzinfo=zone), datetime.combine(following, time.min, tzinfo=zone)


def _build(dossiers: Any) -> int:
    """INSERT … SELECT the GROUP BY of these dossiers into the rollup table (no row through Python)."""
    rows = (
        dossiers.annotate(
            month=TruncMonth("received_at", output_field=DateField(), tzinfo=timezone.get_current_timezone())
        )
        .values("agency_id", "unit_id", "procedure_id", "month", "channel")
        .annotate(**_aggregates())
        .order_by()
    )
    columns = ["agency_id", "unit_id", "procedure_id", "month", "channel", *_aggregates()]
    select, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(DossierRollup._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM ({select}) AS grouped", params)
        return max(cursor.rowcount, 0)


@transaction.atomic
def refresh(keys: Iterable[tuple[int, date]]) -> int:
    """Rebuild the rollups of these (agency id, first day of month) pairs; returns the rows made."""
    by_agency: dict[int, set[date]] = defaultdict(set)
    for agency_id, month in keys:
        by_agency[agency_id].add(month.replace(day=1))
    made = 0
    for agency_id, months in by_agency.items():
        DossierRollup.objects.filter(agency_id=agency_id, month__in=months).delete()
        window = Q()
        for month in months:
            low, high = _bounds(month)
            window |= Q(received_at__gte=low, received_at__lt=high)
        made += _build(Dossier.objects.filter(window, agency_id=agency_id))
    return made


@transaction.atomic
def recompute() -> int:
    """Rebuild every rollup from the dossiers."""
    DossierRollup.objects.all().delete()
    return _build(Dossier.objects.all())


def totals(
    agency_ids: Iterable[int],
    first_month: date,
    last_month: date,
    level: str,
    *,
    unit_id: int | None = None,
    procedure_id: int | None = None,
) -> dict[str, Any]:
    """The counts of a period from the rollups: received by channel, withdrawn, the deadline classes as
    of the end of the period (`level`: m, q, h or y), fees paid online, digitised, electronic results."""
    rollups = DossierRollup.objects.filter(
        agency_id__in=list(agency_ids), month__gte=first_month, month__lte=last_month
    )
    if unit_id is not None:
        rollups = rollups.filter(unit_id=unit_id)
    if procedure_id is not None:
        rollups = rollups.filter(procedure_id=procedure_id)
    names = ["received", "withdrawn", "with_fee", "paid_online", "digitised"]
    names += [f"{name}_{level}" for name in (*COUNTS, "eresult")]
    by_channel = {row["channel"]: row["n"] for row in rollups.values("channel").annotate(n=Sum("received")).order_by()}
    sums = rollups.aggregate(**{name: Sum(name) for name in names})
    result = {name.removesuffix(f"_{level}"): sums[name] or 0 for name in names}
    result["by_channel"] = by_channel
    return result
