"""The reporting calendar: which periods an agency reports for, and their dates.

Dates follow Decree 09/2019/NĐ-CP by default: figures are cut off on the 14th
of the period's last month and run from the 15th of the month before its
first; each agency edits the cut-off day and the due dates of each level as
offsets (`ReportingSchedule`), and any single period's dates on its page.
"""

from __future__ import annotations

import calendar as cal
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import Frequency, ReportingPeriod, ReportingSchedule, UnitReport, UrgingPolicy

if TYPE_CHECKING:
    from accounts.models import Agency, Unit

ROMAN = ["I", "II", "III", "IV"]

# The calendar an agency starts with: the regime of quarterly, 6-monthly and
# yearly reports most provinces set; monthly and 9-monthly reports are there to
# switch on.
DEFAULT_SCHEDULES = {
    Frequency.MONTHLY: False,
    Frequency.QUARTERLY: True,
    Frequency.HALF_YEARLY: True,
    Frequency.NINE_MONTHS: False,
    Frequency.YEARLY: True,
}


def day_list(value: str) -> list[int]:
    """ "7, 2" → [7, 2]; raises ValidationError with a message for anything else."""
    days: list[int] = []
    for part in value.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or int(part) > 366:
            raise ValidationError(
                _("Write whole numbers from 0 to 366 separated by commas, e.g. 7, 2 (found “%(part)s”).")
                % {"part": part}
            )
        days.append(int(part))
    return sorted(set(days), reverse=True)


def months(frequency: str, number: int) -> tuple[int, int]:
    """First and last month a periodic report covers."""
    if frequency == Frequency.MONTHLY:
        return number, number
    if frequency == Frequency.QUARTERLY:
        return 3 * number - 2, 3 * number
    if frequency == Frequency.HALF_YEARLY:
        return 6 * number - 5, 6 * number
    if frequency == Frequency.NINE_MONTHS:
        return 1, 9
    return 1, 12


def numbers(frequency: str) -> list[int]:
    """The periods of a year: 12 months, 4 quarters, the first half, one 9-month and one yearly report.

    The second half is reported by the yearly report, as the regimes say.
    """
    return {
        Frequency.MONTHLY: list(range(1, 13)),
        Frequency.QUARTERLY: [1, 2, 3, 4],
        Frequency.HALF_YEARLY: [1],
        Frequency.NINE_MONTHS: [1],
        Frequency.YEARLY: [1],
    }.get(Frequency(frequency), [])


def _cut(year: int, month: int, day: int) -> date:
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, min(day, cal.monthrange(year, month)[1]))


def dates(schedule: ReportingSchedule, year: int, number: int) -> dict[str, date]:
    """start, cutoff, opens_on, unit_due and agency_due of one period under a schedule."""
    first, last = months(schedule.frequency, number)
    cutoff = _cut(year, last, schedule.cutoff_day)
    if schedule.cutoff_day >= 28 and cutoff == _cut(year, last, 31):
        start = date(year, first, 1)  # "the last day": figures run over whole months
    else:
        start = _cut(year, first - 1, schedule.cutoff_day) + timedelta(days=1)
    return {
        "start": start,
        "cutoff": cutoff,
        "opens_on": cutoff - timedelta(days=schedule.opens_days_before),
        "unit_due": cutoff + timedelta(days=schedule.unit_due_days),
        "agency_due": cutoff + timedelta(days=schedule.agency_due_days),
    }


def ensure_schedules(agency: Agency) -> list[ReportingSchedule]:
    """The agency's calendar, made with the defaults the first time."""
    existing = {s.frequency: s for s in ReportingSchedule.objects.filter(agency=agency)}
    for frequency, active in DEFAULT_SCHEDULES.items():
        if frequency not in existing:
            existing[frequency] = ReportingSchedule.objects.create(agency=agency, frequency=frequency, active=active)
    return sorted(existing.values(), key=lambda s: list(DEFAULT_SCHEDULES).index(Frequency(s.frequency)))


def ensure_policy(agency: Agency) -> UrgingPolicy:
    policy, _created = UrgingPolicy.objects.get_or_create(agency=agency)
    return policy


def wanted(schedule: ReportingSchedule, year: int, since: date | None = None) -> list[int]:
    """The numbers of the year's periods a schedule asks for.

    With `since`, periods whose units' reports were due before that day are left
    out: a schedule switched on in November starts with November's report instead
    of counting January to October as missing.
    """
    if not schedule.active:
        return []
    chosen = day_list(schedule.only) if schedule.only.strip() else numbers(schedule.frequency)
    found = [n for n in numbers(schedule.frequency) if n in chosen]
    if since is not None:
        found = [n for n in found if dates(schedule, year, n)["unit_due"] >= since]
    return found


