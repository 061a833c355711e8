from __future__ import annotations

from unittest import mock

from django.core import mail
from django.urls import reverse

from accounts.models import Membership, Role, User
from cchc.test import BaseTestCase


def person_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "full_name": "Ngô Văn Hùng",
        "username": "HungNV",
        "email": "Hung@Example.org",
        "phone": "0912 345 678",
        "position": "Chuyên viên",
        "role": Role.STAFF,
        "unit": "",
    }
    data.update(overrides)
    return data


class PersonCreateTestCase(BaseTestCase):
    def url(self) -> str:
        return reverse("org:person_create", args=[self.agency.pk])

    def test_it_keeps_the_person_when_the_mail_server_fails(self) -> None:
        self.login(self.coordinator)
        with (
            mock.patch("accounts.org_views.send_invitation", side_effect=OSError("connection refused")),
            self.assertLogs("accounts.org_views", level="ERROR"),
        ):
            r = self.client.post(self.url(), person_data(unit=self.unit.pk), follow=True)
        self.assertTrue(User.objects.filter(username="hungnv").exists())
        self.assertContains(r, "no invitation was sent")

    def test_it_creates_the_person_with_a_role_and_invites_them(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), person_data(unit=self.unit.pk))
        person = User.objects.get(username="hungnv")
        self.assertRedirects(r, reverse("org:person_detail", args=[person.pk]), fetch_redirect_response=False)
        self.assertEqual(
            (person.email, person.full_name, person.phone), ("hung@example.org", "Ngô Văn Hùng", "0912 345 678")
        )
        self.assertFalse(person.has_usable_password())
        membership = person.memberships.get()
        self.assertEqual((membership.agency, membership.unit, membership.role), (self.agency, self.unit, Role.STAFF))
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["hung@example.org"])

    def test_it_warns_when_no_invitation_can_be_sent(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), person_data(email="", role=Role.LEADER), follow=True)
        self.assertContains(r, "no invitation was sent")
        self.assertTrue(User.objects.filter(username="hungnv").exists())
        self.assertEqual(len(mail.outbox), 0)

    def test_it_requires_a_unit_for_unit_roles(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), person_data())
        self.assertContains(r, "Unit heads and civil servants belong to a unit: choose one.")
        self.assertFalse(User.objects.filter(username="hungnv").exists())

    def test_it_refuses_a_unit_of_another_agency(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), person_data(unit=self.other_unit.pk))
        self.assertIn("unit", r.context["form"].errors)
        self.assertFalse(User.objects.filter(username="hungnv").exists())

    def test_it_refuses_used_usernames_and_emails(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), person_data(username="STAFF", email="LEADER@example.org", role=Role.LEADER))
        self.assertContains(r, "A person with this username already exists.")
        self.assertContains(r, "Another person already uses this e-mail address.")
        self.assertEqual(User.objects.count(), 7)

    def test_it_keeps_admin_roles_for_administrators(self) -> None:
        self.login(self.coordinator)
        for role in (Role.ADMIN, Role.OVERSEER):
            r = self.client.post(self.url(), person_data(role=role))
            self.assertContains(r, f"Only system administrators may grant the role “{role.label}”.")
        self.assertFalse(User.objects.filter(username="hungnv").exists())
        self.assertNotContains(self.client.get(self.url()), f'value="{Role.ADMIN.value}"')

    def test_it_lets_an_administrator_create_an_administrator(self) -> None:
        self.login(self.admin)
        self.assertContains(self.client.get(self.url()), f'value="{Role.ADMIN.value}"')
        r = self.client.post(self.url(), person_data(role=Role.ADMIN))
        self.assertEqual(r.status_code, 302)
        self.assertTrue(Membership.objects.filter(user__username="hungnv", role=Role.ADMIN).exists())

    def test_it_is_for_coordinators_of_the_agency(self) -> None:
        self.login(self.leader)
        self.assertEqual(self.client.post(self.url(), person_data(role=Role.LEADER)).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.post(self.url(), person_data(role=Role.LEADER)).status_code, 404)
        self.assertFalse(User.objects.filter(username="hungnv").exists())
