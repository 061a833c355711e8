from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from notifications.models import EmailStatus, OutgoingEmail
from reports.tests.base import ReportsTestCase


class OutboxViewsTestCase(ReportsTestCase):
    url = reverse("notifications:outbox")

    def test_it_shows_the_queue_to_administrators(self) -> None:
        failed = OutgoingEmail.objects.create(
            to="a@example.org",
            subject="Báo cáo trễ hạn",
            text="x",
            status=EmailStatus.FAILED,
            attempts=8,
            last_error="SMTPServerDisconnected: Connection unexpectedly closed",
        )
        OutgoingEmail.objects.create(to="b@example.org", subject="Đã gửi", text="x", status=EmailStatus.SENT)
        self.login(self.admin)
        with self.assertNumQueries(10):
            r = self.client.get(self.url)
        self.assertEqual(
            [(status, count) for status, _label, count in r.context["counts"]],
            [("queued", 1), ("sending", 0), ("sent", 1), ("failed", 1)],
        )
        self.assertEqual([e.pk for e in r.context["page"].object_list], [failed.pk, self.email.pk])
        self.assertContains(r, "SMTPServerDisconnected: Connection unexpectedly closed")
        self.assertNotContains(r, "Đã gửi")
        self.assertContains(r, reverse("notifications:retry", args=[failed.pk]))

    def test_it_is_for_administrators_only(self) -> None:
        for persona in (self.coordinator, self.leader, self.overseer, self.staff):
            self.login(persona)
            self.assertEqual(self.client.get(self.url).status_code, 404)
            r = self.client.post(reverse("notifications:retry", args=[self.email.pk]))
            self.assertEqual(r.status_code, 404)

    def test_retry_puts_a_failed_email_back_in_the_queue(self) -> None:
        later = timezone.now() + timedelta(hours=4)
        failed = OutgoingEmail.objects.create(
            to="a@example.org", subject="x", text="x", status=EmailStatus.FAILED, attempts=8, next_attempt_at=later
        )
        self.login(self.admin)
        r = self.client.post(reverse("notifications:retry", args=[failed.pk]), follow=True)
        self.assertRedirects(r, self.url)
        self.assertContains(r, "The e-mail to a@example.org will be sent at the next round.")
        failed.refresh_from_db()
        self.assertEqual(failed.status, EmailStatus.QUEUED)
        self.assertLess(failed.next_attempt_at, later)

    def test_retry_leaves_a_sent_email_alone(self) -> None:
        sent = OutgoingEmail.objects.create(to="a@example.org", subject="x", text="x", status=EmailStatus.SENT)
        self.login(self.admin)
        r = self.client.post(reverse("notifications:retry", args=[sent.pk]), follow=True)
        self.assertContains(r, "is being sent or was sent already")
        sent.refresh_from_db()
        self.assertEqual(sent.status, EmailStatus.SENT)
        self.assertEqual(self.client.post(reverse("notifications:retry", args=[999999])).status_code, 404)
