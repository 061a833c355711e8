"""The overseer's status page: every agency of the province for one period."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from accounts.models import Agency, Unit
from reports import calendar
from reports.models import (
    AgencyReport,
    AgencyReportStatus,
    Frequency,
    ReportingPeriod,
    ReportingSchedule,
    ReportStatus,
    UnitReport,
)
from reports.tests.base import ReportsTestCase, at

TODAY = "2026-03-25 09:00 +07:00"


class ProvinceStatusTests(ReportsTestCase):
    url = reverse("reports:province_status")

    def add_agency(self, code: str, *, units: int = 2, sent: bool = False) -> Agency:
        """An agency with Quarter I/2026, its units' reports (one on time, one late, the rest missing)."""
        agency = self._agency(code, f"Sở {code}", code.upper())
        schedule = ReportingSchedule(frequency=Frequency.QUARTERLY)
        period = ReportingPeriod.objects.create(
            agency=agency, frequency=Frequency.QUARTERLY, year=2026, number=1, **calendar.dates(schedule, 2026, 1)
        )
        for index in range(units):
            unit = Unit.objects.create(agency=agency, name=f"Phòng {index}", abbreviation=f"P{index}")
            submitted = {0: at(2026, 3, 15), 1: at(2026, 3, 18)}.get(index)
            UnitReport.objects.create(
                period=period,
                unit=unit,
                status=ReportStatus.SUBMITTED if submitted else ReportStatus.DRAFT,
                first_submitted_at=submitted,
                submitted_at=submitted,
            )
        if sent:
            AgencyReport.objects.create(
                period=period,
                status=AgencyReportStatus.SENT,
                title="Báo cáo quý I",
                first_sent_at=at(2026, 3, 20),
                sent_at=at(2026, 3, 20),
            )
        return agency

    def rows(self, response: object) -> dict[str, object]:
        return {row.agency.abbreviation: row for row in response.context["rows"]}  # type: ignore[attr-defined]

    @time_machine.travel(TODAY)
    def test_it_shows_every_agency_of_the_province_for_the_latest_period_due(self) -> None:
        self.add_agency("sxd", units=3, sent=True)
        self.login(self.overseer)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Reporting status: Quarter I/2026")
        rows = self.rows(response)
        self.assertEqual(set(rows), {"SNV", "SNgV", "STP", "SXD"})
        sxd = rows["SXD"]
        self.assertEqual(
            (sxd.expected, sxd.submitted, sxd.on_time, sxd.late, sxd.missing),  # type: ignore[attr-defined]
            (3, 2, 1, 1, 1),
        )
        self.assertTrue(sxd.can_open)  # type: ignore[attr-defined]
        own = rows["SNgV"]
        self.assertEqual((own.expected, own.submitted, own.missing), (1, 0, 1))  # type: ignore[attr-defined]
        self.assertEqual(own.report, self.agency_report)  # type: ignore[attr-defined]
        self.assertIsNone(rows["STP"].period)  # type: ignore[attr-defined]
        self.assertContains(response, "No such period in this agency")
        self.assertContains(response, reverse("reports:agency_report", args=[self.agency_report.pk]))
        self.assertNotIn("UBND", rows)

    @time_machine.travel(TODAY)
    def test_a_report_not_sent_is_not_linked_for_the_overseer(self) -> None:
        AgencyReport.objects.filter(pk=self.agency_report.pk).update(
            status=AgencyReportStatus.DRAFT, first_sent_at=None, sent_at=None
        )
        self.login(self.overseer)
        response = self.client.get(self.url)
        own = self.rows(response)["SNgV"]
        self.assertFalse(own.can_open)  # type: ignore[attr-defined]
        self.assertNotContains(response, reverse("reports:agency_report", args=[self.agency_report.pk]))
        self.assertContains(response, "Overdue")

    @time_machine.travel(TODAY)
    def test_it_runs_the_same_number_of_queries_for_3_and_6_agencies(self) -> None:
        self.login(self.overseer)
        self.client.get(self.url)  # sessions and caches
        with self.assertNumQueries(13):
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["rows"]), 3)
        for code in ("sa", "sb", "sc"):
            self.add_agency(code, sent=True)
        with self.assertNumQueries(13):
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["rows"]), 6)

    @time_machine.travel(TODAY)
    def test_it_shows_the_period_asked_for(self) -> None:
        self.login(self.admin)
        response = self.client.get(self.url, {"year": "2026", "period": "quarterly-2"})
        self.assertContains(response, "Reporting status: Quarter II/2026")
        self.assertTrue(all(row.period is None for row in response.context["rows"]))
        # Nonsense is ignored: the default period.
        response = self.client.get(self.url, {"year": "abc", "period": "weekly-x"})
        self.assertContains(response, "Reporting status: Quarter I/2026")

    def test_it_is_for_overseers_and_administrators(self) -> None:
        for persona in (self.leader, self.coordinator, self.unit_head, self.staff, self.outsider):
            self.login(persona)
            self.assertEqual(self.client.get(self.url).status_code, 403)
