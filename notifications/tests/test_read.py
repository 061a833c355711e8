from __future__ import annotations

from django.urls import reverse

from notifications.models import Kind, Notification
from reports.tests.base import ReportsTestCase


class ReadTestCase(ReportsTestCase):
    def read(self, notification: Notification) -> str:
        r = self.client.post(reverse("notifications:read", args=[notification.pk]))
        self.assertEqual(r.status_code, 302)
        return r["Location"]

    def test_it_marks_read_and_follows_the_link(self) -> None:
        self.login(self.staff)
        self.assertEqual(self.read(self.notification), f"/plans/tasks/{self.task.pk}/")
        self.notification.refresh_from_db()
        self.assertIsNotNone(self.notification.read_at)
        first = self.notification.read_at
        self.read(self.notification)
        self.notification.refresh_from_db()
        self.assertEqual(self.notification.read_at, first)

    def test_it_never_redirects_elsewhere(self) -> None:
        self.login(self.staff)
        for i, url in enumerate(
            ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", ""]
        ):
            n = Notification.objects.create(recipient=self.staff, kind=Kind.URGING, key=f"x{i}", title="x", url=url)
            self.assertEqual(self.read(n), reverse("notifications:list"), url)
            n.refresh_from_db()
            self.assertIsNotNone(n.read_at)

    def test_it_is_only_for_the_recipient(self) -> None:
        self.login(self.unit_head)
        r = self.client.post(reverse("notifications:read", args=[self.notification.pk]))
        self.assertEqual(r.status_code, 404)
        self.notification.refresh_from_db()
        self.assertIsNone(self.notification.read_at)

    def test_it_is_post_only(self) -> None:
        self.login(self.staff)
        r = self.client.get(reverse("notifications:read", args=[self.notification.pk]))
        self.assertEqual(r.status_code, 405)
        self.notification.refresh_from_db()
        self.assertIsNone(self.notification.read_at)

    def test_it_marks_all_read(self) -> None:
        other = Notification.objects.create(recipient=self.unit_head, kind=Kind.URGING, key="h", title="h")
        Notification.objects.create(recipient=self.staff, kind=Kind.URGING, key="s", title="s")
        self.login(self.staff)
        r = self.client.post(reverse("notifications:read_all"), follow=True)
        self.assertRedirects(r, reverse("notifications:list"))
        self.assertContains(r, "All your notifications are marked as read.")
        self.assertFalse(Notification.objects.filter(recipient=self.staff, read_at__isnull=True).exists())
        other.refresh_from_db()
        self.assertIsNone(other.read_at)
        r = self.client.post(reverse("notifications:read_all"), follow=True)
        self.assertContains(r, "You have no unread notifications.")
