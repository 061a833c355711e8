"""The unit report workflow: save a draft, submit, return, accept; and who is told.

Every step is one plain function in `transaction.atomic` that locks the report row
(`select_for_update`), checks the status, writes the report and a
`UnitReportVersion` row, and notifies the people concerned. Refusals raise
`ReportError` with a message for the user.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Agency, Membership, Role, Unit, User
from notifications.models import Kind
from notifications.notify import notify
from reports import calendar, prefill
from reports.models import (
    Frequency,
    ReportingPeriod,
    ReportStatus,
    UnitReport,
    UnitReportVersion,
    VersionAction,
)


def _people(**filters: object) -> list[User]:
    ids = Membership.objects.current().filter(**filters).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "pk"))


def unit_heads(unit: Unit) -> list[User]:
    """The active people who head the unit today."""
    return _people(unit=unit, role=Role.UNIT_HEAD)


def coordinators(agency: Agency) -> list[User]:
    """The active reform coordinators (the Office) of the agency today."""
    return _people(agency=agency, role=Role.COORDINATOR)


def leaders(agency: Agency) -> list[User]:
    """The active leaders of the agency today."""
    return _people(agency=agency, role=Role.LEADER)


class ReportError(Exception):
    """The step is not possible now; the message says why, for the person."""


NARRATIVE = ("results", "limitations", "proposals", "next_tasks")


def _locked(report: UnitReport) -> UnitReport:
    return UnitReport.objects.select_for_update().select_related("period", "period__agency", "unit").get(pk=report.pk)


def _refresh(report: UnitReport, locked: UnitReport) -> None:
    """Copy what was written back onto the caller's object."""
    for field in (*NARRATIVE, "status", "snapshot", "version", "first_submitted_at", "submitted_at"):
        setattr(report, field, getattr(locked, field))
    report.submitted_by_id = locked.submitted_by_id
    report.reviewed_at, report.reviewed_by_id = locked.reviewed_at, locked.reviewed_by_id
    report.review_comment = locked.review_comment


def narrative(report: UnitReport) -> dict[str, str]:
    return {field: getattr(report, field) for field in NARRATIVE}


@transaction.atomic
def save_draft(report: UnitReport, user: User, data: dict[str, str]) -> UnitReport:
    """Save the narrative; a report not started becomes a draft."""
    locked = _locked(report)
    if not locked.is_editable:
        raise ReportError(_("A submitted report can be edited only after the Office returns it."))
    for field in NARRATIVE:
        if field in data:
            setattr(locked, field, data[field])
    if locked.status == ReportStatus.NOT_STARTED:
        locked.status = ReportStatus.DRAFT
    locked.save()
    _refresh(report, locked)
    return locked


def _say(text: Callable[[], str]) -> str:
    """Notification text in the interface's default language (Vietnamese)."""
    with translation.override(settings.LANGUAGE_CODE):
        return text()


@transaction.atomic
def submit(report: UnitReport, user: User, now: datetime | None = None) -> UnitReport:
    """Send the report to the Office with the data frozen as it stands; allowed late (then it is late)."""
    locked = _locked(report)
    if not locked.is_editable:
        raise ReportError(_("This report has already been submitted."))
    if not locked.results.strip():
        raise ReportError(_("Write the results achieved before submitting the report."))
    now = now or timezone.now()
    period = locked.period
    locked.snapshot = prefill.unit_data(period, locked.unit_id, timezone.localdate(now))
    locked.version += 1
    locked.status = ReportStatus.SUBMITTED
    locked.submitted_at, locked.submitted_by = now, user
    if locked.first_submitted_at is None:
        locked.first_submitted_at = now
    locked.save()
    UnitReportVersion.objects.create(
        report=locked,
        number=locked.version,
        action=VersionAction.SUBMITTED,
        by=user,
        at=now,
        content={**narrative(locked), "data": locked.snapshot},
    )
    url = reverse("reports:unit_report", args=[locked.pk])

    def title() -> str:
        return _("%(unit)s submitted its report for %(period)s") % {"unit": locked.unit.name, "period": period.label}

    def body() -> str:
        if locked.submitted_late():
            return _("%(person)s submitted it after the due date (version %(version)s).") % {
                "person": user.full_name,
                "version": locked.version,
            }
        return _("%(person)s submitted it (version %(version)s).") % {
            "person": user.full_name,
            "version": locked.version,
        }

    notify(
        coordinators(period.agency),
        kind=Kind.REPORT_SUBMITTED,
        key=f"unit_report:{locked.pk}:submitted:{locked.version}",
        title=_say(title),
        body=_say(body),
        url=url,
        agency=period.agency,
        now=now,
        actor=user,
    )
    _refresh(report, locked)
    return locked


