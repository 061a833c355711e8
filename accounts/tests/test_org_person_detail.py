from __future__ import annotations

from datetime import date

import time_machine
from django.urls import reverse

from accounts.models import Membership, Role
from cchc.test import BaseTestCase


@time_machine.travel(date(2026, 3, 2), tick=False)
class PersonDetailTestCase(BaseTestCase):
    def url(self, person=None) -> str:
        return reverse("org:person_detail", args=[(person or self.staff).pk])

    def test_it_shows_details_and_roles_to_colleagues(self) -> None:
        self.login(self.leader)
        r = self.client.get(self.url())
        self.assertContains(r, "Phạm Minh Tuấn")
        self.assertContains(r, "staff@example.org")
        self.assertEqual([row[0].role for row in r.context["memberships"]], [Role.STAFF])
        self.assertNotContains(r, reverse("org:person_edit", args=[self.staff.pk]))
        self.assertNotContains(r, reverse("accounts:reset_2fa", args=[self.staff.pk]))

    def test_it_shows_management_to_the_coordinator(self) -> None:
        self.login(self.coordinator)
        r = self.client.get(self.url())
        membership = self.staff.memberships.get()
        self.assertContains(r, reverse("org:person_edit", args=[self.staff.pk]))
        self.assertContains(r, reverse("org:membership_add", args=[self.staff.pk]))
        self.assertContains(r, reverse("org:membership_end", args=[membership.pk]))
        self.assertContains(r, reverse("org:person_deactivate", args=[self.staff.pk]))
        self.assertContains(r, reverse("accounts:reset_2fa", args=[self.staff.pk]))
        self.assertContains(r, "Reset two-factor authentication")

    def test_it_lists_ended_roles_after_current_ones(self) -> None:
        Membership.objects.create(
            user=self.staff, agency=self.agency, role=Role.UNIT_HEAD, unit=self.office, valid_to=date(2025, 12, 31)
        )
        self.login(self.coordinator)
        r = self.client.get(self.url())
        self.assertEqual(
            [(m.role, ended, may_end) for m, ended, may_end in r.context["memberships"]],
            [(Role.STAFF, False, True), (Role.UNIT_HEAD, True, False)],
        )
        self.assertContains(r, "Ended on 31/12/2025")

    def test_it_shows_only_roles_in_agencies_the_viewer_sees(self) -> None:
        Membership.objects.create(user=self.staff, agency=self.other_agency, role=Role.LEADER)
        self.login(self.coordinator)
        r = self.client.get(self.url())
        self.assertEqual([m.agency for m, ended, may_end in r.context["memberships"]], [self.agency])

    def test_it_hides_people_of_other_agencies(self) -> None:
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.assertEqual(self.client.get(reverse("org:person_detail", args=[99999])).status_code, 404)


class PersonActiveTestCase(BaseTestCase):
    def test_it_deactivates_and_reactivates(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(reverse("org:person_deactivate", args=[self.staff.pk]))
        self.assertRedirects(r, reverse("org:person_detail", args=[self.staff.pk]), fetch_redirect_response=False)
        self.staff.refresh_from_db()
        self.assertFalse(self.staff.is_active)
        self.client.post(reverse("org:person_reactivate", args=[self.staff.pk]))
        self.staff.refresh_from_db()
        self.assertTrue(self.staff.is_active)

    def test_it_needs_post(self) -> None:
        self.login(self.coordinator)
        self.assertEqual(self.client.get(reverse("org:person_deactivate", args=[self.staff.pk])).status_code, 405)
        self.staff.refresh_from_db()
        self.assertTrue(self.staff.is_active)

    def test_it_refuses_your_own_account(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(reverse("org:person_deactivate", args=[self.coordinator.pk]), follow=True)
        self.assertContains(r, "You cannot deactivate or reactivate your own account.")
        self.coordinator.refresh_from_db()
        self.assertTrue(self.coordinator.is_active)

    def test_it_is_for_people_who_manage_the_person(self) -> None:
        self.login(self.leader)
        self.assertEqual(self.client.post(reverse("org:person_deactivate", args=[self.staff.pk])).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.post(reverse("org:person_deactivate", args=[self.staff.pk])).status_code, 404)
        self.staff.refresh_from_db()
        self.assertTrue(self.staff.is_active)
