"""Appendix tables (Phụ lục) read into the contract's task dicts."""

from __future__ import annotations

from typing import Any

from documents.reader.appendix import appendix_tasks, header_key, split_units
from documents.reader.areas import AreaMatcher
from documents.reader.extract import extract
from documents.tests.samples import DocxBuilder, ReaderTestCase, appendix_table

AREAS = AreaMatcher(
    [
        ("institutional", "thể chế"),
        ("procedures", "thủ tục hành chính"),
        ("civil_service", "công vụ\ncông chức"),
        ("digital_government", "chuyển đổi số\nchính quyền số\nchính phủ điện tử"),
        ("direction", "chỉ đạo"),
    ]
)
HEADER = [
    "STT",
    "Nội dung nhiệm vụ",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời gian hoàn thành",
    "Sản phẩm",
    "Ghi chú",
]


def task(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "section": ["1"],
        "content": "Rà soát văn bản",
        "area": "other",
        "lead_unit": None,
        "coordinating_units": [],
        "due": None,
        "due_date": None,
        "recurring": False,
        "output": None,
    }
    return {**base, **fields}


def row(stt: str, content: str, lead: str = "", coordinating: str = "", due: str = "", output: str = "") -> list[str]:
    return [stt, content, lead, coordinating, due, output, ""]


