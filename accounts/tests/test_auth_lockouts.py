from datetime import timedelta

import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from cchc.test import PASSWORD, BaseTestCase


def attempt(username: str, failures: int = 5, ip: str = "10.0.0.1", agent: str = "Firefox") -> AccessAttempt:
    return AccessAttempt.objects.create(
        username=username,
        ip_address=ip,
        user_agent=agent,
        failures_since_start=failures,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/accounts/login/",
    )


@override_settings(LOGIN_RATE_LIMIT=100)
class LockoutsTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.client.cookies["django_language"] = "en"

    def test_it_lists_locked_accounts(self) -> None:
        attempt("staff", 3, ip="10.0.0.1")
        attempt("staff", 2, ip="10.0.0.2", agent="Chrome")
        attempt("leader", 4)  # not locked yet
        attempt("ghost", 9)  # no such account
        self.login(self.admin)
        with self.assertNumQueries(9):
            r = self.client.get("/accounts/lockouts/")
        self.assertEqual([lockout.username for lockout in r.context["lockouts"]], ["ghost", "staff"])
        staff = r.context["lockouts"][1]
        self.assertEqual(staff.failures, 5)
        self.assertEqual(staff.person, self.staff)
        self.assertEqual(set(staff.ip_addresses), {"10.0.0.1", "10.0.0.2"})
        self.assertContains(r, "Phạm Minh Tuấn")
        self.assertContains(r, "no such account")
        self.assertNotContains(r, ">leader<")

    def test_it_leaves_out_lockouts_past_the_cool_off(self) -> None:
        attempt("staff", 5)
        self.login(self.admin)
        with time_machine.travel(timedelta(minutes=31)):
            self.login(self.admin)
            r = self.client.get("/accounts/lockouts/")
        self.assertEqual(r.context["lockouts"], [])
        self.assertContains(r, "No account is locked.")

    def test_it_is_hidden_from_everybody_else(self) -> None:
        for user in (self.coordinator, self.leader, self.staff, self.overseer, self.outsider):
            self.login(user)
            self.assertEqual(self.client.get("/accounts/lockouts/").status_code, 404)

    def test_it_requires_sign_in(self) -> None:
        r = self.client.get("/accounts/lockouts/")
        self.assertRedirects(r, "/accounts/login/?next=/accounts/lockouts/", fetch_redirect_response=False)

    def test_it_unlocks(self) -> None:
        for _ in range(5):
            self.client.post("/accounts/login/", {"username": "staff", "password": "wrong"})
        self.assertTrue(AccessAttempt.objects.filter(username="staff").exists())

        self.login(self.admin)
        r = self.client.post("/accounts/lockouts/unlock/", {"username": "staff"}, follow=True)
        self.assertRedirects(r, "/accounts/lockouts/")
        self.assertContains(r, "The account staff is unlocked and can sign in again.")
        self.assertFalse(AccessAttempt.objects.filter(username="staff").exists())

        self.client.logout()
        r = self.client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(self.client.session[SESSION_KEY], str(self.staff.pk))

    def test_it_says_when_nothing_was_locked(self) -> None:
        self.login(self.admin)
        r = self.client.post("/accounts/lockouts/unlock/", {"username": "leader"}, follow=True)
        self.assertContains(r, "The account leader was not locked.")

    def test_it_rejects_an_empty_username(self) -> None:
        attempt("staff")
        self.login(self.admin)
        r = self.client.post("/accounts/lockouts/unlock/", {"username": " "}, follow=True)
        self.assertContains(r, "Choose the account to unlock.")
        self.assertTrue(AccessAttempt.objects.filter(username="staff").exists())

    def test_it_does_not_let_others_unlock(self) -> None:
        attempt("staff")
        self.login(self.coordinator)
        r = self.client.post("/accounts/lockouts/unlock/", {"username": "staff"})
        self.assertEqual(r.status_code, 404)
        self.assertTrue(AccessAttempt.objects.filter(username="staff").exists())

    def test_it_requires_post_to_unlock(self) -> None:
        attempt("staff")
        self.login(self.admin)
        r = self.client.get("/accounts/lockouts/unlock/?username=staff")
        self.assertEqual(r.status_code, 405)
        self.assertTrue(AccessAttempt.objects.filter(username="staff").exists())
