"""The appendix template: the header, two examples, the agency's units and the reform areas to pick from."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from django.urls import reverse

from accounts.models import Unit
from plans import excel
from plans.models import ReformArea, Task
from plans.tests.base import PlansTestCase
from plans.tests.test_excel_read import HEADER


class AppendixTemplateTestCase(PlansTestCase):
    def download(self) -> openpyxl.Workbook:
        response = self.client.get(reverse("plans:appendix_template", args=[self.draft_plan.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["Content-Disposition"], f'attachment; filename="Mau-phu-luc-2027-{self.draft_plan.pk}.xlsx"'
        )
        return openpyxl.load_workbook(io.BytesIO(response.content))

    def test_it_has_the_header_examples_and_lists(self) -> None:
        Unit.objects.create(agency=self.agency, name="Phòng Lãnh sự", abbreviation="LS", valid_to=date(2020, 1, 1))
        ReformArea.objects.filter(code="other").update(is_active=False)
        self.login(self.coordinator)
        book = self.download()
        self.assertEqual(book.sheetnames, ["Phụ lục", "Đơn vị", "Lĩnh vực"])
        sheet = book["Phụ lục"]
        self.assertEqual([c.value for c in sheet[1]], [*HEADER, "Lĩnh vực", "Người thực hiện"])
        self.assertIn("Rows 2 and 3 are examples", sheet["A1"].comment.text)
        self.assertEqual(sheet["A2"].value, "I. Example: Administrative procedure reform")
        self.assertEqual(
            [c.value for c in sheet[3]][:6],
            [
                "1",
                "Example: Review and publish the agency's administrative procedures",
                "Phòng Hợp tác quốc tế",
                "Văn phòng Sở",
                "Quý II/2027",
                "Example: Decision publishing the procedures",
            ],
        )
        units = [[c.value for c in row] for row in book["Đơn vị"].iter_rows()]
        # Current units only, not the closed one nor another agency's.
        self.assertEqual(
            units,
            [
                ["Name", "Short name", "Abbreviation"],
                ["Phòng Hợp tác quốc tế", None, "HTQT"],
                ["Văn phòng Sở", None, "VP"],
            ],
        )
        areas = [row[0].value for row in book["Lĩnh vực"].iter_rows(min_row=2)]
        self.assertIn("Thủ tục hành chính", areas)
        self.assertNotIn("Khác", areas)
        pickers = {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}
        self.assertEqual(pickers["C2:C2001"], "'Đơn vị'!$A$2:$A$3")
        self.assertEqual(pickers["G2:G2001"], "'Lĩnh vực'!$A$2:$A$8")

    def test_a_filled_in_template_imports(self) -> None:
        self.login(self.coordinator)
        book = self.download()
        sheet = book["Phụ lục"]
        sheet.append(["II", "CẢI CÁCH CHẾ ĐỘ CÔNG VỤ"])
        sheet.append(["1", "Đào tạo, bồi dưỡng công chức", "VP", "HTQT", "Quý IV", "Báo cáo", "", "Trần Văn Bình"])
        buffer = io.BytesIO()
        book.save(buffer)
        appendix = excel.read_appendix(buffer, self.draft_plan, name="mau.xlsx")
        self.assertEqual(appendix.problems, [])
        self.assertEqual([(s.label, s.title) for s in appendix.sections], [("II", "CẢI CÁCH CHẾ ĐỘ CÔNG VỤ")])
        excel.save_appendix(self.draft_plan, appendix)
        task = Task.objects.get(plan=self.draft_plan, label="1")
        self.assertEqual((task.due_date, task.area.code if task.area else None), (date(2027, 12, 31), "civil_service"))
        self.assertEqual(list(task.assignees.all()), [self.coordinator])

    def test_it_is_for_the_plans_managers(self) -> None:
        self.login(self.staff)
        response = self.client.get(reverse("plans:appendix_template", args=[self.draft_plan.pk]))
        self.assertEqual(response.status_code, 403)
