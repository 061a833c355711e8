"""A plan-shaped Decree 30 document for the writer tests (seed 002, 41/KH-SNgV, shortened)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from lib.nd30 import spec

HEADER = spec.Header(
    issuer="Sở Ngoại vụ",
    parent_body="UBND tỉnh Bình Phước",
    notation="KH-SNgV",
    number="41",
    place="Bình Phước",
    issued_on=date(2021, 12, 28),
)
TABLE = spec.Table(
    columns=(
        spec.Column("STT", 14, "center"),
        spec.Column("Nội dung nhiệm vụ", 83),
        spec.Column("Đơn vị chủ trì", 35),
        spec.Column("Đơn vị phối hợp", 40),
        spec.Column("Thời gian hoàn thành", 30, "center"),
        spec.Column("Sản phẩm", 50),
    ),
    rows=(
        spec.Row(("I", "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH"), kind="group"),
        spec.Row(("1", "Cải cách thể chế"), kind="subgroup"),
        spec.Row(
            (
                "1.1",
                "Đổi mới tư duy trong công tác xây dựng hoàn thiện thể chế",
                "Văn phòng Sở",
                "Thanh tra Sở",
                "Quý IV/2022",
                "Báo cáo kết quả",
            )
        ),
        spec.Row(("1.1.1", "Rà soát văn bản QPPL", "Văn phòng Sở", "", "Quý II/2022", "Danh mục"), level=1),
    ),
)
PARAGRAPH = (
    "Nhằm xây dựng hệ thống các cơ quan hành chính Nhà nước thông suốt, trong sạch, vững mạnh, hiện đại, "
    "hiệu lực, hiệu quả góp phần nâng cao Chỉ số CCHC (Par Index) và các Chỉ số khác có liên quan."
)
BODY: tuple[spec.Block, ...] = (
    spec.Heading("I", "MỤC ĐÍCH, YÊU CẦU"),
    spec.Heading("1", "Mục đích", 2),
    *(spec.Paragraph(PARAGRAPH) for _ in range(12)),
    spec.Heading("2", "Yêu cầu", 2),
    spec.Paragraph("Công tác CCHC phải được tiến hành đồng bộ, có trọng tâm, trọng điểm", label="a"),
    spec.BulletList(("Văn phòng Sở theo dõi", "Các phòng báo cáo")),
    spec.Heading("c", "Phát triển nền tảng và hệ thống số", 3),
    spec.Paragraph("Trên đây là Kế hoạch CCHC Nhà nước năm 2022 của Sở Ngoại vụ."),
)


def document(*, draft: bool = False, appendix: bool = True) -> spec.Document:
    header = replace(HEADER, number="", issued_on=None, year=2021, draft=True) if draft else HEADER
    return spec.Document(
        header=header,
        type_name="Kế hoạch",
        summary="Cải cách hành chính Nhà nước của Sở Ngoại vụ năm 2022",
        preamble=(
            "Thực hiện Quyết định số 3223/QĐ-UBND ngày 27/12/2021 của UBND tỉnh ban hành Kế hoạch cải cách "
            "hành chính Nhà nước năm 2022;",
            "Sở Ngoại vụ ban hành Kế hoạch cải cách hành chính Nhà nước năm 2022 như sau:",
        ),
        body=BODY,
        signature=spec.Signature(position="Phó Giám đốc", name="Phạm Thị Anh Thư", authority="KT."),
        recipients=("UBND tỉnh (b/c);", "- Sở Nội vụ (b/c)", "Lưu: VT, VP."),
        appendices=(
            (
                spec.Appendix(
                    "Phụ lục",
                    "Nhiệm vụ cải cách hành chính năm 2022",
                    "(Kèm theo Kế hoạch số 41/KH-SNgV ngày 28 tháng 12 năm 2021 của Sở Ngoại vụ)",
                    (TABLE,),
                ),
            )
            if appendix
            else ()
        ),
        author="Sở Ngoại vụ tỉnh Bình Phước",
    )
