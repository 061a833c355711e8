from datetime import timedelta

import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import SimpleTestCase, override_settings

from cchc.test import PASSWORD, BaseTestCase
from lib import ratelimit


@override_settings(LOGIN_RATE_LIMIT=3, LOGIN_RATE_WINDOW=300)
class LoginRateLimitTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.client.cookies["django_language"] = "en"

    def post(self, username: str, password: str = "wrong", ip: str = "10.1.1.1") -> int:
        r = self.client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)
        return r.status_code

    def test_it_limits_failed_sign_ins_per_address(self) -> None:
        # Different usernames: the per-account lockout never triggers.
        self.assertEqual([self.post(u) for u in ("a", "b", "c")], [200, 200, 200])
        r = self.client.post("/accounts/login/", {"username": "staff", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")
        self.assertEqual(r.status_code, 429)
        self.assertContains(r, "Too many failed sign-ins from your network. Wait 5 minutes", status_code=429)
        self.assertNotIn(SESSION_KEY, self.client.session)
        # A refused attempt never reaches the password check, so it is not counted against the account.
        self.assertFalse(AccessAttempt.objects.filter(username="staff").exists())

    def test_it_counts_each_address_alone(self) -> None:
        for u in ("a", "b", "c"):
            self.post(u)
        self.assertEqual(self.post("staff", PASSWORD, ip="10.1.1.2"), 302)

    def test_it_does_not_count_successful_sign_ins(self) -> None:
        for user in (self.staff, self.leader, self.coordinator, self.unit_head):
            self.client.logout()
            self.assertEqual(self.post(user.username, PASSWORD), 302)

    def test_it_lets_the_address_try_again_later(self) -> None:
        for u in ("a", "b", "c"):
            self.post(u)
        self.assertEqual(self.post("d"), 429)
        with time_machine.travel(timedelta(seconds=301)):
            self.assertEqual(self.post("staff", PASSWORD), 302)


class RateLimitTestCase(SimpleTestCase):
    def setUp(self) -> None:
        cache.clear()

    def test_it_counts_hits(self) -> None:
        with time_machine.travel(1_000_000, tick=False):
            self.assertFalse(ratelimit.is_limited("test", "x", 2, 60))
            self.assertEqual(ratelimit.hit("test", "x", 60), 1)
            self.assertEqual(ratelimit.hit("test", "x", 60), 2)
            self.assertTrue(ratelimit.is_limited("test", "x", 2, 60))
            self.assertFalse(ratelimit.is_limited("test", "y", 2, 60))
            self.assertFalse(ratelimit.is_limited("other", "x", 2, 60))

    def test_it_starts_a_new_window(self) -> None:
        with time_machine.travel(1_000_000, tick=False):
            ratelimit.hit("test", "x", 60)
            ratelimit.hit("test", "x", 60)
        with time_machine.travel(1_000_000 + 60, tick=False):
            self.assertFalse(ratelimit.is_limited("test", "x", 2, 60))
            self.assertEqual(ratelimit.hit("test", "x", 60), 1)
