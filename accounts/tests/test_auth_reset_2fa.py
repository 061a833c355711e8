from django.core.cache import cache
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from cchc.test import BaseTestCase


class Reset2faTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.client.cookies["django_language"] = "en"

    def turn_on(self, user: User) -> None:
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        static = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
        StaticToken.objects.create(device=static, token="abcd2345")

    def url(self, user: User) -> str:
        return f"/accounts/people/{user.pk}/reset-2fa/"

    def test_it_lets_an_administrator_reset(self) -> None:
        self.turn_on(self.staff)
        self.login(self.admin)
        r = self.client.post(self.url(self.staff), {"next": "/org/"}, follow=True)
        self.assertRedirects(r, "/org/")
        self.assertContains(r, "Two-factor authentication of Phạm Minh Tuấn is reset.")
        self.assertFalse(TOTPDevice.objects.filter(user=self.staff).exists())
        self.assertFalse(StaticDevice.objects.filter(user=self.staff).exists())

    def test_it_lets_the_coordinator_reset_their_people(self) -> None:
        self.turn_on(self.staff)
        self.login(self.coordinator)
        r = self.client.post(self.url(self.staff))
        self.assertRedirects(r, "/", fetch_redirect_response=False)
        self.assertFalse(TOTPDevice.objects.filter(user=self.staff).exists())

    def test_it_makes_the_person_set_up_again_when_required(self) -> None:
        self.turn_on(self.overseer)
        self.login(self.admin)
        r = self.client.post(self.url(self.overseer), follow=True)
        self.assertContains(r, "They will set it up again at their next sign-in.")
        self.assertFalse(TOTPDevice.objects.filter(user=self.overseer).exists())

    def test_it_hides_people_of_other_agencies(self) -> None:
        self.turn_on(self.staff)
        self.login(self.outsider)
        self.assertEqual(self.client.post(self.url(self.staff)).status_code, 404)
        self.assertTrue(TOTPDevice.objects.filter(user=self.staff).exists())

    def test_it_refuses_people_who_cannot_manage(self) -> None:
        self.turn_on(self.coordinator)
        for user in (self.staff, self.leader, self.unit_head):
            self.login(user)
            self.assertEqual(self.client.post(self.url(self.coordinator)).status_code, 403)
        self.assertTrue(TOTPDevice.objects.filter(user=self.coordinator).exists())

    def test_it_keeps_coordinators_off_administrators(self) -> None:
        self.turn_on(self.admin)
        self.login(self.coordinator)
        self.assertEqual(self.client.post(self.url(self.admin)).status_code, 404)
        self.assertTrue(TOTPDevice.objects.filter(user=self.admin).exists())

    def test_it_refuses_ones_own(self) -> None:
        self.turn_on(self.coordinator)
        self.login(self.coordinator)
        self.assertEqual(self.client.post(self.url(self.coordinator)).status_code, 403)
        self.assertTrue(TOTPDevice.objects.filter(user=self.coordinator).exists())

    def test_it_answers_404_for_missing_people(self) -> None:
        self.login(self.admin)
        self.assertEqual(self.client.post("/accounts/people/999999/reset-2fa/").status_code, 404)

    def test_it_requires_post(self) -> None:
        self.turn_on(self.staff)
        self.login(self.admin)
        self.assertEqual(self.client.get(self.url(self.staff)).status_code, 405)
        self.assertTrue(TOTPDevice.objects.filter(user=self.staff).exists())

    def test_it_ignores_next_to_another_site(self) -> None:
        self.login(self.admin)
        r = self.client.post(self.url(self.staff), {"next": "https://evil.example/"})
        self.assertRedirects(r, "/", fetch_redirect_response=False)
