"""Indicators from dossiers: the contract's example worked by hand, and the SQL classes held to deadlines.status.

`IndicatorFixtures` adds the example's dossiers to the agency (with the base
fixture's dossier, 12 received in 2024-Q1) plus three that must not count; the
command and page tests reuse it.

| code | channel | status     | received | due   | ended         | class (31/03)      | notes                      |
|------|---------|------------|----------|-------|---------------|--------------------|----------------------------|
| base | online  | processed  | 07/02    | 19/02 | 16/02         | early              | fee, paid online           |
| E1   | direct  | processed  | 08/01    | 15/01 | 10/01         | early              | digitised, e-result        |
| E2   | direct  | returned   | 09/01    | 16/01 | 12/01 (ret.)  | early              | digitised                  |
| T1   | direct  | processed  | 15/01    | 22/01 | 22/01 17:00   | on time            | fee, paid online, dig., e- |
| T2   | postal  | refused    | 01/02    | none  | 05/02         | on time            | digitised                  |
| L1   | direct  | processed  | 01/03    | 08/03 | 12/03         | late               | fee, procedure B           |
| L2   | direct  | processed  | 04/03    | 11/03 | 06/03         | late (2 suppl.)    | digitised, 1 day suppl.    |
| L3   | postal  | stopped    | 05/03    | 12/03 | 13/03         | late               | fee, digitised, proc. B    |
| P1   | online  | in_process | 31/03 23:50 | 05/04 | 02/04      | in process, within | e-result (after reference) |
| P2   | direct  | in_process | 10/03    | 20/03 | none          | in process, late   | procedure B                |
| P3   | direct  | suppl.     | 20/03    | 05/04 | none          | in process, late   | 2 supplement requests      |
| W    | direct  | withdrawn  | 12/03    | 19/03 | none          | excluded           | fee paid, dig., e-result   |
| X1   | direct  | processed  | 31/12/23 23:30 | 05/01 | 03/01     | outside the period |                            |
| X2   | direct  | received   | 01/04 00:10 |     |               | outside the period |                            |
| X3   | direct  | received   | 15/02    |       |               | another agency     |                            |
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from services import deadlines, indicators
from services.calendar import current
from services.models import Channel, Dossier, DossierStatus, OnlineLevel, Procedure
from services.tests.base import ServicesTestCase

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
Q1 = (date(2024, 1, 1), date(2024, 3, 31))


def at(day: str, clock: str = "09:00") -> datetime:
    d, m, y = (int(part) for part in day.split("/"))
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime(y, m, d, hour, minute, tzinfo=ZONE)


def due(day: str) -> date:
    return at(day).date()


class IndicatorFixtures(ServicesTestCase):
    second: Procedure
    none_online: Procedure
    example: dict[str, Dossier]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.second = Procedure.objects.create(
            code="1.000555", name="Cấp thị thực", agency=cls.agency, online_level=OnlineLevel.PARTIAL
        )
        cls.none_online = Procedure.objects.create(code="1.000777", name="Hợp pháp hóa lãnh sự", agency=cls.agency)
        a, b = cls.procedure, cls.second
        rows: list[dict[str, Any]] = [
            dict(code="E1", channel=Channel.DIRECT, status=DossierStatus.PROCESSED, received_at=at("08/01/2024"),
                 due_date=due("15/01/2024"), finished_at=at("10/01/2024"), digitised=True, electronic_result=True),
            dict(code="E2", channel=Channel.DIRECT, status=DossierStatus.RETURNED, received_at=at("09/01/2024"),
                 due_date=due("16/01/2024"), returned_at=at("12/01/2024"), digitised=True),
            dict(code="T1", channel=Channel.DIRECT, status=DossierStatus.PROCESSED, received_at=at("15/01/2024"),
                 due_date=due("22/01/2024"), finished_at=at("22/01/2024", "17:00"), fee=Decimal(20000),
                 paid_online=True, digitised=True, electronic_result=True),
            dict(code="T2", channel=Channel.POSTAL, status=DossierStatus.REFUSED, received_at=at("01/02/2024"),
                 finished_at=at("05/02/2024"), digitised=True),
            dict(code="L1", procedure=b, channel=Channel.DIRECT, status=DossierStatus.PROCESSED,
                 received_at=at("01/03/2024"), due_date=due("08/03/2024"), finished_at=at("12/03/2024"),
                 fee=Decimal(30000)),
            dict(code="L2", channel=Channel.DIRECT, status=DossierStatus.PROCESSED, received_at=at("04/03/2024"),
                 due_date=due("11/03/2024"), finished_at=at("06/03/2024"), supplement_requests=2,
                 supplement_days=1, digitised=True),
            dict(code="L3", procedure=b, channel=Channel.POSTAL, status=DossierStatus.STOPPED,
                 received_at=at("05/03/2024"), due_date=due("12/03/2024"), finished_at=at("13/03/2024"),
                 fee=Decimal(10000), digitised=True),
            dict(code="P1", channel=Channel.ONLINE, status=DossierStatus.IN_PROCESS,
                 received_at=at("31/03/2024", "23:50"), due_date=due("05/04/2024"), finished_at=at("02/04/2024"),
                 electronic_result=True),
            dict(code="P2", procedure=b, channel=Channel.DIRECT, status=DossierStatus.IN_PROCESS,
                 received_at=at("10/03/2024"), due_date=due("20/03/2024")),
            dict(code="P3", channel=Channel.DIRECT, status=DossierStatus.SUPPLEMENT_REQUESTED,
                 received_at=at("20/03/2024"), due_date=due("05/04/2024"), supplement_requests=2),
            dict(code="W", channel=Channel.DIRECT, status=DossierStatus.WITHDRAWN, received_at=at("12/03/2024"),
                 due_date=due("19/03/2024"), fee=Decimal(5000), paid_online=True, digitised=True,
                 electronic_result=True),
            dict(code="X1", channel=Channel.DIRECT, status=DossierStatus.PROCESSED,
                 received_at=at("31/12/2023", "23:30"), due_date=due("05/01/2024"), finished_at=at("03/01/2024")),
            dict(code="X2", channel=Channel.DIRECT, status=DossierStatus.RECEIVED,
                 received_at=at("01/04/2024", "00:10"), due_date=due("08/04/2024")),
        ]  # fmt: skip
        cls.example = {"base": cls.dossier}
        for row in rows:
            row.setdefault("procedure", a)
            cls.example[row["code"]] = Dossier.objects.create(agency=cls.agency, **row)
        cls.example["X3"] = Dossier.objects.create(
            agency=cls.other_agency,
            code="X3",
            procedure=a,
            channel=Channel.DIRECT,
            status=DossierStatus.RECEIVED,
            received_at=at("15/02/2024"),
        )


# The contract's example, with two figures that cannot both hold: its classes add up
# to 10 of the 11 counted and its digitised rate 0.5 is no fraction of 11. Here the
# 11th dossier is a second one in process late, and 6 of 11 are digitised.
EXAMPLE: dict[str, Any] = {
    "received": 12,
    "received_by_channel": {"direct": 8, "online": 2, "postal": 2},
    "withdrawn": 1,
    "counted": 11,
    "early": 3,
    "on_time": 2,
    "late": 3,
    "in_process_within_deadline": 1,
    "in_process_late": 2,
    "finished": 8,
    "in_process": 3,
    "on_time_rate": 0.5455,  # (3 + 2 + 1) / 11
    "online_rate": 0.1818,  # 2 / 11
    "online_payment_rate": 0.5,  # base and T1 paid online, of base, T1, L1, L3 with a fee
    "digitised_rate": 0.5455,  # E1, E2, T1, T2, L2, L3: 6 / 11
    "electronic_result_rate": 0.25,  # E1 and T1 of 8 finished
    "points_766": {"2.1": 10.91},  # 20 × 6 / 11
    "procedures_online": {
        "total": 3,
        "full": 1,
        "partial": 1,
        "none": 1,
        "full_rate": 0.3333,
        "partial_rate": 0.3333,
        "online_rate": 0.6667,
    },
}


class IndicatorsTest(IndicatorFixtures):
    def test_it_computes_the_contract_example(self) -> None:
        with self.assertNumQueries(2):  # the dossiers in one query, the catalogue in another
            result = indicators.compute(self.agency.pk, *Q1)
        self.assertEqual(result, EXAMPLE)

    def test_it_classifies_in_sql_as_deadlines_status_does(self) -> None:
        references = [date(2024, 1, 10), date(2024, 1, 22), date(2024, 3, 12), date(2024, 3, 31), date(2024, 4, 30)]
        seen: set[str] = set()
        for reference in references:
            rows = indicators.classified(Dossier.objects.all(), reference).order_by("pk")
            for dossier in rows:
                expected = deadlines.status(dossier, reference)
                self.assertEqual(dossier.deadline, expected, f"{dossier.code} as of {reference}")  # type: ignore[attr-defined]
                seen.add(expected)
        self.assertEqual(seen, set(deadlines.DeadlineStatus.values))

    def test_it_counts_a_dossier_ended_after_the_reference_as_in_process(self) -> None:
        march = indicators.compute(self.agency.pk, date(2024, 3, 1), date(2024, 3, 31))
        self.assertEqual(march["in_process_within_deadline"], 1)  # P1 ended 02/04
        april = indicators.compute(self.agency.pk, date(2024, 3, 31), date(2024, 4, 30))
        # P1 (ended 02/04, due 05/04: early) and X2 (due 08/04, open: late by 30/04).
        self.assertEqual((april["received"], april["early"], april["in_process_late"]), (2, 1, 1))

    def test_it_filters_by_unit_and_procedure(self) -> None:
        Dossier.objects.filter(code__in=["E1", "L1"]).update(unit=self.unit)
        by_unit = indicators.compute(self.agency.pk, *Q1, unit=self.unit)
        self.assertEqual((by_unit["received"], by_unit["early"], by_unit["late"]), (2, 1, 1))
        by_procedure = indicators.compute([self.agency.pk], *Q1, procedure=self.second.pk)
        self.assertEqual((by_procedure["received"], by_procedure["late"], by_procedure["in_process_late"]), (3, 2, 1))
        self.assertEqual(by_procedure["on_time_rate"], 0.0)

    def test_it_answers_null_rates_and_points_without_dossiers(self) -> None:
        result = indicators.compute(self.agency.pk, date(2020, 1, 1), date(2020, 12, 31))
        self.assertEqual((result["received"], result["counted"]), (0, 0))
        for key in ("on_time_rate", "online_rate", "online_payment_rate", "digitised_rate", "electronic_result_rate"):
            self.assertIsNone(result[key], key)
        self.assertEqual(result["points_766"], {"2.1": None})

    def test_it_takes_a_filter_on_dossiers(self) -> None:
        from django.db.models import Q

        result = indicators.compute(Q(agency__province=self.agency.province), *Q1)
        self.assertEqual(result["received"], 13)  # X3 of the other agency of the province too
        self.assertNotIn("procedures_online", result)

    def test_it_averages_working_days_per_procedure(self) -> None:
        with self.assertNumQueries(3):  # the calendar's exceptions, the procedures, the averages
            rows = indicators.by_procedure(self.agency.pk, *Q1, current())
        first, second = rows
        self.assertEqual(
            (first.code, first.received, first.counted, first.on_time_rate, first.online_rate),
            ("1.001234", 9, 8, 0.75, 0.25),
        )
        # base 07/02→16/02 (Tết 08–14/02): 2; E1 2; E2 3; T1 5; T2 2; L2 2 less 1 supplementing: 15 / 6.
        self.assertEqual(first.average_days, 2.5)
        self.assertEqual(
            (second.code, second.received, second.on_time_rate, second.online_rate), ("1.000555", 3, 0.0, 0.0)
        )
        # L1 01/03→12/03: 7; L3 05/03→13/03: 6 (P2 is not finished).
        self.assertEqual(second.average_days, 6.5)

    def test_it_limits_the_procedures(self) -> None:
        rows = indicators.by_procedure(self.agency.pk, *Q1, current(), limit=1)
        self.assertEqual([row.code for row in rows], ["1.001234"])
