"""Criteria sets as Excel: export, the template, import (all or nothing, every problem with its line)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl

from accounts.models import AgencyKind
from indices import criteria
from indices.models import Applicability, CriteriaSet, Criterion, CriterionKind, Method, SetStatus
from indices.tests.test_criteria import CriteriaTestCase, tree

HEADERS = [c.header for c in criteria.COLUMNS]
FIELDS = {
    "Tên bộ tiêu chí": "Bộ tiêu chí thử",
    "Năm đánh giá": 2026,
    "Loại cơ quan": "Sở, ban, ngành",
    "Quyết định ban hành": "Quyết định số 12/QĐ-UBND",
    "Ngày quyết định": "15/01/2026",
    "Xếp loại": "Tốt=85; Khá=70; Đạt=0",
    "Số chữ số thập phân": 1,
    "Chỉ số tối đa 100": "Không",
}
# code, parent, name, max, kind, method, step, options, applicability, guidance, evidence, keywords
GOOD = [
    ["1", None, "Chỉ đạo, điều hành", 6, None, None, None, None, None, None, None, None],
    ["1.1", None, "Kế hoạch CCHC", 2.5, None, None, 0.5, None, None, "Đúng hạn: 2,5", "Kế hoạch", "kế hoạch"],
    ["1.2", None, "Báo cáo", "3,5", None, None, None, "Đủ=3.5; Thiếu=1", None, None, None, None],
    ["2", None, "Thủ tục hành chính", 4, None, None, None, None, "Cơ quan có TTHC", None, None, None],
    ["2.1", None, "Hài lòng", 4, None, "Điều tra xã hội học", None, None, None, None, None, None],
    ["T", None, "Điểm thưởng", 1, "Điểm thưởng", None, None, None, None, None, None, None],
    ["T1", "T", "Sáng kiến", 2, None, None, None, None, None, None, None, None],
]


def workbook(rows: list[Any], fields: dict[str, Any] | None = None, headers: list[str] | None = None) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = criteria.CRITERIA_SHEET
    sheet.append(headers or HEADERS)
    for row in rows:
        sheet.append(row)
    info = book.create_sheet(criteria.FIELDS_SHEET)
    for label, value in (FIELDS if fields is None else fields).items():
        info.append([label, value])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def saved_values(buffer: io.BytesIO, values: dict[str, str]) -> io.BytesIO:
    """The workbook as Excel saves it: each formula with its computed value."""
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for formula, value in values.items():
                    text = text.replace(f"<f>{formula}</f><v></v>", f"<f>{formula}</f><v>{value}</v>")
                data = text.encode()
            target.writestr(item, data)
    out.seek(0)
    return out


class ImportTestCase(CriteriaTestCase):
    def read(self, buffer: io.BytesIO) -> criteria.Parsed:
        return criteria.read_workbook(buffer, "Bộ tiêu chí.xlsx")

    def problems(self, rows: list[Any], fields: dict[str, Any] | None = None) -> list[str]:
        before = (CriteriaSet.objects.count(), Criterion.objects.count())
        with self.assertRaises(criteria.Refused) as refused:
            criteria.import_workbook(
                workbook(rows, fields), "Bộ tiêu chí.xlsx", None, province=self.province, user=None
            )
        # All or nothing: not a row of a refused file is stored.
        self.assertEqual((CriteriaSet.objects.count(), Criterion.objects.count()), before)
        return refused.exception.messages

    def test_it_imports_a_set_as_a_draft(self) -> None:
        imported = criteria.import_workbook(
            workbook(GOOD), "Bộ tiêu chí.xlsx", None, province=self.province, user=self.overseer
        )
        self.assertEqual(
            (imported.name, imported.year, imported.agency_kind, imported.status, imported.version),
            ("Bộ tiêu chí thử", 2026, AgencyKind.DEPARTMENT, SetStatus.DRAFT, 1),
        )
        self.assertEqual((imported.decision, imported.decision_date), ("Quyết định số 12/QĐ-UBND", date(2026, 1, 15)))
        self.assertEqual(
            imported.bands, [{"label": "Tốt", "min": 85}, {"label": "Khá", "min": 70}, {"label": "Đạt", "min": 0}]
        )
        self.assertEqual((imported.decimals, imported.cap_at_100, imported.is_example), (1, False, False))
        self.assertEqual(
            (imported.province, imported.previous, imported.created_by), (self.province, None, self.overseer)
        )
        rows = {c.code: c for c in imported.criteria.select_related("parent")}
        self.assertEqual(list(rows), ["1", "1.1", "1.2", "2", "2.1", "T", "T1"])
        self.assertEqual(rows["1.1"].parent, rows["1"])
        self.assertEqual((rows["1.1"].max_points, rows["1.1"].step), (Decimal("2.5"), Decimal("0.5")))
        self.assertEqual(
            (rows["1.1"].guidance, rows["1.1"].evidence_required, rows["1.1"].keywords),
            ("Đúng hạn: 2,5", "Kế hoạch", "kế hoạch"),
        )
        self.assertEqual(rows["1.2"].max_points, Decimal("3.5"))
        self.assertEqual(rows["1.2"].options, [{"label": "Đủ", "points": "3.5"}, {"label": "Thiếu", "points": "1"}])
        # Blank kind, method and applicability are the parent's.
        self.assertEqual(rows["2.1"].applicability, Applicability.PROCEDURES)
        self.assertEqual(rows["2.1"].method, Method.SURVEY)
        self.assertEqual((rows["T1"].parent, rows["T1"].kind), (rows["T"], CriterionKind.BONUS))
        self.assertEqual([c.order for c in rows.values()], [1, 2, 3, 4, 5, 6, 7])

    def test_a_second_import_of_a_year_is_its_next_version(self) -> None:
        fields = {**FIELDS, "Năm đánh giá": 2024}
        imported = criteria.import_workbook(
            workbook(GOOD, fields), "Bộ tiêu chí.xlsx", None, province=self.province, user=None
        )
        self.assertEqual(
            (imported.version, imported.previous, imported.status), (2, self.criteria_set, SetStatus.DRAFT)
        )

    def test_export_then_import_gives_the_same_set(self) -> None:
        for source in (self.criteria_set, criteria.load_example(self.province, 2026)):
            with self.subTest(source=source.name):
                content = criteria.export_set(source)
                imported = criteria.import_workbook(
                    io.BytesIO(content), criteria.filename(source), None, province=self.province, user=None
                )
                self.assertEqual(tree(imported), tree(source))
                for name in (
                    "name",
                    "year",
                    "agency_kind",
                    "decision",
                    "decision_date",
                    "bands",
                    "decimals",
                    "cap_at_100",
                    "notes",
                ):
                    self.assertEqual(getattr(imported, name), getattr(source, name), name)
                self.assertEqual((imported.version, imported.previous), (source.version + 1, source))

    def test_the_export_is_one_sheet_of_criteria_and_one_of_fields(self) -> None:
        book = openpyxl.load_workbook(io.BytesIO(criteria.export_set(self.criteria_set)))
        self.assertEqual(book.sheetnames, ["Tiêu chí", "Thông tin"])
        rows = list(book["Tiêu chí"].iter_rows(values_only=True))
        self.assertEqual(list(rows[0]), HEADERS)
        self.assertEqual(
            rows[2][:9],
            (
                "1.1",
                None,
                "Ban hành kế hoạch CCHC năm",
                4,
                "Chấm điểm",
                "Tự đánh giá, thẩm định",
                0.5,
                None,
                "Mọi cơ quan",
            ),
        )
        self.assertEqual(rows[3][7], "Không đủ=0; Đủ, có báo cáo trễ=3; Đủ, đúng hạn=6")
        fields = dict(book["Thông tin"].iter_rows(values_only=True))
        self.assertEqual(fields["Năm đánh giá"], 2024)
        self.assertEqual(fields["Xếp loại"], "A=90; B=80; C=70; D=0")

    def test_the_template_names_what_is_missing(self) -> None:
        parsed = self.read(io.BytesIO(criteria.build_template()))
        self.assertEqual(
            [str(p) for p in parsed.problems],
            [
                "Sheet “Thông tin”: “Tên bộ tiêu chí” is required.",
                "Sheet “Thông tin”: “Năm đánh giá” is required.",
            ],
        )
        self.assertEqual([c.code for c in parsed.criteria], ["1", "1.1", "1.2"])

    def test_set_fields_may_stand_above_the_headers(self) -> None:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["Tên bộ tiêu chí", "Bộ tiêu chí xã"])
        sheet.append(["Năm", 2025])
        sheet.append(["Loại cơ quan", "commune"])
        sheet.append([])
        sheet.append(["STT", "", "Nội dung", "Điểm tối đa", "Loại", "Phương pháp"])
        sheet.append(["1", "", "Chỉ đạo", 2, "scored", "self"])
        sheet.append(["1.1", "", "Kế hoạch", 2, "Scored", "Self-assessed and appraised"])
        buffer = io.BytesIO()
        book.save(buffer)
        parsed = self.read(buffer)
        self.assertEqual(parsed.problems, [])
        self.assertEqual(
            (parsed.fields["name"], parsed.fields["year"], parsed.fields["agency_kind"]),
            ("Bộ tiêu chí xã", 2025, AgencyKind.COMMUNE),
        )
        self.assertEqual([c.code for c in parsed.criteria], ["1", "1.1"])

    # Bad input ------------------------------------------------------------------

    def test_duplicate_codes(self) -> None:
        rows = [*GOOD, ["1.1", None, "Lặp", 1, None, None, None, None, None, None, None, None]]
        self.assertEqual(self.problems(rows), ["Line 9: the code 1.1 is already used on line 3."])

    def test_unknown_parent(self) -> None:
        rows = [
            ["1", None, "Chỉ đạo", 1, None, None, None, None, None, None, None, None],
            ["3.1", None, "Mồ côi", 1, None, None, None, None, None, None, None, None],
            ["3.1.1", None, "Con của mồ côi", 1, None, None, None, None, None, None, None, None],
            ["X", "Y", "Cha lạ", 1, None, None, None, None, None, None, None, None],
        ]
        self.assertEqual(
            self.problems(rows),
            [
                "Line 3: the parent code 3 is not the code of an earlier line.",
                "Line 5: the parent code Y is not the code of an earlier line.",
            ],
        )

    def test_bad_numbers(self) -> None:
        rows = [
            ["1", None, "Một", "mười", None, None, None, None, None, None, None, None],
            ["2", None, "Hai", -1, None, None, None, None, None, None, None, None],
            ["3", None, "Ba", "1.255", None, None, None, None, None, None, None, None],
            ["4", None, "Bốn", 1, None, None, 0, None, None, None, None, None],
            ["5", None, "Năm", 1, None, None, "nửa", None, None, None, None, None],
            ["6", None, "Sáu", None, None, None, None, None, None, None, None, None],
            ["7", None, "Bảy", 2, None, None, None, "Đủ=3; Thiếu; Không=x", None, None, None, None],
        ]
        self.assertEqual(
            self.problems(rows),
            [
                "Line 2: maximum points: “mười” is not a number.",
                "Line 3: maximum points: “-1” is negative.",
                "Line 4: maximum points: “1.255” has more than two decimals.",
                "Line 5: score step: the step must be more than 0.",
                "Line 6: score step: “nửa” is not a number.",
                "Line 7: the maximum points are missing.",
                "Line 8: The option “Đủ=3” gives more than the maximum of 2 points.",
                "Line 8: The option “Thiếu” is not written as label=points.",
                "Line 8: The option “Không=x”: “x” is not a number.",
            ],
        )

    def test_children_that_do_not_add_up(self) -> None:
        rows = [
            ["1", None, "Chỉ đạo", 10, None, None, None, None, None, None, None, None],
            ["1.1", None, "Kế hoạch", 4, None, None, None, None, None, None, None, None],
            ["1.2", None, "Báo cáo", 5, None, None, None, None, None, None, None, None],
            ["1.2.1", None, "Quý", 2, None, None, None, None, None, None, None, None],
            ["1.2.2", None, "Năm", 2, None, None, None, None, None, None, None, None],
            ["T", None, "Điểm thưởng", 1, "bonus", None, None, None, None, None, None, None],
            ["T.1", None, "Sáng kiến", 1, "Điểm trừ", None, None, None, None, None, None, None],
        ]
        self.assertEqual(
            self.problems(rows),
            [
                "Line 2: 1 has 10 points but its items add up to 9.",
                "Line 4: 1.2 has 5 points but its items add up to 4.",
                "Line 7: T.1 is not of the same kind as T.",
            ],
        )

    def test_unknown_kind_method_and_applicability(self) -> None:
        rows = [
            ["1", None, "Một", 1, "Điểm cộng", "Phỏng vấn", None, None, "Một số", None, None, None],
        ]
        self.assertEqual(
            self.problems(rows),
            [
                "Line 2: “Điểm cộng” is not a known kind; write one of Chấm điểm, Điểm thưởng, Điểm trừ.",
                "Line 2: “Phỏng vấn” is not a known method; write one of Tự đánh giá, thẩm định, Điều tra xã hội học.",
                "Line 2: “Một số” is not a known applicability; write one of Mọi cơ quan, Cơ quan có TTHC, "
                "Cơ quan tự xác định.",
            ],
        )

    def test_missing_code_and_name(self) -> None:
        rows = [[None, None, "Không mã", 1, None, None, None, None, None, None, None, None], ["1", None, None, 1]]
        self.assertEqual(self.problems(rows), ["Line 2: the code is missing.", "Line 3: the name is missing."])

    def test_bad_set_fields(self) -> None:
        fields = {
            "Tên bộ tiêu chí": "",
            "Năm đánh giá": "năm nay",
            "Loại cơ quan": "Bộ",
            "Ngày quyết định": "2026-01-15",
            "Xếp loại": "A; B=80",
            "Số chữ số thập phân": 7,
            "Chỉ số tối đa 100": "có lẽ",
        }
        self.assertEqual(
            self.problems(GOOD, fields),
            [
                "Sheet “Thông tin”: “Tên bộ tiêu chí” is required.",
                "Sheet “Thông tin”: the year “năm nay” is not a year between 2000 and 2100.",
                "Sheet “Thông tin”: “Bộ” is not a kind of agency; write one of Sở, ban, ngành, UBND cấp xã, "
                "UBND cấp huyện, UBND cấp tỉnh, Cơ quan khác.",
                "Sheet “Thông tin”: the decision date “2026-01-15” is not a date written dd/mm/yyyy.",
                "Sheet “Thông tin”: The group “A” is not written as label=lowest index, e.g. A=90.",
                "Sheet “Thông tin”: the decimal places “7” must be a whole number from 0 to 4.",
                "Sheet “Thông tin”: “có lẽ” for “Chỉ số tối đa 100” must be Có or Không.",
            ],
        )

    def test_an_empty_sheet_and_missing_headers(self) -> None:
        self.assertEqual(self.problems([]), ["The file has no criteria: fill in at least one row under the headers."])
        parsed = self.read(workbook(GOOD, headers=["Mã", "Tên", "Ghi chú"]))
        self.assertEqual(
            [str(p) for p in parsed.problems],
            ["No header row with the columns Mã, Tên tiêu chí, Điểm tối đa was found in the sheet “Tiêu chí”."],
        )

    def test_a_file_that_is_not_a_workbook(self) -> None:
        parsed = criteria.read_workbook(io.BytesIO(b"%PDF-1.4"), "Bộ tiêu chí.pdf")
        self.assertEqual(
            [str(p) for p in parsed.problems],
            ["The file “Bộ tiêu chí.pdf” is not an Excel workbook (.xlsx). Save it as .xlsx and try again."],
        )
        parsed = criteria.read_workbook(io.BytesIO(b"not a zip"), "Bộ tiêu chí.xlsx")
        self.assertIn("could not be read as an Excel workbook", str(parsed.problems[0]))

    def test_formulas_are_read_as_their_saved_values(self) -> None:
        rows = [
            ["1", None, "Chỉ đạo", "=D3+D4", None, None, None, None, None, None, None, None],
            ["1.1", None, "Kế hoạch", 2, None, None, None, None, None, None, None, None],
            ["1.2", None, "Báo cáo", "=1+2", None, None, None, None, None, None, None, None],
        ]
        parsed = self.read(saved_values(workbook(rows), {"D3+D4": "5", "1+2": "3"}))
        self.assertEqual(parsed.problems, [])
        self.assertEqual([c.max_points for c in parsed.criteria], [Decimal(5), Decimal(2), Decimal(3)])

    def test_formulas_without_a_saved_value_are_refused(self) -> None:
        rows = [
            ["1", None, "Chỉ đạo", "=D3", None, None, None, None, None, None, None, None],
            ["1.1", None, "Kế hoạch", 2, None, None, None, None, None, None, None, None],
        ]
        messages = self.problems(rows)
        self.assertEqual(len(messages), 2)
        self.assertEqual(
            messages[0],
            "Line 2: cell D2 holds a formula without a saved value. Open the file in Excel, save it and import it "
            "again, or paste the values instead of the formulas.",
        )
        self.assertEqual(messages[1], "Line 2: the maximum points are missing.")

    def test_codes_typed_as_numbers_keep_their_dots(self) -> None:
        rows = [
            [1, None, "Một", 1, None, None, None, None, None, None, None, None],
            [1.1, None, "Một một", 1, None, None, None, None, None, None, None, None],
        ]
        parsed = self.read(workbook(rows))
        self.assertEqual(
            [(c.code, c.parent.code if c.parent else None) for c in parsed.criteria], [("1", None), ("1.1", "1")]
        )

    def test_example_data_goes_through_the_same_reader(self) -> None:
        data = {
            "set": {"name": "Ví dụ", "year": 2025},
            "criteria": [
                {"code": "1", "name": "Một", "max_points": "2"},
                {"code": "1.1", "name": "Một một", "max_points": "x"},
            ],
        }
        parsed = criteria.read_data(data)
        self.assertEqual([str(p) for p in parsed.problems], ["Line 2: maximum points: “x” is not a number."])


class OptionsTestCase(CriteriaTestCase):
    def test_options_text_round_trip(self) -> None:
        options, errors = criteria.parse_options("Đủ, đúng hạn=6; Trễ=3,5\nKhông=0", Decimal(6))
        self.assertEqual(errors, [])
        self.assertEqual(
            options,
            [
                {"label": "Đủ, đúng hạn", "points": "6"},
                {"label": "Trễ", "points": "3.5"},
                {"label": "Không", "points": "0"},
            ],
        )
        self.assertEqual(criteria.options_text(options), "Đủ, đúng hạn=6; Trễ=3.5; Không=0")
        _options, errors = criteria.parse_options("A=1; A=0")
        self.assertEqual(errors, ["The option “A” is listed twice."])
