"""What every benchmark needs: a throwaway database, a signed-in client, timed requests, a table."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Figure:
    persona: str
    page: str
    status: int
    queries: int
    size_kb: float
    median_ms: float
    max_ms: float


@contextmanager
def throwaway_database() -> Iterator[None]:
    """Django set up on a migrated SQLite file in a temporary directory, deleted afterwards."""
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmp:
        sys.path.insert(0, str(ROOT))
        os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.settings"
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        # DEBUG=1: no SECRET_KEY, no HTTPS redirect, static files without a manifest.
        # Templates are cached all the same (Django >= 4.1), so timings stay meaningful.
        os.environ["DEBUG"] = "1"
        os.environ["ALLOWED_HOSTS"] = "testserver"
        os.environ.pop("REDIS_URL", None)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        yield


def signed_in_client(user_id: int) -> Any:
    """A test client signed in as the person, past the second factor as cchc.test does."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.middleware import SESSION_FLAG, second_factor_required
    from accounts.models import User

    user = User.objects.get(pk=user_id)
    client = Client(raise_request_exception=False)  # a broken page shows as status 500
    client.force_login(user)
    session = client.session
    if second_factor_required(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    else:
        session[SESSION_FLAG] = True
    session.save()
    return client


def measure(persona: str, user_id: int, pages: list[tuple[str, str]], repeat: int) -> list[Figure]:
    """Each page requested repeat + 1 times; the first warms caches and is not timed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in_client(user_id)
    figures = []
    for label, url in pages:
        timings = []
        queries = status = size = 0
        for _ in range(repeat + 1):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            queries, status, size = len(ctx.captured_queries), response.status_code, len(response.content)
        timed = timings[1:]
        figures.append(Figure(persona, label, status, queries, size / 1024, statistics.median(timed), max(timed)))
    return figures


def print_header(page_width: int = 22) -> None:
    print(
        f"{'persona':<12} {'page':<{page_width}} {'status':>6} {'queries':>8} {'KB':>7} {'median ms':>10} {'max ms':>8}"
    )


def print_figures(figures: list[Figure], page_width: int = 22) -> None:
    for f in figures:
        print(
            f"{f.persona:<12} {f.page:<{page_width}} {f.status:>6} {f.queries:>8} {f.size_kb:>7.0f} "
            f"{f.median_ms:>10.1f} {f.max_ms:>8.1f}"
        )
