from django.core.cache import cache
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cchc.test import BaseTestCase


class ProfileTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.client.cookies["django_language"] = "en"

    def test_it_shows_details_and_roles(self) -> None:
        self.login(self.staff)
        r = self.client.get("/accounts/profile/")
        self.assertContains(r, "staff")
        self.assertContains(r, 'value="Phạm Minh Tuấn"')
        self.assertContains(r, "Civil servant in Phòng Hợp tác quốc tế, Sở Ngoại vụ tỉnh Bình Phước")
        self.assertContains(r, "/accounts/password/change/")
        self.assertContains(r, "/accounts/2fa/setup/")
        self.assertNotContains(r, 'name="username"')

    def test_it_shows_two_factor_status(self) -> None:
        TOTPDevice.objects.create(user=self.staff, name="app", confirmed=True)
        static = StaticDevice.objects.create(user=self.staff, name="backup", confirmed=True)
        StaticToken.objects.bulk_create(StaticToken(device=static, token=f"token{i}") for i in range(3))
        self.login(self.staff)
        r = self.client.get("/accounts/profile/")
        self.assertContains(r, "3 unused backup codes left.")
        self.assertContains(r, "/accounts/2fa/disable/")

    def test_it_does_not_offer_turning_off_a_required_factor(self) -> None:
        TOTPDevice.objects.create(user=self.admin, name="app", confirmed=True)
        self.login(self.admin)
        r = self.client.get("/accounts/profile/")
        self.assertContains(r, "Your role requires two-factor authentication, so it cannot be turned off.")
        self.assertNotContains(r, "/accounts/2fa/disable/")

    def test_it_saves_changes(self) -> None:
        self.login(self.staff)
        data = {
            "full_name": "  Phạm  Minh Tuấn Anh ",
            "email": "Tuan@Example.org",
            "phone": "0912 345 678",
            "position": "Chuyên viên",
            "username": "hacker",
        }
        r = self.client.post("/accounts/profile/", data, follow=True)
        self.assertRedirects(r, "/accounts/profile/")
        self.assertContains(r, "Your profile is saved.")
        self.staff.refresh_from_db()
        self.assertEqual(self.staff.full_name, "Phạm Minh Tuấn Anh")
        self.assertEqual(self.staff.email, "tuan@example.org")
        self.assertEqual(self.staff.phone, "0912 345 678")
        self.assertEqual(self.staff.position, "Chuyên viên")
        self.assertEqual(self.staff.username, "staff")

    def test_it_rejects_an_e_mail_of_another_person(self) -> None:
        self.login(self.staff)
        r = self.client.post("/accounts/profile/", {"full_name": "Phạm Minh Tuấn", "email": "LEADER@example.org"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Another person already uses this e-mail address.")
        self.staff.refresh_from_db()
        self.assertEqual(self.staff.email, "staff@example.org")

    def test_it_rejects_bad_input(self) -> None:
        self.login(self.staff)
        r = self.client.post("/accounts/profile/", {"full_name": "   ", "email": "not-an-address"})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(set(r.context["form"].errors), {"full_name", "email"})
        # The page header keeps the stored name, not the rejected one.
        self.assertContains(r, '<a class="topbar-user" href="/accounts/profile/">Phạm Minh Tuấn</a>', html=True)
        self.staff.refresh_from_db()
        self.assertEqual(self.staff.full_name, "Phạm Minh Tuấn")

    def test_it_requires_sign_in(self) -> None:
        r = self.client.get("/accounts/profile/")
        self.assertRedirects(r, "/accounts/login/?next=/accounts/profile/", fetch_redirect_response=False)
