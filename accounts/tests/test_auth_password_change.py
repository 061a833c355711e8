from django.contrib.auth import SESSION_KEY
from django.core.cache import cache

from cchc.test import PASSWORD, BaseTestCase

NEW = "a-much-longer-secret-2026"


class PasswordChangeTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.client.cookies["django_language"] = "en"
        self.login(self.staff)

    def change(self, old: str, new1: str, new2: str | None = None):
        data = {"old_password": old, "new_password1": new1, "new_password2": new2 or new1}
        return self.client.post("/accounts/password/change/", data)

    def test_it_shows_the_form(self) -> None:
        r = self.client.get("/accounts/password/change/")
        self.assertContains(r, 'name="old_password"')

    def test_it_changes_the_password(self) -> None:
        r = self.change(PASSWORD, NEW)
        self.assertRedirects(r, "/accounts/password/change/done/", fetch_redirect_response=False)
        self.staff.refresh_from_db()
        self.assertTrue(self.staff.check_password(NEW))
        # Still signed in.
        self.assertEqual(self.client.session[SESSION_KEY], str(self.staff.pk))
        self.assertContains(self.client.get("/accounts/password/change/done/"), "Your password is changed.")

    def test_it_rejects_a_wrong_old_password(self) -> None:
        r = self.change("wrong", NEW)
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.context["form"].has_error("old_password"))
        self.staff.refresh_from_db()
        self.assertTrue(self.staff.check_password(PASSWORD))

    def test_it_applies_the_password_rules(self) -> None:
        for weak in ("short1", "1234567890123", "password123", "phạm minh tuấn"):
            r = self.change(PASSWORD, weak)
            self.assertEqual(r.status_code, 200)
            self.assertTrue(r.context["form"].has_error("new_password2"), weak)
        self.staff.refresh_from_db()
        self.assertTrue(self.staff.check_password(PASSWORD))

    def test_it_rejects_different_new_passwords(self) -> None:
        r = self.change(PASSWORD, NEW, NEW + "x")
        self.assertTrue(r.context["form"].has_error("new_password2"))
        self.staff.refresh_from_db()
        self.assertTrue(self.staff.check_password(PASSWORD))

    def test_it_requires_sign_in(self) -> None:
        self.client.logout()
        r = self.client.get("/accounts/password/change/")
        self.assertEqual(r.status_code, 302)
