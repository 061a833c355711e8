from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import override_settings

from cchc.test import PASSWORD, BaseTestCase


@override_settings(LOGIN_RATE_LIMIT=100)
class LockoutTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.client.cookies["django_language"] = "en"

    def fail(self, username: str = "staff", times: int = 1) -> None:  # type: ignore[override]
        for _ in range(times):
            self.client.post("/accounts/login/", {"username": username, "password": "wrong"})

    def test_it_counts_failures(self) -> None:
        self.fail(times=3)
        r = self.client.post("/accounts/login/", {"username": "staff", "password": "wrong"})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(AccessAttempt.objects.get(username="staff").failures_since_start, 4)

    def test_it_locks_after_five_failures(self) -> None:
        self.fail(times=5)
        # The sixth attempt is refused even with the right password.
        r = self.client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})
        self.assertEqual(r.status_code, 429)
        self.assertTemplateUsed(r, "accounts/locked_out.html")
        self.assertContains(r, "Your account is locked after too many failed sign-ins.", status_code=429)
        self.assertContains(r, "Try again after 30 minutes or ask an administrator to unlock it.", status_code=429)
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_it_locks_every_spelling_of_the_username(self) -> None:
        self.fail("Staff", times=2)
        self.fail("STAFF", times=3)
        self.assertEqual(AccessAttempt.objects.get().username, "staff")
        r = self.client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})
        self.assertEqual(r.status_code, 429)
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_it_does_not_lock_other_accounts(self) -> None:
        self.fail(times=5)
        r = self.client.post("/accounts/login/", {"username": "leader", "password": PASSWORD})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(self.client.session[SESSION_KEY], str(self.leader.pk))

    def test_it_resets_the_count_after_success(self) -> None:
        self.fail(times=4)
        self.client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})
        self.assertFalse(AccessAttempt.objects.filter(username="staff").exists())
