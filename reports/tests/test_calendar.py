from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from plans.models import Plan, PlanStatus, Task
from reports import calendar
from reports.models import Frequency, ReportingPeriod, ReportingSchedule, UnitReport
from reports.tests.base import ReportsTestCase, at


class CalendarTestCase(ReportsTestCase):
    def schedule(self, frequency: str = Frequency.QUARTERLY, **changes: object) -> ReportingSchedule:
        schedule = ReportingSchedule.objects.get(agency=self.agency, frequency=frequency)
        for name, value in changes.items():
            setattr(schedule, name, value)
        schedule.save()
        return schedule

    def test_it_follows_decree_09_by_default(self) -> None:
        dates = calendar.dates(self.schedule(), 2022, 1)
        self.assertEqual(
            dates,
            {
                "start": date(2021, 12, 15),
                "cutoff": date(2022, 3, 14),
                "opens_on": date(2022, 3, 7),
                "unit_due": date(2022, 3, 16),
                "agency_due": date(2022, 3, 19),
            },
        )
        half = calendar.dates(self.schedule(Frequency.HALF_YEARLY), 2022, 1)
        self.assertEqual((half["start"], half["cutoff"]), (date(2021, 12, 15), date(2022, 6, 14)))
        year = calendar.dates(self.schedule(Frequency.YEARLY), 2022, 1)
        self.assertEqual((year["start"], year["cutoff"]), (date(2021, 12, 15), date(2022, 12, 14)))

    def test_it_reads_cutoff_day_31_as_the_end_of_the_month(self) -> None:
        schedule = self.schedule(cutoff_day=31)
        q1 = calendar.dates(schedule, 2024, 1)
        self.assertEqual(
            (q1["start"], q1["cutoff"], q1["unit_due"]), (date(2024, 1, 1), date(2024, 3, 31), date(2024, 4, 2))
        )
        monthly = calendar.dates(self.schedule(Frequency.MONTHLY, cutoff_day=31), 2024, 2)
        self.assertEqual((monthly["start"], monthly["cutoff"]), (date(2024, 2, 1), date(2024, 2, 29)))

    def test_it_makes_the_periods_of_the_schedules_in_force_once(self) -> None:
        made = calendar.ensure_periods(self.agency, 2022)
        self.assertEqual(
            sorted((p.frequency, p.number) for p in made),
            sorted(
                [(Frequency.QUARTERLY, n) for n in (1, 2, 3, 4)] + [(Frequency.HALF_YEARLY, 1), (Frequency.YEARLY, 1)]
            ),
        )
        self.assertEqual(calendar.ensure_periods(self.agency, 2022), [])
        self.assertEqual(ReportingPeriod.objects.filter(agency=self.agency, year=2022).count(), 6)

    def test_it_starts_a_schedule_switched_on_mid_year_with_the_next_period(self) -> None:
        self.schedule(Frequency.MONTHLY, active=True)
        made = calendar.ensure_periods(self.agency, 2022, since=date(2022, 11, 10))
        monthly = sorted(p.number for p in made if p.frequency == Frequency.MONTHLY)
        # October's report was due on 16/10: not made, so it never counts as missing.
        self.assertEqual(monthly, [11, 12])
        self.assertEqual(sorted(p.number for p in made if p.frequency == Frequency.QUARTERLY), [4])
        # Without `since` (the demo, a year replayed) every period is made.
        self.assertEqual(len([p for p in calendar.ensure_periods(self.agency, 2022) if p.frequency == "monthly"]), 10)

    def test_it_keeps_only_the_periods_asked_for(self) -> None:
        self.schedule(only="1, 3")
        self.schedule(Frequency.HALF_YEARLY, active=False)
        self.schedule(Frequency.YEARLY, active=False)
        calendar.ensure_periods(self.agency, 2022)
        self.assertEqual(
            list(
                ReportingPeriod.objects.filter(agency=self.agency, year=2022)
                .values_list("number", flat=True)
                .order_by("number")
            ),
            [1, 3],
        )

    def test_it_refuses_a_bad_day_list(self) -> None:
        self.assertEqual(calendar.day_list("7, 2;7"), [7, 2])
        with self.assertRaisesMessage(ValidationError, "found “x”"):
            calendar.day_list("7, x")
        with self.assertRaises(ValidationError):
            calendar.day_list("400")

    def test_it_expects_the_units_leading_tasks_of_plans_in_force(self) -> None:
        self.assertEqual(calendar.expected_units(self.period), [self.unit])
        draft = Plan.objects.create(agency=self.agency, year=2026, title="Dự thảo", status=PlanStatus.DRAFT)
        Task.objects.create(plan=draft, content="Chưa ban hành", lead_unit=self.office)
        self.assertEqual(calendar.expected_units(self.period), [self.unit])

    def test_it_opens_a_due_period_once(self) -> None:
        q2 = ReportingPeriod.objects.create(
            agency=self.agency,
            frequency=Frequency.QUARTERLY,
            year=2026,
            number=2,
            **calendar.dates(self.schedule(), 2026, 2),
        )
        self.assertEqual(calendar.open_due_periods(now=at(2026, 6, 6)), [])
        opened = calendar.open_due_periods(now=at(2026, 6, 7))
        self.assertEqual(opened, [q2])
        self.assertEqual(list(UnitReport.objects.filter(period=q2).values_list("unit", flat=True)), [self.unit.pk])
        self.assertEqual(calendar.open_due_periods(now=at(2026, 6, 8)), [])
        self.assertEqual(UnitReport.objects.filter(period=q2).count(), 1)
        q2.refresh_from_db()
        self.assertEqual(q2.opened_at, at(2026, 6, 7))

    def test_it_names_periods(self) -> None:
        self.assertEqual(self.period.label, "Quarter I/2026")
        self.assertEqual(calendar.period_phrase(self.period), "quý I năm 2026")
        adhoc = ReportingPeriod(agency=self.agency, frequency=Frequency.AD_HOC, year=2026, number=2)
        self.assertEqual(adhoc.label, "Ad-hoc report 2/2026")
        self.assertEqual(calendar.next_ad_hoc_number(self.agency, 2026), 1)
