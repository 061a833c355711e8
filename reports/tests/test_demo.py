"""The demo's reporting: 2022 with every kind of outcome, and the current year."""

from __future__ import annotations

import time_machine
from django.test import TestCase

from front.tests.test_demo import load_demo
from notifications.models import EmailStatus, Kind, Notification, OutgoingEmail
from reports.models import AgencyReport, AgencyReportStatus, Frequency, ReportingPeriod, ReportStatus, UnitReport


def statuses(year: int, frequency: str, number: int) -> dict[str, str]:
    reports = UnitReport.objects.filter(period__year=year, period__frequency=frequency, period__number=number)
    return {r.unit.abbreviation: r.status for r in reports.select_related("unit")}


class ReportingDemoTestCase(TestCase):
    @time_machine.travel("2026-11-22 09:00 +07:00")
    def test_it_plays_2022_with_every_outcome_and_this_year(self) -> None:
        load_demo()
        periods = ReportingPeriod.objects.filter(year=2022, agency__code="sngv-binhphuoc")
        self.assertEqual(
            sorted(periods.values_list("frequency", "number")),
            [(Frequency.HALF_YEARLY, 1), (Frequency.QUARTERLY, 1), (Frequency.QUARTERLY, 3), (Frequency.YEARLY, 1)],
        )
        self.assertEqual(set(statuses(2022, Frequency.QUARTERLY, 1).values()), {ReportStatus.ACCEPTED})
        self.assertEqual(
            statuses(2022, Frequency.HALF_YEARLY, 1),
            {
                "VP": ReportStatus.ACCEPTED,
                "TTr": ReportStatus.ACCEPTED,
                "QLBG": ReportStatus.RETURNED,
                "HTQT": ReportStatus.SUBMITTED,
                "LS": ReportStatus.NOT_STARTED,
            },
        )
        late = UnitReport.objects.get(
            period__in=periods.filter(number=1, frequency=Frequency.QUARTERLY), unit__abbreviation="HTQT"
        )
        self.assertTrue(late.submitted_late())
        resubmitted = UnitReport.objects.get(
            period__in=periods.filter(number=1, frequency=Frequency.QUARTERLY), unit__abbreviation="LS"
        )
        self.assertEqual(resubmitted.version, 2)
        self.assertEqual(
            list(resubmitted.versions.values_list("action", flat=True)),
            ["accepted", "submitted", "returned", "submitted"],
        )

        q1 = AgencyReport.objects.get(period__year=2022, period__frequency=Frequency.QUARTERLY, period__number=1)
        self.assertEqual(q1.status, AgencyReportStatus.RECEIVED)
        self.assertIsNotNone(q1.outgoing)
        assert q1.outgoing is not None
        self.assertEqual(q1.outgoing.code_notation, "BC-SNgV")
        self.assertEqual(q1.outgoing.issued_date.year, 2022)
        self.assertFalse(q1.sent_late())
        h1 = AgencyReport.objects.get(period__year=2022, period__frequency=Frequency.HALF_YEARLY)
        self.assertEqual(h1.status, AgencyReportStatus.RETURNED)
        self.assertTrue(h1.sent_late())
        self.assertEqual(
            AgencyReport.objects.get(period__year=2022, period__frequency=Frequency.YEARLY).status,
            AgencyReportStatus.DRAFT,
        )

        # Reminders of quarter III: due soon and late to the heads, escalated to the Office, in the mail queue.
        reminders = Notification.objects.filter(created__year=2022)
        for kind in (Kind.REPORT_DUE_SOON, Kind.REPORT_LATE, Kind.REPORT_ESCALATED):
            self.assertTrue(reminders.filter(kind=kind).exists(), kind)
        self.assertTrue(reminders.filter(kind=Kind.REPORT_ESCALATED, recipient__username="vanphong").exists())
        self.assertTrue(OutgoingEmail.objects.filter(status=EmailStatus.QUEUED, created__year=2022).exists())

        # This year every period went smoothly but the latest, whose report waits for the Director.
        this_year = AgencyReport.objects.filter(period__year=2026).order_by("period__cutoff")
        self.assertEqual(
            list(this_year.values_list("status", flat=True)),
            [AgencyReportStatus.RECEIVED, AgencyReportStatus.RECEIVED, AgencyReportStatus.PENDING_APPROVAL],
        )
        # The yearly period has not opened yet: no reports to write.
        yearly = ReportingPeriod.objects.get(year=2026, frequency=Frequency.YEARLY, agency__code="sngv-binhphuoc")
        self.assertIsNone(yearly.opened_at)
        self.assertFalse(yearly.unit_reports.exists())

    @time_machine.travel("2026-11-22 09:00 +07:00")
    def test_it_is_idempotent(self) -> None:
        load_demo()
        counts = (ReportingPeriod.objects.count(), UnitReport.objects.count(), Notification.objects.count())
        out = load_demo()
        self.assertEqual(
            (ReportingPeriod.objects.count(), UnitReport.objects.count(), Notification.objects.count()), counts
        )
        self.assertNotIn("New demo reporting periods", out)
