from __future__ import annotations

from django.urls import reverse

from audit.models import AuditEntry
from cchc.test import BaseTestCase


class ObjectHistoryTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.client.cookies["django_language"] = "en"
        AuditEntry.objects.all().delete()
        self.unit.name = "Phòng Hợp tác quốc tế và Lãnh sự"
        self.unit.save()
        self.other_unit.name = "Văn phòng"
        self.other_unit.save()
        self.url = reverse("audit:object_history", args=["accounts.unit", self.unit.pk])

    def test_it_shows_the_history_of_one_object(self) -> None:
        self.login(self.coordinator)
        r = self.client.get(self.url)
        self.assertContains(r, "History of Phòng Hợp tác quốc tế và Lãnh sự")
        self.assertEqual([e.object_id for e in r.context["page"].object_list], [str(self.unit.pk)])
        self.assertEqual(r.context["nav_active"], "audit")

    def test_it_hides_another_agency_history(self) -> None:
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_it_hides_history_from_staff(self) -> None:
        self.login(self.staff)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_it_answers_404_for_unknown_objects(self) -> None:
        self.login(self.admin)
        for args in (["accounts.unit", "999999"], ["nonsense", "1"]):
            self.assertEqual(self.client.get(reverse("audit:object_history", args=args)).status_code, 404)
