from __future__ import annotations

import os
import secrets
import subprocess
import sys

from django.conf import settings
from django.test import SimpleTestCase


class DeployCheckTestCase(SimpleTestCase):
    """The production settings pass Django's deployment checklist."""

    def test_it_reports_no_issues(self) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "DJANGO_SETTINGS_MODULE")}
        env.update(
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(64),
            ALLOWED_HOSTS="cchc.example.gov.vn",
            DJANGO_SETTINGS_MODULE="cchc.settings",
        )
        result = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        output = result.stdout + result.stderr
        self.assertEqual(result.returncode, 0, output)
        self.assertIn("System check identified no issues", output)

    def test_it_refuses_to_start_without_a_secret_key(self) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "SECRET_KEY")}
        env.update(DEBUG="0", DJANGO_SETTINGS_MODULE="cchc.settings")
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("Set SECRET_KEY", result.stderr)
