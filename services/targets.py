"""Plan targets measured by the one-stop dossiers: their actual values fill themselves.

A target with measurement INDICATOR names one of `INDICATORS` and a scope (the
whole agency, or the responsible unit's dossiers only). `refresh(agency, today)`
computes, for every such target of the agency's plans in force, the value of
each quarter of the plan's year that has started ("Quý I/2024", period end the
quarter's last day, which is also the reference date of the deadline classes
as the contract says) and of the year once it has ended ("Năm 2024"). The year
and its fourth quarter end on the same day: a target keeps one computed value
per period end, so once the year is over its 31/12 value is the year's.

Values are `TargetValue` rows with `recorded_by` empty and a note that starts
with `NOTE_PREFIX`; values typed by people are never touched. A period in which
no dossier was counted (or whose rate has no denominator) writes nothing.
The scheduler calls `refresh` at each agency's first round of the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency
from plans.models import IndicatorScope, Measurement, Plan, PlanStatus, Target, TargetValue
from services import indicators, periods


@dataclass(frozen=True)
class Indicator:
    label: str | Promise
    key: str  # the key of `services.indicators.compute`'s result
    percent: bool


# code → (label, key of `indicators.compute`, shown as a percentage).
# "online_payment_transactions" (the "≥ 30% giao dịch thanh toán trực tuyến" of seed 004)
# is paid online ÷ dossiers with a fee to pay: the dossier file does not say how a fee
# was paid otherwise, so it is the same ratio as the online payment rate.
INDICATORS: dict[str, Indicator] = {
    "on_time_rate": Indicator(_("Dossiers processed early or on time"), "on_time_rate", True),
    "online_rate": Indicator(_("Dossiers received online"), "online_rate", True),
    "online_payment_rate": Indicator(_("Dossiers with a fee paid online"), "online_payment_rate", True),
    "online_payment_transactions": Indicator(
        _("Payment transactions made online (paid online ÷ dossiers with a fee)"), "online_payment_rate", True
    ),
    "digitised_rate": Indicator(_("Dossiers digitised"), "digitised_rate", True),
    "electronic_result_rate": Indicator(
        _("Finished dossiers with an electronic result"), "electronic_result_rate", True
    ),
}

NOTE_PREFIX = "Tính tự động từ"
IN_FORCE = (PlanStatus.ISSUED, PlanStatus.IN_PROGRESS)
ROMAN = ("I", "II", "III", "IV")


def choices() -> list[tuple[str, Any]]:
    return [(code, indicator.label) for code, indicator in INDICATORS.items()]


def label_of(code: str) -> str:
    indicator = INDICATORS.get(code)
    return str(indicator.label) if indicator else code


def periods_of(year: int, today: date) -> list[tuple[str, periods.Period]]:
    """(label, period) of the quarters of `year` that have started, the year replacing Q4 once it has ended."""
    result = []
    for quarter in range(1, 5):
        period = periods.parse(f"{year}-Q{quarter}")
        if period.start > today:
            break
        result.append((f"Quý {ROMAN[quarter - 1]}/{year}", period))
    year_period = periods.parse(str(year))
    if year_period.end < today:
        result[-1] = (f"Năm {year}", year_period)
    return result


def measured(targets: Any) -> Any:
    return targets.filter(measurement=Measurement.INDICATOR, indicator_code__in=list(INDICATORS))


def automatic(values: Any) -> Any:
    """The values computed by `refresh` (never those typed by a person)."""
    return values.filter(recorded_by__isnull=True, note__startswith=NOTE_PREFIX)


def refresh(agency: Agency, today: date | None = None) -> int:
    """Compute the indicator targets of the agency's plans in force; returns how many values changed."""
    today = today or timezone.localdate()
    plans = Plan.objects.filter(agency=agency, status__in=IN_FORCE)
    return sum(refresh_plan(plan, today) for plan in plans)


@transaction.atomic
def refresh_plan(plan: Plan, today: date) -> int:
    """Compute the plan's indicator targets (whatever its status: the demo fills its closed plan too)."""
    targets = list(measured(plan.targets.all()).select_related("responsible_unit"))
    if not targets:
        return 0
    values = automatic(TargetValue.objects.filter(target__in=targets))
    existing: dict[tuple[int, date], TargetValue] = {(value.target_id, value.period_end): value for value in values}
    agency_name = plan.agency.short_name or plan.agency.name
    results: dict[tuple[int | None, date], dict[str, Any]] = {}  # by (unit, last day)
    now = timezone.now()
    changed = 0
    for target in targets:
        unit_id = target.responsible_unit_id if target.indicator_scope == IndicatorScope.UNIT else None
        if target.indicator_scope == IndicatorScope.UNIT and unit_id is None:
            continue  # the form refuses it; an old row may still say so
        for label, period in periods_of(plan.year, today):
            # A running quarter is measured so far: received up to today and judged as of today,
            # not as if every open dossier due before the quarter's end were already late.
            upto = min(period.end, today)
            key = (unit_id, upto)
            if key not in results:
                results[key] = indicators.compute(Q(agency_id=plan.agency_id), period.start, upto, unit=unit_id)
            result = results[key]
            indicator = INDICATORS[target.indicator_code]
            ratio = result[indicator.key]
            if not result["counted"] or ratio is None:
                continue
            actual = (Decimal(str(ratio)) * (100 if indicator.percent else 1)).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
            scope = target.responsible_unit.name if unit_id and target.responsible_unit else agency_name
            counted = f"{result['counted']:,}".replace(",", ".")
            note = f"{NOTE_PREFIX} {counted} hồ sơ ({scope}, {period.start:%d/%m/%Y}–{upto:%d/%m/%Y})."
            value = existing.get((target.pk, period.end))
            if value is None:
                TargetValue.objects.create(
                    target=target, period_label=label, period_end=period.end, actual=actual, note=note, recorded_at=now
                )
                changed += 1
            elif (value.period_label, value.actual, value.note) != (label, actual, note):
                value.period_label, value.actual, value.note, value.recorded_at = label, actual, note, now
                value.save(update_fields=["period_label", "actual", "note", "recorded_at"])
                changed += 1
    # The values that did not change were computed again now: the target page says when.
    automatic(TargetValue.objects.filter(target__in=targets)).update(recorded_at=now)
    return changed


def last_computed(target: Target) -> Any:
    """When `refresh` last computed the target's values (None when it never did)."""
    return automatic(target.values.all()).aggregate(last=Max("recorded_at"))["last"]
