from datetime import timedelta

import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.utils import timezone

from cchc.test import PASSWORD, BaseTestCase


class SessionExpiryTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()

    def test_it_signs_out_after_an_idle_hour(self) -> None:
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            self.client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})
        with time_machine.travel(start + timedelta(seconds=settings.SESSION_COOKIE_AGE + 1), tick=False):
            r = self.client.get("/")
        self.assertRedirects(r, "/accounts/login/?next=/", fetch_redirect_response=False)
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_it_keeps_an_active_session(self) -> None:
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            self.client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})
        half = timedelta(seconds=settings.SESSION_COOKIE_AGE // 2 + 60)
        with time_machine.travel(start + half, tick=False):
            self.assertEqual(self.client.get("/").status_code, 200)
        # Each request moves the expiry on (SESSION_SAVE_EVERY_REQUEST).
        with time_machine.travel(start + 2 * half, tick=False):
            self.assertEqual(self.client.get("/").status_code, 200)
