import re
from datetime import timedelta

import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.core.mail import EmailMessage, EmailMultiAlternatives

from cchc.test import BaseTestCase

NEW = "a-much-longer-secret-2026"


def link_in(message: EmailMessage) -> str:
    match = re.search(r"http://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)", str(message.body))
    assert match, message.body
    return match.group(1)


class PasswordResetTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.client.cookies["django_language"] = "en"

    def request_link(self, email: str = "staff@example.org") -> str:
        r = self.client.post("/accounts/password/reset/", {"email": email})
        self.assertRedirects(r, "/accounts/password/reset/sent/", fetch_redirect_response=False)
        return link_in(mail.outbox[-1])

    def test_it_shows_the_form(self) -> None:
        self.assertContains(self.client.get("/accounts/password/reset/"), 'name="email"')

    def test_it_sends_a_link(self) -> None:
        r = self.client.post("/accounts/password/reset/", {"email": "STAFF@example.org"}, follow=True)
        self.assertRedirects(r, "/accounts/password/reset/sent/")
        self.assertContains(r, "If an account uses this e-mail address")
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["staff@example.org"])
        self.assertEqual(message.subject, "Reset your password for CCHC")
        self.assertIn("Hello Phạm Minh Tuấn,", message.body)
        self.assertIn("Your username is staff.", message.body)
        self.assertIn("The link works once, within 24 hours.", message.body)
        assert isinstance(message, EmailMultiAlternatives)
        html, mimetype = message.alternatives[0]
        self.assertEqual(mimetype, "text/html")
        self.assertIn(link_in(message), str(html))

    def test_it_gives_the_same_answer_for_unknown_addresses(self) -> None:
        r = self.client.post("/accounts/password/reset/", {"email": "nobody@example.org"}, follow=True)
        self.assertRedirects(r, "/accounts/password/reset/sent/")
        self.assertContains(r, "If an account uses this e-mail address")
        self.assertEqual(mail.outbox, [])

    def test_it_limits_e_mails_per_account(self) -> None:
        for _ in range(5):
            r = self.client.post("/accounts/password/reset/", {"email": "staff@example.org"})
            self.assertRedirects(r, "/accounts/password/reset/sent/", fetch_redirect_response=False)
        self.assertEqual(len(mail.outbox), 3)
        self.client.post("/accounts/password/reset/", {"email": "leader@example.org"})
        self.assertEqual(len(mail.outbox), 4)
        with time_machine.travel(timedelta(hours=1, seconds=1)):
            self.client.post("/accounts/password/reset/", {"email": "staff@example.org"})
        self.assertEqual(len(mail.outbox), 5)

    def test_it_does_not_mail_deactivated_accounts(self) -> None:
        self.staff.is_active = False
        self.staff.save()
        self.client.post("/accounts/password/reset/", {"email": "staff@example.org"})
        self.assertEqual(mail.outbox, [])

    def test_it_rejects_a_malformed_address(self) -> None:
        r = self.client.post("/accounts/password/reset/", {"email": "not an address"})
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.context["form"].has_error("email"))
        self.assertEqual(mail.outbox, [])

    def test_it_sets_the_new_password(self) -> None:
        link = self.request_link()
        r = self.client.get(link)
        self.assertEqual(r.status_code, 302)  # Django hides the token from the address bar
        form_url = r["Location"]
        r = self.client.get(form_url)
        self.assertContains(r, "Your username is staff.")
        r = self.client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
        self.assertRedirects(r, "/accounts/password/reset/complete/", fetch_redirect_response=False)
        self.staff.refresh_from_db()
        self.assertTrue(self.staff.check_password(NEW))
        self.assertNotIn(SESSION_KEY, self.client.session)
        # Used once only.
        r = self.client.get(link, follow=True)
        self.assertContains(r, "This link is invalid or has expired.")

    def test_it_applies_the_password_rules(self) -> None:
        form_url = self.client.get(self.request_link())["Location"]
        r = self.client.post(form_url, {"new_password1": "1234567890", "new_password2": "1234567890"})
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.context["form"].has_error("new_password2"))
        self.staff.refresh_from_db()
        self.assertFalse(self.staff.check_password("1234567890"))

    def test_it_refuses_an_expired_link(self) -> None:
        link = self.request_link()
        with time_machine.travel(timedelta(days=1, minutes=1)):
            r = self.client.get(link, follow=True)
        self.assertContains(r, "This link is invalid or has expired.")
        self.assertContains(r, 'href="/accounts/password/reset/"')
        self.assertNotContains(r, 'name="new_password1"')

    def test_it_refuses_a_forged_link(self) -> None:
        for bad in ("/accounts/password/reset/MQ/abc-def/", "/accounts/password/reset/zzz/set-password/"):
            r = self.client.get(bad, follow=True)
            self.assertContains(r, "This link is invalid or has expired.")
            r = self.client.post(bad, {"new_password1": NEW, "new_password2": NEW})
            self.assertContains(r, "This link is invalid or has expired.")
        self.staff.refresh_from_db()
        self.assertFalse(self.staff.check_password(NEW))

    def test_it_lets_people_without_a_password_set_one(self) -> None:
        self.staff.set_unusable_password()
        self.staff.save()
        form_url = self.client.get(self.request_link())["Location"]
        self.client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
        self.staff.refresh_from_db()
        self.assertTrue(self.staff.check_password(NEW))
