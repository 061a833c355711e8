from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.test import override_settings

from notifications import outbox
from notifications.models import EmailStatus, OutgoingEmail
from reports.tests.base import ReportsTestCase

NOW = datetime(2026, 6, 1, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


class DownBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("Connection refused")


DOWN = "notifications.tests.test_outbox.DownBackend"


class OneBadBackend(LocmemBackend):
    """A mail server that refuses one address."""

    def send_messages(self, email_messages: Any) -> int:
        if any(m.to[0].startswith("bad@") for m in email_messages):
            raise ValueError("Invalid address")
        return super().send_messages(email_messages)


class OutboxTestCase(ReportsTestCase):
    def queue(self, **extra: Any) -> OutgoingEmail:
        return OutgoingEmail.objects.create(
            to=extra.pop("to", "a@example.org"),
            subject="Nhiệm vụ quá hạn",
            text="Văn bản",
            html="<p>Văn bản</p>",
            created=NOW,
            next_attempt_at=extra.pop("next_attempt_at", NOW),
            **extra,
        )

    def setUp(self) -> None:
        super().setUp()
        OutgoingEmail.objects.filter(pk=self.email.pk).update(status=EmailStatus.SENT)

    def test_it_sends_text_and_html(self) -> None:
        email = self.queue()
        result = outbox.send_due(NOW)
        self.assertEqual((result.sent, result.failed), (1, 0))
        email.refresh_from_db()
        self.assertEqual((email.status, email.sent_at, email.attempts), (EmailStatus.SENT, NOW, 1))
        self.assertIsNone(email.claimed_until)
        [message] = mail.outbox
        assert isinstance(message, EmailMultiAlternatives)
        self.assertEqual(
            (message.to, message.subject, message.body), (["a@example.org"], "Nhiệm vụ quá hạn", "Văn bản")
        )
        self.assertEqual(message.alternatives[0][0], "<p>Văn bản</p>")
        self.assertEqual(outbox.send_due(NOW + timedelta(hours=1)).sent, 0)
        self.assertEqual(len(mail.outbox), 1)

    def test_it_waits_for_the_next_attempt(self) -> None:
        self.queue(next_attempt_at=NOW + timedelta(minutes=5))
        self.assertEqual(outbox.send_due(NOW).sent, 0)
        self.assertEqual(outbox.send_due(NOW + timedelta(minutes=5)).sent, 1)

    def test_nothing_is_lost_while_the_server_is_down(self) -> None:
        email = self.queue()
        now = NOW
        waits = []
        with override_settings(EMAIL_BACKEND=DOWN):
            for attempt in range(1, 8):
                self.assertEqual(outbox.send_due(now).failed, 1)
                email.refresh_from_db()
                self.assertEqual((email.status, email.attempts), (EmailStatus.QUEUED, attempt))
                self.assertEqual(email.last_error, "ConnectionRefusedError: Connection refused")
                waits.append(int((email.next_attempt_at - now).total_seconds() // 60))
                self.assertEqual(outbox.send_due(email.next_attempt_at - timedelta(seconds=1)).failed, 0)
                now = email.next_attempt_at
        self.assertEqual(waits, [1, 5, 15, 60, 240, 480, 720])
        # The server is back: the e-mail goes out at its next attempt, once.
        self.assertEqual(outbox.send_due(now).sent, 1)
        email.refresh_from_db()
        self.assertEqual((email.status, email.attempts, email.sent_at), (EmailStatus.SENT, 8, now))
        self.assertEqual(len(mail.outbox), 1)

    def test_it_gives_up_after_eight_attempts_until_an_administrator_retries(self) -> None:
        email = self.queue(attempts=7)
        with override_settings(EMAIL_BACKEND=DOWN):
            outbox.send_due(NOW)
        email.refresh_from_db()
        self.assertEqual((email.status, email.attempts), (EmailStatus.FAILED, 8))
        self.assertEqual(outbox.send_due(NOW + timedelta(days=30)).sent, 0)
        self.assertTrue(outbox.retry(email, NOW + timedelta(days=30)))
        self.assertEqual(outbox.send_due(NOW + timedelta(days=30)).sent, 1)
        email.refresh_from_db()
        self.assertEqual(email.status, EmailStatus.SENT)

    def test_a_dead_workers_claim_expires(self) -> None:
        email = self.queue(status=EmailStatus.SENDING, claimed_until=NOW + timedelta(minutes=5))
        self.assertEqual(outbox.send_due(NOW).sent, 0)  # another worker is on it
        self.assertEqual(outbox.send_due(NOW + timedelta(minutes=6)).sent, 1)
        email.refresh_from_db()
        self.assertEqual(email.status, EmailStatus.SENT)
        self.assertEqual(len(mail.outbox), 1)

    def test_a_row_claimed_by_another_worker_meanwhile_is_not_sent_twice(self) -> None:
        email = self.queue()
        original = OutgoingEmail.objects.filter

        calls: list[int] = []

        def racing_filter(*args: Any, **kwargs: Any) -> Any:
            # The other worker claims the row between this worker's select and its update.
            if kwargs.get("pk") == email.pk and not calls:
                calls.append(1)
                original(pk=email.pk).update(status=EmailStatus.SENDING, claimed_until=NOW + timedelta(minutes=5))
            return original(*args, **kwargs)

        self.enterContext(mock.patch.object(OutgoingEmail.objects, "filter", racing_filter))
        self.assertEqual(outbox.send_due(NOW).sent, 0)
        self.assertEqual(mail.outbox, [])

    def test_it_sends_at_most_the_limit(self) -> None:
        for _ in range(3):
            self.queue()
        self.assertEqual(outbox.send_due(NOW, limit=2).sent, 2)
        self.assertEqual(outbox.send_due(NOW, limit=2).sent, 1)

    def test_a_bad_address_fails_alone(self) -> None:
        bad = self.queue(to="bad@example.org")
        good = self.queue()
        with override_settings(EMAIL_BACKEND="notifications.tests.test_outbox.OneBadBackend"):
            result = outbox.send_due(NOW)
        self.assertEqual((result.sent, result.failed), (1, 1))
        bad.refresh_from_db()
        good.refresh_from_db()
        self.assertEqual((bad.status, good.status), (EmailStatus.QUEUED, EmailStatus.SENT))