@transaction.atomic
def ensure_periods(agency: Agency, year: int, since: date | None = None) -> list[ReportingPeriod]:
    """Create the year's periods of every schedule in force that are missing; return those created.

    Periods already there keep their dates (they may have been edited by hand);
    `since` leaves out periods already due before it (see `wanted`).
    """
    created = []
    for schedule in ensure_schedules(agency):
        for number in wanted(schedule, year, since):
            period, was_created = ReportingPeriod.objects.get_or_create(
                agency=agency,
                frequency=schedule.frequency,
                year=year,
                number=number,
                defaults=dates(schedule, year, number),
            )
            if was_created:
                created.append(period)
    return created


def next_ad_hoc_number(agency: Agency, year: int) -> int:
    last = ReportingPeriod.objects.filter(agency=agency, frequency=Frequency.AD_HOC, year=year).aggregate(
        n=Max("number")
    )["n"]
    return (last or 0) + 1


def expected_units(period: ReportingPeriod) -> list[Unit]:
    """Units that report for the period: those leading tasks of the agency's plans of its year in force."""
    from accounts.models import Unit
    from plans.models import PlanStatus, Task

    led = Task.objects.filter(
        agency_id=period.agency_id,
        plan__year=period.year,
        plan__status__in=[PlanStatus.ISSUED, PlanStatus.IN_PROGRESS, PlanStatus.CLOSED],
    ).values("lead_unit_id")
    return list(Unit.objects.filter(pk__in=led).current(period.cutoff).order_by("order", "name"))


@transaction.atomic
def create_reports(period: ReportingPeriod) -> list[UnitReport]:
    """One report per expected unit (idempotent); returns the reports created."""
    have = set(UnitReport.objects.filter(period=period).values_list("unit_id", flat=True))
    new = [
        UnitReport(period=period, agency_id=period.agency_id, unit=unit)
        for unit in expected_units(period)
        if unit.pk not in have
    ]
    UnitReport.objects.bulk_create(new, ignore_conflicts=True)
    return new


def open_due_periods(now: datetime | None = None, agencies: Iterable[int] | None = None) -> list[ReportingPeriod]:
    """Open every period whose day has come: create its unit reports, once.

    Each period is claimed with a conditional update of `opened_at`, so two
    schedulers running at once never open the same period twice.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = ReportingPeriod.objects.filter(opened_at__isnull=True, opens_on__lte=today)
    if agencies is not None:
        candidates = candidates.filter(agency_id__in=list(agencies))
    opened = []
    for period in candidates.select_related("agency"):
        with transaction.atomic():
            claimed = ReportingPeriod.objects.filter(pk=period.pk, opened_at__isnull=True).update(opened_at=now)
            if claimed != 1:
                continue
            create_reports(period)
        opened.append(period)
    return opened


def period_label(period: ReportingPeriod) -> str:
    """The period's name in the interface language: "Quarter I/2022", "Quý I/2022"."""
    year, number = period.year, period.number
    if period.frequency == Frequency.MONTHLY:
        return _("Month %(number)s/%(year)s") % {"number": number, "year": year}
    if period.frequency == Frequency.QUARTERLY:
        return _("Quarter %(roman)s/%(year)s") % {"roman": ROMAN[number - 1], "year": year}
    if period.frequency == Frequency.HALF_YEARLY:
        return _("First six months of %(year)s") % {"year": year}
    if period.frequency == Frequency.NINE_MONTHS:
        return _("First nine months of %(year)s") % {"year": year}
    if period.frequency == Frequency.YEARLY:
        return _("Year %(year)s") % {"year": year}
    return period.title or _("Ad-hoc report %(number)s/%(year)s") % {"number": number, "year": year}


def period_phrase(period: ReportingPeriod) -> str:
    """The period as a Vietnamese document names it: "quý I năm 2022", "6 tháng đầu năm 2022"."""
    year, number = period.year, period.number
    return {
        Frequency.MONTHLY: f"tháng {number} năm {year}",
        Frequency.QUARTERLY: f"quý {ROMAN[number - 1]} năm {year}" if 1 <= number <= 4 else f"năm {year}",
        Frequency.HALF_YEARLY: f"6 tháng đầu năm {year}",
        Frequency.NINE_MONTHS: f"9 tháng đầu năm {year}",
        Frequency.YEARLY: f"năm {year}",
    }.get(Frequency(period.frequency), period.title or f"năm {year}")
