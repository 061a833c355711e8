"""The text parser's rules, one by one (the seeds are in test_seeds.py)."""

from __future__ import annotations

from typing import Any

from django.test import SimpleTestCase

from documents.reader import text as T
from documents.reader.areas import AreaMatcher
from documents.reader.parse import parse, read_budget, read_cadence, read_targets
from documents.reader.source import Source

AREAS = AreaMatcher(
    [
        ("direction", "chỉ đạo\nđiều hành\ntổ chức thực hiện"),
        ("procedures", "thủ tục hành chính\nTTHC"),
        ("civil_service", "công chức\ncông vụ"),
    ]
)


def read(text: str, **source: Any) -> dict[str, Any]:
    return parse(Source(text=text, kind="txt", **source), AREAS)


HEADER = """UBND TỈNH BÌNH PHƯỚC         CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ NỘI VỤ                   Độc lập - Tự do - Hạnh phúc

Số: {number}               Bình Phước, ngày 05 tháng 01 năm 2026

KẾ HOẠCH
Cải cách hành chính năm 2026

I. NHIỆM VỤ
1. Cải cách thủ tục hành chính
a) Rà soát thủ tục hành chính.
"""


class HeaderTests(SimpleTestCase):
    def test_it_reads_an_administrative_symbol(self) -> None:
        document = read(HEADER.format(number="05/KH-SNV"))["document"]
        self.assertEqual((document["type"], document["number"], document["symbol"]), ("KH", "05", "05/KH-SNV"))
        self.assertEqual((document["issuer"], document["parent_body"]), ("Sở Nội vụ", "UBND tỉnh Bình Phước"))
        self.assertEqual((document["place"], document["date"], document["year"]), ("Bình Phước", "2026-01-05", 2026))

    def test_it_keeps_a_blank_number_out_of_the_symbol(self) -> None:
        document = read(HEADER.format(number="     /KH-SNV"))["document"]
        self.assertEqual((document["number"], document["symbol"]), (None, "/KH-SNV"))

    def test_it_reads_legal_and_party_symbols(self) -> None:
        self.assertEqual(read(HEADER.format(number="212/2025/QĐ-UBND"))["document"]["symbol"], "212/2025/QĐ-UBND")
        document = read(HEADER.format(number="14-KH/TU"))["document"]
        self.assertEqual((document["number"], document["symbol"]), ("14", "14-KH/TU"))

    def test_a_missing_header_leaves_nulls(self) -> None:
        document = read("KẾ HOẠCH\nThi đua năm 2026\n\nI. NHIỆM VỤ\n1. Làm tốt.\n")["document"]
        self.assertEqual(
            [document[k] for k in ("issuer", "parent_body", "number", "symbol", "place", "date")], [None] * 6
        )
        self.assertEqual(document["title"], "Thi đua năm 2026")

    def test_a_number_stamped_by_the_signature_fills_the_blank(self) -> None:
        document = read(HEADER.format(number="    /KH-SNV"), stamped_text="Số: 17/KH-SNV\nNgày 06/01/2026")["document"]
        self.assertEqual((document["number"], document["symbol"]), ("17", "17/KH-SNV"))

    def test_it_reads_e_signature_stamps_in_both_common_forms(self) -> None:
        stamps = read(
            HEADER.format(number="05/KH-SNV")
            + "\n2021-12-15T08:35:36+0700\nPhạm Thị Anh Thư<thu@binhphuoc.gov.vn> đã ký lên văn bản này!\n"
            + "Người ký: Sở Nội vụ\nEmail: snv@binhphuoc.gov.vn\nThời gian ký: 15.12.2021 10:34:58 +07:00\n"
        )["document"]["digital_signatures"]
        self.assertEqual(
            stamps,
            [
                {
                    "signer": "Phạm Thị Anh Thư",
                    "email": "thu@binhphuoc.gov.vn",
                    "signed_at": "2021-12-15T08:35:36+07:00",
                },
                {"signer": "Sở Nội vụ", "email": "snv@binhphuoc.gov.vn", "signed_at": "2021-12-15T10:34:58+07:00"},
            ],
        )


