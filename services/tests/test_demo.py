"""The demo's one-stop data (services.demo), loaded by load_demo under a frozen clock."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from io import StringIO

import time_machine
from django.core.management import call_command
from django.test import TestCase

from accounts.models import Agency
from plans.models import Measurement, Plan, Target, TargetStatus
from services import demo, targets
from services.models import Dossier, DossierRollup, Procedure

TODAY = date(2026, 5, 20)


class DemoTests(TestCase):
    seconds: float
    sngv: Agency
    stp: Agency

    @classmethod
    def setUpTestData(cls) -> None:
        with time_machine.travel("2026-05-20 09:00 +07:00", tick=False):
            started = time.perf_counter()
            call_command("load_demo", stdout=StringIO())
            cls.seconds = time.perf_counter() - started
        cls.sngv = Agency.objects.get(code=demo.SNGV)
        cls.stp = Agency.objects.get(code=demo.STP)

    def test_it_loads_a_catalogue_and_a_years_dossiers_per_agency(self) -> None:
        self.assertEqual(Procedure.objects.filter(agency=self.sngv).count(), 10)
        self.assertEqual(Procedure.objects.filter(agency=self.stp).count(), 5)
        by_year = Counter(
            (agency, received.year) for agency, received in Dossier.objects.values_list("agency__code", "received_at")
        )
        self.assertEqual(by_year, {(demo.SNGV, 2022): 2500, (demo.SNGV, 2026): 3000, (demo.STP, 2026): 2000})
        self.assertFalse(Dossier.objects.filter(received_at__date__gt=TODAY).exists())
        self.assertFalse(Dossier.objects.filter(due_date__isnull=True).exists())
        self.assertTrue(Dossier.objects.filter(due_computed=True).exists())
        units = dict(
            Dossier.objects.filter(agency=self.sngv).values_list("procedure__field", "unit__abbreviation").distinct()
        )
        self.assertEqual(units, {"Lãnh sự": "LS", "Hợp tác quốc tế": "HTQT", "Biên giới": "QLBG"})

    def test_it_recomputes_the_rollups(self) -> None:
        self.assertTrue(DossierRollup.objects.filter(agency=self.sngv).exists())
        self.assertTrue(DossierRollup.objects.filter(agency=self.stp).exists())
        self.assertEqual(sum(DossierRollup.objects.values_list("received", flat=True)), Dossier.objects.count())

    def test_the_linked_targets_have_computed_values_and_a_status(self) -> None:
        linked = Target.objects.filter(measurement=Measurement.INDICATOR).select_related("plan")
        self.assertEqual(
            Counter((t.plan.year, t.indicator_code) for t in linked),
            {
                (year, code): 1
                for year in (2022, 2026)
                for code in ("on_time_rate", "online_rate", "online_payment_rate", "online_payment_transactions")
            },
        )
        for target in linked:
            values = list(target.values.all())
            self.assertTrue(values, target)
            self.assertTrue(all(v.recorded_by_id is None and v.note.startswith(targets.NOTE_PREFIX) for v in values))
            self.assertIn(
                target.status_for(values[0], TODAY), {TargetStatus.MET, TargetStatus.AT_RISK, TargetStatus.NOT_MET}
            )
        old = linked.get(plan__year=2022, indicator_code="on_time_rate")
        self.assertEqual(
            list(old.values.order_by("period_end").values_list("period_label", flat=True)),
            ["Quý I/2022", "Quý II/2022", "Quý III/2022", "Năm 2022"],
        )
        current = linked.get(plan__year=2026, indicator_code="on_time_rate")
        self.assertEqual(
            list(current.values.order_by("period_end").values_list("period_label", flat=True)),
            ["Quý I/2026", "Quý II/2026"],
        )

    def test_it_is_fast_and_loading_again_adds_nothing(self) -> None:
        self.assertLess(self.seconds, 30)
        counts = (Dossier.objects.count(), Procedure.objects.count(), Plan.objects.count())
        with time_machine.travel("2026-05-21 09:00 +07:00", tick=False):
            call_command("load_demo", stdout=StringIO())
        self.assertEqual((Dossier.objects.count(), Procedure.objects.count(), Plan.objects.count()), counts)
