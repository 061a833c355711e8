"""Appendix tables read back out of a PDF: positioned text (here made from layout text) into rows."""

from __future__ import annotations

from documents.reader.appendix import appendix_tasks
from documents.reader.extract import extract
from documents.reader.pdftables import read_tables, text_lines
from documents.tests import samples
from documents.tests.samples import ReaderTestCase
from documents.tests.test_appendix import AREAS, HEADER, row

PAGE = """\
Trên đây là Kế hoạch.
PHỤ LỤC
STT     Nội dung nhiệm vụ        Đơn vị chủ     Đơn vị phối      Thời gian
                                 trì            hợp              hoàn thành
I. CẢI CÁCH THỂ CHẾ
1       Rà soát, cập nhật        Văn phòng Sở   Thanh tra Sở;    Quý II/2026
        văn bản quy phạm                        Phòng Tư pháp
        pháp luật
2       Theo dõi thi hành        Văn phòng Sở                    Thường xuyên
        pháp luật
II. CHUYỂN ĐỔI SỐ
1       Số hóa hồ sơ             Phòng HTQT     Văn phòng Sở     Trước
                                                                 30/6/2026"""


class PdfTablesTest(ReaderTestCase):
    def test_it_reads_rows_wrapped_cells_and_group_rows_and_takes_them_out_of_the_text(self) -> None:
        texts, touched, tables = read_tables([text_lines(PAGE)])
        self.assertEqual((texts, touched), ([["Trên đây là Kế hoạch.", "PHỤ LỤC"]], [True]))
        self.assertEqual(
            tables,
            [
                [
                    ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"],
                    ["I. CẢI CÁCH THỂ CHẾ"] * 5,
                    [
                        "1",
                        "Rà soát, cập nhật văn bản quy phạm pháp luật",
                        "Văn phòng Sở",
                        "Thanh tra Sở; Phòng Tư pháp",
                        "Quý II/2026",
                    ],
                    ["2", "Theo dõi thi hành pháp luật", "Văn phòng Sở", "", "Thường xuyên"],
                    ["II. CHUYỂN ĐỔI SỐ"] * 5,
                    ["1", "Số hóa hồ sơ", "Phòng HTQT", "Văn phòng Sở", "Trước 30/6/2026"],
                ]
            ],
        )

    def test_it_follows_the_table_over_pages_with_or_without_the_header_again(self) -> None:
        page = PAGE.split("\n")
        header, first_row = page[2:4], page[5:8]
        shifted = [" " + line for line in page[8:]]  # the next page's text a little to the right
        pages = [page, [*header, *first_row], [*shifted, "", "Nơi nhận:"], ["Trang sau"]]
        texts, touched, tables = read_tables([text_lines("\n".join(lines)) for lines in pages])
        self.assertEqual(texts, [["Trên đây là Kế hoạch.", "PHỤ LỤC"], [], ["Nơi nhận:"], ["Trang sau"]])
        self.assertEqual(touched, [True, True, True, False])
        contents = [r[1] for r in tables[0][1:]]
        self.assertEqual(
            contents,
            [
                "I. CẢI CÁCH THỂ CHẾ",
                "Rà soát, cập nhật văn bản quy phạm pháp luật",
                "Theo dõi thi hành pháp luật",
                "II. CHUYỂN ĐỔI SỐ",
                "Số hóa hồ sơ",
                "Rà soát, cập nhật văn bản quy phạm pháp luật",
                "Theo dõi thi hành pháp luật",
                "II. CHUYỂN ĐỔI SỐ",
                "Số hóa hồ sơ",
            ],
        )
        self.assertEqual(tables[0][-1][4], "Trước 30/6/2026")

    def test_it_reads_a_header_cell_centred_over_several_lines(self) -> None:
        lines = [
            "PHỤ LỤC",
            "                                     Thời gian",
            "STT   Nội dung     Đơn vị chủ trì                Sản phẩm",
            "                                     hoàn thành",
            "1     Rà soát      Văn phòng         Quý II      Báo cáo",
        ]
        texts, _, tables = read_tables([text_lines("\n".join(lines))])
        self.assertEqual(texts, [["PHỤ LỤC"]])
        self.assertEqual(
            tables[0],
            [
                ["STT", "Nội dung", "Đơn vị chủ trì", "Thời gian hoàn thành", "Sản phẩm"],
                ["1", "Rà soát", "Văn phòng", "Quý II", "Báo cáo"],
            ],
        )

    def test_it_splits_a_header_cell_spanning_two_columns_by_the_cells_under_it(self) -> None:
        lines = [
            "STT   Nội dung            Đơn vị thực hiện            Thời hạn",
            "                          Chủ trì       Phối hợp",
            "1     Kiểm tra công vụ    Văn phòng     Thanh tra     Quý IV",
        ]
        _, _, tables = read_tables([text_lines("\n".join(lines))])
        self.assertEqual(
            tables[0],
            [
                ["STT", "Nội dung", "Đơn vị thực hiện Chủ trì", "Đơn vị thực hiện Phối hợp", "Thời hạn"],
                ["1", "Kiểm tra công vụ", "Văn phòng", "Thanh tra", "Quý IV"],
            ],
        )

    def test_it_ends_the_table_at_a_paragraph_across_the_page(self) -> None:
        lines = [
            "STT   Nội dung            Đơn vị chủ trì     Thời hạn",
            "1     Kiểm tra công vụ    Văn phòng          Quý IV",
            "Các phòng chuyên môn căn cứ Kế hoạch này triển khai thực hiện và báo cáo kết quả về Văn phòng.",
        ]
        texts, _, tables = read_tables([text_lines("\n".join(lines))])
        self.assertEqual(texts, [lines[2:]])
        self.assertEqual(len(tables[0]), 2)

    def test_it_leaves_text_without_an_appendix_header_alone(self) -> None:
        lines = ["UBND TỈNH BÌNH PHƯỚC     CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Nội dung     thực hiện"]
        texts = [["UBND TỈNH BÌNH PHƯỚC   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Nội dung   thực hiện"]]
        self.assertEqual(read_tables([text_lines("\n".join(lines))]), (texts, [False], []))

    def test_it_reads_the_appendix_of_a_printed_plan_like_its_docx(self) -> None:
        layout = samples.text_layout("KẾ HOẠCH\nCải cách hành chính năm 2026\n\nI. NHIỆM VỤ\n\nRà soát văn bản.")
        rows = [
            HEADER,
            ["I. CẢI CÁCH CHẾ ĐỘ CÔNG VỤ"] * 7,
            row("1", "Đánh giá, xếp loại công chức năm 2026", "Văn phòng Sở", "Các phòng", "Quý IV", "Báo cáo"),
            row("2", "Tuyển dụng công chức còn thiếu theo đề án vị trí việc làm", "Văn phòng Sở", "", "Thường xuyên"),
            ["II. CHUYỂN ĐỔI SỐ"] * 7,
            row("1", "Ứng dụng chữ ký số", "Văn phòng Sở", "Sở Thông tin và Truyền thông", "Trước 30/6/2026"),
        ]
        from_docx = appendix_tasks(extract("a.docx", samples.layout_docx(layout, appendix=rows)).tables, AREAS, 2026)
        source = extract("a.pdf", samples.layout_pdf(layout, appendix=rows))
        self.assertEqual(len(from_docx), 3)
        self.assertEqual(appendix_tasks(source.tables, AREAS, 2026), from_docx)
        self.assertNotIn("Đánh giá, xếp loại", source.text)
