from __future__ import annotations

from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine

from notifications.models import EmailStatus, OutgoingEmail
from reports import scheduler
from reports.models import Frequency, ReportingPeriod, UnitReport, UrgingPolicy
from reports.tests.base import ReportsTestCase

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class SchedulerTestCase(ReportsTestCase):
    def setUp(self) -> None:
        super().setUp()
        OutgoingEmail.objects.filter(pk=self.email.pk).update(next_attempt_at=datetime(2026, 1, 1, tzinfo=TZ))

    def tick(self, now: datetime) -> scheduler.Round:
        with time_machine.travel(now, tick=False):
            return scheduler.tick(now)

    def test_it_makes_and_opens_the_periods(self) -> None:
        result = self.tick(datetime(2026, 6, 8, 9, tzinfo=TZ))
        self.assertGreater(result.periods_created, 0)
        q2 = ReportingPeriod.objects.get(agency=self.agency, frequency=Frequency.QUARTERLY, year=2026, number=2)
        self.assertIsNotNone(q2.opened_at)
        self.assertTrue(UnitReport.objects.filter(period=q2, unit=self.unit).exists())
        self.assertGreaterEqual(result.periods_opened, 2)
        # Later rounds of the day leave the calendar alone.
        again = self.tick(datetime(2026, 6, 8, 10, tzinfo=TZ))
        self.assertEqual((again.periods_created, again.periods_opened), (0, 0))

    def test_in_december_it_makes_the_next_years_periods(self) -> None:
        self.tick(datetime(2026, 12, 1, 9, tzinfo=TZ))
        self.assertTrue(ReportingPeriod.objects.filter(agency=self.agency, year=2027).exists())

    def test_it_claims_each_agency_once_per_interval(self) -> None:
        now = datetime(2026, 6, 8, 9, tzinfo=TZ)
        self.assertEqual(self.tick(now).agencies, 4)
        policy = UrgingPolicy.objects.get(agency=self.agency)
        self.assertEqual((policy.last_run_at, policy.next_run_at), (now, now + timedelta(seconds=60)))
        self.assertEqual(self.tick(now + timedelta(seconds=30)).agencies, 0)
        self.assertEqual(self.tick(now + timedelta(seconds=60)).agencies, 4)

    def test_the_next_round_is_never_after_the_send_hour(self) -> None:
        policy = UrgingPolicy.objects.get(agency=self.agency)
        now = datetime(2026, 6, 8, 6, 58, tzinfo=TZ)
        self.assertEqual(scheduler.next_run(policy, now, timedelta(minutes=10)), datetime(2026, 6, 8, 7, tzinfo=TZ))
        self.assertEqual(scheduler.next_run(policy, now, timedelta(seconds=60)), now + timedelta(seconds=60))

    def test_it_sends_the_mail_queue(self) -> None:
        result = self.tick(datetime(2026, 2, 2, 9, tzinfo=TZ))
        self.assertGreaterEqual(result.emails_sent, 1)
        self.email.refresh_from_db()
        self.assertEqual(self.email.status, EmailStatus.SENT)
        self.assertFalse(OutgoingEmail.objects.filter(status=EmailStatus.QUEUED).exists())

    def test_one_agency_failing_does_not_stop_the_others(self) -> None:
        with (
            mock.patch("reports.urging.send_reminders", side_effect=[RuntimeError("bad data"), 0, 0, 0]),
            self.assertLogs("reports.scheduler", "ERROR"),
        ):
            result = self.tick(datetime(2026, 2, 2, 9, tzinfo=TZ))
        self.assertEqual((result.errors, result.agencies), (1, 4))
        self.email.refresh_from_db()
        self.assertEqual(self.email.status, EmailStatus.SENT)

    def test_its_round_is_cheap_when_nothing_is_due(self) -> None:
        now = datetime(2026, 2, 3, 9, tzinfo=TZ)
        self.tick(now)
        later = now + timedelta(minutes=1)
        # … and two for the queue of uploaded files: runs whose worker died, then the queued ones.
        with time_machine.travel(later, tick=False), self.assertNumQueries(22):
            result = scheduler.tick(later)
        self.assertEqual((result.reminders, result.digests, result.emails_sent), (0, 0, 0))
        self.assertEqual(result.agencies, 4)
        self.assertEqual(date(2026, 2, 3).weekday(), 1)
