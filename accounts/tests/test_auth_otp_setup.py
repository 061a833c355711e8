from django.core.cache import cache
from django.test import override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import SESSION_FLAG
from cchc.test import PASSWORD, BaseTestCase


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


class OtpSetupTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.client.cookies["django_language"] = "en"

    def sign_in(self, username: str) -> None:
        r = self.client.post("/accounts/login/", {"username": username, "password": PASSWORD})
        self.assertEqual(r.status_code, 302)

    def test_it_shows_qr_code_and_key(self) -> None:
        self.login(self.staff)
        r = self.client.get("/accounts/2fa/setup/")
        device = TOTPDevice.objects.get(user=self.staff)
        self.assertFalse(device.confirmed)
        self.assertContains(r, "<svg")
        self.assertContains(r, 'role="img"')
        secret = r.context["secret"]
        self.assertEqual(
            secret.replace(" ", ""), r.context["qr"] and device.config_url.split("secret=")[1].split("&")[0]
        )
        self.assertContains(r, secret)
        self.assertNotContains(r, "style=")  # the Content-Security-Policy forbids inline styles

    def test_it_keeps_the_key_when_reloaded(self) -> None:
        self.login(self.staff)
        first = self.client.get("/accounts/2fa/setup/").context["secret"]
        second = self.client.get("/accounts/2fa/setup/").context["secret"]
        self.assertEqual(first, second)
        self.assertEqual(TOTPDevice.objects.filter(user=self.staff).count(), 1)

    def test_it_turns_on_two_factor(self) -> None:
        self.login(self.staff)
        self.client.get("/accounts/2fa/setup/")
        device = TOTPDevice.objects.get(user=self.staff)
        r = self.client.post("/accounts/2fa/setup/", {"code": code(device)})
        self.assertEqual(r.status_code, 200)
        self.assertTemplateUsed(r, "accounts/otp_backup_codes.html")
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        self.assertEqual(self.client.session[DEVICE_ID_SESSION_KEY], device.persistent_id)
        self.assertNotIn(SESSION_FLAG, self.client.session)
        static = StaticDevice.objects.get(user=self.staff)
        tokens = set(StaticToken.objects.filter(device=static).values_list("token", flat=True))
        self.assertEqual(len(tokens), 10)
        self.assertEqual(set(r.context["codes"]), tokens)
        for token in tokens:
            self.assertContains(r, token)

    def test_it_rejects_a_wrong_code(self) -> None:
        self.login(self.staff)
        self.client.get("/accounts/2fa/setup/")
        device = TOTPDevice.objects.get(user=self.staff)
        wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
        r = self.client.post("/accounts/2fa/setup/", {"code": wrong})
        self.assertContains(r, "The code is not correct.")
        device.refresh_from_db()
        self.assertFalse(device.confirmed)
        self.assertFalse(StaticDevice.objects.filter(user=self.staff).exists())

    def test_it_rejects_a_code_that_is_not_six_digits(self) -> None:
        self.login(self.staff)
        self.client.get("/accounts/2fa/setup/")
        r = self.client.post("/accounts/2fa/setup/", {"code": "12ab"})
        self.assertContains(r, "The code has 6 digits, e.g. 123456.")
        self.assertFalse(TOTPDevice.objects.get(user=self.staff).confirmed)

    def test_it_sends_administrators_to_set_up(self) -> None:
        self.sign_in("admin")
        r = self.client.get("/")
        self.assertRedirects(r, "/accounts/2fa/setup/", fetch_redirect_response=False)
        r = self.client.get("/accounts/profile/")
        self.assertRedirects(r, "/accounts/2fa/setup/", fetch_redirect_response=False)
        r = self.client.get("/accounts/2fa/setup/")
        self.assertContains(r, "Your role requires two-factor authentication.")
        self.assertNotContains(r, "Not now")

        device = TOTPDevice.objects.get(user=self.admin)
        self.client.post("/accounts/2fa/setup/", {"code": code(device)})
        self.assertEqual(self.client.get("/").status_code, 200)

    def test_it_sends_overseers_to_set_up(self) -> None:
        self.sign_in("overseer")
        self.assertRedirects(self.client.get("/"), "/accounts/2fa/setup/", fetch_redirect_response=False)

    @override_settings(TWO_FACTOR_REQUIRED_ROLES=["coordinator"])
    def test_it_reads_required_roles_from_settings(self) -> None:
        self.sign_in("coordinator")
        self.assertRedirects(self.client.get("/"), "/accounts/2fa/setup/", fetch_redirect_response=False)

    def test_it_is_optional_for_staff(self) -> None:
        self.sign_in("staff")
        self.assertEqual(self.client.get("/").status_code, 200)
        r = self.client.get("/accounts/2fa/setup/")
        self.assertContains(r, "Not now")
        self.assertNotContains(r, "Your role requires two-factor authentication.")

    def test_it_sends_people_who_have_it_to_their_profile(self) -> None:
        TOTPDevice.objects.create(user=self.staff, name="app", confirmed=True)
        self.sign_in("staff")
        device = TOTPDevice.objects.get(user=self.staff)
        self.client.post("/accounts/2fa/verify/", {"code": code(device)})
        r = self.client.get("/accounts/2fa/setup/")
        self.assertRedirects(r, "/accounts/profile/", fetch_redirect_response=False)
        self.assertEqual(TOTPDevice.objects.filter(user=self.staff).count(), 1)

    def test_it_requires_sign_in(self) -> None:
        r = self.client.get("/accounts/2fa/setup/")
        self.assertEqual(r.status_code, 302)
        self.assertFalse(TOTPDevice.objects.exists())