class OutlineTests(SimpleTestCase):
    def test_it_follows_the_vietnamese_letter_order(self) -> None:
        items = "\n".join(f"{letter}) Việc {letter}." for letter in "abcdđegh")
        result = read(f"KẾ HOẠCH\nThử\n\nI. NHIỆM VỤ\n1. Cải cách thủ tục hành chính\n{items}\n")
        self.assertEqual([t["section"][-1] for t in result["tasks"]], list("abcdđegh"))
        self.assertEqual({t["area"] for t in result["tasks"]}, {"procedures"})

    def test_inline_lead_coordination_and_deadline(self) -> None:
        result = read(
            "KẾ HOẠCH\nThử năm 2025\n\nI. NHIỆM VỤ\n1. Rà soát thủ tục hành chính\n"
            "- Cơ quan chủ trì: Văn phòng Sở\n- Cơ quan phối hợp: Phòng Pháp chế; Thanh tra Sở\n"
            "- Thời gian hoàn thành: Quý IV/2025\n- Sản phẩm: Báo cáo rà soát\n"
            "2. Theo dõi thi hành pháp luật. Thời gian: Thường xuyên.\n"
        )
        first, second = result["tasks"]
        self.assertEqual(first["content"], "Rà soát thủ tục hành chính")
        self.assertEqual(first["lead_unit"], "Văn phòng Sở")
        self.assertEqual(first["coordinating_units"], ["Phòng Pháp chế", "Thanh tra Sở"])
        self.assertEqual(
            (first["due"], first["due_date"], first["output"]), ("Quý IV/2025", "2025-12-31", "Báo cáo rà soát")
        )
        self.assertEqual((second["due"], second["due_date"], second["recurring"]), ("Thường xuyên", None, True))

    def test_a_deadline_before_a_date(self) -> None:
        task = read("KẾ HOẠCH\nThử năm 2026\n\nI. NHIỆM VỤ\n1. Ban hành quy chế. Thời hạn: Trước 30/6/2026.\n")[
            "tasks"
        ][0]
        self.assertEqual((task["due"], task["due_date"]), ("Trước 30/6/2026", "2026-06-30"))

    def test_text_that_is_not_a_plan_gives_empty_lists(self) -> None:
        result = read("Xin chào, đây là một lá thư.\nKhông có gì để đọc.")
        self.assertEqual((result["tasks"], result["targets"], result["sections"]), ([], [], []))
        self.assertIsNone(result["document"]["type"])


class TargetTests(SimpleTestCase):
    def targets(self, text: str) -> list[tuple[str, Any, Any, str]]:
        return [(t["comparator"], t["value"], t["value_max"], t["text"]) for t in read_targets(text, ["I"])]

    def test_comparators(self) -> None:
        self.assertEqual(self.targets("Tối thiểu 50% hồ sơ trực tuyến.")[0][:2], (">=", 50))
        self.assertEqual(self.targets("100% hồ sơ đúng hạn.")[0][:2], ("=", 100))
        self.assertEqual(self.targets("tỷ lệ đạt từ 30% trở lên.")[0][:2], (">=", 30))
        self.assertEqual(self.targets("Không quá 5% hồ sơ trễ hạn.")[0][:2], ("<=", 5))
        self.assertEqual(self.targets("95% hồ sơ xử lý trên mạng.")[0][:2], (">=", 95))
        self.assertEqual(self.targets("Phấn đấu 03-05 sáng kiến.")[0][:3], ("range", 3, 5))

    def test_years_decrees_and_levels_are_not_targets(self) -> None:
        self.assertEqual(
            self.targets("Theo Nghị định 61/2018/NĐ-CP, giai đoạn 2021-2025, mức độ 3 và 4, ISO 9001:2015."), []
        )

    def test_a_sentence_with_two_numbers_is_split(self) -> None:
        found = self.targets(
            "tối thiểu 50% thủ tục có thanh toán trực tuyến, trong số đó, tỷ lệ giao dịch đạt từ 30% trở lên."
        )
        self.assertEqual(
            [t[3] for t in found],
            ["tối thiểu 50% thủ tục có thanh toán trực tuyến", "trong số đó, tỷ lệ giao dịch đạt từ 30% trở lên"],
        )


class SmallReaderTests(SimpleTestCase):
    def test_cadence(self) -> None:
        self.assertEqual(
            read_cadence("định kỳ hàng tháng, quý, 6 tháng, năm báo cáo kết quả về Văn phòng Sở."),
            (["monthly", "quarterly", "half_yearly", "yearly"], "Văn phòng Sở"),
        )
        self.assertIsNone(read_cadence("Báo cáo đột xuất, định kỳ tình hình gửi UBND tỉnh."))

    def test_budget(self) -> None:
        self.assertEqual(read_budget("dự kiến 450 triệu đồng"), {"amount": 450_000_000, "currency": "VND"})
        self.assertEqual(read_budget("tổng 1,5 tỷ đồng"), {"amount": 1_500_000_000, "currency": "VND"})
        self.assertEqual(read_budget("tổng 120.000.000 đồng"), {"amount": 120_000_000, "currency": "VND"})
        self.assertIsNone(read_budget("theo Thông tư số 26/2019/TT-BTC"))

    def test_names_in_capitals_get_their_usual_case(self) -> None:
        self.assertEqual(T.name_case("UBND TỈNH BÌNH PHƯỚC"), "UBND tỉnh Bình Phước")
        self.assertEqual(T.name_case("SỞ KHOA HỌC VÀ CÔNG NGHỆ"), "Sở Khoa học và Công nghệ")
        self.assertEqual(T.name_case("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"), "Ủy ban nhân dân thành phố Hồ Chí Minh")
        self.assertEqual(T.sentence_case("PHÓ GIÁM ĐỐC"), "Phó Giám đốc")

    def test_tidy_keeps_an_ellipsis(self) -> None:
        self.assertEqual(T.tidy("đơn vị sự nghiệp..."), "đơn vị sự nghiệp...")
        self.assertEqual(T.tidy("của tỉnh./."), "của tỉnh")