def _review(report: UnitReport, user: User, action: str, comment: str, now: datetime | None) -> UnitReport:
    locked = _locked(report)
    if locked.status != ReportStatus.SUBMITTED:
        raise ReportError(_("Only a submitted report can be returned or accepted."))
    now = now or timezone.now()
    accepted = action == VersionAction.ACCEPTED
    locked.status = ReportStatus.ACCEPTED if accepted else ReportStatus.RETURNED
    locked.reviewed_at, locked.reviewed_by = now, user
    locked.review_comment = comment
    locked.save()
    UnitReportVersion.objects.create(
        report=locked, number=locked.version, action=action, by=user, at=now, comment=comment
    )
    period = locked.period

    def title() -> str:
        values = {"period": period.label}
        if accepted:
            return _("The Office accepted your unit's report for %(period)s") % values
        return _("The Office returned your unit's report for %(period)s") % values

    def body() -> str:
        if accepted:
            return comment
        return _("Comments: %(comment)s") % {"comment": comment}

    notify(
        unit_heads(locked.unit),
        kind=Kind.REPORT_REVIEWED,
        key=f"unit_report:{locked.pk}:{action}:{locked.version}",
        title=_say(title),
        body=_say(body),
        url=reverse("reports:unit_report", args=[locked.pk]),
        agency=period.agency,
        now=now,
        actor=user,
    )
    _refresh(report, locked)
    return locked


@transaction.atomic
def return_report(report: UnitReport, user: User, comment: str, now: datetime | None = None) -> UnitReport:
    """Send a submitted report back to the unit with the Office's comments."""
    if not comment.strip():
        raise ReportError(_("Write what the unit should change before returning the report."))
    return _review(report, user, VersionAction.RETURNED, comment.strip(), now)


@transaction.atomic
def accept(report: UnitReport, user: User, now: datetime | None = None) -> UnitReport:
    return _review(report, user, VersionAction.ACCEPTED, "", now)


@transaction.atomic
def recompute_periods(agency: Agency, today: date) -> tuple[int, int]:
    """Bring the periods that have not opened yet in line with the calendar; (updated, removed).

    A period of a schedule switched off (or no longer among "only these
    periods") goes, as long as it has not opened and holds no report; the
    others get the dates the schedule gives now.
    """
    schedules = {s.frequency: s for s in calendar.ensure_schedules(agency)}
    upcoming = (
        ReportingPeriod.objects.select_for_update()
        .filter(agency=agency, opened_at__isnull=True, opens_on__gt=today)
        .exclude(Exists(UnitReport.objects.filter(period=OuterRef("pk"))))
    )
    updated = removed = 0
    for period in upcoming.exclude(frequency=Frequency.AD_HOC):
        schedule = schedules.get(period.frequency)
        if schedule is None:
            continue
        wanted = calendar.day_list(schedule.only) if schedule.only.strip() else calendar.numbers(schedule.frequency)
        if not schedule.active or period.number not in wanted:
            period.delete()
            removed += 1
            continue
        new = calendar.dates(schedule, period.year, period.number)
        if any(getattr(period, name) != value for name, value in new.items()):
            for name, value in new.items():
                setattr(period, name, value)
            period.save()
            updated += 1
    return updated, removed
