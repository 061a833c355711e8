from __future__ import annotations

from datetime import date

import time_machine
from django.urls import reverse

from accounts.models import Membership, Role
from cchc.test import BaseTestCase


class MembershipAddTestCase(BaseTestCase):
    def url(self, person=None) -> str:
        return reverse("org:membership_add", args=[(person or self.staff).pk])

    def data(self, **overrides: object) -> dict[str, object]:
        data: dict[str, object] = {
            "agency": self.agency.pk,
            "role": Role.UNIT_HEAD,
            "unit": self.office.pk,
            "valid_from": "",
        }
        data.update(overrides)
        return data

    def test_it_adds_a_role(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), self.data(valid_from="01/03/2026"))
        self.assertRedirects(r, reverse("org:person_detail", args=[self.staff.pk]), fetch_redirect_response=False)
        added = self.staff.memberships.get(role=Role.UNIT_HEAD)
        self.assertEqual((added.agency, added.unit, added.valid_from), (self.agency, self.office, date(2026, 3, 1)))

    def test_it_refuses_the_same_role_twice(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), self.data(role=Role.STAFF, unit=self.unit.pk))
        self.assertContains(r, "This person already has this role in this agency.")
        self.assertEqual(self.staff.memberships.count(), 1)

    def test_it_checks_unit_and_agency(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), self.data(unit=""))
        self.assertContains(r, "Unit heads and civil servants belong to a unit.")
        r = self.client.post(self.url(), self.data(unit=self.other_unit.pk))
        self.assertIn("unit", r.context["form"].errors)
        r = self.client.post(self.url(), self.data(agency=self.other_agency.pk, role=Role.LEADER, unit=""))
        self.assertIn("agency", r.context["form"].errors)
        self.assertEqual(self.staff.memberships.count(), 1)

    def test_it_keeps_admin_roles_for_administrators(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), self.data(role=Role.OVERSEER, unit=""))
        self.assertContains(r, "Only system administrators may grant the role “Provincial overseer”.")
        self.assertEqual(self.staff.memberships.count(), 1)
        self.login(self.admin)
        r = self.client.post(self.url(), self.data(agency=self.home_affairs.pk, role=Role.OVERSEER, unit=""))
        self.assertEqual(r.status_code, 302)
        self.assertTrue(self.staff.memberships.filter(role=Role.OVERSEER, agency=self.home_affairs).exists())

    def test_it_lists_the_units_of_the_chosen_agency(self) -> None:
        self.login(self.admin)
        r = self.client.get(self.url(), {"agency": self.other_agency.pk}, headers={"HX-Request": "true"})
        self.assertEqual(list(r.context["form"].fields["unit"].queryset), [self.other_unit])
        r = self.client.get(self.url())
        self.assertEqual(r.context["form"].initial["agency"], self.agency.pk)
        self.assertEqual(set(r.context["form"].fields["unit"].queryset), {self.office, self.unit})

    def test_it_is_for_people_who_manage_the_person(self) -> None:
        self.login(self.leader)
        self.assertEqual(self.client.post(self.url(), self.data()).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.post(self.url(), self.data()).status_code, 404)
        self.assertEqual(self.staff.memberships.count(), 1)


@time_machine.travel(date(2026, 3, 2), tick=False)
class MembershipEndTestCase(BaseTestCase):
    def url(self, membership: Membership) -> str:
        return reverse("org:membership_end", args=[membership.pk])

    def test_it_ends_a_role_today(self) -> None:
        membership = self.staff.memberships.get()
        self.login(self.coordinator)
        r = self.client.post(self.url(membership))
        self.assertRedirects(r, reverse("org:person_detail", args=[self.staff.pk]), fetch_redirect_response=False)
        membership.refresh_from_db()
        self.assertEqual(membership.valid_to, date(2026, 3, 2))
        r = self.client.post(self.url(membership), follow=True)
        self.assertEqual(r.status_code, 200)
        membership.refresh_from_db()
        self.assertEqual(membership.valid_to, date(2026, 3, 2))

    def test_it_needs_post(self) -> None:
        self.login(self.coordinator)
        self.assertEqual(self.client.get(self.url(self.staff.memberships.get())).status_code, 405)

    def test_it_does_not_let_a_coordinator_end_their_own_coordination(self) -> None:
        membership = self.coordinator.memberships.get()
        self.login(self.coordinator)
        r = self.client.post(self.url(membership), follow=True)
        self.assertContains(r, "You cannot end your own role as reform coordinator")
        membership.refresh_from_db()
        self.assertIsNone(membership.valid_to)

    def test_it_keeps_admin_roles_for_administrators(self) -> None:
        overseer_here = Membership.objects.create(user=self.staff, agency=self.agency, role=Role.OVERSEER)
        self.login(self.coordinator)
        self.assertEqual(self.client.post(self.url(overseer_here)).status_code, 403)
        overseer_here.refresh_from_db()
        self.assertIsNone(overseer_here.valid_to)
        self.login(self.admin)
        self.client.post(self.url(overseer_here))
        overseer_here.refresh_from_db()
        self.assertEqual(overseer_here.valid_to, date(2026, 3, 2))

    def test_it_is_for_people_who_manage_the_agency(self) -> None:
        membership = self.staff.memberships.get()
        self.login(self.leader)
        self.assertEqual(self.client.post(self.url(membership)).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.post(self.url(membership)).status_code, 404)
        membership.refresh_from_db()
        self.assertIsNone(membership.valid_to)
