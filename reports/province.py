"""The overseer's side: every agency of a province for one period, and the reports sent there.

A constant number of queries whatever the number of agencies: the agencies,
their periods with the unit report counts (one GROUP BY over the unit reports)
and their consolidated reports (a join), and which of those the person may open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q, QuerySet

from accounts import access
from accounts.models import Agency, User
from reports.models import AgencyReport, Frequency, ReportingPeriod


@dataclass
class StatusRow:
    agency: Agency
    period: ReportingPeriod | None = None
    report: AgencyReport | None = None
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    can_open: bool = False


def provinces(user: User) -> list[Agency]:
    """The provinces whose status the person may see: those they oversee; every province for administrators."""
    if access.is_admin(user):
        return list(Agency.objects.filter(parent__isnull=True).order_by("name", "pk"))
    return list(Agency.objects.filter(pk__in=access.overseen_provinces(user)).order_by("name", "pk"))


def province_filter(province: Agency, prefix: str = "") -> Q:
    return Q(**{f"{prefix}province_id": province.pk}) | Q(**{f"{prefix}pk": province.pk})


def province_periods(province: Agency) -> QuerySet[ReportingPeriod]:
    """The periodic reports of every agency of the province (ad-hoc requests are each agency's own)."""
    return ReportingPeriod.objects.filter(province_filter(province, "agency__")).exclude(frequency=Frequency.AD_HOC)


def years(province: Agency) -> list[int]:
    return sorted(set(province_periods(province).values_list("year", flat=True)), reverse=True)


def default_period(province: Agency, today: date) -> tuple[int, str, int] | None:
    """The latest period whose agency due date has passed; else the one running; else the next one."""
    periods = province_periods(province)
    found = (
        periods.filter(agency_due__lt=today).order_by("-agency_due", "start").first()
        or periods.filter(start__lte=today).order_by("-start", "agency_due").first()
        or periods.order_by("agency_due", "start").first()
    )
    return (found.year, found.frequency, found.number) if found else None


def status_rows(user: User, province: Agency, year: int, frequency: str, number: int, today: date) -> list[StatusRow]:
    """One row per agency of the province in force (the province itself only when it reports too)."""
    agencies = list(Agency.objects.current().filter(province_filter(province)).order_by("kind", "name", "pk"))
    periods = (
        ReportingPeriod.objects.filter(
            agency_id__in=[a.pk for a in agencies], frequency=frequency, year=year, number=number
        )
        .select_related("agency_report", "agency_report__outgoing")
        .annotate(
            expected=Count("unit_reports"),
            submitted=Count("unit_reports", filter=Q(unit_reports__first_submitted_at__isnull=False)),
            on_time=Count("unit_reports", filter=Q(unit_reports__first_submitted_at__date__lte=F("unit_due"))),
        )
    )
    by_agency = {period.agency_id: period for period in periods}
    reports = {p.agency_id: r for p in by_agency.values() if (r := getattr(p, "agency_report", None)) is not None}
    visible = set(
        access.visible_agency_reports(user).filter(pk__in=[r.pk for r in reports.values()]).values_list("pk", flat=True)
    )
    rows = []
    for agency in agencies:
        period = by_agency.get(agency.pk)
        if agency.pk == province.pk and period is None:
            continue
        row = StatusRow(agency)
        if period is not None:
            expected, submitted, on_time = period.expected, period.submitted, period.on_time
            row.period = period
            row.expected, row.submitted, row.on_time = expected, submitted, on_time
            row.late = submitted - on_time
            row.missing = expected - submitted if today > period.unit_due else 0
            row.report = reports.get(agency.pk)
            row.can_open = row.report is not None and row.report.pk in visible
        rows.append(row)
    return rows


def inbox(user: User) -> QuerySet[AgencyReport]:
    """The reports sent to the province that the person sees, newest first."""
    return (
        access.visible_agency_reports(user)
        .filter(first_sent_at__isnull=False)
        .select_related("period", "agency", "outgoing")
        .order_by("-sent_at", "-pk")
    )
