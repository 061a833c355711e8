"""The consolidated report's way: drafted → submitted to the leader → approved and numbered →
sent to the province → received there, or returned and sent again as a replacement.

Each step is one plain function in `transaction.atomic` that locks the report
row, checks the status, writes the report and an `AgencyReportEvent` (with the
text as it stood), and notifies the people who act next. Refusals raise
`AgencyReportError` with a message for the person.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Agency, Membership, Role, User
from documents import register
from notifications.models import Kind
from notifications.notify import notify
from reports import consolidate
from reports.actions import coordinators, leaders
from reports.models import (
    EDITABLE_AGENCY_STATUSES,
    AgencyReport,
    AgencyReportEvent,
    AgencyReportStatus,
    ReportingPeriod,
)

# What a leader, a coordinator or the province may edit on the page.
EDITABLE_FIELDS = ("title", *consolidate.TEXT_FIELDS, "recipients", "signer_position", "signer_full_name")


class AgencyReportError(Exception):
    """The step is not possible now; the message says why, for the person."""


def _locked(report: AgencyReport) -> AgencyReport:
    return (
        AgencyReport.objects.select_for_update(of=("self",))
        .select_related("period", "agency", "outgoing")
        .get(pk=report.pk)
    )


def _require(report: AgencyReport, *statuses: str) -> None:
    if report.status not in statuses:
        raise AgencyReportError(
            _("This step is not possible while the report is “%(status)s”.") % {"status": report.get_status_display()}
        )


def content(report: AgencyReport) -> dict[str, Any]:
    """The text of the report at this moment, kept with each step."""
    return {name: getattr(report, name) for name in EDITABLE_FIELDS}


def _event(
    report: AgencyReport, action: str, user: User | None, *, comment: str = "", now: datetime, **extra: Any
) -> AgencyReportEvent:
    return AgencyReportEvent.objects.create(
        report=report, action=action, by=user, at=now, comment=comment, content={**content(report), **extra}
    )


def overseers(agency: Agency) -> list[User]:
    """The active overseers of the agency's province (memberships in force today)."""
    root = agency.province_root
    ids = (
        Membership.objects.current()
        .filter(role=Role.OVERSEER, agency__in=Agency.objects.filter(Q(pk=root.pk) | Q(province_id=root.pk)))
        .values("user_id")
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "pk"))


def _tell(people: list[User], report: AgencyReport, event: AgencyReportEvent, title: str, body: str = "") -> None:
    notify(
        people,
        kind=Kind.AGENCY_REPORT,
        key=f"agency_report:{report.pk}:{event.action}:{event.pk}",
        title=title,
        body=body,
        url=reverse("reports:agency_report", args=[report.pk]),
        agency=report.agency,
        now=event.at,
        actor=event.by,
    )


# Drafting ---------------------------------------------------------------------


@transaction.atomic
def create(period: ReportingPeriod, user: User, *, now: datetime | None = None) -> tuple[AgencyReport, bool]:
    """The period's report, drafted from the data the first time; (report, created)."""
    now = now or timezone.now()
    locked = ReportingPeriod.objects.select_for_update().select_related("agency").get(pk=period.pk)
    existing = AgencyReport.objects.filter(period=locked).first()
    if existing is not None:
        return existing, False
    report = consolidate.draft(locked, user, timezone.localdate(now))
    report.save()
    _event(report, AgencyReportStatus.DRAFT, user, now=now)
    return report, True


@transaction.atomic
def save_text(report: AgencyReport, user: User, data: dict[str, Any]) -> AgencyReport:
    report = _locked(report)
    if report.status not in EDITABLE_AGENCY_STATUSES:
        raise AgencyReportError(_("An approved report can be edited only after the province returns it."))
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(report, name, data[name])
    report.save()
    return report


@transaction.atomic
def refresh(report: AgencyReport, user: User, *, replace_text: bool = False, today: date | None = None) -> AgencyReport:
    """Figures (and the text when asked) drafted again from today's data; only while the report is editable."""
    report = _locked(report)
    if report.status not in EDITABLE_AGENCY_STATUSES:
        raise AgencyReportError(
            _("The figures of an approved report are frozen; they can be refreshed after a return.")
        )
    changed = consolidate.refresh(report, replace_text=replace_text, today=today)
    report.save(update_fields=[*changed, "updated"])
    return report


# The steps ---------------------------------------------------------------------


@transaction.atomic
def submit(report: AgencyReport, user: User, *, now: datetime | None = None) -> AgencyReport:
    """To the leader for approval (coordinator)."""
    now = now or timezone.now()
    report = _locked(report)
    _require(report, *EDITABLE_AGENCY_STATUSES)
    if not report.title.strip() or not report.results.strip():
        raise AgencyReportError(_("Write the summary and the results by reform area before submitting the report."))
    report.status = AgencyReportStatus.PENDING_APPROVAL
    report.save()
    event = _event(report, AgencyReportStatus.PENDING_APPROVAL, user, now=now)
    with translation.override(settings.LANGUAGE_CODE):  # the recipients read Vietnamese
        _tell(
            leaders(report.agency),
            report,
            event,
            _("The consolidated report “%(title)s” awaits your approval") % {"title": report.title},
            _("Submitted by %(name)s.") % {"name": user.full_name},
        )
    return report


