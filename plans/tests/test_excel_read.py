"""Reading an appendix workbook: every row checked, problems named by row, headings become sections."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from unittest import mock

import openpyxl

from accounts.models import Membership, Role, Unit
from plans import excel
from plans.models import ReformArea
from plans.tests.base import PlansTestCase

HEADER = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành", "Sản phẩm"]


def workbook(
    *rows: Sequence[Any],
    header: Sequence[Any] = HEADER,
    above: Sequence[Sequence[Any]] = (),
    merge: Sequence[str] = (),
    sheet: str = "Sheet1",
) -> bytes:
    """A workbook with optional title rows, the header, then the rows; `merge` lists ranges like "A7:F7"."""
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for row in above:
        ws.append(list(row))
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    for cells in merge:
        ws.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def task(label: Any = "1", content: str = "Rà soát thủ tục hành chính", lead: str = "HTQT", *rest: Any) -> list[Any]:
    coordinating, due, output = (list(rest) + ["", "Quý II/2026", "Báo cáo"][len(rest) :])[:3]
    return [label, content, lead, coordinating, due, output, *rest[3:]]


class ReadTestCase(PlansTestCase):
    def read(self, data: bytes, name: str = "phu-luc.xlsx", plan: Any = None) -> excel.Appendix:
        return excel.read_appendix(io.BytesIO(data), plan or self.draft_plan, name=name)

    def messages(self, appendix: excel.Appendix) -> list[str]:
        return [str(problem) for problem in appendix.problems]


class ReadTasksTestCase(ReadTestCase):
    def test_it_reads_units_dates_and_outputs(self) -> None:
        appendix = self.read(
            workbook(
                task("1", "Rà soát thủ tục", "phong hop tac quoc te", "VP", datetime(2027, 3, 15), "Báo cáo"),
                task("2", "Công bố thủ tục", "Văn phòng sở", "htqt\nVăn phòng Sở", "30/6/2027", "Quyết định"),
                task("3", "Niêm yết thủ tục", "HTQT", "Phòng Hợp tác quốc tế; VP", "Quý II", ""),
                task("4", "Kiểm tra", "vp", "", "Tháng 6", ""),
                task("5", "Tuyên truyền", "Phòng Hợp Tác Quốc Tế", "", "Thường xuyên", ""),
                task("6", "Không hạn", "HTQT", "", "", ""),
            )
        )
        self.assertEqual(appendix.problems, [])
        one, two, three, four, five, six = appendix.tasks
        self.assertEqual((one.row, one.label, one.content), (2, "1", "Rà soát thủ tục"))
        self.assertEqual((one.lead_unit_id, one.coordinating_ids), (self.unit.pk, [self.office.pk]))
        self.assertEqual((one.due_date, one.due_text, one.recurrence), (date(2027, 3, 15), "", ""))
        self.assertEqual(one.output, "Báo cáo")
        # The lead unit is not also coordinating.
        self.assertEqual((two.lead_unit_id, two.coordinating_ids), (self.office.pk, [self.unit.pk]))
        self.assertEqual((two.due_date, two.due_text), (date(2027, 6, 30), "30/6/2027"))
        # A period without a year is in the plan's year.
        self.assertEqual((three.due_date, three.coordinating_ids), (date(2027, 6, 30), [self.office.pk]))
        self.assertEqual(four.due_date, date(2027, 6, 30))
        self.assertEqual(
            (five.due_date, five.recurrence, five.due_text), (date(2027, 12, 31), "continuous", "Thường xuyên")
        )
        self.assertEqual((six.due_date, six.due_text), (None, ""))

    def test_it_splits_coordinating_units_on_commas_unless_a_name_holds_one(self) -> None:
        kh = Unit.objects.create(agency=self.agency, name="Phòng Kế hoạch, Tài chính", abbreviation="KHTC")
        appendix = self.read(
            workbook(
                task("1", "A", "HTQT", "Văn phòng Sở, Phòng Hợp tác quốc tế"),
                task("2", "B", "VP", "Phòng Kế hoạch, Tài chính"),
            )
        )
        self.assertEqual(appendix.problems, [])
        self.assertEqual(appendix.tasks[0].coordinating_ids, [self.office.pk])
        self.assertEqual(appendix.tasks[1].coordinating_ids, [kh.pk])

    def test_it_skips_title_rows_the_column_numbers_and_empty_rows(self) -> None:
        appendix = self.read(
            workbook(
                ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
                task("1"),
                [],
                ["", "", "", "", "", ""],
                ["7"],  # a number prepared and left empty
                task("2", "Công bố"),
                above=[["PHỤ LỤC"], ["Kế hoạch cải cách hành chính năm 2027"], []],
            )
        )
        self.assertEqual(appendix.problems, [])
        self.assertEqual([(t.row, t.label) for t in appendix.tasks], [(6, "1"), (10, "2")])

    def test_it_accepts_other_common_headers_in_any_order_and_case(self) -> None:
        header = ["tt", "Đơn vị\nchủ trì", "NỘI DUNG", "Phối hợp", "Thời hạn*", "Kết quả"]
        appendix = self.read(workbook(["1", "HTQT", "Rà soát", "VP", "Quý III", "Báo cáo"], header=header))
        self.assertEqual(appendix.problems, [])
        self.assertEqual(appendix.tasks[0].content, "Rà soát")
        self.assertEqual(appendix.tasks[0].due_date, date(2027, 9, 30))

    def test_it_skips_the_template_examples_left_unchanged(self) -> None:
        data = excel.build_template(self.draft_plan)
        appendix = self.read(data)
        self.assertEqual(self.messages(appendix), ["The appendix has no tasks to import."])


class ReadHeadingsTestCase(ReadTestCase):
    def test_it_makes_sections_of_heading_rows(self) -> None:
        appendix = self.read(
            workbook(
                ["I", "CẢI CÁCH THỂ CHẾ"],
                task("1", "Rà soát văn bản quy phạm pháp luật"),
                ["", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"],
                task("1", "Công bố thủ tục"),
                ["III. Công tác chỉ đạo, điều hành"],
                ["1", "Tuyên truyền"],
                ["", "", "", "", "", "", ""],
                ["2. Kiểm tra công tác cải cách"],
                task("1", "Kiểm tra các phòng"),
                merge=["A6:F6", "B7:F7", "A9:F9"],
            )
        )
        self.assertEqual(appendix.problems, [])
        sections = [(s.row, s.label, s.title, s.parent_row) for s in appendix.sections]
        self.assertEqual(
            sections,
            [
                (2, "I", "CẢI CÁCH THỂ CHẾ", None),
                (4, "", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", None),
                (6, "III", "Công tác chỉ đạo, điều hành", None),
                (7, "1", "Tuyên truyền", 6),  # a number after a Roman one: nested
                (9, "2", "Kiểm tra công tác cải cách", 6),
            ],
        )
        self.assertEqual([(t.row, t.section_row) for t in appendix.tasks], [(3, 2), (5, 4), (10, 9)])
        # The heading's area comes from its keywords; its tasks take it.
        institutional = ReformArea.objects.get(code="institutional")
        self.assertEqual(appendix.sections[0].area_id, institutional.pk)
        self.assertEqual(
            (appendix.tasks[0].area_id, appendix.tasks[0].area_source), (institutional.pk, excel.AREA_FROM_SECTION)
        )

    def test_it_reuses_a_heading_the_plan_already_has(self) -> None:
        appendix = self.read(workbook(["II. NHIỆM VỤ"], task("2", "Công bố thủ tục"), merge=["A2:F2"]), plan=self.plan)
        self.assertEqual(appendix.problems, [])
        self.assertEqual(appendix.sections[0].existing_id, self.section.pk)
        self.assertEqual(appendix.new_sections, 0)

    def test_it_makes_sub_tasks_of_numbered_and_bulleted_rows(self) -> None:
        appendix = self.read(
            workbook(
                task("1", "Công bố thủ tục"),
                task("1.1", "Công bố thủ tục lĩnh vực lãnh sự"),
                task("1.2", "Công bố thủ tục lĩnh vực hợp tác"),
                task("2", "Niêm yết"),
                task("-", "Niêm yết tại bộ phận một cửa"),
                task("+", "Niêm yết trên cổng thông tin"),
                task("3.1", "Không có nhiệm vụ 3"),
                task("4.", "Kiểm tra"),
                task("a)", "Kiểm tra văn phòng"),
                task("b", "Kiểm tra các phòng"),
                task("b.1", "Phòng Hợp tác quốc tế"),
            )
        )
        self.assertEqual(appendix.problems, [])
        found = [(t.row, t.label, t.parent_row) for t in appendix.tasks]
        self.assertEqual(
            found,
            [
                (2, "1", None),
                (3, "1.1", 2),
                (4, "1.2", 2),
                (5, "2", None),
                (6, "", 5),
                (7, "", 5),
                (8, "3.1", None),
                (9, "4", None),
                (10, "a", 9),
                (11, "b", 9),
                (12, "b.1", 11),
            ],
        )


class ReadAreasAndPeopleTestCase(ReadTestCase):
    def test_it_takes_the_area_from_the_column_then_keywords_then_other(self) -> None:
        appendix = self.read(
            workbook(
                task("1", "Tuyên truyền", "HTQT", "", "", "", "chinh phu dien tu, so"),
                task("2", "Số hóa hồ sơ giải quyết TTHC qua dịch vụ công trực tuyến"),
                task("3", "Tổ chức hội nghị"),
                header=[*HEADER, "Lĩnh vực"],
            )
        )
        self.assertEqual(appendix.problems, [])
        codes = dict(ReformArea.objects.values_list("pk", "code"))
        areas = [(codes[t.area_id or 0], t.area_source) for t in appendix.tasks]
        self.assertEqual(
            areas,
            [
                ("digital_government", excel.AREA_FROM_COLUMN),
                ("procedures", excel.AREA_FROM_KEYWORDS),
                ("other", excel.AREA_OTHER),
            ],
        )

    def test_it_suggests_the_closest_area(self) -> None:
        appendix = self.read(
            workbook(task("1", "A", "HTQT", "", "", "", "Cai cach the chee"), header=[*HEADER, "Lĩnh vực"])
        )
        self.assertEqual(
            self.messages(appendix),
            ["Row 2, Lĩnh vực: “Cai cach the chee” is not a reform area. Did you mean “Cải cách thể chế”?"],
        )

    def test_it_matches_people_of_the_lead_unit(self) -> None:
        appendix = self.read(
            workbook(
                task("1", "A", "HTQT", "", "", "", "", "pham minh tuan; unithead"),
                task("2", "B", "HTQT", "", "", "", "", "Phạm Minh Tú"),
                task("3", "C", "VP", "", "", "", "", "Phạm Minh Tuấn"),
                header=[*HEADER, "Lĩnh vực", "Người thực hiện"],
            )
        )
        self.assertEqual(
            self.messages(appendix),
            [
                "Row 3, Người thực hiện: “Phạm Minh Tú” does not work in Phòng Hợp tác quốc tế. "
                "Did you mean “Phạm Minh Tuấn”?",
                "Row 4, Người thực hiện: “Phạm Minh Tuấn” does not work in Văn phòng Sở.",
            ],
        )

    def test_it_lists_the_people_found(self) -> None:
        appendix = self.read(
            workbook(task("1", "A", "HTQT", "", "", "", "", "pham minh tuan; unithead"), header=[*HEADER, "", ""])
        )
        self.assertEqual(appendix.problems, [])  # columns without a header are ignored
        self.assertEqual(appendix.tasks[0].assignee_ids, [])
        appendix = self.read(
            workbook(
                task("1", "A", "HTQT", "", "", "", "", "pham minh tuan; unithead"),
                header=[*HEADER, "Lĩnh vực", "Người thực hiện"],
            )
        )
        self.assertEqual(appendix.tasks[0].assignee_ids, [self.staff.pk, self.unit_head.pk])


class ReadProblemsTestCase(ReadTestCase):
    def test_it_suggests_the_closest_unit_accent_insensitively(self) -> None:
        appendix = self.read(workbook(task("1"), task("2"), task("3"), task("4", "Nhiệm vụ", "Phong Hop tac QT")))
        self.assertEqual(
            self.messages(appendix),
            [
                "Row 5, Đơn vị chủ trì: “Phong Hop tac QT” is not a unit of this agency. "
                "Did you mean “Phòng Hợp tác quốc tế”?"
            ],
        )
        problem = appendix.problems[0]
        self.assertEqual((problem.row, problem.column), (5, "Đơn vị chủ trì"))

    def test_it_refuses_units_of_other_agencies_and_closed_units(self) -> None:
        Unit.objects.create(agency=self.other_agency, name="Phòng Tư pháp", abbreviation="PTP")
        Unit.objects.create(agency=self.agency, name="Phòng Lãnh sự", abbreviation="LS", valid_to=date(2020, 1, 1))
        appendix = self.read(workbook(task("1", "A", "Phòng Tư pháp"), task("2", "B", "HTQT", "Phòng Lãnh sự; VP")))
        self.assertEqual(
            self.messages(appendix),
            [
                "Row 2, Đơn vị chủ trì: “Phòng Tư pháp” is not a unit of this agency. "
                "The units are listed in the “Đơn vị” sheet of the template.",
                "Row 3, Đơn vị phối hợp: “Phòng Lãnh sự” is not a unit of this agency. "
                "The units are listed in the “Đơn vị” sheet of the template.",
            ],
        )

    def test_it_lists_every_bad_row_with_its_number(self) -> None:
        appendix = self.read(
            workbook(
                task("1"),
                ["2", "Nhiệm vụ không có đơn vị chủ trì"],
                task("3", ""),
                task("4", "Nhiệm vụ", "HTQT", "", "Sớm nhất có thể"),
                task("5", "Nhiệm vụ", "Văn phòng; HTQT"),
                task("6", "Nhiệm vụ", "HTQT", "VP, Phong Ke hoach"),
                task("7" * 21, "Nhiệm vụ"),
            )
        )
        self.assertEqual(
            self.messages(appendix),
            [
                "Row 3: the lead unit is missing.",
                "Row 4: the content of the task is empty.",
                "Row 5, Thời gian hoàn thành: “Sớm nhất có thể” is not a date (dd/mm/yyyy) or a period such as "
                "“Quý II/2027”, “Tháng 6” or “Thường xuyên”.",
                "Row 6, Đơn vị chủ trì: “Văn phòng” is not a unit of this agency. Did you mean “Văn phòng Sở”?",
                "Row 7, Đơn vị phối hợp: “Phong Ke hoach” is not a unit of this agency. "
                "The units are listed in the “Đơn vị” sheet of the template.",
                "Row 8, STT: the text has 21 characters; at most 20 are allowed.",
            ],
        )
        self.assertEqual(appendix.tasks[0].row, 2)

    def test_it_wants_one_lead_unit(self) -> None:
        appendix = self.read(workbook(task("1", "A", "HTQT; VP")))
        self.assertEqual(
            self.messages(appendix),
            ["Row 2, Đơn vị chủ trì: give one lead unit and put the others under “Đơn vị phối hợp”."],
        )

    def test_it_refuses_merged_cells_in_the_data_area(self) -> None:
        appendix = self.read(
            workbook(
                task("1"),
                task("2"),
                task("3"),
                task("4"),
                task("5"),
                task("6"),
                task("7"),
                task("8"),
                merge=["C6:C8", "E4:F4"],
                above=[["PHỤ LỤC"]],
            )
        )
        self.assertEqual(
            self.messages(appendix),
            ["Row 4: merged cells; unmerge them.", "Rows 6–8: merged cells; unmerge them."],
        )

    def test_it_refuses_a_merged_cell_over_a_task(self) -> None:
        appendix = self.read(workbook(task("1"), ["2", "Nhiệm vụ gộp ô", "HTQT"], merge=["B3:D3"]))
        self.assertEqual(self.messages(appendix), ["Row 3: merged cells; unmerge them."])

    def test_it_names_an_unknown_or_missing_column(self) -> None:
        header = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Ghi chú", "Thời gian hoàn thành", "Sản phẩm"]
        appendix = self.read(workbook(task("1"), header=header))
        self.assertEqual(
            self.messages(appendix),
            [
                "Column D is headed “Ghi chú”, which is not a column of the appendix. The columns are “STT”, "
                "“Nội dung nhiệm vụ”, “Đơn vị chủ trì”, “Đơn vị phối hợp”, “Thời gian hoàn thành”, “Sản phẩm”, "
                "and optionally “Lĩnh vực” and “Người thực hiện”.",
                "The column “Đơn vị phối hợp” is missing. The appendix needs the columns “STT”, "
                "“Nội dung nhiệm vụ”, “Đơn vị chủ trì”, “Đơn vị phối hợp”, “Thời gian hoàn thành”, “Sản phẩm”.",
            ],
        )
        self.assertEqual(appendix.tasks, [])

    def test_it_names_a_column_given_twice(self) -> None:
        appendix = self.read(workbook(task("1"), header=[*HEADER, "Nội dung"]))
        self.assertEqual(self.messages(appendix), ["The column “Nội dung nhiệm vụ” appears twice, in columns B and G."])

    def test_it_wants_a_header_row(self) -> None:
        appendix = self.read(workbook(["1", "Rà soát", "HTQT"], header=["Danh sách nhiệm vụ"]))
        self.assertEqual(
            self.messages(appendix),
            [
                "No header row was found in the first 15 rows of the sheet “Sheet1”. The appendix needs the columns "
                "“STT”, “Nội dung nhiệm vụ”, “Đơn vị chủ trì”, “Đơn vị phối hợp”, “Thời gian hoàn thành”, "
                "“Sản phẩm”. Start from the template."
            ],
        )

    def test_it_reads_the_appendix_sheet_when_there_are_several(self) -> None:
        book = openpyxl.load_workbook(io.BytesIO(workbook(task("1"), sheet="Phụ lục")))
        book.create_sheet("Ghi chú", 0)
        buffer = io.BytesIO()
        book.save(buffer)
        appendix = self.read(buffer.getvalue())
        self.assertEqual((appendix.problems, len(appendix.tasks)), ([], 1))

    def test_it_refuses_more_than_2000_rows(self) -> None:
        rows = [task(str(i), f"Nhiệm vụ {i}") for i in range(2001)]
        appendix = self.read(workbook(*rows))
        self.assertEqual(
            self.messages(appendix), ["The appendix has more than 2,000 rows. Split it into smaller files."]
        )

    def test_it_refuses_an_empty_appendix(self) -> None:
        self.assertEqual(self.messages(self.read(workbook())), ["The appendix has no tasks to import."])

    def test_it_refuses_a_file_that_is_not_xlsx(self) -> None:
        appendix = self.read(b"STT,Noi dung\n1,A\n", name="phu-luc.csv")
        self.assertEqual(
            self.messages(appendix),
            ["The file “phu-luc.csv” is not an Excel workbook (.xlsx). Save it as .xlsx and try again."],
        )

    def test_it_refuses_a_damaged_file(self) -> None:
        damaged = bytearray(workbook(task("1")))
        damaged[len(damaged) // 2 : len(damaged) // 2 + 200] = b"\0" * 200
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "hello")
        for data in (bytes(damaged), b"PK\x03\x04 not a zip", buffer.getvalue()):
            appendix = self.read(data)
            self.assertEqual(len(appendix.problems), 1)
            self.assertIn("could not be read as an Excel workbook: it may be damaged.", self.messages(appendix)[0])

    def test_it_refuses_a_workbook_that_unpacks_to_too_much(self) -> None:
        with mock.patch.object(excel, "MAX_UNPACKED_BYTES", 1000):
            appendix = self.read(workbook(task("1")))
        self.assertEqual(
            self.messages(appendix), ["The workbook holds too much data for one import. Split it into smaller files."]
        )

    def test_it_reads_names_of_people_who_left_as_unknown(self) -> None:
        Membership.objects.filter(user=self.staff, role=Role.STAFF).update(valid_to=date(2020, 1, 1))
        appendix = self.read(
            workbook(task("1", "A", "HTQT", "", "", "", "", "staff"), header=[*HEADER, "Lĩnh vực", "Người thực hiện"])
        )
        self.assertEqual(
            self.messages(appendix), ["Row 2, Người thực hiện: “staff” does not work in Phòng Hợp tác quốc tế."]
        )
