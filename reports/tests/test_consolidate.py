"""Drafting the consolidated report from the period's data (reports.consolidate)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import time_machine

from accounts.models import Unit
from plans.models import (
    Comparator,
    MetricKind,
    ReformArea,
    Target,
    TargetValue,
    Task,
    TaskStatus,
    TaskUpdate,
    UpdateKind,
)
from reports import consolidate
from reports.models import ReportStatus, UnitReport
from reports.tests.base import ReportsTestCase, at

AFTER_CUTOFF = "2026-03-20 09:00 +07:00"


class ConsolidateData(ReportsTestCase):
    """Quarter I/2026 (figures 15/12/2025–14/03/2026): tasks in every state over three areas, two
    targets measured, the Office's report accepted on time and the unit's report missing."""

    done: Task
    late: Task
    overdue: Task
    direction: Task
    next: Task
    on_time_target: Target
    office_report: UnitReport

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        areas = {a.code: a for a in ReformArea.objects.all()}

        def task(content: str, area: str, unit: Unit, due: date, **extra: Any) -> Task:
            return Task.objects.create(
                plan=cls.plan,
                content=content,
                area=areas[area],
                lead_unit=unit,
                start_date=date(2026, 1, 1),
                due_date=due,
                **extra,
            )

        cls.done = task(
            "Công bố danh mục thủ tục hành chính",
            "procedures",
            cls.unit,
            date(2026, 2, 28),
            status=TaskStatus.DONE,
            progress=100,
            completed_on=date(2026, 2, 20),
        )
        TaskUpdate.objects.create(
            task=cls.done,
            kind=UpdateKind.PROGRESS,
            author=cls.staff,
            unit=cls.unit,
            text="Đã công bố 25 thủ tục hành chính.",
            progress=100,
            created=at(2026, 2, 20),
        )
        cls.late = task(
            "Rà soát văn bản quy phạm pháp luật",
            "institutional",
            cls.office,
            date(2026, 1, 31),
            status=TaskStatus.DONE,
            progress=100,
            completed_on=date(2026, 2, 10),
        )
        cls.overdue = task(
            "Xây dựng quy chế phối hợp",
            "institutional",
            cls.unit,
            date(2026, 3, 1),
            status=TaskStatus.IN_PROGRESS,
            progress=30,
        )
        cls.direction = task(
            "Ban hành kế hoạch tuyên truyền cải cách hành chính",
            "direction",
            cls.office,
            date(2026, 3, 10),
            status=TaskStatus.DONE,
            progress=100,
            completed_on=date(2026, 3, 5),
        )
        cls.next = task("Số hóa hồ sơ, kết quả giải quyết", "digital_government", cls.unit, date(2026, 5, 15))
        TargetValue.objects.create(
            target=cls.target,
            period_label="Tháng 2/2026",
            period_end=date(2026, 2, 28),
            actual=Decimal(47),
            recorded_by=cls.staff,
        )
        cls.on_time_target = Target.objects.create(
            plan=cls.plan,
            statement="Tỷ lệ hồ sơ giải quyết đúng hạn",
            metric_kind=MetricKind.PERCENT,
            comparator=Comparator.GTE,
            value=Decimal(98),
            unit_of_measure="%",
            area=areas["procedures"],
            responsible_unit=cls.office,
        )
        TargetValue.objects.create(
            target=cls.on_time_target,
            period_label="Tháng 3/2026",
            period_end=date(2026, 3, 10),
            actual=Decimal("97.5"),
            recorded_by=cls.coordinator,
        )
        cls.office_report = UnitReport.objects.create(
            period=cls.period,
            unit=cls.office,
            status=ReportStatus.ACCEPTED,
            results="Tham mưu ban hành kế hoạch tuyên truyền.",
            limitations="1. Nhân lực còn mỏng\n- Kinh phí hạn chế",
            proposals="Đề nghị bổ sung kinh phí số hóa",
            next_tasks="Tổ chức kiểm tra cải cách hành chính",
            first_submitted_at=at(2026, 3, 15),
            submitted_at=at(2026, 3, 15),
            version=1,
        )
        cls.leader.position = "Giám đốc"
        cls.leader.save()


class ConsolidateTests(ConsolidateData):
    @time_machine.travel(AFTER_CUTOFF)
    def test_it_titles_the_report_after_the_period(self) -> None:
        report = consolidate.draft(self.period, self.coordinator)
        self.assertEqual(report.title, "Kết quả thực hiện công tác cải cách hành chính quý I năm 2026")
        self.assertEqual(report.drafted_by, self.coordinator)
        self.assertEqual(report.recipients.splitlines(), list(consolidate.DEFAULT_RECIPIENTS))
        self.assertEqual((report.signer_position, report.signer_full_name), ("Giám đốc", "Nguyễn Thị Hà"))

    @time_machine.travel(AFTER_CUTOFF)
    def test_it_names_the_plans_and_the_reporting_in_the_overview(self) -> None:
        overview = consolidate.draft(self.period, self.coordinator).overview
        self.assertIn(
            "Sở Ngoại vụ đã ban hành Kế hoạch số 01/KH-SNgV ngày 20/12/2025 về cải cách hành chính năm 2026", overview
        )
        self.assertIn("triển khai 6 nhiệm vụ do 2 đơn vị chủ trì thực hiện và theo dõi 2 chỉ tiêu", overview)
        self.assertIn("Về công tác chỉ đạo, điều hành, trong kỳ có 1 nhiệm vụ: hoàn thành đúng hạn 1.", overview)
        self.assertIn(
            "Về chế độ báo cáo: có 1/2 đơn vị gửi báo cáo đúng hạn; 1 đơn vị chưa gửi báo cáo (Phòng Hợp tác quốc tế).",
            overview,
        )

    @time_machine.travel(AFTER_CUTOFF)
    def test_it_tells_the_results_by_area_in_the_areas_order(self) -> None:
        results = consolidate.draft(self.period, self.coordinator).results
        lines = results.splitlines()
        headings = [line for line in lines if line[:1].isdigit()]
        self.assertEqual(
            headings,
            [
                "1. Cải cách thể chế",
                "2. Cải cách thủ tục hành chính",
                "3. Xây dựng và phát triển Chính phủ điện tử, Chính phủ số",
                "4. Nhiệm vụ khác",
                "5. Kết quả do các đơn vị báo cáo",
            ],
        )
        self.assertIn("Trong kỳ, có 2 nhiệm vụ: hoàn thành trễ hạn 1, quá hạn 1.", lines)
        self.assertIn("Trong kỳ, có 2 nhiệm vụ: hoàn thành đúng hạn 1, đang thực hiện 1.", lines)
        self.assertIn(
            "- Công bố danh mục thủ tục hành chính: đã công bố 25 thủ tục hành chính (đã hoàn thành ngày 20/02/2026).",
            lines,
        )
        self.assertIn("- Tỷ lệ hồ sơ giải quyết đúng hạn: chỉ tiêu ≥ 98%, đạt 97,5% (có nguy cơ không đạt).", lines)
        self.assertIn("- Văn phòng Sở: tham mưu ban hành kế hoạch tuyên truyền.", lines)
        # The unit's draft report is not consolidated.
        self.assertNotIn("Đã hoàn thành 02 nhiệm vụ", results)

    @time_machine.travel(AFTER_CUTOFF)
    def test_it_lists_overdue_tasks_short_targets_and_missing_reports_as_limitations(self) -> None:
        text = consolidate.draft(self.period, self.coordinator).limitations
        self.assertIn("a) Đến ngày 14/03/2026, còn 1 nhiệm vụ quá hạn chưa hoàn thành:", text)
        self.assertIn("- Xây dựng quy chế phối hợp (Phòng Hợp tác quốc tế; hạn 01/03/2026).", text)
        self.assertIn("b) Có 2 chỉ tiêu chưa đạt hoặc có nguy cơ không đạt:", text)
        self.assertIn("Phòng Hợp tác quốc tế chưa gửi báo cáo", text)
        self.assertIn("- Văn phòng Sở: nhân lực còn mỏng; kinh phí hạn chế.", text)

    @time_machine.travel(AFTER_CUTOFF)
    def test_it_lists_the_tasks_due_next_and_the_units_proposals(self) -> None:
        report = consolidate.draft(self.period, self.coordinator)
        self.assertIn("- Số hóa hồ sơ, kết quả giải quyết (Phòng Hợp tác quốc tế; hạn 15/05/2026)", report.next_tasks)
        self.assertIn("Khẩn trương hoàn thành 1 nhiệm vụ còn quá hạn nêu tại Mục III.", report.next_tasks)
        self.assertIn("- Văn phòng Sở: tổ chức kiểm tra cải cách hành chính.", report.next_tasks)
        self.assertEqual(
            report.proposals,
            "Tổng hợp đề xuất, kiến nghị của các đơn vị:\n- Văn phòng Sở: đề nghị bổ sung kinh phí số hóa.",
        )

    @time_machine.travel(AFTER_CUTOFF)
    def test_it_counts_the_figures_by_area_unit_target_and_submission(self) -> None:
        figures = consolidate.draft(self.period, self.coordinator).figures
        by_area = {row["code"]: row for row in figures["by_area"]}
        self.assertEqual(list(by_area), ["direction", "institutional", "procedures", "digital_government"])
        self.assertEqual(
            {k: by_area["institutional"][k] for k in consolidate.COLUMNS},
            {"total": 2, "done_on_time": 0, "done_late": 1, "open": 0, "overdue": 1, "cancelled": 0},
        )
        self.assertEqual(figures["total"]["total"], 6)
        self.assertEqual(figures["total"]["done_on_time"], 2)
        self.assertEqual(
            {row["name"]: row["total"] for row in figures["by_unit"]}, {"Văn phòng Sở": 2, "Phòng Hợp tác quốc tế": 4}
        )
        self.assertEqual(
            [(t["goal"], t["actual"], t["status"]) for t in figures["targets"]],
            [("≥ 50%", "47%", "at_risk"), ("≥ 98%", "97,5%", "at_risk")],
        )
        self.assertEqual(
            [(s["unit"], s["timing"]) for s in figures["submissions"]],
            [("Phòng Hợp tác quốc tế", "missing"), ("Văn phòng Sở", "on_time")],
        )
        self.assertEqual(
            figures["submission_counts"], {"expected": 2, "on_time": 1, "late": 0, "missing": 1, "pending": 0}
        )

    @time_machine.travel(AFTER_CUTOFF)
    def test_it_says_so_honestly_when_there_is_nothing(self) -> None:
        Task.objects.filter(plan=self.plan).delete()
        Target.objects.filter(plan=self.plan).delete()
        UnitReport.objects.filter(period=self.period).delete()
        report = consolidate.draft(self.period, self.coordinator)
        self.assertIn("không có nhiệm vụ cải cách hành chính nào được triển khai", report.overview)
        self.assertIn("Trong kỳ, không có đơn vị nào phải gửi báo cáo về Văn phòng.", report.overview)
        self.assertIn("a) Không có nhiệm vụ quá hạn.", report.limitations)
        self.assertIn("b) Không có chỉ tiêu phải theo dõi trong kỳ.", report.limitations)
        self.assertEqual(report.proposals, "Không có đề xuất, kiến nghị.")
        self.assertEqual(report.figures["total"]["total"], 0)

    @time_machine.travel(AFTER_CUTOFF)
    def test_it_titles_an_ad_hoc_report_after_its_request(self) -> None:
        self.period.frequency = "ad_hoc"
        self.period.title = "Báo cáo kết quả kiểm tra công vụ"
        report = consolidate.draft(self.period, self.coordinator)
        self.assertEqual(report.title, "Báo cáo kết quả kiểm tra công vụ")

    def test_it_refreshes_the_figures_and_keeps_the_text_unless_asked(self) -> None:
        with time_machine.travel(AFTER_CUTOFF):
            report = self.agency_report
            report.results = "Đã sửa tay."
            changed = consolidate.refresh(report)
            self.assertEqual(changed, ["figures"])
            self.assertEqual(report.results, "Đã sửa tay.")
            self.assertEqual(report.figures["total"]["total"], 6)
            consolidate.refresh(report, replace_text=True)
            self.assertTrue(report.results.startswith("1. Cải cách thể chế"))

    def test_it_writes_numbers_the_vietnamese_way(self) -> None:
        self.assertEqual(consolidate.number(Decimal("1250000")), "1.250.000")
        self.assertEqual(consolidate.number("97.50"), "97,5")
        self.assertEqual(consolidate.number(Decimal("-3")), "-3")
        self.assertEqual(consolidate.number(None), "")
