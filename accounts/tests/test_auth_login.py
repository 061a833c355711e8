from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client

from accounts.models import User
from cchc.test import PASSWORD, BaseTestCase


class LoginTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.client.cookies["django_language"] = "en"

    def test_it_shows_the_form(self) -> None:
        r = self.client.get("/accounts/login/")
        self.assertContains(r, 'name="username"')
        self.assertContains(r, "Forgot your password?")

    def test_it_signs_in(self) -> None:
        r = self.client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})
        self.assertRedirects(r, "/", fetch_redirect_response=False)
        self.assertEqual(self.client.session[SESSION_KEY], str(self.staff.pk))
        self.staff.refresh_from_db()
        self.assertIsNotNone(self.staff.last_login)

    def test_it_ignores_username_case(self) -> None:
        r = self.client.post("/accounts/login/", {"username": " Staff ", "password": PASSWORD})
        self.assertRedirects(r, "/", fetch_redirect_response=False)
        self.assertEqual(self.client.session[SESSION_KEY], str(self.staff.pk))

    def test_it_rejects_wrong_password(self) -> None:
        r = self.client.post("/accounts/login/", {"username": "staff", "password": "wrong"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "The username or password is not correct.")
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_it_rejects_unknown_username(self) -> None:
        r = self.client.post("/accounts/login/", {"username": "nobody", "password": PASSWORD})
        self.assertContains(r, "The username or password is not correct.")
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_it_rejects_empty_form(self) -> None:
        r = self.client.post("/accounts/login/", {})
        self.assertEqual(r.status_code, 200)
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_it_rejects_deactivated_account(self) -> None:
        User.objects.filter(pk=self.staff.pk).update(is_active=False)
        r = self.client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})
        self.assertEqual(r.status_code, 200)
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_it_follows_safe_next(self) -> None:
        r = self.client.post("/accounts/login/?next=/accounts/profile/", {"username": "staff", "password": PASSWORD})
        self.assertRedirects(r, "/accounts/profile/", fetch_redirect_response=False)

    def test_it_keeps_next_in_the_form(self) -> None:
        r = self.client.get("/accounts/login/?next=/accounts/profile/")
        self.assertContains(r, 'name="next" value="/accounts/profile/"')

    def test_it_ignores_next_to_another_site(self) -> None:
        for bad in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
            self.client.logout()
            r = self.client.post("/accounts/login/", {"username": "staff", "password": PASSWORD, "next": bad})
            self.assertRedirects(r, "/", fetch_redirect_response=False)

    def test_it_redirects_a_signed_in_person(self) -> None:
        self.login(self.staff)
        r = self.client.get("/accounts/login/")
        self.assertRedirects(r, "/", fetch_redirect_response=False)

    def test_it_enforces_csrf(self) -> None:
        client = Client(enforce_csrf_checks=True)
        r = client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})
        self.assertEqual(r.status_code, 403)
        self.assertNotIn(SESSION_KEY, client.session)

    def test_it_accepts_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.get("/accounts/login/")
        token = client.cookies["csrftoken"].value
        r = client.post("/accounts/login/", {"username": "staff", "password": PASSWORD, "csrfmiddlewaretoken": token})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(client.session[SESSION_KEY], str(self.staff.pk))
