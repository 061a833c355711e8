"""Urging (đôn đốc): which reminders are due today, the weekly digest, and manual urging notes.

Every reminder is a *stage* of one item (a task, a unit report, an agency's
consolidated report) that falls on a day: "due in 7 days" on due − 7, "overdue"
on due + 1, "tell the unit head" on due + 1 + the policy's delay, and so on. A
round sends the item's latest stage whose day has come (with any other stage
falling on that same day); older stages that a stopped scheduler missed are
skipped, and a stage never fires again because its key names the item, the
due date and the stage (`notifications.notify`). An extended due date makes
new keys, so the reminders start again.

Days are local days that start at the policy's `send_hour`: at 06:59 with a
send hour of 7 it is still "yesterday" for reminders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Membership, Role, User
from notifications.models import Kind, Notification
from notifications.notify import notify
from plans.models import OPEN_STATUSES, Task
from reports import actions, calendar
from reports.models import ReportingPeriod, UnitReport, UrgingNote, UrgingPolicy

if TYPE_CHECKING:
    from accounts.models import Agency, Unit

# A stage whose day is further back than this is history, not a reminder: after
# a long outage the scheduler does not send a month-old "overdue". It also bounds
# the due dates each round reads.
CATCH_UP_DAYS = 31
# The digest looks this many days ahead.
DIGEST_DAYS_AHEAD = 7


def reminder_day(now: datetime, policy: UrgingPolicy) -> date:
    """The last local day whose send hour has come."""
    local = timezone.localtime(now)
    return local.date() if local.hour >= policy.send_hour else local.date() - timedelta(days=1)


def fmt(day: date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


@dataclass(frozen=True)
class Stage:
    name: str
    day: date


def due_stages(stages: Iterable[Stage], today: date) -> list[Stage]:
    """The stages to send today: the latest day reached, with every stage on that day; none when too old."""
    reached = [s for s in stages if s.day <= today]
    if not reached:
        return []
    last = max(s.day for s in reached)
    if last < today - timedelta(days=CATCH_UP_DAYS):
        return []
    return [s for s in reached if s.day == last]


def before_stages(due: date, days: Iterable[int]) -> list[Stage]:
    return [Stage(f"before:{d}", due - timedelta(days=d)) for d in days]


@dataclass
class Event:
    """One reminder to send: the people are looked up only if its key is new."""

    key: str
    kind: str
    recipients: Callable[[], list[User]]
    title: Callable[[], str]
    body: Callable[[], str]
    url: str


class People:
    """Who to tell in one agency, looked up once per round."""

    def __init__(self, agency: Agency) -> None:
        self.agency = agency
        self._heads: dict[int, list[User]] = {}
        self._staff: dict[int, list[User]] = {}
        self._coordinators: list[User] | None = None
        self._leaders: list[User] | None = None

    def heads(self, unit: Unit) -> list[User]:
        if unit.pk not in self._heads:
            self._heads[unit.pk] = actions.unit_heads(unit)
        return self._heads[unit.pk]

    def staff(self, unit: Unit) -> list[User]:
        if unit.pk not in self._staff:
            ids = Membership.objects.current().filter(unit=unit, role=Role.STAFF).values("user_id")
            self._staff[unit.pk] = list(User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "pk"))
        return self._staff[unit.pk]

    def heads_or_staff(self, unit: Unit) -> list[User]:
        return self.heads(unit) or self.staff(unit)

    def coordinators(self) -> list[User]:
        if self._coordinators is None:
            self._coordinators = actions.coordinators(self.agency)
        return self._coordinators

    def leaders(self) -> list[User]:
        if self._leaders is None:
            self._leaders = actions.leaders(self.agency)
        return self._leaders


def _without(people: list[User], already: list[User]) -> list[User]:
    skip = {p.pk for p in already}
    return [p for p in people if p.pk not in skip]


# Tasks --------------------------------------------------------------------------


def task_events(agency: Agency, policy: UrgingPolicy, today: date, people: People) -> list[Event]:
    days = calendar.day_list(policy.task_days_before)
    head_after, office_after = policy.escalate_to_head_after, policy.escalate_to_office_after
    oldest = today - timedelta(days=CATCH_UP_DAYS + 1 + office_after)
    newest = today + timedelta(days=max(days, default=0))
    tasks = (
        Task.objects.filter(agency=agency, plan__status__in=OPEN_STATUSES, due_date__gte=oldest, due_date__lte=newest)
        .open()
        .leaves()
        .select_related("lead_unit")
        .prefetch_related("assignees")
        .order_by("due_date", "pk")
    )
    events = []
    for task in tasks:
        due = task.due_date
        assert due is not None
        after = due + timedelta(days=1)
        stages = [
            *before_stages(due, days),
            Stage("overdue", after),
            Stage("head", after + timedelta(days=head_after)),
            Stage("office", after + timedelta(days=office_after)),
        ]
        for stage in due_stages(stages, today):
            events.append(_task_event(task, due, stage, today, people))
    return events


def _task_event(task: Task, due: date, stage: Stage, today: date, people: People) -> Event:
    def responsible() -> list[User]:
        assignees = [p for p in task.assignees.all() if p.is_active]
        return assignees or people.heads(task.lead_unit)

    url = reverse("plans:task_detail", args=[task.pk])
    prefix = f"task:{task.pk}:due:{due.isoformat()}"
    names = {"task": str(task), "unit": task.lead_unit.name, "due": fmt(due)}
    late = (today - due).days

    if stage.name.startswith("before:"):
        left = (due - today).days

        def before_body() -> str:
            if left == 0:
                return _("The task “%(task)s” of %(unit)s is due today (%(due)s).") % names
            return ngettext(
                "The task “%(task)s” of %(unit)s is due on %(due)s, in %(days)d day.",
                "The task “%(task)s” of %(unit)s is due on %(due)s, in %(days)d days.",
                left,
            ) % {**names, "days": left}

        return Event(
            key=f"{prefix}:{stage.name}",
            kind=Kind.TASK_DUE_SOON,
            recipients=responsible,
            title=lambda: _("Task due on %(due)s: %(task)s") % names,
            body=before_body,
            url=url,
        )
    if stage.name == "overdue":
        return Event(
            key=f"{prefix}:overdue",
            kind=Kind.TASK_OVERDUE,
            recipients=responsible,
            title=lambda: _("Task overdue: %(task)s") % names,
            body=lambda: _("The task “%(task)s” of %(unit)s was due on %(due)s and is not done yet.") % names,
            url=url,
        )

    def escalated_body() -> str:
        who = ", ".join(p.full_name for p in responsible())
        text = ngettext(
            "The task “%(task)s” led by %(unit)s was due on %(due)s and is %(days)d day overdue.",
            "The task “%(task)s” led by %(unit)s was due on %(due)s and is %(days)d days overdue.",
            late,
        ) % {**names, "days": late}
        return text + " " + _("Responsible: %(people)s.") % {"people": who} if who else text

    if stage.name == "head":
        return Event(
            key=f"{prefix}:escalated:head",
            kind=Kind.TASK_ESCALATED,
            recipients=lambda: _without(people.heads(task.lead_unit), responsible()),
            title=lambda: _("A task of your unit is overdue: %(task)s") % names,
            body=escalated_body,
            url=url,
        )
    return Event(
        key=f"{prefix}:escalated:office",
        kind=Kind.TASK_ESCALATED,
        recipients=lambda: _without(people.coordinators(), responsible()),
        title=lambda: _("A task of %(unit)s is still overdue: %(task)s") % names,
        body=escalated_body,
        url=url,
    )


# Reports ------------------------------------------------------------------------


def _not_sent_to_province() -> Q:
    return Q(agency_report__isnull=True) | Q(agency_report__first_sent_at__isnull=True)


def unit_report_events(agency: Agency, policy: UrgingPolicy, today: date, people: People) -> list[Event]:
    days = calendar.day_list(policy.report_days_before)
    office_after = policy.escalate_to_office_after
    reports = (
        UnitReport.objects.filter(
            agency=agency,
            first_submitted_at__isnull=True,
            period__opened_at__isnull=False,
            period__unit_due__gte=today - timedelta(days=CATCH_UP_DAYS + 1 + office_after),
            period__unit_due__lte=today + timedelta(days=max(days, default=0)),
        )
        .select_related("period", "unit")
        .order_by("period__unit_due", "pk")
    )
    events = []
    for report in reports:
        due = report.period.unit_due
        after = due + timedelta(days=1)
        stages = [
            *before_stages(due, days),
            Stage("late", after),
            Stage("escalated", after + timedelta(days=office_after)),
        ]
        for stage in due_stages(stages, today):
            events.append(_unit_report_event(report, due, stage, today, people))
    return events


def _unit_report_event(report: UnitReport, due: date, stage: Stage, today: date, people: People) -> Event:
    url = reverse("reports:unit_report", args=[report.pk])
    key = f"unit_report:{report.pk}:due:{due.isoformat()}:{stage.name}"

    def names() -> dict[str, Any]:
        return {"unit": report.unit.name, "period": calendar.period_label(report.period), "due": fmt(due)}

    if stage.name.startswith("before:"):
        left = (due - today).days

        def before_body() -> str:
            if left == 0:
                return _("The report of %(unit)s for %(period)s is due to the Office today (%(due)s).") % names()
            return ngettext(
                "The report of %(unit)s for %(period)s is due to the Office on %(due)s, in %(days)d day.",
                "The report of %(unit)s for %(period)s is due to the Office on %(due)s, in %(days)d days.",
                left,
            ) % {**names(), "days": left}

        return Event(
            key=key,
            kind=Kind.REPORT_DUE_SOON,
            recipients=lambda: people.heads_or_staff(report.unit),
            title=lambda: _("Report for %(period)s due on %(due)s") % names(),
            body=before_body,
            url=url,
        )
    if stage.name == "late":
        return Event(
            key=key,
            kind=Kind.REPORT_LATE,
            recipients=lambda: people.heads_or_staff(report.unit),
            title=lambda: _("Report for %(period)s is late") % names(),
            body=lambda: (
                _("The report of %(unit)s for %(period)s was due on %(due)s and has not been submitted yet.") % names()
            ),
            url=url,
        )
    late = (today - due).days
    return Event(
        key=key,
        kind=Kind.REPORT_ESCALATED,
        recipients=people.coordinators,
        title=lambda: _("%(unit)s has not sent its report for %(period)s") % names(),
        body=lambda: (
            ngettext(
                "The report of %(unit)s for %(period)s was due on %(due)s and is still missing %(days)d day later.",
                "The report of %(unit)s for %(period)s was due on %(due)s and is still missing %(days)d days later.",
                late,
            )
            % {**names(), "days": late}
        ),
        url=url,
    )


def agency_report_events(agency: Agency, policy: UrgingPolicy, today: date, people: People) -> list[Event]:
    days = calendar.day_list(policy.report_days_before)
    periods = (
        ReportingPeriod.objects.filter(
            agency=agency,
            opened_at__isnull=False,
            agency_due__gte=today - timedelta(days=CATCH_UP_DAYS + 1),
            agency_due__lte=today + timedelta(days=max(days, default=0)),
        )
        .filter(_not_sent_to_province())
        .order_by("agency_due", "pk")
    )
    events = []
    for period in periods:
        due = period.agency_due
        stages = [*before_stages(due, days), Stage("late", due + timedelta(days=1))]
        for stage in due_stages(stages, today):
            events.append(_agency_report_event(period, due, stage, today, people))
    return events


def _agency_report_event(period: ReportingPeriod, due: date, stage: Stage, today: date, people: People) -> Event:
    url = reverse("reports:period", args=[period.pk])
    key = f"period:{period.pk}:agency_due:{due.isoformat()}:{stage.name}"

    def names() -> dict[str, Any]:
        return {"period": calendar.period_label(period), "due": fmt(due)}

    if stage.name.startswith("before:"):
        left = (due - today).days

        def before_body() -> str:
            if left == 0:
                return _("The consolidated report for %(period)s is due to the province today (%(due)s).") % names()
            return ngettext(
                "The consolidated report for %(period)s is due to the province on %(due)s, in %(days)d day.",
                "The consolidated report for %(period)s is due to the province on %(due)s, in %(days)d days.",
                left,
            ) % {**names(), "days": left}

        return Event(
            key=key,
            kind=Kind.REPORT_DUE_SOON,
            recipients=people.coordinators,
            title=lambda: _("Consolidated report for %(period)s due on %(due)s") % names(),
            body=before_body,
            url=url,
        )
    return Event(
        key=key,
        kind=Kind.REPORT_LATE,
        recipients=lambda: [*people.coordinators(), *people.leaders()],
        title=lambda: _("Consolidated report for %(period)s is late") % names(),
        body=lambda: (
            _("The consolidated report for %(period)s was due to the province on %(due)s and has not been sent yet.")
            % names()
        ),
        url=url,
    )


# Sending ------------------------------------------------------------------------


def send(events: list[Event], agency: Agency, now: datetime) -> int:
    """Send the events whose key is new; returns the notifications made."""
    if not events:
        return 0
    # The agency's column is indexed (the unique key starts with the recipient, unknown yet).
    keys = [e.key for e in events]
    sent = set(Notification.objects.filter(agency=agency, key__in=keys).order_by().values_list("key", flat=True))
    made = 0
    for event in events:
        if event.key in sent:
            continue
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            made += len(
                notify(
                    event.recipients(),
                    kind=event.kind,
                    key=event.key,
                    title=event.title(),
                    body=event.body(),
                    url=event.url,
                    agency=agency,
                    now=now,
                )
            )
    return made


def send_reminders(agency: Agency, now: datetime, policy: UrgingPolicy | None = None) -> int:
    """One round of the agency's reminders: tasks, unit reports, the consolidated report."""
    policy = policy or calendar.ensure_policy(agency)
    if not policy.active:
        return 0
    today = reminder_day(now, policy)
    people = People(agency)
    events = [
        *task_events(agency, policy, today, people),
        *unit_report_events(agency, policy, today, people),
        *agency_report_events(agency, policy, today, people),
    ]
    return send(events, agency, now)


