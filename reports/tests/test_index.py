from __future__ import annotations

from datetime import date

import time_machine
from django.urls import reverse

from reports import calendar
from reports.models import Frequency, ReportingPeriod, ReportStatus, UnitReport
from reports.tests.base import ReportsTestCase, at


@time_machine.travel(date(2026, 3, 17), tick=False)
class IndexTestCase(ReportsTestCase):
    url = reverse("reports:index")

    def test_it_makes_the_years_periods_and_shows_them(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(self.url)
        self.assertEqual(ReportingPeriod.objects.filter(agency=self.agency, year=2026).count(), 6)
        self.assertContains(response, "Quarter I/2026")
        self.assertContains(response, "First six months of 2026")
        self.assertContains(response, "15/12/2025 – 14/03/2026")
        self.assertContains(response, "0/1 submitted, 1 missing")
        self.assertContains(response, reverse("reports:calendar", args=[self.agency.pk]))
        self.assertContains(response, reverse("reports:adhoc_create", args=[self.agency.pk]))
        self.assertContains(response, reverse("reports:rates", args=[self.agency.pk]))
        self.assertNotContains(response, reverse("reports:inbox"))

    def test_it_opens_the_periods_whose_day_has_come(self) -> None:
        q2 = ReportingPeriod.objects.create(
            agency=self.agency,
            frequency=Frequency.MONTHLY,
            year=2026,
            number=3,
            start=date(2026, 2, 15),
            cutoff=date(2026, 3, 14),
            opens_on=date(2026, 3, 7),
            unit_due=date(2026, 3, 16),
            agency_due=date(2026, 3, 19),
        )
        self.login(self.staff)
        self.client.get(self.url)
        self.assertEqual(list(UnitReport.objects.filter(period=q2).values_list("unit", flat=True)), [self.unit.pk])

    def test_it_links_a_unit_person_to_their_report(self) -> None:
        UnitReport.objects.filter(pk=self.unit_report.pk).update(
            status=ReportStatus.SUBMITTED, first_submitted_at=at(2026, 3, 17)
        )
        self.login(self.unit_head)
        response = self.client.get(self.url)
        self.assertContains(response, reverse("reports:unit_report", args=[self.unit_report.pk]))
        self.assertContains(response, "1/1 submitted, 1 late")
        self.assertNotContains(response, reverse("reports:calendar", args=[self.agency.pk]))

    def test_it_shows_the_overseer_the_province_links_and_an_agency_chooser(self) -> None:
        self.login(self.overseer)
        response = self.client.get(self.url)
        self.assertContains(response, reverse("reports:inbox"))
        self.assertContains(response, reverse("reports:province_status"))
        self.assertContains(response, "Choose an agency")
        response = self.client.get(self.url, {"agency": self.agency.pk})
        self.assertContains(response, "Quarter I/2026")
        # An overseer's visit makes no periods: only the agency's own people's do.
        self.assertEqual(ReportingPeriod.objects.filter(agency=self.agency, year=2026).count(), 1)

    def test_it_does_not_show_another_agencys_periods(self) -> None:
        self.login(self.outsider)
        response = self.client.get(self.url, {"agency": self.agency.pk})
        self.assertNotContains(response, self.agency.name)
        self.assertNotContains(response, "Quarter I/2026")

    def test_it_keeps_its_query_count_whatever_the_number_of_periods(self) -> None:
        self.login(self.unit_head)
        self.client.get(self.url)  # makes the year's periods
        with self.assertNumQueries(12):
            self.client.get(self.url)
        schedule = calendar.ensure_schedules(self.agency)[0]  # monthly
        schedule.active = True
        schedule.save()
        calendar.ensure_periods(self.agency, 2026)
        calendar.open_due_periods(now=at(2026, 3, 17), agencies=[self.agency.pk])
        self.assertEqual(ReportingPeriod.objects.filter(agency=self.agency, year=2026).count(), 18)
        with self.assertNumQueries(12):
            response = self.client.get(self.url)
        self.assertContains(response, "Month 12/2026")

    def test_it_ignores_a_nonsense_year(self) -> None:
        self.login(self.staff)
        response = self.client.get(self.url, {"year": "99999999999999999999", "agency": "x"})
        self.assertContains(response, "Reporting periods of 2026")
        self.assertFalse(ReportingPeriod.objects.filter(year__gt=2027).exists())