class AppendixTest(ReaderTestCase):
    def test_it_reads_task_rows_under_group_rows(self) -> None:
        table = [
            HEADER,
            ["I. CẢI CÁCH THỂ CHẾ"] * 7,
            row("1", "Rà soát văn bản\nquy phạm pháp luật.", "Văn phòng Sở", "Thanh tra Sở", "Quý II/2026", "Báo cáo"),
            row("2", "Theo dõi thi hành pháp luật...", "Văn phòng Sở", "", "Thường xuyên"),
            row("II", "CHUYỂN ĐỔI SỐ"),
            row("1", "Số hóa hồ sơ;", "Phòng Hợp tác quốc tế", "", "Tháng 6"),
        ]
        self.assertEqual(
            appendix_tasks([table], AREAS, 2026),
            [
                task(
                    section=["I", "1"],
                    content="Rà soát văn bản quy phạm pháp luật",
                    area="institutional",
                    lead_unit="Văn phòng Sở",
                    coordinating_units=["Thanh tra Sở"],
                    due="Quý II/2026",
                    due_date="2026-06-30",
                    output="Báo cáo",
                ),
                task(
                    section=["I", "2"],
                    content="Theo dõi thi hành pháp luật...",
                    area="institutional",
                    lead_unit="Văn phòng Sở",
                    due="Thường xuyên",
                    due_date=None,
                    recurring=True,
                ),
                task(
                    section=["II", "1"],
                    content="Số hóa hồ sơ",
                    area="digital_government",
                    lead_unit="Phòng Hợp tác quốc tế",
                    due="Tháng 6",
                    due_date="2026-06-30",
                ),
            ],
        )

    def test_it_reads_a_label_beside_a_text_merged_over_the_other_cells_as_a_group(self) -> None:
        table = [
            HEADER,
            ["II", *["CẢI CÁCH THỦ TỤC HÀNH CHÍNH"] * 6],
            ["1", *["Công tác chỉ đạo, điều hành"] * 6],
            row("1.1", "Ban hành kế hoạch kiểm soát thủ tục", "Văn phòng Sở", due="Quý I"),
            ["2", *["Kiểm soát thủ tục hành chính"] * 6],
            row("2.1", "Rà soát quy định", "Văn phòng Sở", due="Quý II"),
            ["III", *["CHUYỂN ĐỔI SỐ"] * 6],
            row("1", "Số hóa hồ sơ", "Văn phòng Sở"),
        ]
        tasks = appendix_tasks([table], AREAS, 2026)
        self.assertEqual(
            [(t["section"], t["content"], t["area"]) for t in tasks],
            [
                (["II", "1", "1.1"], "Ban hành kế hoạch kiểm soát thủ tục", "direction"),
                (["II", "2", "2.1"], "Rà soát quy định", "procedures"),
                (["III", "1"], "Số hóa hồ sơ", "digital_government"),
            ],
        )

    def test_it_takes_the_area_from_the_text_without_a_group_else_other(self) -> None:
        table = [HEADER, row("1", "Tuyên truyền cải cách thủ tục hành chính"), row("2", "Mua sắm bàn ghế")]
        tasks = appendix_tasks([table], AREAS)
        self.assertEqual([(t["section"], t["area"]) for t in tasks], [(["1"], "procedures"), (["2"], "other")])

    def test_it_takes_the_area_from_an_area_column_first(self) -> None:
        table = [
            ["STT", "Nội dung", "Lĩnh vực", "Đơn vị chủ trì"],
            ["I. CẢI CÁCH THỂ CHẾ"] * 4,
            ["1", "Số hóa hồ sơ", "Chuyển đổi số", "Văn phòng"],
            ["2", "Rà soát văn bản", "", "Văn phòng"],
        ]
        self.assertEqual([t["area"] for t in appendix_tasks([table], AREAS)], ["digital_government", "institutional"])

    def test_it_keeps_the_group_title_as_the_path_when_the_group_has_no_label(self) -> None:
        table = [HEADER, ["Công tác chỉ đạo, điều hành"] * 7, row("1", "Ban hành kế hoạch")]
        self.assertEqual(appendix_tasks([table], AREAS)[0]["section"], ["Công tác chỉ đạo, điều hành", "1"])
        self.assertEqual(appendix_tasks([table], AREAS)[0]["area"], "direction")

    def test_it_reads_a_header_over_two_rows_and_skips_column_numbers_and_repeated_headers(self) -> None:
        table = [
            ["TT", "Nội dung công việc", "Cơ quan thực hiện", "Cơ quan thực hiện", "Thời hạn", "Kết quả dự kiến"],
            ["TT", "Nội dung công việc", "Chủ trì", "Phối hợp", "Thời hạn", "Kết quả dự kiến"],
            ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
            ["1", "Kiểm tra công vụ", "Văn phòng", "Thanh tra", "Quý IV", "Kết luận"],
            # the table goes on over a page: Word repeats the header
            ["TT", "Nội dung công việc", "Cơ quan thực hiện", "Cơ quan thực hiện", "Thời hạn", "Kết quả dự kiến"],
            ["TT", "Nội dung công việc", "Chủ trì", "Phối hợp", "Thời hạn", "Kết quả dự kiến"],
            ["2", "Đánh giá công chức", "Văn phòng", "", "Trước 15/12/2025", ""],
        ]
        tasks = appendix_tasks([table], AREAS, 2025)
        self.assertEqual(
            [(t["content"], t["lead_unit"], t["coordinating_units"], t["due_date"], t["output"]) for t in tasks],
            [
                ("Kiểm tra công vụ", "Văn phòng", ["Thanh tra"], "2025-12-31", "Kết luận"),
                ("Đánh giá công chức", "Văn phòng", [], "2025-12-15", None),
            ],
        )

    def test_it_recognises_columns_without_accents_in_any_case_and_order(self) -> None:
        self.assertEqual(
            [header_key(text) for text in ["stt", "NOI DUNG", "Co quan chu tri", "Phối hợp", "THỜI GIAN", "Ghi chú"]],
            ["label", "content", "lead", "coordinating", "due", "note"],
        )
        self.assertEqual(header_key("Sản phẩm đầu ra"), "output")
        self.assertEqual(header_key("Đơn vị thực hiện"), "lead")
        self.assertEqual(header_key("Thời gian thực hiện"), "due")
        self.assertEqual(header_key("Nguồn kinh phí"), "budget")
        self.assertEqual(header_key("Người thực hiện"), "people")
        self.assertEqual(header_key("Tên đơn vị"), "lead")
        self.assertIsNone(header_key("Số tiền"))
        table = [
            ["Thời hạn", "Đơn vị phối hợp", "Nhiệm vụ", "Đơn vị chủ trì"],
            ["Quý I", "Sở Tư pháp", "Rà soát", "Văn phòng"],
        ]
        self.assertEqual(
            appendix_tasks([table], AREAS, 2026),
            [
                task(
                    section=[],
                    content="Rà soát",
                    lead_unit="Văn phòng",
                    coordinating_units=["Sở Tư pháp"],
                    due="Quý I",
                    due_date="2026-03-31",
                )
            ],
        )

    def test_it_gives_nothing_for_a_table_that_is_not_an_appendix_of_tasks(self) -> None:
        tables: list[list[list[str]]] = [
            [["Chỉ tiêu", "Giá trị"], ["Hồ sơ trực tuyến", "95%"]],
            [["STT", "Họ và tên", "Chức vụ"], ["1", "Nguyễn Văn A", "Giám đốc"]],
            [],
            [[]],
        ]
        for table in tables:
            with self.subTest(table):
                self.assertEqual(appendix_tasks([table], AREAS), [])

    def test_it_survives_ragged_rows_and_values_of_the_wrong_type(self) -> None:
        table: Any = [HEADER, ["1", "Rà soát văn bản"], ["2"], None, [3, None, "Văn phòng"], row("3", "Kiểm tra")]
        tasks = appendix_tasks([table, "not a table"], AREAS)  # type: ignore[list-item]
        self.assertEqual([t["content"] for t in tasks], ["Rà soát văn bản", "Kiểm tra"])

    def test_it_reads_deadlines_and_recurrence_as_printed(self) -> None:
        cases = {
            "Quý IV/2025": ("2025-12-31", False),
            "Trước 30/6/2026": ("2026-06-30", False),
            "6 tháng đầu năm": ("2026-06-30", False),
            "Tháng 6": ("2026-06-30", False),
            "Năm 2026": ("2026-12-31", False),
            # A recurring deadline names no one date (as in the text parser).
            "Thường xuyên": (None, True),
            "Hằng quý": (None, True),
            "Định kỳ hằng tháng": (None, True),
            "Quý II\n(trước 15/6)": ("2026-06-30", False),
            "Khi có yêu cầu": (None, False),
        }
        table = [HEADER] + [row(str(i), f"Nhiệm vụ {i}", due=due) for i, due in enumerate(cases, start=1)]
        tasks = appendix_tasks([table], AREAS, 2026)
        self.assertEqual([(t["due_date"], t["recurring"]) for t in tasks], list(cases.values()))
        self.assertEqual(tasks[8]["due"], "Quý II (trước 15/6)")

    def test_it_leaves_a_deadline_without_a_year_undated_when_the_plan_year_is_unknown(self) -> None:
        table = [HEADER, row("1", "Rà soát", due="Quý II"), row("2", "Kiểm tra", due="Quý II/2027")]
        self.assertEqual([t["due_date"] for t in appendix_tasks([table], AREAS)], [None, "2027-06-30"])


