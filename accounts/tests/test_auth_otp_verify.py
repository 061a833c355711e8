from datetime import timedelta

import time_machine
from django.core.cache import cache
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cchc.test import PASSWORD, BaseTestCase


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


class OtpVerifyTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.client.cookies["django_language"] = "en"
        self.device = TOTPDevice.objects.create(user=self.staff, name="app", confirmed=True)
        static = StaticDevice.objects.create(user=self.staff, name="backup", confirmed=True)
        StaticToken.objects.create(device=static, token="abcd2345")

    def sign_in(self, next_url: str = "") -> None:
        url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
        r = self.client.post(url, {"username": "staff", "password": PASSWORD})
        expected = "/accounts/2fa/verify/" + (f"?next={next_url.replace('/', '%2F')}" if next_url else "")
        self.assertRedirects(r, expected, fetch_redirect_response=False)

    def test_it_asks_for_the_code_after_the_password(self) -> None:
        self.sign_in()
        r = self.client.get("/accounts/2fa/verify/")
        self.assertContains(r, 'name="code"')
        self.assertContains(r, 'autocomplete="one-time-code"')

    def test_it_keeps_unverified_people_out(self) -> None:
        self.sign_in()
        r = self.client.get("/accounts/profile/")
        self.assertRedirects(r, "/accounts/2fa/verify/?next=%2Faccounts%2Fprofile%2F", fetch_redirect_response=False)
        r = self.client.get("/accounts/2fa/setup/")
        self.assertRedirects(r, "/accounts/2fa/verify/?next=%2Faccounts%2Fprofile%2F", fetch_redirect_response=False)
        self.assertEqual(TOTPDevice.objects.filter(user=self.staff).count(), 1)

    def test_it_accepts_the_code(self) -> None:
        self.sign_in("/accounts/profile/")
        r = self.client.post("/accounts/2fa/verify/", {"code": code(self.device), "next": "/accounts/profile/"})
        self.assertRedirects(r, "/accounts/profile/", fetch_redirect_response=False)
        self.assertEqual(self.client.session[DEVICE_ID_SESSION_KEY], self.device.persistent_id)
        self.assertEqual(self.client.get("/accounts/profile/").status_code, 200)

    def test_it_accepts_a_code_with_a_space(self) -> None:
        self.sign_in()
        c = code(self.device)
        r = self.client.post("/accounts/2fa/verify/", {"code": f"{c[:3]} {c[3:]}"})
        self.assertRedirects(r, "/", fetch_redirect_response=False)

    def test_it_rejects_a_wrong_code(self) -> None:
        self.sign_in()
        wrong = f"{(int(code(self.device)) + 1) % 1_000_000:06d}"
        r = self.client.post("/accounts/2fa/verify/", {"code": wrong})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "The code is not correct.")
        self.assertNotIn(DEVICE_ID_SESSION_KEY, self.client.session)
        self.device.refresh_from_db()
        self.assertEqual(self.device.throttling_failure_count, 1)
        self.assertEqual(self.client.get("/").status_code, 302)

    def test_it_rejects_an_empty_code(self) -> None:
        self.sign_in()
        r = self.client.post("/accounts/2fa/verify/", {"code": ""})
        self.assertContains(r, "Enter the code.")
        self.assertNotIn(DEVICE_ID_SESSION_KEY, self.client.session)

    def test_it_throttles_guessing(self) -> None:
        self.sign_in()
        with time_machine.travel(timezone.now(), tick=False):
            wrong = f"{(int(code(self.device)) + 1) % 1_000_000:06d}"
            self.client.post("/accounts/2fa/verify/", {"code": wrong})
            # Even the right code waits until the delay has passed.
            r = self.client.post("/accounts/2fa/verify/", {"code": code(self.device)})
        self.assertContains(r, "Too many wrong codes. Wait 1 second, then enter the current code.")
        self.assertNotIn(DEVICE_ID_SESSION_KEY, self.client.session)
        with time_machine.travel(timedelta(seconds=2)):
            r = self.client.post("/accounts/2fa/verify/", {"code": code(self.device)})
        self.assertEqual(r.status_code, 302)

    def test_it_accepts_a_backup_code_once(self) -> None:
        self.sign_in()
        r = self.client.post("/accounts/2fa/verify/", {"code": "ABCD 2345"})
        self.assertRedirects(r, "/", fetch_redirect_response=False)
        self.assertFalse(StaticToken.objects.filter(token="abcd2345").exists())

        self.client.post("/accounts/logout/")
        self.sign_in()
        r = self.client.post("/accounts/2fa/verify/", {"code": "abcd2345"})
        self.assertContains(r, "The code is not correct.")
        self.assertNotIn(DEVICE_ID_SESSION_KEY, self.client.session)

    def test_it_ignores_next_to_another_site(self) -> None:
        self.sign_in()
        r = self.client.post("/accounts/2fa/verify/", {"code": code(self.device), "next": "https://evil.example/"})
        self.assertRedirects(r, "/", fetch_redirect_response=False)

    def test_it_skips_people_without_a_device(self) -> None:
        self.login(self.leader)
        r = self.client.get("/accounts/2fa/verify/?next=/accounts/profile/")
        self.assertRedirects(r, "/accounts/profile/", fetch_redirect_response=False)

    def test_it_requires_sign_in(self) -> None:
        r = self.client.get("/accounts/2fa/verify/")
        self.assertEqual(r.status_code, 302)
        self.assertTrue(r["Location"].startswith("/accounts/login/"))
