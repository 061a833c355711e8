from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Agency, Unit, User
from audit.models import AuditEntry
from cchc.test import BaseTestCase

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


class AuditListTestCase(BaseTestCase):
    url = reverse("audit:list")

    def setUp(self) -> None:
        self.client.cookies["django_language"] = "en"
        AuditEntry.objects.all().delete()
        self.ours = self.entry(self.unit, "Phòng Hợp tác quốc tế", self.agency, actor=self.coordinator)
        self.theirs = self.entry(self.other_unit, "Văn phòng Sở Tư pháp", self.other_agency, actor=self.outsider)
        self.nowhere = self.entry(self.staff, "Phạm Minh Tuấn", None, action="create")

    def entry(
        self,
        obj: Any,
        repr: str,
        agency: Agency | None,
        *,
        actor: User | None = None,
        action: str = "update",
        when: datetime = datetime(2025, 3, 10, 9, 30, tzinfo=HCM),
        changes: dict[str, Any] | None = None,
    ) -> AuditEntry:
        return AuditEntry.objects.create(
            timestamp=when,
            actor=actor,
            actor_name=f"{actor.full_name} ({actor.username})" if actor else "system",
            agency=agency,
            action=action,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=repr,
            changes=changes if changes is not None else {"name": ["Cũ", "Mới"]},
        )

    def listed(self, **params: str) -> list[AuditEntry]:
        r = self.client.get(self.url, params)
        self.assertEqual(r.status_code, 200)
        return list(r.context["page"].object_list)

    def test_it_shows_administrators_everything(self) -> None:
        self.login(self.admin)
        self.assertEqual(set(self.listed()), {self.ours, self.theirs, self.nowhere})

    def test_it_shows_coordinators_their_agency_only(self) -> None:
        self.login(self.coordinator)
        self.assertEqual(self.listed(), [self.ours])
        self.login(self.outsider)
        self.assertEqual(self.listed(), [self.theirs])

    def test_it_hides_the_trail_from_everybody_else(self) -> None:
        for user in (self.leader, self.unit_head, self.staff, self.overseer):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 404, user.username)

    def test_it_requires_sign_in(self) -> None:
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 302)
        self.assertIn(reverse("accounts:login"), r["Location"])

    def test_it_is_read_only(self) -> None:
        self.login(self.admin)
        self.assertEqual(self.client.post(self.url).status_code, 405)
        self.assertEqual(AuditEntry.objects.count(), 3)

    def test_it_renders_time_who_and_changes(self) -> None:
        self.login(self.coordinator)
        r = self.client.get(self.url)
        self.assertContains(r, "10/03/2025 09:30")
        self.assertContains(r, "Trần Văn Bình (coordinator)")
        self.assertContains(r, "<del>Cũ</del> → <ins>Mới</ins>")
        self.assertContains(r, reverse("audit:object_history", args=["accounts.unit", self.unit.pk]))
        self.assertEqual(r.context["nav_active"], "audit")

    def test_it_filters_by_agency(self) -> None:
        self.login(self.admin)
        self.assertEqual(self.listed(agency=str(self.other_agency.pk)), [self.theirs])

    def test_it_offers_coordinators_only_their_agencies(self) -> None:
        self.login(self.coordinator)
        r = self.client.get(self.url, {"agency": self.other_agency.pk})
        self.assertEqual(list(r.context["form"].fields["agency"].queryset), [self.agency])
        self.assertContains(r, "Select a valid choice")
        self.assertEqual(list(r.context["page"].object_list), [self.ours])

    def test_it_filters_by_type_action_and_person(self) -> None:
        self.login(self.admin)
        self.assertEqual(self.listed(type="accounts.user"), [self.nowhere])
        self.assertEqual(set(self.listed(type="accounts.unit")), {self.ours, self.theirs})
        self.assertEqual(self.listed(action="create"), [self.nowhere])
        self.assertEqual(self.listed(person="bình"), [self.ours])

    def test_it_filters_by_object(self) -> None:
        self.login(self.admin)
        self.assertEqual(self.listed(q="tư pháp"), [self.theirs])
        self.assertEqual(self.listed(q=str(self.staff.pk)), [self.nowhere])

    def test_it_filters_by_dates_in_local_time(self) -> None:
        early = self.entry(self.unit, "Sáng sớm", self.agency, when=datetime(2025, 3, 11, 0, 30, tzinfo=HCM))
        late = self.entry(self.unit, "Tối muộn", self.agency, when=datetime(2025, 3, 12, 23, 59, tzinfo=HCM))
        self.login(self.coordinator)
        self.assertEqual(self.listed(date_from="11/03/2025"), [late, early])
        self.assertEqual(self.listed(date_to="11/03/2025"), [early, self.ours])
        self.assertEqual(self.listed(date_from="12/03/2025", date_to="12/03/2025"), [late])

    def test_it_explains_a_bad_date(self) -> None:
        self.login(self.coordinator)
        r = self.client.get(self.url, {"date_from": "2025-13-45"})
        self.assertContains(r, "Enter a date as dd/mm/yyyy")
        self.assertEqual(list(r.context["page"].object_list), [self.ours])

    def test_it_explains_reversed_dates(self) -> None:
        self.login(self.coordinator)
        r = self.client.get(self.url, {"date_from": "12/03/2025", "date_to": "01/03/2025"})
        self.assertContains(r, "The end date must not be before the start date.")

    def test_it_pages_by_fifty(self) -> None:
        for i in range(55):
            self.entry(self.office, f"Văn phòng {i}", self.agency)
        self.login(self.coordinator)
        r = self.client.get(self.url)
        self.assertEqual(len(r.context["page"].object_list), 50)
        self.assertContains(r, "?page=2")
        r = self.client.get(self.url, {"page": "2", "action": "update"})
        self.assertEqual(len(r.context["page"].object_list), 6)
        self.assertEqual(self.client.get(self.url, {"page": "x"}).status_code, 200)

    def test_it_uses_a_fixed_number_of_queries(self) -> None:
        self.login(self.coordinator)
        self.client.get(self.url)  # ContentType cache
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url, {"action": "update"})
        for i in range(30):
            obj = Unit(pk=1000 + i)
            self.entry(obj, f"Đơn vị {i}", self.agency, changes={"agency": [None, {"id": 1, "str": "X"}]})
        with self.assertNumQueries(len(few)):
            self.client.get(self.url, {"action": "update"})
        # session, person, memberships, count, agencies for the filter, page, and saving the session (3)
        self.assertEqual(len(few), 9)
