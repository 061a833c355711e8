from __future__ import annotations

from notifications.models import Kind, Notification, OutgoingEmail, Preference
from notifications.notify import notify
from reports.tests.base import ReportsTestCase


class NotifyTestCase(ReportsTestCase):
    def send(self, key: str = "test:1", **extra: object) -> list[Notification]:
        return notify(
            [self.staff, self.unit_head, self.staff],
            kind=Kind.TASK_OVERDUE,
            key=key,
            title="Nhiệm vụ quá hạn: Rà soát thủ tục",
            body="Nhiệm vụ đã quá hạn 30/06/2026.",
            url="/plans/tasks/1/",
            agency=self.agency,
            **extra,  # type: ignore[arg-type]
        )

    def test_it_notifies_each_person_once_per_event(self) -> None:
        self.assertEqual(len(self.send()), 2)
        self.assertEqual(self.send(), [])
        self.assertEqual(Notification.objects.filter(key="test:1").count(), 2)
        self.assertEqual(OutgoingEmail.objects.filter(notifications__key="test:1").count(), 2)
        self.assertEqual(len(self.send("test:2")), 2)

    def test_it_does_not_tell_people_of_their_own_step(self) -> None:
        made = self.send(actor=self.unit_head)
        self.assertEqual([n.recipient for n in made], [self.staff])

    def test_it_looks_up_who_was_told_and_who_chose_what_once_for_everybody(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            notify(
                [self.staff, self.unit_head, self.coordinator, self.leader],
                kind=Kind.TASK_OVERDUE,
                key="test:batch",
                title="Nhiệm vụ quá hạn",
            )
        lookups = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].startswith("SELECT")
            and ("notifications_preference" in q["sql"] or "notifications_notification" in q["sql"])
        ]
        self.assertEqual(len(lookups), 2)
        self.assertEqual(Notification.objects.filter(key="test:batch").count(), 4)

    def test_the_email_uses_the_notification_template(self) -> None:
        self.send()
        email = OutgoingEmail.objects.get(notifications__key="test:1", to="staff@example.org")
        self.assertEqual(email.subject, "Nhiệm vụ quá hạn: Rà soát thủ tục")
        self.assertIn("Phạm Minh Tuấn", email.text)
        self.assertIn("Nhiệm vụ đã quá hạn 30/06/2026.", email.text)
        self.assertIn("http://127.0.0.1:8000/plans/tasks/1/", email.text)
        self.assertIn('href="http://127.0.0.1:8000/plans/tasks/1/"', email.html)

    def test_preferences_choose_the_channels(self) -> None:
        Preference.objects.create(user=self.staff, kind=Kind.TASK_OVERDUE, in_app=False, by_email=True)
        Preference.objects.create(user=self.unit_head, kind=Kind.TASK_OVERDUE, in_app=True, by_email=False)
        self.send()
        staff = Notification.objects.get(key="test:1", recipient=self.staff)
        head = Notification.objects.get(key="test:1", recipient=self.unit_head)
        self.assertEqual((staff.in_app, staff.email is not None), (False, True))
        self.assertEqual((head.in_app, head.email), (True, None))

    def test_inactive_people_and_people_without_address(self) -> None:
        self.staff.is_active = False
        self.staff.save()
        self.unit_head.email = ""
        self.unit_head.save()
        [made] = self.send()
        self.assertEqual((made.recipient, made.email), (self.unit_head, None))
