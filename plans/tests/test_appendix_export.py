"""Downloading a plan's appendix as .xlsx: grouped by section, sub-tasks after their parent, ready to print."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
from django.urls import reverse

from plans.models import Section, Task
from plans.tests.base import PlansTestCase


class AppendixExportTestCase(PlansTestCase):
    def download(self, plan: Any = None) -> Any:
        response = self.client.get(reverse("plans:appendix_export", args=[(plan or self.plan).pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        return openpyxl.load_workbook(io.BytesIO(response.content))["Phụ lục"]

    def values(self, sheet: Any, row: int) -> list[Any]:
        return [cell.value for cell in sheet[row]]

    def test_it_writes_title_header_group_and_task_rows(self) -> None:
        self.login(self.staff)
        sheet = self.download()
        self.assertEqual(sheet["A1"].value, "PHỤ LỤC")
        self.assertEqual(sheet["A2"].value, "CẢI CÁCH HÀNH CHÍNH NĂM 2026")
        self.assertEqual(
            sheet["A3"].value, "(Kèm theo Kế hoạch số 01/KH-SNgV ngày 20/12/2025 của Sở Ngoại vụ tỉnh Bình Phước)"
        )
        self.assertEqual(
            self.values(sheet, 5),
            [
                "STT",
                "Nội dung nhiệm vụ",
                "Đơn vị chủ trì",
                "Đơn vị phối hợp",
                "Thời gian hoàn thành",
                "Sản phẩm",
                "Lĩnh vực",
                "Người thực hiện",
            ],
        )
        self.assertEqual(sheet["A6"].value, "II. NHIỆM VỤ")
        self.assertTrue(sheet["A6"].font.b)
        self.assertIn("A6:F6", [str(r) for r in sheet.merged_cells.ranges])
        self.assertEqual(
            self.values(sheet, 7),
            [
                "1",
                "Rà soát, công bố thủ tục hành chính",
                "Phòng Hợp tác quốc tế",
                "Văn phòng Sở",
                "Quý II/2026",
                "Quyết định công bố",
                "Thủ tục hành chính",
                "Phạm Minh Tuấn",
            ],
        )
        self.assertEqual(sheet.max_row, 7)

    def test_it_is_set_up_for_printing(self) -> None:
        self.login(self.coordinator)
        sheet = self.download()
        self.assertEqual(sheet.page_setup.orientation, "landscape")
        self.assertTrue(sheet.sheet_properties.pageSetUpPr.fitToPage)
        self.assertEqual((sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight), (1, 0))
        self.assertEqual(sheet.print_title_rows, "$5:$5")
        self.assertEqual(sheet.freeze_panes, "A6")
        # The area and people columns stay beside the printed table.
        self.assertIn("$A$1:$F$7", sheet.print_area)

    def test_it_names_the_file_after_the_plan(self) -> None:
        self.login(self.staff)
        response = self.client.get(reverse("plans:appendix_export", args=[self.plan.pk]))
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="Phu-luc-01-KH-SNgV.xlsx"')
        response = self.client.get(reverse("plans:appendix_export", args=[self.draft_plan.pk]))
        self.assertEqual(
            response["Content-Disposition"], f'attachment; filename="Phu-luc-2027-{self.draft_plan.pk}.xlsx"'
        )

    def test_it_numbers_sub_tasks_and_leaves_out_occurrences(self) -> None:
        parent = Task.objects.create(
            plan=self.plan, section=self.section, content="Niêm yết", lead_unit=self.office, order=5
        )
        Task.objects.create(
            plan=self.plan, parent=parent, content="Tại bộ phận một cửa", lead_unit=self.office, order=6
        )
        Task.objects.create(
            plan=self.plan, parent=parent, label="b", content="Trên cổng", lead_unit=self.office, order=7
        )
        recurring = Task.objects.create(
            plan=self.plan,
            section=self.section,
            content="Báo cáo tiến độ",
            lead_unit=self.office,
            due_text="Hằng quý",
            recurrence="quarterly",
            due_date=date(2026, 12, 31),
            order=8,
        )
        self.assertEqual(len(recurring.generate_occurrences()), 4)
        self.login(self.staff)
        sheet = self.download()
        rows = [
            (sheet.cell(r, 1).value, sheet.cell(r, 2).value, sheet.cell(r, 5).value)
            for r in range(7, sheet.max_row + 1)
        ]
        self.assertEqual(
            rows,
            [
                ("1", "Rà soát, công bố thủ tục hành chính", "Quý II/2026"),
                ("2", "Niêm yết", None),
                ("2.1", "Tại bộ phận một cửa", None),
                ("b", "Trên cổng", None),
                ("3", "Báo cáo tiến độ", "Hằng quý"),
            ],
        )

    def test_it_writes_the_date_when_the_deadline_moved(self) -> None:
        Task.objects.filter(pk=self.task.pk).update(due_date=date(2026, 7, 31))
        self.login(self.staff)
        sheet = self.download()
        self.assertEqual(sheet["E7"].value.date(), date(2026, 7, 31))
        self.assertEqual(sheet["E7"].number_format, "DD/MM/YYYY")

    def test_it_writes_tasks_without_a_section_first_and_nested_sections(self) -> None:
        Task.objects.create(plan=self.plan, content="Nhiệm vụ chung", lead_unit=self.office, order=0)
        child = Section.objects.create(plan=self.plan, parent=self.section, label="1", title="Thể chế", order=2)
        Task.objects.create(plan=self.plan, section=child, content="Rà soát văn bản", lead_unit=self.unit, order=9)
        self.login(self.staff)
        sheet = self.download()
        self.assertEqual(
            [sheet.cell(r, 1).value for r in range(6, sheet.max_row + 1)], ["1", "II. NHIỆM VỤ", "1", "1. Thể chế", "1"]
        )

    def test_its_queries_do_not_grow_with_the_tasks(self) -> None:
        self.login(self.staff)
        self.download()
        with self.assertNumQueries(11):
            self.download()
        for index in range(10):
            task = Task.objects.create(
                plan=self.plan, section=self.section, content=f"Nhiệm vụ {index}", lead_unit=self.unit
            )
            task.coordinating_units.set([self.office])
            task.assignees.set([self.staff])
        with self.assertNumQueries(11):
            self.download()

    def test_it_is_for_people_who_see_the_plan(self) -> None:
        self.login(self.overseer)
        self.download()
        self.login(self.outsider)
        response = self.client.get(reverse("plans:appendix_export", args=[self.plan.pk]))
        self.assertEqual(response.status_code, 404)
