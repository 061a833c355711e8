"""Rollups hold the same numbers as the dossiers, at each level of period."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from services import deadlines, rollups
from services.models import Channel, Dossier, DossierRollup, DossierStatus
from services.tests.base import ServicesTestCase

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2024, month, day, hour, tzinfo=ZONE)


class RollupsTestCase(ServicesTestCase):
    def add(self, code: str, received: datetime, due: date | None, **fields: object) -> Dossier:
        values: dict[str, object] = {
            "agency": self.agency,
            "code": code,
            "procedure": self.procedure,
            "channel": Channel.DIRECT,
            "received_at": received,
            "due_date": due,
            "status": DossierStatus.IN_PROCESS,
            **fields,
        }
        return Dossier.objects.create(**values)

    def setUp(self) -> None:
        super().setUp()
        # With the fixture (online, received 07/02, due 19/02, finished 16/02: early).
        self.add("a", at(1, 10), date(2024, 1, 20), finished_at=at(1, 18), status=DossierStatus.RETURNED)
        self.add("b", at(1, 31, 16), date(2024, 2, 5), finished_at=at(2, 6), status=DossierStatus.PROCESSED)
        # Finished in April: in process (late) at the end of March, late at the end of June.
        self.add("c", at(3, 20), date(2024, 3, 28), finished_at=at(4, 2), electronic_result=True)
        self.add("d", at(3, 25), date(2024, 4, 15))  # still in process: within at 31/03, over at 30/06
        self.add("e", at(2, 1), date(2024, 2, 6), status=DossierStatus.WITHDRAWN)
        self.add(
            "f",
            at(2, 2),
            date(2024, 2, 20),
            finished_at=at(2, 15),
            supplement_requests=2,
            channel=Channel.ONLINE,
            fee=Decimal(30000),
            digitised=True,
        )

    def test_it_classifies_each_dossier_at_the_end_of_each_period(self) -> None:
        c = Dossier.objects.get(code="c")
        self.assertEqual(
            (c.class_month, c.class_quarter, c.class_half, c.class_year),
            (rollups.OVER, rollups.OVER, rollups.LATE, rollups.LATE),
        )
        d = Dossier.objects.get(code="d")
        self.assertEqual((d.class_month, d.class_quarter, d.class_half), (rollups.WITHIN, rollups.WITHIN, rollups.OVER))

    def test_the_totals_of_a_quarter_match_the_dossiers(self) -> None:
        self.assertGreater(rollups.recompute(), 0)
        totals = rollups.totals([self.agency.pk], date(2024, 1, 1), date(2024, 3, 1), "q")
        expected = Counter(deadlines.status(d, date(2024, 3, 31)) for d in Dossier.objects.filter(agency=self.agency))
        self.assertEqual(totals["received"], 7)
        self.assertEqual(totals["withdrawn"], 1)
        self.assertEqual(totals["early"], expected[deadlines.DeadlineStatus.EARLY])
        self.assertEqual(totals["on_time"], expected[deadlines.DeadlineStatus.ON_TIME])
        self.assertEqual(totals["late"], expected[deadlines.DeadlineStatus.LATE])
        self.assertEqual(totals["within"], expected[deadlines.DeadlineStatus.IN_PROCESS_WITHIN])
        self.assertEqual(totals["over"], expected[deadlines.DeadlineStatus.IN_PROCESS_LATE])
        # Hand-worked: early a, b? (b due 05/02, finished 06/02: late), fixture early; f late (2 requests).
        self.assertEqual((totals["early"], totals["late"], totals["within"], totals["over"]), (2, 2, 1, 1))
        self.assertEqual(totals["by_channel"], {"direct": 5, "online": 2})
        self.assertEqual((totals["with_fee"], totals["paid_online"], totals["digitised"]), (2, 1, 1))
        self.assertEqual(totals["eresult"], 0)  # c's electronic result came after the quarter
        half = rollups.totals([self.agency.pk], date(2024, 1, 1), date(2024, 6, 1), "h")
        self.assertEqual((half["late"], half["over"], half["eresult"]), (3, 1, 1))

    def test_refresh_rebuilds_only_the_months_touched(self) -> None:
        rollups.recompute()
        Dossier.objects.filter(code="d").update(status=DossierStatus.RETURNED)  # update() skips classify
        d = Dossier.objects.get(code="d")
        d.finished_at = at(3, 29)
        d.save()
        before = DossierRollup.objects.filter(month=date(2024, 1, 1)).values_list("pk", flat=True)
        january = set(before)
        rollups.refresh([(self.agency.pk, date(2024, 3, 1))])
        self.assertEqual(
            set(DossierRollup.objects.filter(month=date(2024, 1, 1)).values_list("pk", flat=True)), january
        )
        march = rollups.totals([self.agency.pk], date(2024, 3, 1), date(2024, 3, 1), "m")
        self.assertEqual((march["early"], march["within"], march["over"]), (1, 0, 1))


class RecomputeCommandTestCase(ServicesTestCase):
    def test_it_rebuilds_the_rollups(self) -> None:
        from io import StringIO

        from django.core.management import call_command

        DossierRollup.objects.create(
            agency=self.agency, procedure=self.procedure, month=date(2020, 1, 1), channel="direct"
        )
        out = StringIO()
        call_command("recompute_rollups", stdout=out)
        self.assertIn("1 rollup rows rebuilt", out.getvalue())
        self.assertEqual(list(DossierRollup.objects.values_list("month", "received")), [(date(2024, 2, 1), 1)])
