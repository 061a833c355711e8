from django.contrib.auth import SESSION_KEY

from cchc.test import BaseTestCase


class LogoutTestCase(BaseTestCase):
    def test_it_signs_out(self) -> None:
        self.login(self.staff)
        r = self.client.post("/accounts/logout/")
        self.assertRedirects(r, "/accounts/login/", fetch_redirect_response=False)
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_it_requires_post(self) -> None:
        self.login(self.staff)
        r = self.client.get("/accounts/logout/")
        self.assertEqual(r.status_code, 405)
        self.assertEqual(self.client.session[SESSION_KEY], str(self.staff.pk))
