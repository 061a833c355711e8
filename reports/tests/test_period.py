from __future__ import annotations

from datetime import date

import time_machine
from django.urls import reverse

from accounts.models import Unit
from plans.models import Task
from reports.models import AgencyReport, ReportingPeriod, ReportStatus, UnitReport
from reports.tests.base import ReportsTestCase, at


@time_machine.travel(date(2026, 3, 20), tick=False)
class PeriodPageTestCase(ReportsTestCase):
    def url(self) -> str:
        return reverse("reports:period", args=[self.period.pk])

    def test_it_tracks_every_units_submission(self) -> None:
        UnitReport.objects.filter(pk=self.unit_report.pk).update(
            status=ReportStatus.SUBMITTED, version=1, first_submitted_at=at(2026, 3, 17, 8).replace(minute=30),
            submitted_by=self.unit_head,
        )  # fmt: skip
        UnitReport.objects.create(period=self.period, unit=self.office)
        self.login(self.coordinator)
        response = self.client.get(self.url())
        self.assertContains(response, "17/03/2026 08:30")
        self.assertContains(response, self.unit_head.full_name)
        self.assertContains(response, '<span class="badge badge-warn">Late</span>', html=True)
        self.assertContains(response, '<span class="badge badge-danger">Missing</span>', html=True)
        self.assertEqual(response.context["counts"].expected, 2)
        self.assertEqual((response.context["counts"].late, response.context["counts"].missing), (1, 1))
        self.assertContains(response, reverse("reports:urge", args=[self.office.pk]))
        self.assertContains(response, reverse("reports:period_edit", args=[self.period.pk]))
        self.assertContains(response, reverse("reports:agency_report", args=[self.agency_report.pk]))

    def test_it_offers_the_coordinator_to_draft_the_consolidated_report(self) -> None:
        AgencyReport.objects.all().delete()
        self.login(self.coordinator)
        self.assertContains(self.client.get(self.url()), reverse("reports:agency_report_create", args=[self.period.pk]))
        self.login(self.leader)
        response = self.client.get(self.url())
        self.assertNotContains(response, reverse("reports:agency_report_create", args=[self.period.pk]))
        self.assertNotContains(response, reverse("reports:period_edit", args=[self.period.pk]))
        self.assertContains(response, "Not drafted yet")

    def test_it_shows_unit_people_only_their_units_row(self) -> None:
        UnitReport.objects.create(period=self.period, unit=self.office)
        self.login(self.staff)
        response = self.client.get(self.url())
        self.assertEqual([r.unit for r in response.context["reports"]], [self.unit])
        self.assertEqual(response.context["counts"].expected, 2)

    def test_it_keeps_its_query_count_whatever_the_number_of_units(self) -> None:
        self.login(self.coordinator)
        with self.assertNumQueries(10):
            self.client.get(self.url())
        for i in range(5):
            unit = Unit.objects.create(agency=self.agency, name=f"Phòng {i}", abbreviation=f"P{i}")
            UnitReport.objects.create(
                period=self.period, unit=unit, status=ReportStatus.SUBMITTED, first_submitted_at=at(2026, 3, 16),
                submitted_by=self.unit_head, reviewed_by=self.coordinator, reviewed_at=at(2026, 3, 17),
            )  # fmt: skip
        with self.assertNumQueries(10):
            response = self.client.get(self.url())
        self.assertEqual(len(response.context["reports"]), 6)

    def test_it_refreshes_the_expected_units(self) -> None:
        Task.objects.create(plan=self.plan, content="Nhiệm vụ của Văn phòng", lead_unit=self.office)
        self.login(self.coordinator)
        response = self.client.post(self.url(), {"refresh": "1"}, follow=True)
        self.assertContains(response, "1 report(s) added")
        self.assertEqual(
            set(UnitReport.objects.filter(period=self.period).values_list("unit", flat=True)),
            {self.unit.pk, self.office.pk},
        )

    def test_it_refuses_a_refresh_to_others(self) -> None:
        Task.objects.create(plan=self.plan, content="Nhiệm vụ của Văn phòng", lead_unit=self.office)
        self.login(self.unit_head)
        self.assertEqual(self.client.post(self.url(), {"refresh": "1"}).status_code, 403)
        self.assertEqual(UnitReport.objects.filter(period=self.period).count(), 1)


@time_machine.travel(date(2026, 3, 1), tick=False)
class PeriodEditTestCase(ReportsTestCase):
    def url(self) -> str:
        return reverse("reports:period_edit", args=[self.period.pk])

    def data(self, **changes: str) -> dict[str, str]:
        return {
            "start": "15/12/2025",
            "cutoff": "14/03/2026",
            "opens_on": "07/03/2026",
            "unit_due": "18/03/2026",
            "agency_due": "20/03/2026",
            **changes,
        }

    def test_it_saves_new_dates(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url(), self.data())
        self.assertRedirects(response, reverse("reports:period", args=[self.period.pk]))
        self.period.refresh_from_db()
        self.assertEqual((self.period.unit_due, self.period.agency_due), (date(2026, 3, 18), date(2026, 3, 20)))

    def test_it_refuses_a_cutoff_after_the_due_date(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url(), self.data(cutoff="19/03/2026"))
        self.assertContains(response, "The data cut-off must not be after the units&#x27; due date.")
        self.period.refresh_from_db()
        self.assertEqual((self.period.cutoff, self.period.unit_due), (date(2026, 3, 14), date(2026, 3, 16)))

    def test_it_refuses_the_units_due_after_the_agency(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url(), self.data(agency_due="17/03/2026", unit_due="18/03/2026"))
        self.assertContains(response, "The agency&#x27;s report cannot be due before its units&#x27; reports.")
        self.assertEqual(ReportingPeriod.objects.get(pk=self.period.pk).agency_due, date(2026, 3, 19))

    def test_it_asks_no_title_of_a_periodic_report(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(self.url())
        self.assertNotIn("title", response.context["form"].fields)

    def test_it_refuses_the_staff(self) -> None:
        self.login(self.staff)
        self.assertEqual(self.client.post(self.url(), self.data()).status_code, 403)
        self.period.refresh_from_db()
        self.assertEqual(self.period.unit_due, date(2026, 3, 16))
