"""Drive Debian's headless Chromium through sign-in, the home page and the language switch.

Playwright only talks to the browser; it never downloads one (`playwright install`
is not used). Screenshots land in test-artifacts/ for a human to look at.
"""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command
from django.db import connections
from django_otp.oath import totp
from playwright.sync_api import ConsoleMessage, Page, sync_playwright

from accounts.management.commands.load_demo import DEMO_PASSWORD, DEMO_TOTP_HEX

pytestmark = pytest.mark.browser

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
HEADING = "What needs your attention"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}


def find_chromium() -> str | None:
    """Debian's chromium, installed on the spot when we may (make test installs it first)."""
    found = shutil.which("chromium")
    if found:
        return found
    may_install = os.geteuid() == 0 or (
        shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0
    )
    if may_install:
        script = Path(settings.BASE_DIR) / "scripts" / "apt-install"
        subprocess.run([str(script), "chromium"], capture_output=True, timeout=900)
    return shutil.which("chromium")


def vietnamese(msgid: str) -> str | None:
    """The Vietnamese translation of msgid, or None while the catalogue lacks it."""
    mo = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.mo"
    if not mo.exists():
        return None
    with mo.open("rb") as f:
        text = gettext.GNUTranslations(f).gettext(msgid)
    return text if text != msgid else None


class BrowserTestCase(StaticLiveServerTestCase):
    chromium: str
    async_unsafe: str | None
    # Live-server tests empty the database after each test; this restores what the
    # migrations seeded (the standard reform areas) for the next one.
    serialized_rollback = True

    @classmethod
    def setUpClass(cls) -> None:
        chromium = find_chromium()
        if chromium is None:
            pytest.skip("Debian's chromium is not installed and cannot be installed here (./scripts/apt-install)")
        cls.chromium = chromium
        # Playwright's sync API keeps an event loop running in this thread; the
        # ORM would otherwise refuse to run next to it.
        cls.async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        if cls.async_unsafe is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = cls.async_unsafe

    def setUp(self) -> None:
        call_command("load_demo", stdout=StringIO())
        ARTIFACTS.mkdir(exist_ok=True)

    @contextmanager
    def browser(self, **options: Any) -> Iterator[Page]:
        with tempfile.TemporaryDirectory(prefix="cchc-chromium-") as profile, sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                profile,
                executable_path=self.chromium,
                args=CHROMIUM_ARGS,
                headless=True,
                locale="vi-VN",
                **options,
            )
            try:
                context.set_default_timeout(15_000)
                page = context.pages[0] if context.pages else context.new_page()
                errors: list[str] = []

                def on_console(message: ConsoleMessage) -> None:
                    # The browser asks for /favicon.ico on its own; there is none yet.
                    if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
                        errors.append(f"{message.text} ({message.location.get('url')})")

                page.on("console", on_console)
                page.on("pageerror", lambda e: errors.append(str(e)))
                yield page
                # A Content-Security-Policy violation or a broken script shows up here.
                self.assertEqual(errors, [])
            finally:
                context.close()
                # The test body runs inside Playwright's greenlet, whose context gets
                # database connections of its own: close them, or PostgreSQL cannot
                # drop the test database at the end.
                connections.close_all()

    def sign_in(self, page: Page, username: str) -> None:
        page.goto(f"{self.live_server_url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state()


class SignInBrowserTestCase(BrowserTestCase):
    def test_it_signs_in_and_switches_language(self) -> None:
        with self.browser(viewport={"width": 1280, "height": 900}) as page:
            self.sign_in(page, "vanphong")
            self.assertEqual(page.url, f"{self.live_server_url}/")
            self.assertIn("Trần Văn Bình", page.inner_text("main"))
            self.assertEqual(page.get_attribute("html", "lang"), "vi")
            page.screenshot(path=ARTIFACTS / "home-vi.png", full_page=True)

            page.click("button[name=language][value=en]")
            page.wait_for_load_state()
            self.assertEqual(page.url, f"{self.live_server_url}/")
            self.assertEqual(page.get_attribute("html", "lang"), "en")
            self.assertIn(HEADING, page.inner_text("main h2"))
            self.assertEqual(page.get_attribute("button[name=language][value=en]", "aria-pressed"), "true")
            page.screenshot(path=ARTIFACTS / "home-en.png", full_page=True)

            page.click("button[name=language][value=vi]")
            page.wait_for_load_state()
            self.assertEqual(page.get_attribute("html", "lang"), "vi")
            translated = vietnamese(HEADING)
            if translated is not None:
                self.assertIn(translated, page.inner_text("main h2"))

    def test_it_fits_a_phone(self) -> None:
        with self.browser(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2) as page:
            self.sign_in(page, "vanphong")
            self.assertEqual(page.url, f"{self.live_server_url}/")
            # Nothing wider than the screen: no sideways scrolling on a phone.
            width = page.evaluate("document.documentElement.scrollWidth")
            self.assertLessEqual(width, PHONE["width"])
            self.assertFalse(page.is_visible("#sidebar"))
            page.screenshot(path=ARTIFACTS / "home-phone.png", full_page=True)

            page.click("[data-nav-toggle]")
            self.assertTrue(page.is_visible("#sidebar"))
            self.assertEqual(page.get_attribute("[data-nav-toggle]", "aria-expanded"), "true")
            page.screenshot(path=ARTIFACTS / "home-phone-menu.png", full_page=True)

    def test_it_passes_the_second_factor(self) -> None:
        with self.browser(viewport={"width": 1280, "height": 900}) as page:
            self.sign_in(page, "admin")
            self.assertIn("/accounts/2fa/verify/", page.url)
            page.screenshot(path=ARTIFACTS / "otp-verify.png", full_page=True)
            page.fill("main form input[name=code]", f"{totp(bytes.fromhex(DEMO_TOTP_HEX)):06d}")
            page.click("main form button[type=submit]")
            page.wait_for_load_state()
            self.assertEqual(page.url, f"{self.live_server_url}/")
            self.assertIn("Quản trị Hệ thống", page.inner_text("body"))
            page.screenshot(path=ARTIFACTS / "home-admin.png", full_page=True)
