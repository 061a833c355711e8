"""The status of a target in SQL (lists) agrees with Target.status_for (pages), clock included."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import time_machine
from django.urls import reverse

from plans.models import Comparator, MetricKind, Target, TargetStatus, TargetValue
from plans.target_views import display_actual
from plans.tests.base import PlansTestCase

# (comparator, value, value_max, actual or None)
CASES = [
    (Comparator.GTE, "50", None, None),
    (Comparator.GTE, "50", None, "50"),
    (Comparator.GTE, "50", None, "49.99"),
    (Comparator.LTE, "5", None, "5"),
    (Comparator.LTE, "5", None, "6"),
    (Comparator.EQ, "100", None, "100"),
    (Comparator.EQ, "100", None, "99.5"),
    (Comparator.RANGE, "3", "5", "3"),
    (Comparator.RANGE, "3", "5", "5"),
    (Comparator.RANGE, "3", "5", "6"),
    (Comparator.RANGE, "3", "5", "2"),
    (Comparator.RANGE, "3", None, "3"),
]


class TargetStatusTestCase(PlansTestCase):
    def make(self, comparator: str, value: str, value_max: str | None, actual: str | None) -> Target:
        target = Target.objects.create(
            plan=self.plan,
            statement=f"{comparator} {value} {value_max}",
            metric_kind=MetricKind.COUNT,
            comparator=comparator,
            value=Decimal(value),
            value_max=Decimal(value_max) if value_max else None,
        )
        if actual is not None:
            TargetValue.objects.create(
                target=target, period_label="Quý I/2026", period_end=date(2026, 3, 31), actual=Decimal(actual)
            )
        return target

    def statuses(self, today: date) -> dict[int, tuple[str, str]]:
        """For each target: (SQL status, Python status)."""
        found = {}
        for target in Target.objects.exclude(pk__in=[self.target.pk, self.draft_target.pk]).with_status(today):
            latest = target.values.first()
            found[target.pk] = (getattr(target, "status_code"), target.status_for(latest, today))  # noqa: B009
        return found

    def test_sql_and_python_agree_during_and_after_the_period(self) -> None:
        targets = {self.make(*case).pk: case for case in CASES}
        for today in (date(2026, 5, 1), date(2026, 12, 31), date(2027, 1, 1)):
            for pk, (sql, python) in self.statuses(today).items():
                with self.subTest(case=targets[pk], today=today):
                    self.assertEqual(sql, python)

    def test_met_at_risk_not_met_and_not_measured(self) -> None:
        unmeasured = self.make(Comparator.GTE, "50", None, None)
        met = self.make(Comparator.GTE, "50", None, "70")
        short = self.make(Comparator.GTE, "50", None, "40")
        during = self.statuses(date(2026, 12, 31))
        after = self.statuses(date(2027, 1, 1))
        self.assertEqual(during[unmeasured.pk][0], TargetStatus.NOT_MEASURED)
        self.assertEqual(during[met.pk][0], TargetStatus.MET)
        self.assertEqual(during[short.pk][0], TargetStatus.AT_RISK)
        self.assertEqual(after[short.pk][0], TargetStatus.NOT_MET)
        self.assertEqual(after[met.pk][0], TargetStatus.MET)
        self.assertEqual(after[unmeasured.pk][0], TargetStatus.NOT_MEASURED)

    @time_machine.travel(date(2027, 2, 1))
    def test_the_page_shows_not_met_once_the_plan_has_ended(self) -> None:
        self.login(self.staff)
        response = self.client.get(reverse("plans:target_detail", args=[self.target.pk]))
        self.assertContains(response, '<span class="badge badge-danger">Not met</span>', html=True)

    def test_actual_values_read_as_people_write_them(self) -> None:
        value = TargetValue(actual=Decimal("1500000.00"))
        money = Target(metric_kind=MetricKind.MONEY, unit_of_measure="đồng")
        self.assertEqual(display_actual(money, value), "1,500,000 đồng")
        self.assertEqual(display_actual(Target(metric_kind=MetricKind.BOOLEAN), TargetValue(actual=Decimal(1))), "Yes")
        self.assertEqual(display_actual(Target(metric_kind=MetricKind.BOOLEAN), TargetValue(actual=Decimal(0))), "No")
        self.assertEqual(display_actual(self.target, TargetValue(actual=Decimal("55.50"))), "55.5 %")
        self.assertEqual(display_actual(self.target, None), "")
