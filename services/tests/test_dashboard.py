"""The dashboard's numbers from the rollups: months, year totals, rankings with ties, procedures, charts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from accounts.models import Agency, Unit
from services import dashboard, rollups
from services.models import Channel, Dossier, DossierStatus, Procedure
from services.tests.base import ServicesTestCase

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def at(month: int, day: int, year: int = 2024) -> datetime:
    return datetime(year, month, day, 9, tzinfo=ZONE)


class DashboardFixtures(ServicesTestCase):
    """Three agencies with dossiers in 2024 (and one in 2023), worked by hand.

    Sở Ngoại vụ (the personas' agency), with the fixture dossier d0 (no unit, online,
    07/02, early, fee paid online):
      unit HTQT: a1 10/01 online on time (fee paid online), a2 15/01 direct late (fee unpaid),
                 a3 05/03 direct still in process, due 20/03 (over at 31/03 and 31/12),
                 a4 25/03 online due 10/04, finished 05/04 (within at 31/03, early at 31/12);
      office VP: b1 20/01 direct on time, b2 03/02 online withdrawn,
                 b3 10/03 online due 15/03, finished 02/04 (over at 31/03, late at 31/12).
    Sở Tư pháp: c1 05/01 online early, c2 05/02 direct on time, c3 06/02 direct with two
    supplement requests (late). Sở Nội vụ: s1, s2 online early, s3 direct late (2 of 3, as Sở Tư pháp).
    """

    second: Procedure
    justice: Procedure

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.second = Procedure.objects.create(
            code="1.000555", name="Cho phép tổ chức hội nghị quốc tế", agency=cls.agency
        )
        cls.justice = Procedure.objects.create(
            code="2.000111", name="Cấp phiếu lý lịch tư pháp", agency=cls.other_agency
        )
        fee = {"fee": Decimal(50000)}
        cls.add(
            "a1",
            at(1, 10),
            date(2024, 1, 20),
            at(1, 20),
            unit=cls.unit,
            channel=Channel.ONLINE,
            paid_online=True,
            **fee,
        )
        cls.add("a2", at(1, 15), date(2024, 1, 25), at(1, 30), unit=cls.unit, **fee)
        cls.add("a3", at(3, 5), date(2024, 3, 20), None, unit=cls.unit, procedure=cls.second)
        cls.add(
            "a4", at(3, 25), date(2024, 4, 10), at(4, 5), unit=cls.unit, procedure=cls.second, channel=Channel.ONLINE
        )
        cls.add("b1", at(1, 20), date(2024, 1, 31), at(1, 31), unit=cls.office)
        cls.add(
            "b2",
            at(2, 3),
            date(2024, 2, 13),
            None,
            unit=cls.office,
            channel=Channel.ONLINE,
            status=DossierStatus.WITHDRAWN,
        )
        cls.add(
            "b3", at(3, 10), date(2024, 3, 15), at(4, 2), unit=cls.office, procedure=cls.second, channel=Channel.ONLINE
        )
        cls.add("old", at(12, 20, 2023), date(2023, 12, 28), at(1, 3), unit=cls.unit)
        justice = {"agency": cls.other_agency, "unit": cls.other_unit, "procedure": cls.justice}
        cls.add("c1", at(1, 5), date(2024, 1, 10), at(1, 9), channel=Channel.ONLINE, **justice)
        cls.add("c2", at(2, 5), date(2024, 2, 10), at(2, 10), **justice)
        cls.add("c3", at(2, 6), date(2024, 2, 28), at(2, 20), supplement_requests=2, **justice)
        home = {"agency": cls.home_affairs, "procedure": cls.unclassified}
        cls.add("s1", at(1, 8), date(2024, 1, 18), at(1, 12), channel=Channel.ONLINE, **home)
        cls.add("s2", at(1, 9), date(2024, 1, 18), at(1, 15), channel=Channel.ONLINE, **home)
        cls.add("s3", at(1, 10), date(2024, 1, 18), at(1, 19), **home)
        rollups.recompute()

    @classmethod
    def add(cls, code: str, received: datetime, due: date | None, finished: datetime | None, **fields: Any) -> Dossier:
        values: dict[str, Any] = {
            "agency": cls.agency,
            "procedure": cls.procedure,
            "channel": Channel.DIRECT,
            "status": DossierStatus.PROCESSED if finished else DossierStatus.IN_PROCESS,
        }
        return Dossier.objects.create(
            code=code, received_at=received, due_date=due, finished_at=finished, **(values | fields)
        )

    @classmethod
    def add_agency(cls, number: int) -> Agency:
        """One more agency of the province, with a unit, a procedure and a dossier received in January."""
        agency = cls._agency(f"extra-{number}", f"Sở thứ {number}", f"S{number}")
        unit = Unit.objects.create(agency=agency, name="Văn phòng", abbreviation="VP")
        procedure = Procedure.objects.create(code=f"9.00000{number}", name=f"Thủ tục {number}", agency=agency)
        cls.add(f"x{number}", at(1, 3), date(2024, 1, 10), at(1, 8), agency=agency, unit=unit, procedure=procedure)
        return agency


def figures(item: dashboard.Figures) -> tuple[int, ...]:
    return (item.received, item.counted, item.online, item.early, item.on_time, item.late, item.within, item.over)


class DashboardNumbersTest(DashboardFixtures):
    def test_it_gives_the_months_at_their_end_and_the_year_at_its_end(self) -> None:
        with self.assertNumQueries(1):
            months, total = dashboard.months(dashboard.rollups([self.agency.pk], 2024), 2024)
        self.assertEqual([m.month for m in months], [date(2024, n, 1) for n in range(1, 13)])
        # received, counted, online, early, on time, late, within, over
        self.assertEqual(figures(months[0].figures), (3, 3, 1, 0, 2, 1, 0, 0))
        self.assertEqual(figures(months[1].figures), (2, 1, 1, 1, 0, 0, 0, 0))
        self.assertEqual(figures(months[2].figures), (3, 3, 2, 0, 0, 0, 1, 2))
        self.assertEqual({figures(m.figures) for m in months[3:]}, {(0,) * 8})
        self.assertEqual(
            [(m.figures.on_time_rate, m.figures.online_rate, m.figures.payment_rate) for m in months[:4]],
            [(0.6667, 0.3333, 0.5), (1.0, 1.0, 1.0), (0.3333, 0.6667, None), (None, None, None)],
        )
        self.assertEqual(figures(total), (8, 7, 4, 2, 2, 2, 0, 1))
        self.assertEqual((total.withdrawn, total.with_fee, total.paid_online), (1, 3, 2))
        self.assertEqual((total.on_time_rate, total.online_rate, total.payment_rate), (0.5714, 0.5714, 0.6667))

    def test_it_limits_the_months_to_a_unit(self) -> None:
        months, total = dashboard.months(dashboard.rollups([self.agency.pk], 2024, unit_id=self.unit.pk), 2024)
        self.assertEqual([m.figures.received for m in months[:4]], [2, 0, 2, 0])
        self.assertEqual(figures(total), (4, 4, 2, 1, 1, 1, 0, 1))

    def test_it_ranks_agencies_with_ties_sharing_a_rank(self) -> None:
        ids = [self.home_affairs.pk, self.agency.pk, self.other_agency.pk, self.province.pk]
        with self.assertNumQueries(1):
            ranking = dashboard.agency_ranking(dashboard.rollups(ids, 2024))
        self.assertEqual(
            [(row.rank, row.name, row.figures.in_time, row.figures.counted) for row in ranking],
            [(1, "Sở Nội vụ", 2, 3), (1, "Sở Tư pháp", 2, 3), (3, "Sở Ngoại vụ", 4, 7)],
        )
        self.assertEqual(ranking[0].pk, self.home_affairs.pk)

    def test_it_ranks_the_units_of_an_agency_and_the_dossiers_without_unit(self) -> None:
        with self.assertNumQueries(1):
            ranking = dashboard.unit_ranking(dashboard.rollups([self.agency.pk], 2024), "No unit")
        self.assertEqual(
            [(row.rank, row.pk, row.name, row.figures.in_time, row.figures.counted) for row in ranking],
            [
                (1, None, "No unit", 1, 1),
                (2, self.unit.pk, "Phòng Hợp tác quốc tế", 2, 4),
                (2, self.office.pk, "Văn phòng Sở", 1, 2),
            ],
        )
        self.assertEqual({row.extra["agency"] for row in ranking}, {"Sở Ngoại vụ"})

    def test_rows_without_counted_dossiers_come_last_without_a_rank(self) -> None:
        rows = [
            dashboard.Ranked(1, "B", dashboard.Figures(received=1, withdrawn=1)),
            dashboard.Ranked(2, "C", dashboard.Figures(received=4, early=1, late=3)),
            dashboard.Ranked(3, "A", dashboard.Figures(received=2, on_time=1, over=1)),
            dashboard.Ranked(4, "D", dashboard.Figures(received=2, within=2)),
        ]
        self.assertEqual(
            [(row.rank, row.name) for row in dashboard.rank(rows)], [(1, "D"), (2, "A"), (3, "C"), (None, "B")]
        )

    def test_it_lists_the_procedures_by_received(self) -> None:
        with self.assertNumQueries(1):
            lines = dashboard.procedures(dashboard.rollups([self.agency.pk], 2024))
        self.assertEqual(
            [(line.code, figures(line.figures)) for line in lines],
            [("1.001234", (5, 4, 2, 1, 2, 1, 0, 0)), ("1.000555", (3, 3, 2, 1, 0, 1, 0, 1))],
        )
        lines = dashboard.procedures(dashboard.rollups([self.agency.pk], 2024), limit=1)
        self.assertEqual([line.code for line in lines], ["1.001234"])

    def test_it_lists_the_years_with_rollups(self) -> None:
        self.assertEqual(dashboard.years([self.agency.pk]), [2024, 2023])
        self.assertEqual(dashboard.years([self.other_agency.pk]), [2024])
        self.assertEqual(dashboard.years([]), [])


class ChartTest(ServicesTestCase):
    def test_it_rounds_the_top_of_a_count_axis(self) -> None:
        self.assertEqual([dashboard.nice_ceiling(n) for n in (0, 1, 3, 7, 12, 180, 2001)], [1, 1, 5, 10, 20, 200, 5000])

    def test_it_draws_bars_from_the_axis(self) -> None:
        chart = dashboard.bar_chart(["1", "2"], [10, 5], ["a", "b"])
        self.assertEqual([tick.label for tick in chart.ticks], ["0", "2", "4", "6", "8", "10"])
        self.assertEqual([t.label for t in dashboard.bar_chart(["1"], [2], ["a"]).ticks], ["0", "1", "2"])
        self.assertEqual([t.label for t in dashboard.bar_chart(["1"], [0], ["a"]).ticks], ["0", "1"])
        first, second = chart.bars
        self.assertEqual((first.y, first.height), (dashboard.TOP, dashboard.HEIGHT - dashboard.BOTTOM - dashboard.TOP))
        self.assertEqual(second.y + second.height, dashboard.HEIGHT - dashboard.BOTTOM)
        self.assertEqual(second.height, first.height / 2)
        self.assertLess(first.x, second.x)
        self.assertEqual([label.title for label in chart.labels], ["1", "2"])

    def test_it_breaks_a_line_where_a_month_has_no_rate(self) -> None:
        chart = dashboard.line_chart(
            ["1", "2", "3", "4", "5"], [("On time", "c", [1.0, 0.5, None, 0.0, 0.25], list("abcde"))]
        )
        series = chart.series[0]
        self.assertEqual([point.title for point in series.points], ["a", "b", "d", "e"])
        self.assertEqual(len(series.segments), 2)
        self.assertEqual(series.points[0].y, dashboard.TOP)
        self.assertEqual(series.points[2].y, dashboard.HEIGHT - dashboard.BOTTOM)
        self.assertEqual([tick.label for tick in chart.ticks], ["0%", "25%", "50%", "75%", "100%"])
