from __future__ import annotations

from datetime import date
from typing import Any

import time_machine
from django.urls import reverse

from reports.models import Frequency, ReportingPeriod, ReportingSchedule, UnitReport, UrgingPolicy
from reports.tests.base import ReportsTestCase


@time_machine.travel(date(2026, 3, 10), tick=False)
class CalendarSettingsTestCase(ReportsTestCase):
    def url(self) -> str:
        return reverse("reports:calendar", args=[self.agency.pk])

    def data(self, **changes: dict[str, Any]) -> dict[str, Any]:
        schedules = list(ReportingSchedule.objects.filter(agency=self.agency))
        data: dict[str, Any] = {
            "schedule-TOTAL_FORMS": len(schedules),
            "schedule-INITIAL_FORMS": len(schedules),
            "policy-active": "on",
            "policy-task_days_before": "7, 2",
            "policy-report_days_before": "3, 1",
            "policy-escalate_to_head_after": 2,
            "policy-escalate_to_office_after": 5,
            "policy-send_hour": 7,
            "policy-digest_weekday": 0,
        }
        order = list(Frequency)
        for i, s in enumerate(sorted(schedules, key=lambda s: order.index(Frequency(s.frequency)))):
            row = {
                "id": s.pk,
                "cutoff_day": s.cutoff_day,
                "only": s.only,
                "opens_days_before": s.opens_days_before,
                "unit_due_days": s.unit_due_days,
                "agency_due_days": s.agency_due_days,
                **({"active": "on"} if s.active else {}),
                **changes.get(s.frequency, {}),
            }
            data.update({f"schedule-{i}-{k}": v for k, v in row.items()})
        return data

    def quarterly(self) -> ReportingSchedule:
        return ReportingSchedule.objects.get(agency=self.agency, frequency=Frequency.QUARTERLY)

    def test_it_shows_the_schedules_and_the_reminders(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(self.url())
        self.assertContains(response, "Quarterly")
        self.assertContains(response, "Nine-monthly")
        self.assertContains(response, "Remind of a task this many days before its due date")

    def test_it_saves_without_touching_the_periods_made(self) -> None:
        q2 = ReportingPeriod.objects.create(
            agency=self.agency, frequency=Frequency.QUARTERLY, year=2026, number=2,
            start=date(2026, 3, 15), cutoff=date(2026, 6, 14), opens_on=date(2026, 6, 7),
            unit_due=date(2026, 6, 16), agency_due=date(2026, 6, 19),
        )  # fmt: skip
        self.login(self.coordinator)
        data = self.data(quarterly={"cutoff_day": 31, "unit_due_days": 3})
        data["policy-send_hour"] = 8
        response = self.client.post(self.url(), data)
        self.assertRedirects(response, self.url())
        self.assertEqual((self.quarterly().cutoff_day, self.quarterly().unit_due_days), (31, 3))
        self.assertEqual(UrgingPolicy.objects.get(agency=self.agency).send_hour, 8)
        q2.refresh_from_db()
        self.assertEqual(q2.cutoff, date(2026, 6, 14))

    def test_it_recomputes_the_periods_not_yet_open_on_request(self) -> None:
        q2 = ReportingPeriod.objects.create(
            agency=self.agency, frequency=Frequency.QUARTERLY, year=2026, number=2,
            start=date(2026, 3, 15), cutoff=date(2026, 6, 14), opens_on=date(2026, 6, 7),
            unit_due=date(2026, 6, 16), agency_due=date(2026, 6, 19),
        )  # fmt: skip
        yearly = ReportingPeriod.objects.create(
            agency=self.agency, frequency=Frequency.YEARLY, year=2026, number=1,
            start=date(2025, 12, 15), cutoff=date(2026, 12, 14), opens_on=date(2026, 12, 7),
            unit_due=date(2026, 12, 16), agency_due=date(2026, 12, 19),
        )  # fmt: skip
        self.login(self.coordinator)
        data = self.data(quarterly={"cutoff_day": 31, "unit_due_days": 3}, yearly={"active": ""})
        del data[next(k for k, v in data.items() if k.endswith("-active") and k.startswith("schedule-4"))]
        data["recompute"] = "1"
        response = self.client.post(self.url(), data, follow=True)
        self.assertContains(response, "1 given new dates, 1 removed")
        q2.refresh_from_db()
        self.assertEqual((q2.start, q2.cutoff, q2.unit_due), (date(2026, 4, 1), date(2026, 6, 30), date(2026, 7, 3)))
        self.assertFalse(ReportingPeriod.objects.filter(pk=yearly.pk).exists())
        # The open first quarter keeps its dates and its reports.
        self.period.refresh_from_db()
        self.assertEqual(self.period.cutoff, date(2026, 3, 14))
        self.assertTrue(UnitReport.objects.filter(period=self.period).exists())

    def test_it_refuses_units_due_after_the_agency(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url(), self.data(quarterly={"unit_due_days": 9, "agency_due_days": 5}))
        self.assertContains(response, "The agency&#x27;s report cannot be due before its units&#x27; reports.")
        self.assertEqual(self.quarterly().unit_due_days, 2)

    def test_it_refuses_a_bad_list_of_periods_and_saves_nothing(self) -> None:
        self.login(self.coordinator)
        data = self.data(quarterly={"only": "1, quý 3", "cutoff_day": 20})
        data["policy-task_days_before"] = "bảy"
        response = self.client.post(self.url(), data)
        self.assertContains(response, "Write whole numbers from 0 to 366 separated by commas", count=2)
        self.assertEqual((self.quarterly().only, self.quarterly().cutoff_day), ("", 14))
        self.assertEqual(UrgingPolicy.objects.get(agency=self.agency).task_days_before, "7, 2")

    def test_it_refuses_a_cutoff_day_out_of_range_and_nul_characters(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url(), self.data(quarterly={"cutoff_day": 32, "only": "1\x00"}))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.quarterly().cutoff_day, 14)

    def test_it_does_not_let_a_form_reach_another_agencys_schedule(self) -> None:
        other = ReportingSchedule.objects.create(agency=self.other_agency, frequency=Frequency.QUARTERLY)
        self.login(self.coordinator)
        data = self.data(quarterly={"cutoff_day": 20})
        key = next(k for k, v in data.items() if k.endswith("-id") and v == self.quarterly().pk)
        data[key] = other.pk
        self.client.post(self.url(), data)
        other.refresh_from_db()
        self.assertEqual(other.cutoff_day, 14)


