from __future__ import annotations

from datetime import date

from reports import tracking
from reports.models import ReportStatus, UnitReport
from reports.tests.base import ReportsTestCase, at


class PeriodCountsTestCase(ReportsTestCase):
    def test_it_counts_submitted_on_time_late_missing_accepted_returned(self) -> None:
        UnitReport.objects.create(
            period=self.period, unit=self.office, status=ReportStatus.ACCEPTED, first_submitted_at=at(2026, 3, 16, 23)
        )
        UnitReport.objects.filter(pk=self.unit_report.pk).update(
            status=ReportStatus.RETURNED, first_submitted_at=at(2026, 3, 17, 8)
        )
        with self.assertNumQueries(1):
            counts = tracking.period_counts([self.period.pk], date(2026, 3, 20))
        self.assertEqual(
            counts[self.period.pk],
            tracking.PeriodCounts(expected=2, submitted=2, on_time=1, late=1, missing=0, accepted=1, returned=1),
        )

    def test_it_counts_missing_only_after_the_due_date(self) -> None:
        self.assertEqual(tracking.period_counts([self.period.pk], date(2026, 3, 16))[self.period.pk].missing, 0)
        self.assertEqual(tracking.period_counts([self.period.pk], date(2026, 3, 17))[self.period.pk].missing, 1)

    def test_it_leaves_out_periods_without_reports(self) -> None:
        self.assertEqual(tracking.period_counts([], date(2026, 3, 20)), {})

    def test_it_rounds_the_rate_half_up_to_one_decimal(self) -> None:
        self.assertEqual(str(tracking.rate(2, 3)), "66.7")
        self.assertEqual(str(tracking.rate(1, 3)), "33.3")
        self.assertEqual(str(tracking.rate(3, 3)), "100.0")
        self.assertIsNone(tracking.rate(0, 0))
