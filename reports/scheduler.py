"""One round of all periodic work: `tick(now)`, called in a loop by `manage.py run_scheduler`.

(a) the reporting periods of the year (and of the next one from December) for
every agency in force, checked at the agency's first round of the day;
(b) opening the periods whose day has come (`reports.calendar.open_due_periods`);
(c) each agency's reminders and weekly digest, claimed by a conditional update
of `UrgingPolicy.next_run_at` so that two workers never run the same agency's
round at once (and the notification keys make a repeated round send nothing);
(d) the mail queue (`notifications.outbox.send_due`).
At the agency's first round of the day it also computes the plan targets measured
by the one-stop dossiers (`services.targets.refresh`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from accounts.models import Agency
from notifications import outbox
from reports import calendar, urging
from reports.models import UrgingPolicy
from services import import_queue, targets

logger = logging.getLogger(__name__)

INTERVAL = timedelta(seconds=60)


@dataclass
class Round:
    periods_created: int = 0
    periods_opened: int = 0
    target_values: int = 0
    agencies: int = 0
    reminders: int = 0
    digests: int = 0
    emails_sent: int = 0
    emails_failed: int = 0
    imports: int = 0
    errors: int = 0

    def __str__(self) -> str:
        return " ".join(f"{name}={value}" for name, value in vars(self).items())


def next_run(policy: UrgingPolicy, now: datetime, interval: timedelta) -> datetime:
    """`now + interval`, but never after the next send hour, so reminders go out on the hour."""
    local = timezone.localtime(now)
    boundary = local.replace(hour=policy.send_hour, minute=0, second=0, microsecond=0)
    if boundary <= local:
        boundary += timedelta(days=1)
    return min(now + interval, boundary)


def claim(policy: UrgingPolicy, now: datetime, interval: timedelta = INTERVAL) -> bool:
    """Take the agency's round; False when another worker took it since `policy` was read."""
    return (
        UrgingPolicy.objects.filter(pk=policy.pk, next_run_at=policy.next_run_at).update(
            next_run_at=next_run(policy, now, interval), last_run_at=now
        )
        == 1
    )


def due_policies(now: datetime) -> list[UrgingPolicy]:
    """The policies of the agencies in force whose round has come (made with the defaults where missing)."""
    agencies = list(Agency.objects.current(timezone.localdate(now)))
    have = {p.agency_id: p for p in UrgingPolicy.objects.filter(agency__in=agencies).select_related("agency")}
    for agency in agencies:
        if agency.pk not in have:
            have[agency.pk] = calendar.ensure_policy(agency)
            have[agency.pk].agency = agency
    return [p for p in have.values() if p.next_run_at is None or p.next_run_at <= now]


def _ensure_periods(policy: UrgingPolicy, previous_run: datetime | None, now: datetime) -> int:
    """The year's periods, at the agency's first round of a day."""
    today = timezone.localdate(now)
    if previous_run is not None and timezone.localdate(previous_run) == today:
        return 0
    years = [today.year, today.year + 1] if today.month == 12 else [today.year]
    return sum(len(calendar.ensure_periods(policy.agency, year, since=today)) for year in years)


def _refresh_targets(policy: UrgingPolicy, previous_run: datetime | None, now: datetime) -> int:
    """The targets computed from dossiers, at the agency's first round of a day."""
    today = timezone.localdate(now)
    if previous_run is not None and timezone.localdate(previous_run) == today:
        return 0
    return targets.refresh(policy.agency, today)


def tick(now: datetime | None = None, interval: timedelta = INTERVAL) -> Round:
    now = now or timezone.now()
    result = Round()
    claimed = []
    for policy in due_policies(now):
        previous_run = policy.last_run_at
        if not claim(policy, now, interval):
            continue
        claimed.append(policy)
        try:
            result.periods_created += _ensure_periods(policy, previous_run, now)
        except Exception:
            logger.exception("Reporting periods of %s could not be made", policy.agency)
            result.errors += 1
        try:
            result.target_values += _refresh_targets(policy, previous_run, now)
        except Exception:
            logger.exception("Targets of %s could not be computed", policy.agency)
            result.errors += 1
    result.periods_opened = len(calendar.open_due_periods(now))
    for policy in claimed:
        result.agencies += 1
        try:
            result.reminders += urging.send_reminders(policy.agency, now, policy)
            result.digests += urging.send_digests(policy.agency, now, policy)
        except Exception:
            # One agency's bad data must not stop the others; its next round tries again.
            logger.exception("Reminders of %s failed", policy.agency)
            result.errors += 1
    sent = outbox.send_due(now)
    result.emails_sent, result.emails_failed = sent.sent, sent.failed
    result.imports = import_queue.run_queued()
    return result
