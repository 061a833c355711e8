import re
from datetime import timedelta

import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.test import RequestFactory, override_settings

from accounts.emails import send_invitation
from accounts.models import User
from cchc.test import BaseTestCase

NEW = "a-much-longer-secret-2026"


def link_in(message: EmailMessage) -> str:
    match = re.search(r"(/accounts/password/reset/\S+/)", str(message.body))
    assert match, message.body
    return match.group(1)


class InvitationTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.client.cookies["django_language"] = "en"
        self.person = User.objects.create_user("newcomer", "newcomer@example.org", None, full_name="Vũ Thị Hoa")

    @override_settings(ALLOWED_HOSTS=["cchc.example.gov.vn"])
    def test_it_sends_a_set_password_link(self) -> None:
        request = RequestFactory().get("/", HTTP_HOST="cchc.example.gov.vn", secure=True)
        self.assertTrue(send_invitation(self.person, request))
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["newcomer@example.org"])
        self.assertIn("CCHC", message.subject)
        self.assertIn("Your username is newcomer.", message.body)
        self.assertIn("https://cchc.example.gov.vn/accounts/password/reset/", message.body)
        self.assertIn("https://cchc.example.gov.vn/accounts/login/", message.body)
        assert isinstance(message, EmailMultiAlternatives)
        self.assertEqual(message.alternatives[0][1], "text/html")

    @override_settings(SITE_URL="https://cchc.binhphuoc.gov.vn")
    def test_it_uses_site_url_without_a_request(self) -> None:
        send_invitation(self.person)
        self.assertIn("https://cchc.binhphuoc.gov.vn/accounts/password/reset/", mail.outbox[0].body)

    def test_it_lets_the_person_choose_a_password(self) -> None:
        send_invitation(self.person)
        path = link_in(mail.outbox[0])
        form_url = self.client.get(path)["Location"]
        r = self.client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
        self.assertRedirects(r, "/accounts/password/reset/complete/", fetch_redirect_response=False)
        self.person.refresh_from_db()
        self.assertTrue(self.person.check_password(NEW))

    def test_it_expires(self) -> None:
        send_invitation(self.person)
        path = link_in(mail.outbox[0])
        with time_machine.travel(timedelta(days=1, minutes=1)):
            r = self.client.get(path, follow=True)
        self.assertContains(r, "This link is invalid or has expired.")

    def test_it_skips_people_without_e_mail(self) -> None:
        self.person.email = ""
        self.person.save()
        self.assertFalse(send_invitation(self.person))
        self.assertEqual(mail.outbox, [])
