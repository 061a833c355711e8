"""Sending the mail queue: claim each due row, send it, retry with back-off.

A row is due when it is QUEUED and its next attempt has come, or SENDING with
an expired claim (the worker that took it died). Each row is claimed with a
conditional update, so two schedulers never send the same e-mail twice. A
failure keeps the row, with the error, for a later attempt; after
`MAX_ATTEMPTS` it is FAILED and waits for an administrator's "retry now".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F, Q
from django.utils import timezone

from notifications.models import EmailStatus, OutgoingEmail

logger = logging.getLogger(__name__)

CLAIM = timedelta(minutes=5)
# Minutes to wait after the 1st, 2nd, … failed attempt (the last one repeats).
BACKOFF_MINUTES = [1, 5, 15, 60, 240, 480, 720]
MAX_ATTEMPTS = 8


def backoff(attempts: int) -> timedelta:
    """The wait after `attempts` failed attempts."""
    return timedelta(minutes=BACKOFF_MINUTES[min(max(attempts, 1), len(BACKOFF_MINUTES)) - 1])


def due(now: datetime) -> Q:
    return Q(status=EmailStatus.QUEUED, next_attempt_at__lte=now) | Q(status=EmailStatus.SENDING, claimed_until__lt=now)


@dataclass
class Sent:
    sent: int = 0
    failed: int = 0


def send_due(now: datetime | None = None, limit: int = 100) -> Sent:
    """Send up to `limit` due e-mails; returns how many went out and how many failed this time."""
    now = now or timezone.now()
    result = Sent()
    pks = list(
        OutgoingEmail.objects.filter(due(now)).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
    )
    if not pks:
        return result
    connection = get_connection()
    for pk in pks:
        claimed = OutgoingEmail.objects.filter(due(now), pk=pk).update(
            status=EmailStatus.SENDING, claimed_until=now + CLAIM
        )
        if claimed != 1:
            continue  # another worker has it
        email = OutgoingEmail.objects.get(pk=pk)
        try:
            message = EmailMultiAlternatives(
                email.subject, email.text, settings.DEFAULT_FROM_EMAIL, [email.to], connection=connection
            )
            if email.html:
                message.attach_alternative(email.html, "text/html")
            message.send()
        except Exception as error:  # any failure of the mail server: keep the row and retry later
            attempts = email.attempts + 1
            failed = attempts >= MAX_ATTEMPTS
            OutgoingEmail.objects.filter(pk=pk, status=EmailStatus.SENDING).update(
                status=EmailStatus.FAILED if failed else EmailStatus.QUEUED,
                attempts=attempts,
                last_error=f"{type(error).__name__}: {error}"[:2000],
                next_attempt_at=now + backoff(attempts),
                claimed_until=None,
            )
            logger.warning("E-mail %s to %s not sent (attempt %s): %s", pk, email.to, attempts, error)
            result.failed += 1
            continue
        OutgoingEmail.objects.filter(pk=pk, status=EmailStatus.SENDING).update(
            status=EmailStatus.SENT, sent_at=now, attempts=F("attempts") + 1, claimed_until=None
        )
        result.sent += 1
    return result


def retry(email: OutgoingEmail, now: datetime | None = None) -> bool:
    """Put a queued or failed e-mail back in the queue for the next round; False for any other status."""
    now = now or timezone.now()
    return bool(
        OutgoingEmail.objects.filter(pk=email.pk, status__in=[EmailStatus.QUEUED, EmailStatus.FAILED]).update(
            status=EmailStatus.QUEUED, next_attempt_at=now, claimed_until=None
        )
    )
