from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from notifications.models import Kind, Notification
from reports import urging
from reports.models import UrgingPolicy
from reports.tests.base import ReportsTestCase

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class DigestTestCase(ReportsTestCase):
    def send(self, month: int, day: int, hour: int = 9) -> int:
        now = datetime(2026, month, day, hour, tzinfo=TZ)
        with time_machine.travel(now, tick=False):
            return urging.send_digests(self.agency, now)

    def digests(self) -> dict[str, str]:
        return {n.recipient.username: n.key for n in Notification.objects.filter(kind=Kind.DIGEST)}

    def test_it_goes_on_the_weekday_from_the_send_hour_once_a_week(self) -> None:
        # Monday 29/06/2026: the task (led by the unit, assigned to staff) is due on Tuesday.
        self.assertEqual(self.send(6, 28), 0)  # Sunday
        self.assertEqual(self.send(6, 29, 6), 0)  # Monday, before 07:00
        self.assertEqual(self.send(6, 29, 7), 2)
        self.assertEqual(
            self.digests(),
            {"staff": f"digest:{self.staff.pk}:2026-W27", "unithead": f"digest:{self.unit_head.pk}:2026-W27"},
        )
        self.assertEqual(self.send(6, 29, 15), 0)
        self.assertEqual(self.send(6, 30), 0)  # Tuesday
        self.assertEqual(Notification.objects.filter(kind=Kind.DIGEST).count(), 2)

    def test_nobody_with_nothing_due_gets_one(self) -> None:
        self.assertEqual(self.send(2, 2), 0)  # a Monday with nothing due within a week
        self.assertFalse(Notification.objects.filter(kind=Kind.DIGEST).exists())

    def test_it_lists_tasks_and_reports_and_the_coordinator_hears_of_missing_reports(self) -> None:
        self.agency_report.first_sent_at = None
        self.agency_report.save()
        # Monday 16/03/2026: the unit's Quarter I report is due today.
        self.assertEqual(self.send(3, 16), 2)
        self.assertEqual(set(self.digests()), {"staff", "unithead"})
        # Monday 23/03/2026: it is late; the coordinator hears of the missing unit.
        self.assertEqual(self.send(3, 23), 3)
        digest = Notification.objects.get(key=f"digest:{self.coordinator.pk}:2026-W13")
        self.assertIn("Báo cáo của các đơn vị chưa nhận được: 1.", digest.body)  # in Vietnamese
        self.assertFalse(digest.in_app)  # the digest is e-mail only by default
        assert digest.email is not None
        self.assertIn("Phòng Hợp tác quốc tế", digest.email.text)
        self.assertIn(f"/reports/unit-reports/{self.unit_report.pk}/", digest.email.html)
        staff = Notification.objects.get(key=f"digest:{self.staff.pk}:2026-W13")
        assert staff.email is not None
        self.assertIn("Báo cáo của đơn vị", staff.email.text)  # e-mails are written in Vietnamese
        self.assertIn("16/03/2026", staff.email.text)
        self.assertFalse(Notification.objects.filter(kind=Kind.DIGEST, recipient__in=[self.leader, self.overseer]))
        # Once the agency's report has gone to the province, a missing unit report is history, not news.
        self.agency_report.first_sent_at = datetime(2026, 3, 24, 9, tzinfo=TZ)
        self.agency_report.save()
        self.assertEqual(self.send(3, 30), 0)

    def test_a_task_overdue_and_one_due_soon(self) -> None:
        with time_machine.travel(datetime(2026, 7, 6, 9, tzinfo=TZ), tick=False):
            digests = urging.digests(self.agency, datetime(2026, 7, 6).date())
        staff = digests[self.staff]
        self.assertEqual((staff.overdue, staff.soon), ([self.task], []))

    def test_the_policy_chooses_the_day_and_can_turn_it_off(self) -> None:
        UrgingPolicy.objects.filter(agency=self.agency).update(digest_weekday=1)
        self.assertEqual(self.send(6, 29), 0)
        self.assertEqual(self.send(6, 30), 2)
        UrgingPolicy.objects.filter(agency=self.agency).update(active=False, digest_weekday=0)
        self.assertEqual(self.send(7, 6), 0)