@time_machine.travel(date(2026, 3, 10), tick=False)
class AdHocTestCase(ReportsTestCase):
    def url(self) -> str:
        return reverse("reports:adhoc_create", args=[self.agency.pk])

    def data(self, **changes: str) -> dict[str, str]:
        return {
            "title": "Báo cáo kết quả số hóa hồ sơ",
            "request_reference": "Công văn số 123/UBND-NC ngày 02/3/2026",
            "start": "01/01/2026",
            "cutoff": "10/03/2026",
            "opens_on": "10/03/2026",
            "unit_due": "13/03/2026",
            "agency_due": "16/03/2026",
            **changes,
        }

    def test_it_offers_today_as_the_opening_day(self) -> None:
        self.login(self.coordinator)
        self.assertContains(self.client.get(self.url()), 'value="10/03/2026"')

    def test_it_creates_an_open_request_with_the_units_reports(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url(), self.data())
        period = ReportingPeriod.objects.get(frequency=Frequency.AD_HOC)
        self.assertRedirects(response, reverse("reports:period", args=[period.pk]))
        self.assertEqual((period.year, period.number, period.agency), (2026, 1, self.agency))
        self.assertEqual(period.label, "Báo cáo kết quả số hóa hồ sơ")
        self.assertIsNotNone(period.opened_at)
        self.assertEqual(list(period.unit_reports.values_list("unit", flat=True)), [self.unit.pk])
        self.client.post(self.url(), self.data(title="Lần hai"))
        self.assertEqual(
            list(
                ReportingPeriod.objects.filter(frequency=Frequency.AD_HOC)
                .values_list("number", flat=True)
                .order_by("number")
            ),
            [1, 2],
        )

    def test_it_leaves_a_later_request_closed_until_its_day(self) -> None:
        self.login(self.coordinator)
        self.client.post(self.url(), self.data(opens_on="12/03/2026"))
        period = ReportingPeriod.objects.get(frequency=Frequency.AD_HOC)
        self.assertIsNone(period.opened_at)
        self.assertFalse(period.unit_reports.exists())

    def test_it_refuses_a_cutoff_after_the_due_date(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url(), self.data(cutoff="14/03/2026"))
        self.assertContains(response, "The data cut-off must not be after the units&#x27; due date.")
        self.assertFalse(ReportingPeriod.objects.filter(frequency=Frequency.AD_HOC).exists())

    def test_it_requires_a_title_and_dates(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url(), self.data(title="", unit_due="31/02/2026"))
        self.assertContains(response, "This field is required.")
        self.assertContains(response, "Enter a valid date.")
        self.assertFalse(ReportingPeriod.objects.filter(frequency=Frequency.AD_HOC).exists())

    def test_it_refuses_the_unit_head(self) -> None:
        self.login(self.unit_head)
        self.assertEqual(self.client.post(self.url(), self.data()).status_code, 403)
        self.assertFalse(ReportingPeriod.objects.filter(frequency=Frequency.AD_HOC).exists())
