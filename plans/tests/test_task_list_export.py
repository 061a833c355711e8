"""The export of a task list as an Excel workbook: the list's filters, its columns, no N+1 queries."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import openpyxl
import time_machine

from lib.xlsx import XLSX_TYPE
from plans.models import TaskStatus
from plans.tests.lists_base import ListsTestCase

URL = "/plans/tasks/export.xlsx"
HEADERS = [
    "No.",
    "Plan",
    "Task",
    "Reform area",
    "Lead unit",
    "Coordinating units",
    "Responsible people",
    "Due date",
    "Deadline as printed",
    "State",
    "Progress (%)",
    "Expected output",
]


@time_machine.travel(date(2026, 7, 10), tick=False)
class TaskExportTestCase(ListsTestCase):
    def rows(self, response: Any) -> list[list[Any]]:
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], XLSX_TYPE)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    def test_it_exports_every_column_of_the_list(self) -> None:
        self.login(self.staff)
        response = self.client.get(URL)
        self.assertIn("attachment;", response["Content-Disposition"])
        self.assertIn("Tasks 10-07-2026.xlsx", response["Content-Disposition"])
        rows = self.rows(response)
        self.assertEqual(rows[0], HEADERS)
        self.assertEqual(
            rows[1],
            [
                1,
                "01/KH-SNgV",
                "Rà soát, công bố thủ tục hành chính",
                "Thủ tục hành chính",
                "Phòng Hợp tác quốc tế",
                "Văn phòng Sở",
                "Phạm Minh Tuấn",
                datetime(2026, 6, 30),
                "Quý II/2026",
                "Overdue",
                40,
                "Quyết định công bố",
            ],
        )
        # The draft plan has no number yet: its title stands for it.
        self.assertEqual(rows[2][:3], [2, "Cải cách hành chính năm 2027", "Tuyên truyền cải cách hành chính"])
        self.assertEqual(rows[2][7:11], [None, None, "Not started", 0])
        self.assertEqual(len(rows), 3)

    def test_it_applies_the_filters_of_the_list(self) -> None:
        done = self.add("Đã xong", status=TaskStatus.DONE, progress=100, due_date=date(2026, 3, 1))
        self.login(self.coordinator)
        self.assertEqual(
            [r[2] for r in self.rows(self.client.get(URL, {"q": "tuyen truyen"}))[1:]],
            ["Tuyên truyền cải cách hành chính"],
        )
        self.assertEqual([r[2] for r in self.rows(self.client.get(URL, {"state": "done"}))[1:]], [done.content])
        rows = self.rows(self.client.get(URL, {"view": "overdue"}))
        self.assertEqual([r[2] for r in rows[1:]], ["Rà soát, công bố thủ tục hành chính"])

    def test_it_exports_the_preset_lists(self) -> None:
        self.login(self.unit_head)
        rows = self.rows(self.client.get(URL, {"view": "mine"}))
        self.assertEqual([r[2] for r in rows[1:]], ["Tuyên truyền cải cách hành chính"])
        rows = self.rows(self.client.get(URL, {"view": "unit"}))
        self.assertEqual(len(rows), 3)
        self.login(self.leader)
        self.assertEqual(self.rows(self.client.get(URL, {"view": "unit"})), [HEADERS])
        # An unknown list is the list of all tasks.
        self.assertEqual(len(self.rows(self.client.get(URL, {"view": "nonsense"}))), 3)

    def test_it_exports_the_timeline_of_a_year(self) -> None:
        self.add("Năm sau", due_date=date(2027, 2, 1))
        self.login(self.staff)
        rows = self.rows(self.client.get(URL, {"view": "timeline", "year": "2027"}))
        self.assertEqual([r[2] for r in rows[1:]], ["Năm sau"])
        rows = self.rows(self.client.get(URL, {"view": "timeline"}))
        self.assertEqual([r[2] for r in rows[1:]], ["Rà soát, công bố thủ tục hành chính"])

    def test_it_never_exports_another_agency(self) -> None:
        self.login(self.outsider)
        rows = self.rows(self.client.get(URL))
        self.assertEqual([r[2] for r in rows[1:]], ["Nhiệm vụ bí mật của Sở Tư pháp"])
        self.assertEqual(
            self.rows(self.client.get(URL, {"plan": self.plan.pk}))[1:],
            [
                [
                    1,
                    "Kế hoạch của Sở Tư pháp",
                    "Nhiệm vụ bí mật của Sở Tư pháp",
                    None,
                    "Văn phòng Sở",
                    None,
                    None,
                    datetime(2026, 3, 31),
                    None,
                    "Overdue",
                    0,
                    None,
                ]
            ],
        )

    def test_it_runs_a_fixed_number_of_queries(self) -> None:
        self.login(self.coordinator)
        with self.assertNumQueries(12):
            self.client.get(URL)
        for i in range(20):
            task = self.add(f"Việc {i}", due_date=date(2026, 8, 1))
            task.coordinating_units.set([self.office])
            task.assignees.set([self.staff, self.unit_head])
        with self.assertNumQueries(12):
            response = self.client.get(URL)
        self.assertEqual(len(self.rows(response)), 23)
