"""Run the periodic work in a loop: reporting periods, reminders, the weekly digest, the mail queue, queued imports.

    manage.py run_scheduler                 # a round every 60 seconds until SIGTERM or Ctrl+C
    manage.py run_scheduler --interval 30   # a round every 30 seconds
    manage.py run_scheduler --once          # one round, e.g. from cron

Several copies may run at once (on several servers): each round claims its
work with conditional updates, so nothing is done or sent twice.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from datetime import timedelta
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connection

from reports import scheduler
from services import import_queue

# Seconds between looks at the queue of uploaded files.
IMPORT_POLL = 2.0

logger = logging.getLogger("reports.scheduler")


class Command(BaseCommand):
    help = "Send reminders, weekly digests and queued e-mails, and open reporting periods, in a loop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run one round and exit.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between rounds (default 60).")

    def handle(self, *args: Any, **options: Any) -> None:
        interval = options["interval"]
        if interval < 1:
            raise CommandError("--interval must be at least 1 second.")
        if options["once"]:
            self.round(interval)
            return
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            self.stdout.write(f"Signal {signum}: stopping after this round.")
            stop.set()

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            self.stdout.write(f"Scheduler running, a round every {interval} s.")
            while not stop.is_set():
                started = time.monotonic()
                self.round(interval)
                # Between rounds, files queued on the import page start within a few seconds.
                while not stop.wait(min(IMPORT_POLL, max(0.0, interval - (time.monotonic() - started)))):
                    if time.monotonic() - started >= interval:
                        break
                    self.imports()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("Scheduler stopped.")

    def imports(self) -> None:
        fresh_connection()
        try:
            count = import_queue.run_queued()
        except Exception:
            logger.exception("Queued imports failed")
            return
        finally:
            fresh_connection()
        if count:
            self.stdout.write(f"Imported {count} queued file(s).")

    def round(self, interval: int) -> None:
        fresh_connection()
        try:
            result = scheduler.tick(interval=timedelta(seconds=interval))
        except Exception:
            # The database may be restarting: log it and try again at the next round.
            logger.exception("Scheduler round failed")
            return
        finally:
            fresh_connection()
        self.stdout.write(f"Round: {result}")


def fresh_connection() -> None:
    """A long-running process must not keep a connection the database has dropped.

    Inside a transaction (a test case) the connection is the caller's to keep.
    """
    if not connection.in_atomic_block:
        close_old_connections()