@transaction.atomic
def approve(report: AgencyReport, user: User, *, now: datetime | None = None) -> AgencyReport:
    """The leader approves: the figures are frozen and the report takes the next number of the register.

    A report approved again after the province returned it is a replacement:
    it takes a new number, and the step remembers the one it replaces.
    """
    now = now or timezone.now()
    report = _locked(report)
    _require(report, AgencyReportStatus.PENDING_APPROVAL)
    replaces = report.outgoing.number_symbol if report.outgoing else ""
    entry = register.register_outgoing(
        report.agency,
        type_code="BC",
        issued_date=timezone.localdate(now),
        subject=report.title,
        signer_position=report.signer_position,
        signer_full_name=report.signer_full_name,
        to_places=report.recipients,
        source=report,
        user=user,
        note=f"Thay thế Báo cáo số {replaces}" if replaces else "",
    )
    report.outgoing = entry
    report.status = AgencyReportStatus.APPROVED
    report.approved_by = user
    report.approved_at = now
    report.save()
    event = _event(
        report,
        AgencyReportStatus.APPROVED,
        user,
        now=now,
        number=entry.number_symbol,
        replaces=replaces,
    )
    with translation.override(settings.LANGUAGE_CODE):  # the recipients read Vietnamese
        _tell(
            coordinators(report.agency),
            report,
            event,
            _("The consolidated report “%(title)s” was approved as no. %(number)s")
            % {
                "title": report.title,
                "number": entry.number_symbol,
            },
        )
    return report


@transaction.atomic
def send_back(report: AgencyReport, user: User, comment: str, *, now: datetime | None = None) -> AgencyReport:
    """The leader sends it back to the Office with a comment."""
    now = now or timezone.now()
    report = _locked(report)
    _require(report, AgencyReportStatus.PENDING_APPROVAL)
    if not comment.strip():
        raise AgencyReportError(_("Say what must change before the report can be approved."))
    report.status = AgencyReportStatus.DRAFT
    report.save()
    event = _event(report, AgencyReportStatus.DRAFT, user, comment=comment.strip(), now=now)
    with translation.override(settings.LANGUAGE_CODE):  # the recipients read Vietnamese
        _tell(
            coordinators(report.agency),
            report,
            event,
            _("The consolidated report “%(title)s” was sent back by %(name)s")
            % {
                "title": report.title,
                "name": user.full_name,
            },
            comment.strip(),
        )
    return report


@transaction.atomic
def send(report: AgencyReport, user: User, *, now: datetime | None = None) -> AgencyReport:
    """To the province (coordinator, once approved); late when first sent after the agency's due date."""
    now = now or timezone.now()
    report = _locked(report)
    _require(report, AgencyReportStatus.APPROVED)
    report.status = AgencyReportStatus.SENT
    report.sent_at = now
    if report.first_sent_at is None:
        report.first_sent_at = now
    report.review_comment = ""
    report.save()
    event = _event(
        report, AgencyReportStatus.SENT, user, now=now, late=timezone.localdate(now) > report.period.agency_due
    )
    with translation.override(settings.LANGUAGE_CODE):  # the recipients read Vietnamese
        _tell(
            overseers(report.agency),
            report,
            event,
            _("%(agency)s sent its report: %(title)s") % {"agency": report.agency.short_name, "title": report.title},
        )
    return report


@transaction.atomic
def return_report(report: AgencyReport, user: User, comment: str, *, now: datetime | None = None) -> AgencyReport:
    """The province returns it with comments; the agency edits, has it approved again and sends it again."""
    now = now or timezone.now()
    report = _locked(report)
    _require(report, AgencyReportStatus.SENT)
    if not comment.strip():
        raise AgencyReportError(_("Write the comments the agency must address."))
    report.status = AgencyReportStatus.RETURNED
    report.reviewed_at = now
    report.reviewed_by = user
    report.review_comment = comment.strip()
    report.save()
    event = _event(report, AgencyReportStatus.RETURNED, user, comment=comment.strip(), now=now)
    with translation.override(settings.LANGUAGE_CODE):  # the recipients read Vietnamese
        _tell(
            coordinators(report.agency),
            report,
            event,
            _("The province returned the report “%(title)s”") % {"title": report.title},
            comment.strip(),
        )
    return report


@transaction.atomic
def receive(report: AgencyReport, user: User, *, now: datetime | None = None) -> AgencyReport:
    """The province receives it."""
    now = now or timezone.now()
    report = _locked(report)
    _require(report, AgencyReportStatus.SENT)
    report.status = AgencyReportStatus.RECEIVED
    report.reviewed_at = now
    report.reviewed_by = user
    report.save()
    event = _event(report, AgencyReportStatus.RECEIVED, user, now=now)
    with translation.override(settings.LANGUAGE_CODE):  # the recipients read Vietnamese
        _tell(
            coordinators(report.agency),
            report,
            event,
            _("The province received the report “%(title)s”") % {"title": report.title},
        )
    return report
