from __future__ import annotations

from datetime import date
from decimal import Decimal

import time_machine
from django.urls import reverse

from reports import calendar, tracking
from reports.models import Frequency, ReportingPeriod, ReportingSchedule, ReportStatus, UnitReport
from reports.tests.base import ReportsTestCase, at


class RatesTestCase(ReportsTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        schedule = ReportingSchedule.objects.get(agency=cls.agency, frequency=Frequency.QUARTERLY)
        periods = {1: cls.period}
        for number in (2, 3, 4):
            periods[number] = ReportingPeriod.objects.create(
                agency=cls.agency,
                frequency=Frequency.QUARTERLY,
                year=2026,
                number=number,
                **calendar.dates(schedule, 2026, number),
            )
        # Units' due dates: 16/3, 16/6, 16/9, 16/12.
        submitted = ReportStatus.SUBMITTED
        UnitReport.objects.filter(pk=cls.unit_report.pk).update(status=submitted, first_submitted_at=at(2026, 3, 16))
        UnitReport.objects.create(
            period=periods[2], unit=cls.unit, status=submitted, first_submitted_at=at(2026, 6, 10)
        )
        UnitReport.objects.create(
            period=periods[3], unit=cls.unit, status=submitted, first_submitted_at=at(2026, 9, 20)
        )
        UnitReport.objects.create(period=periods[4], unit=cls.unit)  # not due yet: not counted
        UnitReport.objects.create(
            period=periods[1], unit=cls.office, status=submitted, first_submitted_at=at(2026, 3, 1)
        )
        UnitReport.objects.create(period=periods[2], unit=cls.office)  # missing
        UnitReport.objects.create(
            period=periods[3], unit=cls.office, status=submitted, first_submitted_at=at(2026, 9, 16)
        )
        # Submitted early for the fourth quarter: counts, on time.
        UnitReport.objects.create(
            period=periods[4], unit=cls.office, status=submitted, first_submitted_at=at(2026, 12, 1)
        )
        other_year = ReportingPeriod.objects.create(
            agency=cls.agency, frequency=Frequency.QUARTERLY, year=2025, number=4, **calendar.dates(schedule, 2025, 4)
        )
        UnitReport.objects.create(period=other_year, unit=cls.unit)

    def test_it_works_out_each_units_rate_in_one_query(self) -> None:
        with self.assertNumQueries(1):
            rows = tracking.unit_rates(self.agency, 2026, date(2026, 12, 5))
        by_unit = {r.unit: r for r in rows}
        a, b = by_unit[self.unit], by_unit[self.office]
        self.assertEqual((a.expected, a.submitted, a.on_time, a.late, a.missing), (3, 3, 2, 1, 0))
        self.assertEqual(a.rate, Decimal("66.7"))
        self.assertEqual((b.expected, b.submitted, b.on_time, b.late, b.missing), (4, 3, 3, 0, 1))
        self.assertEqual(b.rate, Decimal("75.0"))
        total = tracking.total(rows)
        self.assertEqual((total.expected, total.on_time, total.late, total.missing), (7, 5, 1, 1))
        self.assertEqual(total.rate, Decimal("71.4"))

    def test_it_counts_the_fourth_quarter_once_it_is_due(self) -> None:
        rows = {r.unit: r for r in tracking.unit_rates(self.agency, 2026, date(2026, 12, 17))}
        self.assertEqual((rows[self.unit].expected, rows[self.unit].missing), (4, 1))
        self.assertEqual(rows[self.unit].rate, Decimal("50.0"))

    @time_machine.travel(date(2026, 12, 5), tick=False)
    def test_it_shows_the_rates_page(self) -> None:
        self.login(self.staff)
        url = reverse("reports:rates", args=[self.agency.pk])
        with self.assertNumQueries(8):
            response = self.client.get(url, {"year": "2026"})
        self.assertContains(response, "66.7%")
        self.assertContains(response, "75.0%")
        self.assertContains(response, "71.4%")
        self.assertContains(response, "The whole agency")

    @time_machine.travel(date(2026, 12, 5), tick=False)
    def test_it_exports_the_rates_to_excel(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(reverse("reports:rates", args=[self.agency.pk]), {"year": "2026", "format": "xlsx"})
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertIn("2026", response["Content-Disposition"])

    def test_it_hides_another_agencys_rates(self) -> None:
        self.login(self.outsider)
        self.assertEqual(self.client.get(reverse("reports:rates", args=[self.agency.pk])).status_code, 404)

    def test_it_ignores_a_nonsense_year(self) -> None:
        self.login(self.staff)
        response = self.client.get(reverse("reports:rates", args=[self.agency.pk]), {"year": "abc\x00"})
        self.assertEqual(response.status_code, 200)
