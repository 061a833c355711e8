"""Service indicators computed from the dossier table (../shared/contracts/service-indicators.md).

`compute(agencies, start, end)` answers for the dossiers received in [start, end]
(local dates) with the deadline classes as of `end`, in one aggregate query:
the classes are the rules of `services.deadlines.status` written as a SQL
`Case` (`classified`), so a million rows are counted by the database, and a
test holds the two together. Rates are fractions rounded to 4 decimals, `None`
when the denominator is 0.

The page adds what is too costly for the command: per procedure, the received
count, rates and the average processing time in working days (`by_procedure`),
computed in Python from (procedure, day received, day ended) groups, so the
work is bounded by the days of the period, not the number of dossiers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import CharField, Count, F, Q, QuerySet, Sum, Value
from django.db.models.expressions import Case, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.workdays import Calendar
from services.deadlines import DeadlineStatus
from services.models import Channel, Dossier, DossierStatus, OnlineLevel, Procedure

Scope = int | Iterable[int] | Q

# The 766 points whose formula indices.md §4.2–4.3 gives and the dossiers can feed.
FORMULAS = {
    "2.1": _("Dossiers processed early or on time: points = 20 × on-time rate (20 points at most)."),
}


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start of `start`, start of the day after `end`) in local time: the index on received_at serves it."""
    zone = timezone.get_default_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def end_day() -> TruncDate:
    """The day a dossier ended, in local time: finished, else result returned."""
    return TruncDate(Coalesce("finished_at", "returned_at"), tzinfo=timezone.get_default_timezone())


def deadline_case(reference: date) -> Case:
    """`services.deadlines.status` in SQL, over the `end_day` annotation (see `classified`)."""
    ended = Q(end_day__lte=reference)  # ended after the reference date: in process then
    return Case(
        When(status=DossierStatus.WITHDRAWN, then=Value(DeadlineStatus.EXCLUDED.value)),
        When(ended & Q(supplement_requests__gt=1), then=Value(DeadlineStatus.LATE.value)),
        When(ended & (Q(due_date__isnull=True) | Q(end_day=F("due_date"))), then=Value(DeadlineStatus.ON_TIME.value)),
        When(ended & Q(end_day__lt=F("due_date")), then=Value(DeadlineStatus.EARLY.value)),
        When(ended, then=Value(DeadlineStatus.LATE.value)),
        When(supplement_requests__gt=1, then=Value(DeadlineStatus.IN_PROCESS_LATE.value)),
        When(Q(due_date__isnull=True) | Q(due_date__gte=reference), then=Value(DeadlineStatus.IN_PROCESS_WITHIN.value)),
        default=Value(DeadlineStatus.IN_PROCESS_LATE.value),
        output_field=CharField(),
    )


def classified(dossiers: QuerySet[Dossier], reference: date) -> QuerySet[Dossier]:
    """Dossiers annotated with `end_day` and `deadline` (a `DeadlineStatus` value) as of `reference`."""
    return dossiers.annotate(end_day=end_day()).annotate(deadline=deadline_case(reference))


def dossiers_in(
    agencies: Scope, start: date, end: date, *, unit: Any = None, procedure: Any = None
) -> QuerySet[Dossier]:
    """Dossiers of the agencies (ids, or a filter on dossiers) received in [start, end]."""
    if isinstance(agencies, Q):
        dossiers = Dossier.objects.filter(agencies)
    elif isinstance(agencies, int):
        dossiers = Dossier.objects.filter(agency_id=agencies)
    else:
        dossiers = Dossier.objects.filter(agency_id__in=list(agencies))
    first, after = day_bounds(start, end)
    dossiers = dossiers.filter(received_at__gte=first, received_at__lt=after)
    if unit is not None:
        dossiers = dossiers.filter(unit_id=getattr(unit, "pk", unit))
    if procedure is not None:
        dossiers = dossiers.filter(procedure_id=getattr(procedure, "pk", procedure))
    return dossiers


def rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _is(*classes: str) -> Q:
    return Q(deadline__in=classes)


COUNTED = ~Q(status=DossierStatus.WITHDRAWN)
FINISHED = (DeadlineStatus.EARLY, DeadlineStatus.ON_TIME, DeadlineStatus.LATE)
ON_TIME = (DeadlineStatus.EARLY, DeadlineStatus.ON_TIME, DeadlineStatus.IN_PROCESS_WITHIN)
COUNTED_CLASSES = tuple(c for c in DeadlineStatus.values if c != DeadlineStatus.EXCLUDED)


