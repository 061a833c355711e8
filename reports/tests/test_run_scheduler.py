from __future__ import annotations

import os
import signal
import threading
from datetime import datetime
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import CommandError, call_command

from notifications.models import EmailStatus, OutgoingEmail
from reports.tests.base import ReportsTestCase

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class RunSchedulerTestCase(ReportsTestCase):
    def test_once_runs_one_round_and_logs_its_counts(self) -> None:
        OutgoingEmail.objects.filter(pk=self.email.pk).update(next_attempt_at=datetime(2026, 1, 1, tzinfo=TZ))
        out = StringIO()
        with time_machine.travel(datetime(2026, 6, 23, 7, tzinfo=TZ), tick=False):
            call_command("run_scheduler", "--once", stdout=out)
        line = out.getvalue().strip()
        self.assertTrue(line.startswith("Round: periods_created="), line)
        self.assertIn("agencies=4", line)
        self.assertIn("emails_sent=", line)
        self.email.refresh_from_db()
        self.assertEqual(self.email.status, EmailStatus.SENT)

    def test_it_loops_until_sigterm(self) -> None:
        out = StringIO()
        timer = threading.Timer(0.5, os.kill, args=(os.getpid(), signal.SIGTERM))
        timer.start()
        try:
            call_command("run_scheduler", "--interval", "1", stdout=out)
        finally:
            timer.cancel()
        text = out.getvalue()
        self.assertIn("Scheduler running, a round every 1 s.", text)
        self.assertIn("Signal 15: stopping after this round.", text)
        self.assertTrue(text.strip().endswith("Scheduler stopped."))
        self.assertGreaterEqual(text.count("Round: "), 1)
        self.assertIsNot(signal.getsignal(signal.SIGTERM), None)

    def test_a_failing_round_is_logged_and_the_loop_goes_on(self) -> None:
        out = StringIO()
        with (
            self.assertLogs("reports.scheduler", "ERROR"),
            mock.patch("reports.scheduler.tick", side_effect=RuntimeError("database restarting")),
        ):
            call_command("run_scheduler", "--once", stdout=out)
        self.assertNotIn("Round:", out.getvalue())

    def test_it_refuses_a_bad_interval(self) -> None:
        with self.assertRaises(CommandError):
            call_command("run_scheduler", "--interval", "0")
