"""Plan targets filled from the dossiers: services.targets.refresh, the target form and page, the scheduler."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse
from django.utils import timezone

from plans.models import Comparator, IndicatorScope, Measurement, MetricKind, Target, TargetValue
from reports import scheduler
from services import targets
from services.models import Channel, Dossier, DossierStatus
from services.tests.base import ServicesTestCase

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 5, 10)


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZONE)


class RefreshTests(ServicesTestCase):
    """Quarter I/2026 by hand: four dossiers, one withdrawn.

    d1 (HTQT) online, fee paid online, due 12/01, finished 09/01: early.
    d2 (VP) at the counter, fee not paid online, due 13/01, finished 15/01: late.
    d3 (HTQT) withdrawn: not counted.
    d4 (HTQT) at the counter, due 20/04, still in process on 31/03: within the deadline.
    Counted 3; on time 2/3 = 66.67 %; online 1/3 = 33.33 %; paid online 1/2 = 50.00 %.
    The unit HTQT alone: counted 2 (d1, d4), on time 2/2 = 100.00 %.
    """

    def setUp(self) -> None:
        self.d1 = self.dossier_of("d1", date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 9), self.unit, online=True)
        self.d2 = self.dossier_of("d2", date(2026, 1, 6), date(2026, 1, 13), date(2026, 1, 15), self.office, fee=True)
        self.d3 = self.dossier_of("d3", date(2026, 1, 7), date(2026, 1, 14), None, self.unit, withdrawn=True)
        self.d4 = self.dossier_of("d4", date(2026, 3, 10), date(2026, 4, 20), None, self.unit)
        self.on_time = self.indicator_target("100% hồ sơ giải quyết trước và đúng hạn", "on_time_rate")
        self.payment = self.indicator_target("Tối thiểu 50% thanh toán trực tuyến", "online_payment_rate")
        self.unit_on_time = self.indicator_target(
            "100% hồ sơ của phòng đúng hạn", "on_time_rate", scope=IndicatorScope.UNIT
        )

    def dossier_of(
        self,
        code: str,
        received: date,
        due: date,
        finished: date | None,
        unit: Any,
        *,
        online: bool = False,
        fee: bool = False,
        withdrawn: bool = False,
    ) -> Dossier:
        if withdrawn:
            status = DossierStatus.WITHDRAWN
        else:
            status = DossierStatus.PROCESSED if finished else DossierStatus.IN_PROCESS
        return Dossier.objects.create(
            agency=self.agency,
            unit=unit,
            code=code,
            procedure=self.procedure,
            channel=Channel.ONLINE if online else Channel.DIRECT,
            received_at=at(received),
            due_date=due,
            finished_at=at(finished, 15) if finished else None,
            status=status,
            fee=Decimal(50000) if online or fee else Decimal(0),
            paid_online=online,
        )

    def indicator_target(self, statement: str, code: str, scope: str = IndicatorScope.AGENCY) -> Target:
        return Target.objects.create(
            plan=self.plan,
            statement=statement,
            metric_kind=MetricKind.PERCENT,
            comparator=Comparator.GTE if code == "online_payment_rate" else Comparator.EQ,
            value=Decimal(50 if code == "online_payment_rate" else 100),
            unit_of_measure="%",
            responsible_unit=self.unit,
            measurement=Measurement.INDICATOR,
            indicator_code=code,
            indicator_scope=scope,
        )

    def computed(self, target: Target) -> list[tuple[str, date, Decimal, str]]:
        values = targets.automatic(target.values.order_by("period_end"))
        return [(v.period_label, v.period_end, v.actual, v.note) for v in values]

    @time_machine.travel(at(TODAY), tick=False)
    def test_it_computes_each_started_quarter_over_the_agencys_dossiers(self) -> None:
        self.assertEqual(targets.refresh(self.agency, TODAY), 3)
        note = "Tính tự động từ 3 hồ sơ (Sở Ngoại vụ, 01/01/2026–31/03/2026)."
        self.assertEqual(self.computed(self.on_time), [("Quý I/2026", date(2026, 3, 31), Decimal("66.67"), note)])
        self.assertEqual(self.computed(self.payment), [("Quý I/2026", date(2026, 3, 31), Decimal("50.00"), note)])
        value = self.on_time.values.get()
        self.assertIsNone(value.recorded_by)
        self.assertEqual(value.recorded_at, timezone.now())
        # The running quarter II has no dossier: nothing is written for it.
        self.assertFalse(TargetValue.objects.filter(period_end=date(2026, 6, 30)).exists())

    @time_machine.travel(at(TODAY), tick=False)
    def test_the_running_quarter_is_measured_so_far(self) -> None:
        # Quarter II is running on 10/05: d5, due 20/05 and still open, is within its deadline
        # today; judged as of 30/06 it would already count as late.
        self.dossier_of("d5", date(2026, 5, 4), date(2026, 5, 20), None, self.unit)
        targets.refresh(self.agency, TODAY)
        running = self.computed(self.on_time)[-1]
        note = "Tính tự động từ 1 hồ sơ (Sở Ngoại vụ, 01/04/2026–10/05/2026)."
        self.assertEqual(running, ("Quý II/2026", date(2026, 6, 30), Decimal("100.00"), note))

    @time_machine.travel(at(TODAY), tick=False)
    def test_it_measures_the_responsible_units_dossiers_for_the_unit_scope(self) -> None:
        targets.refresh(self.agency, TODAY)
        self.assertEqual(
            self.computed(self.unit_on_time),
            [
                (
                    "Quý I/2026",
                    date(2026, 3, 31),
                    Decimal("100.00"),
                    "Tính tự động từ 2 hồ sơ (Phòng Hợp tác quốc tế, 01/01/2026–31/03/2026).",
                )
            ],
        )
        status = self.unit_on_time.status_for(self.unit_on_time.values.first(), TODAY)
        self.assertEqual(status, "met")
        self.assertEqual(self.on_time.status_for(self.on_time.values.first(), TODAY), "at_risk")

    def test_it_is_idempotent_and_updates_in_place(self) -> None:
        with time_machine.travel(at(TODAY), tick=False):
            targets.refresh(self.agency, TODAY)
        ids = set(TargetValue.objects.values_list("pk", flat=True))
        later = TODAY + timedelta(days=1)
        with time_machine.travel(at(later), tick=False):
            self.assertEqual(targets.refresh(self.agency, later), 0)
            self.assertEqual(set(TargetValue.objects.values_list("pk", flat=True)), ids)
            # Unchanged values were computed again: the page says so.
            self.assertEqual(targets.last_computed(self.on_time), timezone.now())
            # d2 was finished on its due date after all: on time 3/3.
            Dossier.objects.filter(pk=self.d2.pk).update(finished_at=at(date(2026, 1, 13), 15))
            self.d2.refresh_from_db()
            self.d2.save()
            self.assertEqual(targets.refresh(self.agency, later), 1)
        self.assertEqual(set(TargetValue.objects.values_list("pk", flat=True)), ids)
        self.assertEqual(self.on_time.values.get().actual, Decimal("100.00"))

    @time_machine.travel(at(TODAY), tick=False)
    def test_it_never_touches_values_typed_by_people_nor_targets_typed_by_hand(self) -> None:
        targets.refresh(self.agency, TODAY)
        self.assertEqual(list(self.target.values.values_list("actual", flat=True)), [Decimal(45)])
        self.target.measurement, self.target.indicator_code = Measurement.INDICATOR, "online_rate"
        self.target.save()
        targets.refresh(self.agency, TODAY)
        self.assertEqual(
            sorted(self.target.values.values_list("actual", "recorded_by")),
            [(Decimal("33.33"), None), (Decimal(45), self.staff.pk)],
        )

    @time_machine.travel(at(TODAY), tick=False)
    def test_it_writes_nothing_when_no_dossier_counts(self) -> None:
        Dossier.objects.filter(pk__in=[self.d1.pk, self.d2.pk, self.d4.pk]).delete()
        self.assertEqual(targets.refresh(self.agency, TODAY), 0)
        self.assertFalse(targets.automatic(TargetValue.objects.all()).exists())
        # Nor for a plan not in force (the draft of 2027).
        self.assertEqual(targets.refresh(self.other_agency, TODAY), 0)

    def test_the_year_replaces_the_fourth_quarter_once_it_has_ended(self) -> None:
        self.dossier_of("d5", date(2026, 10, 2), date(2026, 10, 9), date(2026, 10, 7), self.unit)
        with time_machine.travel(at(date(2026, 11, 20)), tick=False):
            targets.refresh(self.agency, date(2026, 11, 20))
        labels = [label for label, *_ in self.computed(self.on_time)]
        self.assertEqual(labels, ["Quý I/2026", "Quý IV/2026"])
        with time_machine.travel(at(date(2027, 1, 5)), tick=False):
            targets.refresh(self.agency, date(2027, 1, 5))
        # The year as of 31/12: d1 and d5 early, d2 late, d4 still in process past its due date: 2/4.
        self.assertEqual(
            [(label, actual) for label, _end, actual, _note in self.computed(self.on_time)],
            [("Quý I/2026", Decimal("66.67")), ("Năm 2026", Decimal("50.00"))],
        )

    def test_the_periods_of_a_year(self) -> None:
        self.assertEqual([label for label, _p in targets.periods_of(2026, date(2026, 1, 1))], ["Quý I/2026"])
        self.assertEqual(
            [label for label, _p in targets.periods_of(2026, date(2026, 12, 31))],
            ["Quý I/2026", "Quý II/2026", "Quý III/2026", "Quý IV/2026"],
        )
        self.assertEqual(
            [(label, p.end) for label, p in targets.periods_of(2025, date(2026, 1, 1))][-1],
            ("Năm 2025", date(2025, 12, 31)),
        )
        self.assertEqual(targets.periods_of(2027, date(2026, 12, 31)), [])


class TargetFormTests(ServicesTestCase):
    def post(self, **fields: Any) -> Any:
        data = {
            "statement": "100% hồ sơ TTHC được giải quyết trước và đúng hạn",
            "metric_kind": MetricKind.PERCENT,
            "comparator": Comparator.EQ,
            "value": "100",
            "value_max": "",
            "unit_of_measure": "",
            "responsible_unit": "",
            "measurement": Measurement.INDICATOR,
            "indicator_code": "on_time_rate",
            "indicator_scope": IndicatorScope.UNIT,
            **fields,
        }
        self.login(self.coordinator)
        return self.client.post(reverse("plans:target_create", args=[self.plan.pk]), data)

    def test_the_unit_scope_needs_a_responsible_unit(self) -> None:
        response = self.post()
        self.assertFormError(
            response.context["form"],
            "responsible_unit",
            "Choose the responsible unit: the target is measured over its dossiers.",
        )
        self.assertEqual(self.plan.targets.count(), 1)

    def test_the_indicator_is_one_of_the_known_ones(self) -> None:
        response = self.post(indicator_code="satisfaction", responsible_unit=self.unit.pk)
        self.assertIn("indicator_code", response.context["form"].errors)
        self.assertEqual(self.plan.targets.count(), 1)
        options = dict(response.context["form"].fields["indicator_code"].choices)
        self.assertEqual(options["on_time_rate"], "Dossiers processed early or on time")
        self.assertIn("online_payment_transactions", options)

    def test_it_saves_the_indicator_and_its_scope(self) -> None:
        response = self.post(responsible_unit=self.unit.pk)
        target = self.plan.targets.exclude(pk=self.target.pk).get()
        self.assertRedirects(response, reverse("plans:target_detail", args=[target.pk]))
        self.assertEqual((target.indicator_code, target.indicator_scope), ("on_time_rate", IndicatorScope.UNIT))

    def test_a_target_typed_by_hand_has_no_indicator_and_the_agency_scope(self) -> None:
        self.post(measurement=Measurement.MANUAL, responsible_unit="")
        target = self.plan.targets.exclude(pk=self.target.pk).get()
        self.assertEqual((target.indicator_code, target.indicator_scope), ("", IndicatorScope.AGENCY))


class TargetPageTests(ServicesTestCase):
    @time_machine.travel(at(TODAY), tick=False)
    def test_it_says_the_target_is_computed_with_a_link_to_the_indicators(self) -> None:
        Target.objects.filter(pk=self.target.pk).update(
            measurement=Measurement.INDICATOR, indicator_code="online_rate", indicator_scope=IndicatorScope.UNIT
        )
        self.login(self.staff)
        url = reverse("plans:target_detail", args=[self.target.pk])
        response = self.client.get(url)
        self.assertContains(
            response, "Computed from the one-stop dossiers (Dossiers received online, Phòng Hợp tác quốc tế)."
        )
        link = reverse("services:indicators", args=[self.agency.pk]) + "?year=2026&amp;part="
        self.assertContains(response, f'href="{link}"')
        self.assertContains(response, "Not computed yet")
        Dossier.objects.create(
            agency=self.agency,
            unit=self.unit,
            code="q1",
            procedure=self.procedure,
            channel=Channel.ONLINE,
            received_at=at(date(2026, 2, 2)),
            due_date=date(2026, 2, 9),
            status=DossierStatus.IN_PROCESS,
        )
        targets.refresh(self.agency, TODAY)
        response = self.client.get(url)
        self.assertContains(response, "Last computed on 09:00 10/05/2026.")
        self.assertContains(response, "Tính tự động từ 1 hồ sơ (Phòng Hợp tác quốc tế, 01/01/2026–31/03/2026).")


class SchedulerTests(ServicesTestCase):
    def test_the_scheduler_refreshes_each_agencys_targets_once_a_day(self) -> None:
        first = at(TODAY, 8)
        with mock.patch.object(scheduler.targets, "refresh", return_value=2) as refresh:
            rounds = [scheduler.tick(first), scheduler.tick(first + timedelta(minutes=5))]
            mine = [c for c in refresh.call_args_list if c.args[0] == self.agency]
            self.assertEqual(mine, [mock.call(self.agency, TODAY)])
            self.assertEqual(rounds[1].target_values, 0)
            self.assertGreaterEqual(rounds[0].target_values, 2)
            scheduler.tick(first + timedelta(days=1))
            mine = [c for c in refresh.call_args_list if c.args[0] == self.agency]
            self.assertEqual(mine[-1], mock.call(self.agency, TODAY + timedelta(days=1)))
            self.assertEqual(len(mine), 2)

    def test_the_scheduler_writes_the_computed_values(self) -> None:
        Target.objects.filter(pk=self.target.pk).update(measurement=Measurement.INDICATOR, indicator_code="online_rate")
        Dossier.objects.create(
            agency=self.agency,
            code="q1",
            procedure=self.procedure,
            channel=Channel.ONLINE,
            received_at=at(date(2026, 2, 2)),
            due_date=date(2026, 2, 9),
            finished_at=at(date(2026, 2, 5), 15),
            status=DossierStatus.PROCESSED,
        )
        with time_machine.travel(at(TODAY, 8), tick=False):
            result = scheduler.tick(timezone.now())
        self.assertEqual(result.target_values, 1)
        self.assertEqual(targets.automatic(self.target.values.all()).get().actual, Decimal("100.00"))