def compute(agencies: Scope, start: date, end: date, *, unit: Any = None, procedure: Any = None) -> dict[str, Any]:
    """The contract's indicators (without "agency" and "period") for dossiers received in [start, end]."""
    dossiers = dossiers_in(agencies, start, end, unit=unit, procedure=procedure).annotate(end_day=end_day())
    # Grouped by class, the database evaluates the Case once per row; at most six groups come back.
    groups = (
        dossiers.values(deadline=deadline_case(end))
        .annotate(
            n=Count("pk"),
            direct=Count("pk", filter=Q(channel=Channel.DIRECT)),
            online=Count("pk", filter=Q(channel=Channel.ONLINE)),
            postal=Count("pk", filter=Q(channel=Channel.POSTAL)),
            with_fee=Count("pk", filter=Q(fee__gt=0)),
            paid_online=Count("pk", filter=Q(fee__gt=0, paid_online=True)),
            digitised=Count("pk", filter=Q(digitised=True)),
            electronic=Count("pk", filter=Q(electronic_result=True)),
        )
        .order_by()
    )
    by_class = {group["deadline"]: group for group in groups}

    def total(key: str, classes: Iterable[str] = COUNTED_CLASSES) -> int:
        return sum(by_class[c][key] for c in classes if c in by_class)

    n = {c: total("n", [c]) for c in DeadlineStatus.values}
    counted = total("n")
    finished = total("n", FINISHED)
    on_time = total("n", ON_TIME)
    result: dict[str, Any] = {
        "received": total("n", DeadlineStatus.values),
        "received_by_channel": {key: total(key, DeadlineStatus.values) for key in ("direct", "online", "postal")},
        "withdrawn": n[DeadlineStatus.EXCLUDED],
        "counted": counted,
        "early": n[DeadlineStatus.EARLY],
        "on_time": n[DeadlineStatus.ON_TIME],
        "late": n[DeadlineStatus.LATE],
        "in_process_within_deadline": n[DeadlineStatus.IN_PROCESS_WITHIN],
        "in_process_late": n[DeadlineStatus.IN_PROCESS_LATE],
        "finished": finished,
        "in_process": n[DeadlineStatus.IN_PROCESS_WITHIN] + n[DeadlineStatus.IN_PROCESS_LATE],
        "on_time_rate": rate(on_time, counted),
        "online_rate": rate(total("online"), counted),
        "online_payment_rate": rate(total("paid_online"), total("with_fee")),
        "digitised_rate": rate(total("digitised"), counted),
        "electronic_result_rate": rate(total("electronic", FINISHED), finished),
        "points_766": {"2.1": round(20 * on_time / counted, 2) if counted else None},
    }
    if not isinstance(agencies, Q):
        result["procedures_online"] = procedures_online(agencies)
    return result


def procedures_online(agencies: int | Iterable[int]) -> dict[str, Any]:
    """The agencies' procedures in the catalogue by level of online service, and the shares online."""
    ids = [agencies] if isinstance(agencies, int) else list(agencies)
    counts = dict(
        Procedure.objects.filter(agency_id__in=ids)
        .values_list("online_level")
        .annotate(n=Count("pk"))
        .values_list("online_level", "n")
        .order_by()
    )
    full, partial = counts.get(OnlineLevel.FULL, 0), counts.get(OnlineLevel.PARTIAL, 0)
    total = sum(counts.values())
    return {
        "total": total,
        "full": full,
        "partial": partial,
        "none": counts.get(OnlineLevel.NONE, 0),
        "full_rate": rate(full, total),
        "partial_rate": rate(partial, total),
        "online_rate": rate(full + partial, total),
    }


# The page: per procedure ------------------------------------------------------


@dataclass
class ProcedureRow:
    procedure_id: int
    code: str
    name: str
    received: int
    counted: int
    on_time_rate: float | None
    online_rate: float | None
    average_days: float | None = None


def by_procedure(
    agencies: Scope,
    start: date,
    end: date,
    calendar: Calendar,
    *,
    unit: Any = None,
    procedure: Any = None,
    limit: int = 50,
) -> list[ProcedureRow]:
    """The procedures with the most dossiers received in the period (two queries)."""
    dossiers = classified(dossiers_in(agencies, start, end, unit=unit, procedure=procedure), end)
    lines = (
        dossiers.values("procedure_id", "procedure__code", "procedure__name")
        .annotate(
            received=Count("pk"),
            counted=Count("pk", filter=COUNTED),
            on_time=Count("pk", filter=_is(*ON_TIME)),
            online=Count("pk", filter=COUNTED & Q(channel=Channel.ONLINE)),
        )
        .order_by("-received", "procedure__code")[:limit]
    )
    rows = [
        ProcedureRow(
            procedure_id=line["procedure_id"],
            code=line["procedure__code"],
            name=line["procedure__name"],
            received=line["received"],
            counted=line["counted"],
            on_time_rate=rate(line["on_time"], line["counted"]),
            online_rate=rate(line["online"], line["counted"]),
        )
        for line in lines
    ]
    if rows:
        averages = average_days(dossiers.filter(procedure_id__in=[r.procedure_id for r in rows]), start, end, calendar)
        for row in rows:
            row.average_days = averages.get(row.procedure_id)
    return rows


def average_days(dossiers: QuerySet[Dossier], start: date, end: date, calendar: Calendar) -> dict[int, float]:
    """Average processing time in working days per procedure, over the dossiers finished by `end`.

    A dossier received on day R and ended on day E took the working days after R
    up to E (the limit starts the day after receipt), less the working days the
    applicant spent supplementing. `dossiers` must come from `classified`.
    """
    groups = (
        dossiers.filter(_is(*FINISHED))
        .annotate(received_day=TruncDate("received_at", tzinfo=timezone.get_default_timezone()))
        .values("procedure_id", "received_day", "end_day")
        .annotate(n=Count("pk"), supplementing=Sum("supplement_days"))
        .order_by()
    )
    # Working days after `start` up to each day of the period: a difference gives any span.
    upto: dict[date, int] = {}
    count = 0
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        count += calendar.is_working_day(day) if offset else 0
        upto[day] = count
    totals: dict[int, list[int]] = {}
    for group in groups:
        received, ended = group["received_day"], group["end_day"]
        days = upto.get(ended, 0) - upto.get(received, 0) if ended > received else 0
        total = totals.setdefault(group["procedure_id"], [0, 0])
        total[0] += group["n"] * days - (group["supplementing"] or 0)
        total[1] += group["n"]
    return {pk: round(max(0, days) / n, 1) for pk, (days, n) in totals.items() if n}
