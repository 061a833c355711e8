"""The demo agency's outgoing register beyond its plans (called by `plans.demo.load`).

The plans write their own lines (the 2022 plan 41/KH-SNgV, this year's plan
when it is issued); here a few other documents of a Department's Office make
the register look like one: the 2022 report on reform, a decision numbered in
the agency's own series of decisions, a công văn and this year's first report.
A document found by agency, year and summary is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from accounts.models import Agency, User
from documents import register
from documents.models import DocumentType, OutgoingDocument, RegisterSeries

RECIPIENTS_UP = "UBND tỉnh (b/c)\nSở Nội vụ (b/c)\nBan Giám đốc\nLưu: VT, VP"


@dataclass(frozen=True)
class Line:
    type_code: str
    type_name: str
    subject: str
    to_places: str
    drafting_unit: str = ""
    issued_amount: int = 3
    sent: bool = True


def _lines(year: int) -> list[tuple[int, Line]]:
    """(days after the first working days of January, line), in the order the numbers are given."""
    return [
        (
            12,
            Line(
                "QĐ",
                "Quyết định",
                f"Kiện toàn Tổ giúp việc công tác cải cách hành chính của Sở Ngoại vụ năm {year}",
                "Như Điều 3\nBan Giám đốc\nLưu: VT, VP",
            ),
        ),
        (
            20,
            Line(
                "",
                "Công văn",
                f"V/v đăng ký nội dung, lịch kiểm tra công tác cải cách hành chính năm {year}",
                "Sở Nội vụ\nLưu: VT, VP",
                drafting_unit="VP",
                issued_amount=2,
            ),
        ),
        (
            75,
            Line(
                "BC",
                "Báo cáo",
                f"Công tác cải cách hành chính quý I năm {year}",
                RECIPIENTS_UP,
                issued_amount=4,
                sent=False,
            ),
        ),
    ]


def load(agency: Agency, people: dict[str, User], today: date) -> list[OutgoingDocument]:
    """Create the missing demo lines and the series of decisions; return the lines created."""
    series, created_series = RegisterSeries.objects.get_or_create(
        agency=agency, code="qd", defaults={"name": "Sổ quyết định"}
    )
    if created_series:
        series.doc_types.set(DocumentType.objects.filter(abbreviation="QĐ"))
    giamdoc, vanphong = people["giamdoc"], people["vanphong"]
    created: list[OutgoingDocument] = []
    wanted = [
        (
            date(2022, 12, 12),
            Line("BC", "Báo cáo", "Kết quả thực hiện công tác cải cách hành chính năm 2022", RECIPIENTS_UP, "", 4),
        )
    ]
    start = date(today.year, 1, 5)
    wanted += [(min(today, start + timedelta(days=days)), line) for days, line in _lines(today.year)]
    for on, line in wanted:
        if OutgoingDocument.objects.filter(agency=agency, register_year=on.year, subject=line.subject).exists():
            continue
        document = register.register_outgoing(
            agency,
            type_code=line.type_code,
            type_name=line.type_name,
            drafting_unit=line.drafting_unit,
            issued_date=on,
            subject=line.subject,
            signer_position=giamdoc.position,
            signer_full_name=giamdoc.full_name,
            to_places=line.to_places,
            issued_amount=line.issued_amount,
            user=vanphong,
        )
        if line.sent:
            document.sent_date = on
            document.save(update_fields=["sent_date"])
        created.append(document)
    return created
