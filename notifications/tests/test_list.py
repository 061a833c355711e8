from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from notifications.models import Kind, Notification
from reports.tests.base import ReportsTestCase


class ListTestCase(ReportsTestCase):
    url = reverse("notifications:list")

    def make(self, n: int, **extra: object) -> list[Notification]:
        now = timezone.now()
        return [
            Notification.objects.create(
                recipient=self.staff,
                kind=Kind.URGING,
                key=f"test:{i}",
                title=f"Thông báo số {i}",
                created=now - timedelta(minutes=i),
                **extra,
            )
            for i in range(n)
        ]

    def test_it_lists_my_notifications_unread_first(self) -> None:
        read = self.make(1, read_at=timezone.now())[0]
        self.login(self.staff)
        r = self.client.get(self.url)
        self.assertEqual([n.pk for n in r.context["page"].object_list], [self.notification.pk, read.pk])
        self.assertContains(r, "Nhiệm vụ sắp đến hạn")
        self.assertContains(r, reverse("notifications:read", args=[self.notification.pk]))
        self.assertContains(r, reverse("notifications:preferences"))

    def test_it_filters_the_unread(self) -> None:
        read = self.make(1, read_at=timezone.now())[0]
        self.login(self.staff)
        r = self.client.get(self.url, {"show": "unread"})
        self.assertEqual([n.pk for n in r.context["page"].object_list], [self.notification.pk])
        self.assertNotContains(r, read.title)

    def test_it_shows_only_mine_and_only_those_for_the_application(self) -> None:
        Notification.objects.create(
            recipient=self.staff, kind=Kind.DIGEST, key="digest", title="Chỉ e-mail", in_app=False
        )
        self.login(self.unit_head)
        r = self.client.get(self.url)
        self.assertEqual(list(r.context["page"].object_list), [])
        self.assertContains(r, "You have no notifications yet.")
        self.login(self.staff)
        r = self.client.get(self.url)
        self.assertNotContains(r, "Chỉ e-mail")

    def test_it_is_paginated_with_a_fixed_number_of_queries(self) -> None:
        self.make(30)
        self.login(self.staff)
        self.client.get(self.url)
        with self.assertNumQueries(8):
            r = self.client.get(self.url)
        self.assertEqual(len(r.context["page"].object_list), 25)
        self.assertContains(r, "Page 1 of 2")
        r = self.client.get(self.url, {"page": 2})
        self.assertEqual(len(r.context["page"].object_list), 6)
        r = self.client.get(self.url, {"page": "x"})
        self.assertEqual(r.status_code, 200)
