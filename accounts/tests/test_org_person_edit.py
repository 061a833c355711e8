from __future__ import annotations

from django.urls import reverse

from cchc.test import BaseTestCase


class PersonEditTestCase(BaseTestCase):
    def url(self, person=None) -> str:
        return reverse("org:person_edit", args=[(person or self.staff).pk])

    def data(self, **overrides: object) -> dict[str, object]:
        data: dict[str, object] = {
            "full_name": "Phạm Minh Tuấn",
            "username": "staff",
            "email": "staff@example.org",
            "phone": "",
            "position": "Chuyên viên chính",
        }
        data.update(overrides)
        return data

    def test_it_saves_the_details(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), self.data(email="Tuan.PM@Example.org"))
        self.assertRedirects(r, reverse("org:person_detail", args=[self.staff.pk]), fetch_redirect_response=False)
        self.staff.refresh_from_db()
        self.assertEqual((self.staff.position, self.staff.email), ("Chuyên viên chính", "tuan.pm@example.org"))

    def test_it_refuses_an_email_of_someone_else(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(self.url(), self.data(email="OUTSIDER@example.org"))
        self.assertContains(r, "Another person already uses this e-mail address.")
        self.staff.refresh_from_db()
        self.assertEqual(self.staff.email, "staff@example.org")

    def test_it_keeps_coordinators_away_from_administrators_and_other_agencies(self) -> None:
        self.login(self.coordinator)
        self.assertEqual(self.client.get(self.url(self.admin)).status_code, 404)  # not in a visible agency
        self.assertEqual(self.client.get(self.url(self.outsider)).status_code, 404)
        self.login(self.overseer)  # sees everyone of the province, manages nobody
        self.assertEqual(self.client.post(self.url(), self.data(full_name="X")).status_code, 403)
        self.staff.refresh_from_db()
        self.assertEqual(self.staff.full_name, "Phạm Minh Tuấn")

    def test_it_refuses_a_coordinator_editing_an_administrator_of_their_agency(self) -> None:
        from accounts.models import Membership, Role

        Membership.objects.create(user=self.admin, agency=self.agency, role=Role.LEADER)
        self.login(self.coordinator)
        self.assertEqual(self.client.get(self.url(self.admin)).status_code, 403)

    def test_it_lets_an_administrator_edit_anyone(self) -> None:
        self.login(self.admin)
        r = self.client.post(
            self.url(self.outsider), self.data(username="outsider", email="lan@example.org", full_name="Đỗ Thị Lan")
        )
        self.assertEqual(r.status_code, 302)
        self.outsider.refresh_from_db()
        self.assertEqual(self.outsider.email, "lan@example.org")
