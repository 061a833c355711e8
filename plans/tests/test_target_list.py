"""The list of targets across plans: visibility, filters, counts per status, query count."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import Comparator, MetricKind, Plan, PlanStatus, ReformArea, Target, TargetValue
from plans.tests.base import PlansTestCase

URL = reverse("plans:target_list")


@time_machine.travel(date(2026, 5, 1))
class TargetListTestCase(PlansTestCase):
    foreign_target: Target

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        foreign_plan = Plan.objects.create(
            agency=cls.other_agency, year=2026, title="Kế hoạch của Sở Tư pháp", status=PlanStatus.IN_PROGRESS
        )
        cls.foreign_target = Target.objects.create(
            plan=foreign_plan,
            statement="Chỉ tiêu bí mật của Sở Tư pháp",
            metric_kind=MetricKind.PERCENT,
            value=Decimal(100),
            comparator=Comparator.EQ,
        )

    def get(self, **params: Any) -> Any:
        response = self.client.get(URL, params)
        self.assertEqual(response.status_code, 200)
        return response

    def pks(self, response: Any) -> list[int]:
        return [row.target.pk for row in response.context["rows"]]

    def add(self, statement: str, **fields: Any) -> Target:
        fields = {"plan": self.plan, "metric_kind": MetricKind.PERCENT, "value": Decimal(80), **fields}
        return Target.objects.create(statement=statement, **fields)

    def test_it_lists_the_targets_of_my_agency_with_their_latest_value(self) -> None:
        self.login(self.staff)
        response = self.get()
        self.assertEqual(self.pks(response), [self.draft_target.pk, self.target.pk])
        self.assertContains(response, "Tối thiểu 50% hồ sơ được tiếp nhận trực tuyến")
        self.assertContains(response, "≥ 50 %")
        self.assertContains(response, "45 %")
        self.assertContains(response, "Quý I/2026")
        self.assertContains(response, "01/KH-SNgV")
        self.assertContains(response, "Phòng Hợp tác quốc tế")
        self.assertContains(response, '<span class="badge badge-warn">At risk</span>', html=True)
        self.assertContains(response, "3–5 sáng kiến")
        self.assertNotContains(response, "Chỉ tiêu bí mật")
        self.assertEqual(response.context["nav_active"], "plans")

    def test_the_latest_value_is_the_one_of_the_latest_period(self) -> None:
        TargetValue.objects.create(
            target=self.target, period_label="Quý II/2026", period_end=date(2026, 6, 30), actual=Decimal(60)
        )
        # Recorded afterwards, but for an earlier period: it does not replace Quý II.
        TargetValue.objects.create(
            target=self.target, period_label="Tháng 1/2026", period_end=date(2026, 1, 31), actual=Decimal(10)
        )
        self.login(self.staff)
        response = self.get()
        row = next(r for r in response.context["rows"] if r.target == self.target)
        self.assertEqual(row.latest.period_label, "Quý II/2026")
        self.assertEqual(row.actual, "60 %")
        self.assertContains(response, '<span class="badge badge-ok">Met</span>', html=True)

    def test_the_outsider_sees_only_their_own_agency(self) -> None:
        self.login(self.outsider)
        response = self.get()
        self.assertEqual(self.pks(response), [self.foreign_target.pk])
        self.assertNotContains(response, self.agency.name)

    def test_administrators_and_overseers_see_every_agency_and_may_filter_by_it(self) -> None:
        for persona in (self.admin, self.overseer):
            with self.subTest(persona=persona.username):
                self.login(persona)
                response = self.get()
                self.assertEqual(len(self.pks(response)), 3)
                self.assertTrue(response.context["show_agency"])
                response = self.get(agency=self.other_agency.pk)
                self.assertEqual(self.pks(response), [self.foreign_target.pk])

    def test_the_agency_filter_is_ignored_for_people_of_one_agency(self) -> None:
        self.login(self.staff)
        response = self.get(agency=self.other_agency.pk)
        self.assertEqual(len(self.pks(response)), 2)
        self.assertFalse(response.context["show_agency"])

    def test_it_counts_targets_per_status_and_filters_by_status(self) -> None:
        met = self.add("Đạt chuẩn")
        TargetValue.objects.create(target=met, period_label="Quý I/2026", period_end=date(2026, 3, 31), actual=90)
        self.login(self.staff)
        response = self.get()
        counts = {code: count for code, _label, count, _current in response.context["counts"]}
        self.assertEqual(counts, {"not_measured": 1, "met": 1, "at_risk": 1, "not_met": 0})
        self.assertEqual(response.context["total"], 3)

        response = self.get(status="not_measured")
        self.assertEqual(self.pks(response), [self.draft_target.pk])
        self.assertEqual(self.pks(self.get(status="met")), [met.pk])
        self.assertEqual(self.pks(self.get(status="at_risk")), [self.target.pk])
        self.assertEqual(self.pks(self.get(status="not_met")), [])
        # The counts stay those of the other filters, so they work as tabs.
        counts = {code: count for code, _label, count, _current in response.context["counts"]}
        self.assertEqual(counts["met"], 1)

    def test_after_the_plan_period_an_unmet_target_is_not_met(self) -> None:
        with time_machine.travel(date(2027, 1, 5)):
            self.login(self.staff)
            response = self.get(status="not_met")
        self.assertEqual(self.pks(response), [self.target.pk])
        self.assertContains(response, '<span class="badge badge-danger">Not met</span>', html=True)

    def test_it_searches_without_accents(self) -> None:
        self.login(self.staff)
        self.assertEqual(self.pks(self.get(q="tiep nhan TRUC TUYEN")), [self.target.pk])
        self.assertEqual(self.pks(self.get(q="sáng kiến")), [self.draft_target.pk])
        response = self.get(q="không có chỉ tiêu này")
        self.assertEqual(self.pks(response), [])
        self.assertContains(response, "No target matches these filters.")

    def test_it_filters_by_plan_year_unit_and_area(self) -> None:
        procedures = ReformArea.objects.get(code="procedures")
        self.target.area = procedures
        self.target.save()
        self.login(self.coordinator)
        self.assertEqual(self.pks(self.get(plan=self.plan.pk)), [self.target.pk])
        self.assertEqual(self.pks(self.get(year=2027)), [self.draft_target.pk])
        self.assertEqual(self.pks(self.get(unit=self.unit.pk)), [self.target.pk])
        self.assertEqual(self.pks(self.get(area=procedures.pk)), [self.target.pk])
        self.assertEqual(self.pks(self.get(plan=self.foreign_target.plan_id)), [])

    def test_the_filters_offer_only_what_i_can_see(self) -> None:
        self.login(self.staff)
        response = self.get()
        self.assertEqual({p.pk for p in response.context["plans"]}, {self.plan.pk, self.draft_plan.pk})
        self.assertEqual(response.context["years"], [2027, 2026])
        self.assertEqual([u.pk for u in response.context["units"]], [self.unit.pk])
        self.assertEqual(response.context["agencies"], [])

    def test_bad_parameters_are_ignored(self) -> None:
        self.login(self.staff)
        response = self.get(plan="abc", year="x", unit="", area="1.5", status="bogus", page="999")
        self.assertEqual(len(self.pks(response)), 2)

    def test_an_agency_without_targets_is_told_so(self) -> None:
        Target.objects.filter(agency=self.agency).delete()
        self.login(self.staff)
        self.assertContains(self.get(), "No plan you can see has targets yet.")

    def test_it_needs_signing_in(self) -> None:
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 302)

    def test_the_query_count_does_not_grow_with_rows(self) -> None:
        self.login(self.coordinator)
        Target.objects.exclude(pk=self.target.pk).delete()
        with CaptureQueriesContext(connection) as one:
            self.get()
        for n in range(19):
            target = self.add(f"Chỉ tiêu {n}", responsible_unit=self.office if n % 2 else self.unit)
            TargetValue.objects.create(target=target, period_label="Quý I/2026", period_end=date(2026, 3, 31), actual=n)
        with self.assertNumQueries(len(one)):
            response = self.get()
        self.assertEqual(len(self.pks(response)), 20)
        # Session, user, memberships; counts per status, page count, rows, latest values; the plans,
        # units and areas of the filters; the session's save (three statements).
        self.assertEqual(len(one), 13)


class TargetExportTestCase(PlansTestCase):
    def test_it_exports_the_filtered_targets(self) -> None:
        import io

        import openpyxl

        self.login(self.coordinator)
        with self.assertNumQueries(9):
            r = self.client.get(reverse("plans:target_list"), {"format": "xlsx", "plan": str(self.plan.pk)})
        self.assertEqual(r.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:3], ("No.", "Plan", "Target"))
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[1][2], self.target.statement)
        self.assertEqual(rows[1][4], "≥ 50 %")
        self.assertEqual(rows[1][7], "At risk")

    def test_the_outsider_exports_nothing_of_ours(self) -> None:
        import io

        import openpyxl

        self.login(self.outsider)
        r = self.client.get(reverse("plans:target_list"), {"format": "xlsx"})
        rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
        self.assertEqual(len(rows), 1)
