from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from notifications.models import Kind, Notification
from reports.tests.base import ReportsTestCase


class BadgeTestCase(ReportsTestCase):
    url = reverse("notifications:badge")

    def test_it_counts_my_unread_notifications(self) -> None:
        Notification.objects.create(recipient=self.staff, kind=Kind.URGING, key="a", title="A")
        Notification.objects.create(recipient=self.staff, kind=Kind.URGING, key="b", title="B", read_at=timezone.now())
        Notification.objects.create(recipient=self.staff, kind=Kind.DIGEST, key="c", title="C", in_app=False)
        self.login(self.staff)
        with self.assertNumQueries(7):
            r = self.client.get(self.url)
        self.assertEqual(r.context["count"], 2)
        self.assertContains(r, "2 unread notifications")
        self.assertContains(r, reverse("notifications:list"))
        self.assertNotContains(r, "<html")

    def test_it_says_when_there_is_nothing(self) -> None:
        self.login(self.unit_head)
        r = self.client.get(self.url)
        self.assertEqual(r.context["count"], 0)
        self.assertContains(r, "No unread notifications")

    def test_pages_load_it_without_a_query_of_their_own(self) -> None:
        self.login(self.staff)
        r = self.client.get(reverse("accounts:profile"))
        self.assertContains(r, f'hx-get="{self.url}"')
        self.assertContains(r, 'hx-trigger="load, every 60s"')
        self.assertNotIn("count", r.context)
