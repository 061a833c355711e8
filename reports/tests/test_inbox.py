"""The province's inbox: consolidated reports sent by the agencies of the province."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from accounts.models import Agency, AgencyKind, Membership, Role, User
from documents.models import OutgoingDocument
from reports import calendar
from reports.models import AgencyReport, AgencyReportStatus, Frequency, ReportingPeriod, ReportingSchedule
from reports.tests.base import ReportsTestCase, at

TODAY = "2026-04-10 09:00 +07:00"


class InboxTests(ReportsTestCase):
    url = reverse("reports:inbox")

    def send(self, agency: Agency, number: int, status: str, day: int) -> AgencyReport:
        schedule = ReportingSchedule(frequency=Frequency.QUARTERLY)
        period = ReportingPeriod.objects.create(
            agency=agency, frequency=Frequency.QUARTERLY, year=2026 - number, number=1,
            **calendar.dates(schedule, 2026 - number, 1),
        )  # fmt: skip
        outgoing = OutgoingDocument.objects.create(
            agency=agency,
            register_year=2026 - number,
            code_number=number + 3,
            code_notation=f"BC-{agency.abbreviation}",
            type_code="BC",
            type_name="Báo cáo",
            issued_date=period.cutoff,
            subject="Báo cáo",
        )
        return AgencyReport.objects.create(
            period=period,
            status=status,
            title="Báo cáo",
            outgoing=outgoing,
            first_sent_at=at(2026 - number, 3, day),
            sent_at=at(2026 - number, 3, day),
        )

    @time_machine.travel(TODAY)
    def test_it_lists_the_reports_sent_to_the_province_newest_first(self) -> None:
        older = self.send(self.other_agency, 1, AgencyReportStatus.RECEIVED, 25)
        AgencyReport.objects.create(period=ReportingPeriod.objects.create(
            agency=self.other_agency, frequency=Frequency.QUARTERLY, year=2026, number=2,
            **calendar.dates(ReportingSchedule(frequency=Frequency.QUARTERLY), 2026, 2),
        ), title="Chưa gửi")  # fmt: skip
        self.login(self.overseer)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(list(response.context["page"].object_list), [self.agency_report, older])
        self.assertContains(response, "Quarter I/2025")
        self.assertContains(response, "04/BC-STP")
        self.assertContains(response, "Late")  # sent 25/03/2025, due 19/03/2025
        self.assertContains(response, "On time")
        self.assertNotContains(response, "Chưa gửi")

    @time_machine.travel(TODAY)
    def test_it_filters_by_status_year_and_period(self) -> None:
        older = self.send(self.other_agency, 1, AgencyReportStatus.RECEIVED, 10)
        self.login(self.overseer)
        page = self.client.get(self.url, {"status": "received"}).context["page"]
        self.assertEqual(list(page.object_list), [older])
        page = self.client.get(self.url, {"year": "2026", "period": "quarterly-1"}).context["page"]
        self.assertEqual(list(page.object_list), [self.agency_report])
        page = self.client.get(self.url, {"period": "monthly-2"}).context["page"]
        self.assertEqual(list(page.object_list), [])
        # Nonsense filters are ignored rather than failing.
        response = self.client.get(self.url, {"status": "nope", "year": "x", "period": "weekly-"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["page"].object_list), 2)

    @time_machine.travel(TODAY)
    def test_it_pins_its_query_count(self) -> None:
        self.login(self.overseer)
        self.client.get(self.url)
        with self.assertNumQueries(10):
            self.client.get(self.url)
        for number in (1, 2, 3):
            self.send(self.other_agency, number, AgencyReportStatus.SENT, 18)
        with self.assertNumQueries(10):
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["page"].object_list), 4)

    @time_machine.travel(TODAY)
    def test_an_overseer_of_another_province_sees_nothing_of_this_one(self) -> None:
        province = Agency.objects.create(
            code="ubnd-x", kind=AgencyKind.PROVINCE, name="Ủy ban nhân dân tỉnh X", short_name="UBND tỉnh X",
            abbreviation="UBND", place_name="X",
        )  # fmt: skip
        home = Agency.objects.create(
            code="snv-x", kind=AgencyKind.DEPARTMENT, parent=province, name="Sở Nội vụ tỉnh X",
            short_name="Sở Nội vụ", abbreviation="SNV", place_name="X",
        )  # fmt: skip
        person = User.objects.create_user("overseer-x", "ox@example.org", "password", full_name="Vũ Văn X")
        Membership.objects.create(user=person, agency=home, role=Role.OVERSEER)
        self.login(person)
        response = self.client.get(self.url)
        self.assertEqual(list(response.context["page"].object_list), [])
        self.assertContains(response, "No report has been sent to the province yet.")

    def test_it_is_for_overseers_and_administrators(self) -> None:
        for persona in (self.leader, self.coordinator, self.unit_head, self.staff, self.outsider):
            self.login(persona)
            self.assertEqual(self.client.get(self.url).status_code, 403)
        self.login(self.admin)
        self.assertEqual(self.client.get(self.url).status_code, 200)
