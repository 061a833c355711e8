from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from services.models import Channel, Dossier, DossierStatus
from services.tests.base import ServicesTestCase


class ProcedureDetailTestCase(ServicesTestCase):
    def url(self) -> str:
        return reverse("services:procedure_detail", args=[self.procedure.pk])

    def test_it_shows_every_field_and_the_number_of_dossiers(self) -> None:
        before = Dossier.objects.filter(procedure=self.procedure).count()
        Dossier.objects.create(
            agency=self.agency,
            code="HS-1",
            procedure=self.procedure,
            channel=Channel.ONLINE,
            received_at=datetime(2024, 3, 1, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
            status=DossierStatus.RECEIVED,
        )
        self.login(self.outsider)
        response = self.client.get(self.url())
        self.assertEqual(response.context["dossier_count"], before + 1)
        for text in ("1.001234", "Lãnh sự", "Fully online", "5 working days", "50,000", "01/06/2023"):
            self.assertContains(response, text)
        self.assertNotContains(response, self.agency.name)
        self.assertNotContains(response, reverse("services:procedure_edit", args=[self.procedure.pk]))

    def test_it_shows_the_history_to_those_who_read_the_trail(self) -> None:
        self.login(self.coordinator)
        self.client.post(
            reverse("services:procedure_edit", args=[self.procedure.pk]),
            {
                "code": "1.001234",
                "name": "Tên đã sửa",
                "agency": self.agency.pk,
                "online_level": "partial",
                "time_unit": "working_days",
                "time_limit": "5",
                "fee": "50000",
                "published_on": "01/06/2023",
            },
        )
        response = self.client.get(self.url())
        self.assertContains(response, "Tên đã sửa")
        self.assertContains(response, self.coordinator.full_name)  # who changed it
        entries = response.context["page"].object_list
        self.assertEqual([entry.action for entry in entries], ["update", "create"])
        self.assertEqual(entries[0].actor, self.coordinator)
        self.login(self.staff)
        response = self.client.get(self.url())
        self.assertContains(response, "The history of changes is in the audit trail")
        self.assertNotContains(response, self.coordinator.full_name)
