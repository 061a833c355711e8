from django.core.cache import cache
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from cchc.test import PASSWORD, BaseTestCase


class OtpDisableTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.client.cookies["django_language"] = "en"

    def turn_on(self, user: User) -> TOTPDevice:
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        static = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
        StaticToken.objects.create(device=static, token="abcd2345")
        self.login(user)
        session = self.client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return device

    def test_it_asks_for_the_password(self) -> None:
        self.turn_on(self.staff)
        r = self.client.get("/accounts/2fa/disable/")
        self.assertContains(r, 'name="password"')

    def test_it_turns_off_two_factor(self) -> None:
        self.turn_on(self.staff)
        r = self.client.post("/accounts/2fa/disable/", {"password": PASSWORD}, follow=True)
        self.assertRedirects(r, "/accounts/profile/")
        self.assertContains(r, "Two-factor authentication is off.")
        self.assertFalse(TOTPDevice.objects.filter(user=self.staff).exists())
        self.assertFalse(StaticDevice.objects.filter(user=self.staff).exists())
        self.assertEqual(self.client.get("/").status_code, 200)

    def test_it_rejects_a_wrong_password(self) -> None:
        self.turn_on(self.staff)
        r = self.client.post("/accounts/2fa/disable/", {"password": "wrong"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "The password is not correct.")
        self.assertTrue(TOTPDevice.objects.filter(user=self.staff).exists())
        self.assertTrue(StaticToken.objects.filter(device__user=self.staff).exists())

    def test_it_refuses_roles_that_require_it(self) -> None:
        for user in (self.admin, self.overseer):
            self.turn_on(user)
            r = self.client.post("/accounts/2fa/disable/", {"password": PASSWORD})
            self.assertEqual(r.status_code, 403)
            self.assertTrue(TOTPDevice.objects.filter(user=user).exists())

    def test_it_says_when_it_is_already_off(self) -> None:
        self.login(self.staff)
        r = self.client.post("/accounts/2fa/disable/", {"password": PASSWORD}, follow=True)
        self.assertRedirects(r, "/accounts/profile/")
        self.assertContains(r, "Two-factor authentication is already off for your account.")

    def test_it_is_out_of_reach_before_the_second_factor(self) -> None:
        TOTPDevice.objects.create(user=self.staff, name="app", confirmed=True)
        self.client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})
        r = self.client.post("/accounts/2fa/disable/", {"password": PASSWORD})
        self.assertEqual(r.status_code, 302)
        self.assertTrue(r["Location"].startswith("/accounts/2fa/verify/"))
        self.assertTrue(TOTPDevice.objects.filter(user=self.staff).exists())
