from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from notifications.models import Kind, Notification, Preference
from notifications.notify import channels
from reports import scheduler
from reports.tests.base import ReportsTestCase


class PreferencesTestCase(ReportsTestCase):
    url = reverse("notifications:preferences")

    def form_data(self, **overrides: bool) -> dict[str, str]:
        data = {}
        for kind in Kind:
            in_app, by_email = channels(self.staff, kind)
            if overrides.get(f"{kind.value}-in_app", in_app):
                data[f"{kind.value}-in_app"] = "on"
            if overrides.get(f"{kind.value}-email", by_email):
                data[f"{kind.value}-email"] = "on"
        return data

    def test_it_shows_the_defaults(self) -> None:
        self.login(self.staff)
        r = self.client.get(self.url)
        form = r.context["form"]
        self.assertEqual(len(form.rows()), len(Kind))
        self.assertFalse(form["digest-in_app"].initial)
        self.assertTrue(form["digest-email"].initial)
        self.assertFalse(form["report_submitted-email"].initial)
        self.assertContains(r, "Weekly digest")

    def test_it_saves_the_choices(self) -> None:
        self.login(self.staff)
        r = self.client.post(self.url, self.form_data(**{"task_overdue-email": False}), follow=True)
        self.assertRedirects(r, self.url)
        self.assertContains(r, "Your notification settings are saved.")
        self.assertEqual(Preference.objects.filter(user=self.staff).count(), len(Kind))
        self.assertEqual(channels(self.staff, Kind.TASK_OVERDUE), (True, False))
        self.assertEqual(channels(self.staff, Kind.DIGEST), (False, True))
        self.assertFalse(r.context["form"]["task_overdue-email"].initial)
        self.assertFalse(Preference.objects.filter(user=self.unit_head).exists())

    def test_email_off_for_overdue_tasks_keeps_the_notification_in_the_application(self) -> None:
        self.login(self.staff)
        self.client.post(self.url, self.form_data(**{"task_overdue-email": False}))
        now = datetime(2026, 7, 1, 8, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
        with time_machine.travel(now, tick=False):
            scheduler.tick(now)
        note = Notification.objects.get(key=f"task:{self.task.pk}:due:2026-06-30:overdue")
        self.assertEqual(note.recipient, self.staff)
        self.assertTrue(note.in_app)
        self.assertIsNone(note.email)

    def test_it_is_linked_from_the_profile(self) -> None:
        self.login(self.staff)
        self.assertContains(self.client.get(reverse("accounts:profile")), self.url)