class UnitsTest(ReaderTestCase):
    def test_it_splits_named_units_on_semicolons_and_lines(self) -> None:
        self.assertEqual(
            split_units("Văn phòng Sở;\nPhòng Hợp tác quốc tế\nThanh tra Sở."),
            ["Văn phòng Sở", "Phòng Hợp tác quốc tế", "Thanh tra Sở"],
        )

    def test_it_splits_on_commas_only_between_unit_names(self) -> None:
        self.assertEqual(split_units("Văn phòng, Phòng HTQT, Thanh tra"), ["Văn phòng", "Phòng HTQT", "Thanh tra"])
        self.assertEqual(split_units("Sở Khoa học và Công nghệ"), ["Sở Khoa học và Công nghệ"])
        self.assertEqual(split_units("Sở Tài chính, Kho bạc Nhà nước tỉnh"), ["Sở Tài chính", "Kho bạc Nhà nước tỉnh"])
        self.assertEqual(
            split_units("Văn phòng Sở chủ trì, phối hợp các phòng"), ["Văn phòng Sở chủ trì, phối hợp các phòng"]
        )

    def test_it_names_each_body_of_a_list_of_departments(self) -> None:
        self.assertEqual(split_units("Các Sở: Nội vụ, Tài chính"), ["Sở Nội vụ", "Sở Tài chính"])

    def test_it_drops_phrases_that_name_no_unit(self) -> None:
        self.assertEqual(split_units("Thanh tra Sở; Các cơ quan liên quan; các đơn vị khác"), ["Thanh tra Sở"])
        self.assertEqual(split_units("Các cơ quan, đơn vị có liên quan"), [])
        self.assertEqual(split_units(""), [])


class DocxAppendixTest(ReaderTestCase):
    def test_it_reads_the_appendix_of_a_docx_with_merged_group_rows(self) -> None:
        builder = DocxBuilder()
        builder.paragraph("PHỤ LỤC")
        appendix_table(
            builder,
            [
                HEADER,
                ["I. CẢI CÁCH CHẾ ĐỘ CÔNG VỤ"] * 7,
                row("1", "Đánh giá, xếp loại công chức", "Văn phòng Sở", "Các phòng; Các cơ quan liên quan", "Quý IV"),
                ["II. CHUYỂN ĐỔI SỐ"] * 7,
                row("1", "Ứng dụng chữ ký số", "Văn phòng Sở", "Sở Thông tin và Truyền thông", "Thường xuyên"),
            ],
        )
        source = extract("phu-luc.docx", builder.save())
        self.assertEqual(source.text.strip(), "PHỤ LỤC")
        self.assertEqual(
            appendix_tasks(source.tables, AREAS, 2026),
            [
                task(
                    section=["I", "1"],
                    content="Đánh giá, xếp loại công chức",
                    area="civil_service",
                    lead_unit="Văn phòng Sở",
                    coordinating_units=["Các phòng"],
                    due="Quý IV",
                    due_date="2026-12-31",
                ),
                task(
                    section=["II", "1"],
                    content="Ứng dụng chữ ký số",
                    area="digital_government",
                    lead_unit="Văn phòng Sở",
                    coordinating_units=["Sở Thông tin và Truyền thông"],
                    due="Thường xuyên",
                    due_date=None,
                    recurring=True,
                ),
            ],
        )