# The weekly digest --------------------------------------------------------------


@dataclass
class Digest:
    overdue: list[Task] = field(default_factory=list)
    soon: list[Task] = field(default_factory=list)
    reports: list[UnitReport] = field(default_factory=list)
    missing: list[UnitReport] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.overdue or self.soon or self.reports or self.missing)


def digest_key(person_pk: int, day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"digest:{person_pk}:{year}-W{week:02d}"


def digests(agency: Agency, today: date, people: list[User] | None = None) -> dict[User, Digest]:
    """What each person working in the agency has to hear this week (people with nothing are left out)."""
    members = list(
        Membership.objects.current(today)
        .filter(agency=agency, user__is_active=True)
        .exclude(role__in=(Role.OVERSEER, Role.ADMIN))
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    wanted = None if people is None else {p.pk for p in people}
    persons: dict[int, User] = {}
    units: dict[int, set[int]] = defaultdict(set)
    coordinators: set[int] = set()
    for m in members:
        if wanted is not None and m.user_id not in wanted:
            continue
        persons[m.user_id] = m.user
        if m.unit_id and m.role in (Role.UNIT_HEAD, Role.STAFF):
            units[m.user_id].add(m.unit_id)
        if m.role == Role.COORDINATOR:
            coordinators.add(m.user_id)
    if not persons:
        return {}
    horizon = today + timedelta(days=DIGEST_DAYS_AHEAD)
    tasks = list(
        Task.objects.filter(agency=agency, plan__status__in=OPEN_STATUSES, due_date__lte=horizon)
        .open()
        .leaves()
        .select_related("lead_unit")
        .order_by("due_date", "pk")
    )
    assigned: dict[int, set[int]] = defaultdict(set)
    for task_id, user_id in Task.assignees.through.objects.filter(task__in=[t.pk for t in tasks]).values_list(
        "task_id", "user_id"
    ):
        assigned[task_id].add(user_id)
    reports = list(
        UnitReport.objects.filter(
            agency=agency,
            first_submitted_at__isnull=True,
            period__opened_at__isnull=False,
            period__unit_due__lte=horizon,
        )
        .filter(Q(period__agency_report__isnull=True) | Q(period__agency_report__first_sent_at__isnull=True))
        .select_related("period", "unit")
        .order_by("period__unit_due", "unit__order", "unit__name")
    )
    result: dict[User, Digest] = {}
    for pk, person in persons.items():
        mine = [t for t in tasks if pk in assigned[t.pk] or t.lead_unit_id in units[pk]]
        digest = Digest(
            overdue=[t for t in mine if t.due_date and t.due_date < today],
            soon=[t for t in mine if t.due_date and t.due_date >= today],
            reports=[r for r in reports if r.unit_id in units[pk]],
            missing=[r for r in reports if r.period.unit_due < today] if pk in coordinators else [],
        )
        if digest:
            result[person] = digest
    return result


def _digest_context(digest: Digest, today: date) -> dict[str, Any]:
    site = settings.SITE_URL

    def task_row(t: Task) -> dict[str, Any]:
        assert t.due_date is not None
        return {
            "text": str(t),
            "unit": t.lead_unit.name,
            "due": fmt(t.due_date),
            "days": abs((t.due_date - today).days),
            "url": site + reverse("plans:task_detail", args=[t.pk]),
        }

    def report_row(r: UnitReport) -> dict[str, Any]:
        return {
            "unit": r.unit.name,
            "period": calendar.period_label(r.period),
            "due": fmt(r.period.unit_due),
            "late": r.period.unit_due < today,
            "url": site + reverse("reports:unit_report", args=[r.pk]),
        }

    return {
        "overdue": [task_row(t) for t in digest.overdue],
        "soon": [task_row(t) for t in digest.soon],
        "reports": [report_row(r) for r in digest.reports],
        "missing": [report_row(r) for r in digest.missing],
        "week_of": fmt(today - timedelta(days=today.weekday())),
    }


def _digest_body(digest: Digest) -> str:
    lines = []
    if digest.overdue:
        lines.append(_("Overdue tasks: %(count)d.") % {"count": len(digest.overdue)})
    if digest.soon:
        lines.append(
            _("Tasks due in the next %(days)d days: %(count)d.")
            % {"days": DIGEST_DAYS_AHEAD, "count": len(digest.soon)}
        )
    if digest.reports:
        lines.append(_("Reports of your unit due or late: %(count)d.") % {"count": len(digest.reports)})
    if digest.missing:
        lines.append(_("Units' reports not received yet: %(count)d.") % {"count": len(digest.missing)})
    return "\n".join(lines)


def send_digests(agency: Agency, now: datetime, policy: UrgingPolicy | None = None) -> int:
    """On the policy's weekday, from its send hour: one digest per person with something due, once a week."""
    policy = policy or calendar.ensure_policy(agency)
    if not policy.active:
        return 0
    today = reminder_day(now, policy)
    if today.weekday() != policy.digest_weekday:
        return 0
    ids = set(Membership.objects.current(today).filter(agency=agency).values_list("user_id", flat=True))
    done = set(
        Notification.objects.filter(recipient__in=ids, key__in=[digest_key(pk, today) for pk in ids])
        .order_by()
        .values_list("recipient_id", flat=True)
    )
    pending = list(User.objects.filter(pk__in=ids - done, is_active=True))
    if not pending:
        return 0
    made = 0
    with translation.override(settings.LANGUAGE_CODE):
        for person, digest in digests(agency, today, pending).items():
            context = _digest_context(digest, today)
            made += len(
                notify(
                    [person],
                    kind=Kind.DIGEST,
                    key=digest_key(person.pk, today),
                    title=_("Weekly digest for the week of %(date)s") % {"date": context["week_of"]},
                    body=_digest_body(digest),
                    url=reverse("front:home"),
                    agency=agency,
                    template="digest",
                    context=context,
                    now=now,
                )
            )
    return made


# Manual urging ------------------------------------------------------------------


@transaction.atomic
def send_urging_note(
    author: User,
    unit: Unit,
    text: str,
    *,
    task: Task | None = None,
    period: ReportingPeriod | None = None,
    now: datetime | None = None,
) -> UrgingNote:
    """Keep the note and tell the unit's heads and staff."""
    now = now or timezone.now()
    note = UrgingNote.objects.create(
        agency=unit.agency, unit=unit, author=author, text=text, task=task, period=period, created=now
    )
    if task is not None:
        url = reverse("plans:task_detail", args=[task.pk])
    elif period is not None and (report := UnitReport.objects.filter(period=period, unit=unit).first()):
        url = reverse("reports:unit_report", args=[report.pk])
    else:
        url = reverse("reports:urging_history", args=[unit.agency_id])
    people = People(unit.agency)
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            [*people.heads(unit), *people.staff(unit)],
            kind=Kind.URGING,
            key=f"urging:{note.pk}",
            title=_("%(author)s urges %(unit)s") % {"author": author.full_name, "unit": unit.name},
            body=text,
            url=url,
            agency=unit.agency,
            now=now,
        )
    return note
