"""PAPI and PCI: the indices from data, recording a result all or nothing, the tables, charts and linked tasks."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

from cchc.test import BaseTestCase
from indices import governance
from indices.models import GovernanceDimension, GovernanceIndex, GovernanceResult, ImprovementLink
from indices.tests.base import PARFixtures
from plans.models import Plan, Task

D = Decimal
EIGHT = {str(code): "5,00" for code in range(1, 9)}


class GovernanceCase(PARFixtures, BaseTestCase):
    other_task: Task

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.create_plans()
        cls.create_documents()
        cls.create_reports()
        cls.create_services()
        cls.create_par()
        plan = Plan.objects.create(agency=cls.other_agency, year=2026, title="Cải cách hành chính năm 2026")
        cls.other_task = Task.objects.create(plan=plan, content="Công khai TTHC", lead_unit=cls.other_unit)


class EnsureIndicesTests(GovernanceCase):
    def test_it_adds_what_is_missing_only(self) -> None:
        created = governance.ensure_indices()
        self.assertEqual([i.code for i in created], ["pci"])
        pci = GovernanceIndex.objects.get(code="pci")
        self.assertEqual(pci.dimensions.count(), 10)
        self.assertEqual(
            list(pci.dimensions.values_list("code", "name"))[:2],
            [("1", "Gia nhập thị trường"), ("2", "Tiếp cận đất đai")],
        )
        self.assertEqual(pci.dimensions.get(code="10").name, "Thiết chế pháp lý và an ninh trật tự")
        self.assertEqual(self.papi.dimensions.count(), 8)
        self.assertEqual(governance.ensure_indices(), [])
        self.assertEqual(GovernanceDimension.objects.count(), 18)

    def test_it_makes_both_on_an_empty_database(self) -> None:
        GovernanceResult.objects.all().delete()
        GovernanceIndex.objects.all().delete()
        self.assertEqual([i.code for i in governance.ensure_indices()], ["papi", "pci"])
        papi = GovernanceIndex.objects.get(code="papi")
        self.assertEqual(list(papi.dimensions.values_list("code", "from_year")), [(str(c), 2018) for c in range(1, 9)])
        self.assertEqual(papi.dimensions.get(code="8").name, "Quản trị điện tử")


class RecordTests(GovernanceCase):
    def test_it_records_a_year_and_replaces_it_later(self) -> None:
        result = governance.record_result(
            self.papi, self.province, 2024, scores=EIGHT, user=self.overseer, total="40,00", rank="24",
            ranked_of="63", group="Trung bình cao", source="papi.org.vn",
        )  # fmt: skip
        self.assertEqual((result.total, result.rank, result.ranked_of), (D("40.00"), 24, 63))
        self.assertEqual(result.recorded_by, self.overseer)
        self.assertEqual(sorted(result.scores.values_list("score", flat=True)), [D(5)] * 8)
        again = governance.record_result(
            self.papi, self.province, 2024, scores={**EIGHT, "8": "3.28"}, user=self.admin, total="38.28"
        )
        self.assertEqual(again.pk, result.pk)
        self.assertEqual(again.scores.count(), 8)
        self.assertEqual(again.scores.get(dimension__code="8").score, D("3.28"))
        self.assertEqual((again.total, again.rank, again.group, again.recorded_by), (D("38.28"), None, "", self.admin))

    def test_bad_input_gives_every_message_and_saves_nothing(self) -> None:
        scores = {**EIGHT, "1": "11", "2": "abc", "3": "", "4": "-1", "5": "5.123"}
        with self.assertRaises(ValidationError) as caught:
            governance.record_result(
                self.papi, self.province, 2024, scores=scores, user=self.overseer, total="x", rank="70", ranked_of="63"
            )
        self.assertEqual(
            caught.exception.messages,
            [
                "1. Tham gia của người dân ở cấp cơ sở: 11.00 is above the maximum of 10.00.",
                "2. Công khai, minh bạch trong việc ra quyết định ở địa phương: “abc” is not a number.",
                "3. Trách nhiệm giải trình với người dân: give the published score.",
                "4. Kiểm soát tham nhũng trong khu vực công: a score cannot be negative.",
                "5. Thủ tục hành chính công: give at most two decimals.",
                "The total “x” is not a number.",
                "The rank 70 is beyond the 63 provinces ranked.",
            ],
        )
        self.assertFalse(GovernanceResult.objects.filter(year=2024).exists())

    def test_only_the_dimensions_of_the_year_are_scored(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            governance.record_result(self.papi, self.province, 2017, scores=EIGHT, user=self.overseer)
        self.assertEqual(
            caught.exception.messages, ["PAPI has no dimension measured in 2017: add its dimensions first."]
        )
        self.papi.dimensions.filter(code="8").update(to_year=2020)
        with self.assertRaises(ValidationError) as caught:
            governance.record_result(self.papi, self.province, 2021, scores=EIGHT, user=self.overseer)
        self.assertEqual(caught.exception.messages, ["The dimension 8 is not measured in 2021."])
        seven = {code: value for code, value in EIGHT.items() if code != "8"}
        result = governance.record_result(self.papi, self.province, 2021, scores=seven, user=self.overseer)
        self.assertEqual(result.scores.count(), 7)

    def test_results_belong_to_a_province(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            governance.record_result(self.papi, self.agency, 2024, scores=EIGHT, user=self.overseer)
        self.assertEqual(caught.exception.messages, ["Results are recorded for a province."])


class TableTests(GovernanceCase):
    def test_the_table_and_charts_over_the_years(self) -> None:
        governance.record_result(self.papi, self.province, 2021, scores=EIGHT, user=self.overseer, total="40")
        results = list(GovernanceResult.objects.filter(province=self.province).prefetch_related("scores"))
        papi = GovernanceIndex.objects.prefetch_related("dimensions").get(code="papi")
        table = governance.tables([papi], results)[0]
        self.assertEqual(table.years, [2021, 2023])
        dimension = papi.dimensions.get(code="5")
        self.assertEqual(table.values(dimension), [D("5.00"), D("5.39")])
        self.assertEqual(len(table.dimensions), 8)
        charts = governance.charts(table)
        self.assertEqual([c.dimension for c in charts][:2], [None, papi.dimensions.get(code="1")])
        # 0 … 10 over 200 px from y = 212; two years in slots of (720 − 12 − 44) ÷ 2 = 332 px.
        chart = charts[5].chart
        self.assertEqual(
            [(p.x, p.y, p.title) for p in chart.series[0].points],
            [(210.0, 112.0, "2021: 5.00"), (542.0, 104.2, "2023: 5.39")],
        )
        self.assertEqual(chart.series[0].segments, ["210.0,112.0 542.0,104.2"])
        self.assertEqual([t.label for t in chart.ticks], ["0.00", "2.00", "4.00", "6.00", "8.00", "10.00"])
        # The total is on the sum of the maxima (80): 40 → 112.0, 43.12 → 212 − 107.8 = 104.2.
        self.assertEqual([p.y for p in charts[0].chart.series[0].points], [112.0, 104.2])

    def test_a_missing_year_breaks_the_line(self) -> None:
        chart = governance.line_chart([2020, 2021, 2022], [D(5), None, D(6)], name="x", maximum=D(10))
        self.assertEqual(chart.series[0].segments, [])
        self.assertEqual(len(chart.series[0].points), 2)


class LinkTests(GovernanceCase):
    def test_a_coordinator_links_the_agencys_own_tasks(self) -> None:
        link = governance.link_task(self.dimension, self.task, self.coordinator, self.province)
        self.assertEqual((link.task, link.dimension, link.criterion), (self.task, self.dimension, None))
        with self.assertRaisesMessage(ValidationError, "The task is already linked to this dimension."):
            governance.link_task(self.dimension, self.task, self.coordinator, self.province)
        with self.assertRaisesMessage(ValidationError, "You cannot link this task."):
            governance.link_task(self.dimension, self.other_task, self.coordinator, self.province)
        governance.unlink_task(link, self.coordinator, self.province)
        self.assertFalse(ImprovementLink.objects.exists())

    def test_the_overseer_links_any_task_of_the_province(self) -> None:
        self.assertTrue(governance.can_link(self.overseer, self.province))
        governance.link_task(self.dimension, self.other_task, self.overseer, self.province)
        self.assertEqual(ImprovementLink.objects.get().task, self.other_task)

    def test_staff_and_outsiders_cannot_touch_others_links(self) -> None:
        self.assertFalse(governance.can_link(self.staff, self.province))
        with self.assertRaises(ValidationError):
            governance.link_task(self.dimension, self.task, self.staff, self.province)
        link = governance.link_task(self.dimension, self.task, self.coordinator, self.province)
        with self.assertRaisesMessage(ValidationError, "You cannot unlink this task."):
            governance.unlink_task(link, self.outsider, self.province)
        self.assertTrue(ImprovementLink.objects.filter(pk=link.pk).exists())
