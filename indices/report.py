"""The self-assessment report (Báo cáo tự đánh giá, chấm điểm Chỉ số CCHC) as a Decree 30 document.

What the report says follows indices.md §1.7 (Công văn 383/BNV-CCHC): the
self-scores summarised per area, criterion and sub-criterion, explanations of
the items without evidence, difficulties and proposals; the evidence list with
the page or section each document proves follows as a second appendix. The
document is Vietnamese text like every printed document (documents/builders.py);
it is written as DOCX and PDF by lib.nd30 from the same description.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from accounts.models import AgencyKind
from documents import builders
from indices import assessment as workflow
from indices.models import Assessment, Criterion, CriterionKind, Evidence, Method
from lib import numbers
from lib.filenames import display_name
from lib.nd30 import spec

SUMMARY_COLUMNS = (
    spec.Column("Mã số", 14, "center"),
    spec.Column("Lĩnh vực, tiêu chí, tiêu chí thành phần", 96),
    spec.Column("Điểm tối đa", 20, "center"),
    spec.Column("Điểm tự đánh giá", 22, "center"),
    spec.Column("Tài liệu kiểm chứng", 26, "center"),
)
EVIDENCE_COLUMNS = (
    spec.Column("STT", 13, "center"),
    spec.Column("Mã số", 17, "center"),
    spec.Column("Tài liệu kiểm chứng", 104),
    spec.Column("Trang, mục chứng minh", 36),
)
ZERO = Decimal(0)


def vn_points(value: Decimal | None) -> str:
    """ "3,50": two decimals with the Vietnamese decimal comma; a dash when there is none."""
    return numbers.vn(value, empty="—")


def evidence_text(evidence: Evidence) -> str:
    """How a piece of evidence is cited in the report."""
    if evidence.attachment is not None:
        return f"Tệp đính kèm: {evidence.attachment.original_name}"
    if evidence.document is not None:
        document = evidence.document
        return (
            f"{document.type_name} số {document.number_symbol} ngày {spec.short_date(document.issued_date)}: "
            f"{spec.strip_end(document.subject)}"
        )
    if evidence.plan is not None:
        plan = evidence.plan
        number = f" số {plan.symbol}" if plan.symbol else ""
        day = f" ngày {spec.short_date(plan.issued_on)}" if plan.issued_on else ""
        return f"Kế hoạch{number}{day}: {spec.strip_end(plan.title)}"
    if evidence.task is not None:
        task = evidence.task
        return f"Kết quả thực hiện nhiệm vụ “{spec.strip_end(task.content)}” ({task.plan.title})"
    if evidence.target is not None:
        target = evidence.target
        return f"Kết quả thực hiện chỉ tiêu “{spec.strip_end(target.statement)}” ({target.plan.title})"
    if evidence.agency_report is not None:
        report = evidence.agency_report
        number = f" số {report.outgoing.number_symbol}" if report.outgoing else ""
        return f"Báo cáo{number}: {spec.strip_end(report.title)}"
    return ""


def _evidence(assessment: Assessment) -> dict[int, list[Evidence]]:
    found: dict[int, list[Evidence]] = defaultdict(list)
    rows = (
        Evidence.objects.filter(score__assessment=assessment)
        .select_related("attachment", "document", "plan", "task__plan", "target__plan", "agency_report__outgoing")
        .order_by("added_at", "pk")
    )
    for evidence in rows:
        found[evidence.score_id].append(evidence)
    return found


def summary_rows(
    criteria: list[Criterion], found: list[workflow.Item], evidence: dict[int, list[Evidence]]
) -> list[spec.Row]:
    """Every area, criterion and sub-criterion with its maximum and the agency's own points."""
    by_criterion = {item.criterion.pk: item for item in found}
    children: dict[int | None, list[Criterion]] = defaultdict(list)
    for criterion in criteria:
        children[criterion.parent_id].append(criterion)
    rows: list[spec.Row] = []

    def own_points(criterion: Criterion) -> tuple[Decimal | None, bool]:
        """The sum of the leaves' self scores below it, and whether any applicable leaf is there."""
        item = by_criterion.get(criterion.pk)
        if item is not None:
            applies = item.score.applicable and item.criterion.method == Method.SELF
            return (item.score.self_score if applies else None), applies
        total, any_applies, any_value = ZERO, False, False
        for child in children.get(criterion.pk, []):
            value, applies = own_points(child)
            any_applies |= applies
            if value is not None:
                total += value
                any_value = True
        return (total if any_value else None), any_applies

    def walk(parent: int | None, level: int) -> None:
        for criterion in children.get(parent, []):
            value, applies = own_points(criterion)
            item = by_criterion.get(criterion.pk)
            if item is not None and not item.score.applicable:
                score_text, proof = "Không áp dụng", ""
            elif criterion.method == Method.SURVEY:
                score_text, proof = "", "Điều tra xã hội học"
            else:
                score_text = vn_points(value) if applies else "Không áp dụng"
                proof = ""
                if item is not None:
                    count = len(evidence.get(item.score.pk, []))
                    proof = f"{count:02d} tài liệu" if count else ("Giải trình" if item.has_explanation else "")
            name = spec.upper(criterion.name) if level == 0 else criterion.name
            if criterion.kind != CriterionKind.SCORED and level == 0:
                name = f"{name} (tối đa {vn_points(criterion.max_points)} điểm)"
            rows.append(
                spec.Row((criterion.code, name, vn_points(criterion.max_points), score_text, proof), level=level)
            )
            walk(criterion.pk, level + 1)

    walk(None, 0)
    return rows


def evidence_rows(found: list[workflow.Item], evidence: dict[int, list[Evidence]]) -> list[spec.Row]:
    rows: list[spec.Row] = []
    number = 0
    for item in found:
        for piece in evidence.get(item.score.pk, []):
            number += 1
            rows.append(spec.Row((str(number), item.criterion.code, evidence_text(piece), piece.locator)))
    return rows


def _paragraphs(text: str, empty: str) -> list[spec.Block | str]:
    return [text] if text.strip() else [spec.Paragraph(empty)]


def document(assessment: Assessment) -> spec.Document:
    """The self-assessment report; a draft (no number, "DỰ THẢO") until the leader submits it."""
    agency = assessment.agency
    criteria_set = assessment.criteria_set
    criteria = list(criteria_set.criteria.all())
    found = workflow.items(assessment)
    evidence = _evidence(assessment)
    result = workflow.self_index(assessment, found)
    year = assessment.year
    body: list[spec.Block | str] = []
    basis = f" ban hành kèm theo {criteria_set.decision}" if criteria_set.decision else ""
    body.append(
        spec.Paragraph(
            f"Thực hiện việc xác định Chỉ số cải cách hành chính năm {year} theo {criteria_set.name}{basis}, "
            f"{builders.cited_name(agency)} báo cáo kết quả tự đánh giá, chấm điểm như sau:"
        )
    )
    body.append(spec.Heading("I", "KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM", 1))
    if assessment.summary.strip():
        body.append(assessment.summary)
    totals = (
        f"Tổng điểm tự đánh giá các tiêu chí áp dụng đối với {builders.cited_name(agency)}: "
        f"{vn_points(result.self_achieved)}/{vn_points(result.self_max)} điểm"
    )
    if result.bonus or result.penalty:
        totals += f"; điểm thưởng: {vn_points(result.bonus)} điểm; điểm trừ: {vn_points(result.penalty)} điểm"
    body.append(spec.Paragraph(totals + "."))
    if result.survey_max or any(item.criterion.method == Method.SURVEY for item in found):
        body.append(spec.Paragraph("Các tiêu chí đánh giá qua điều tra xã hội học do cơ quan có thẩm quyền chấm điểm."))
    not_applicable = [item for item in found if not item.score.applicable]
    if not_applicable:
        body.append(spec.Paragraph("Các tiêu chí không áp dụng:"))
        body.append(
            spec.BulletList(
                tuple(
                    f"{item.criterion.code}. {spec.strip_end(item.criterion.name)}: "
                    f"{spec.strip_end(item.score.not_applicable_reason)}"
                    for item in not_applicable
                )
            )
        )
    body.append(
        spec.Paragraph(
            "Điểm tự đánh giá chi tiết từng tiêu chí, tiêu chí thành phần tại Phụ lục I; "
            "danh mục tài liệu kiểm chứng tại Phụ lục II kèm theo Báo cáo này."
        )
    )
    body.append(spec.Heading("II", "GIẢI TRÌNH CÁC NỘI DUNG KHÔNG CÓ TÀI LIỆU KIỂM CHỨNG", 1))
    explained = [
        item for item in found if item.self_assessed and item.has_explanation and not evidence.get(item.score.pk)
    ]
    if explained:
        for item in explained:
            body.append(
                spec.Paragraph(
                    f"{spec.strip_end(item.criterion.name)}: {' '.join(item.score.explanation.split())}",
                    label=item.criterion.code,
                )
            )
    else:
        body.append(spec.Paragraph("Các tiêu chí, tiêu chí thành phần tự chấm điểm đều có tài liệu kiểm chứng."))
    body.append(spec.Heading("III", "KHÓ KHĂN, VƯỚNG MẮC", 1))
    body.extend(_paragraphs(assessment.difficulties, "Không có."))
    body.append(spec.Heading("IV", "ĐỀ XUẤT, KIẾN NGHỊ", 1))
    body.extend(_paragraphs(assessment.proposals, "Không có."))
    appraiser = workflow.appraising_body(agency)
    tables = [
        (
            f"Bảng tổng hợp điểm tự đánh giá Chỉ số cải cách hành chính năm {year}",
            spec.Table(columns=SUMMARY_COLUMNS, rows=tuple(summary_rows(criteria, found, evidence))),
        ),
        (
            "Danh mục tài liệu kiểm chứng",
            spec.Table(
                columns=EVIDENCE_COLUMNS,
                rows=tuple(evidence_rows(found, evidence)) or (spec.Row(("", "", "Chưa có tài liệu kiểm chứng", "")),),
            ),
        ),
    ]
    outgoing = assessment.report
    return builders.report_document(
        agency,
        title=_title(year),
        body=body,
        number=outgoing.code_number if outgoing else None,
        issued_on=outgoing.issued_date if outgoing else None,
        signer=signer(assessment),
        recipients=workflow.report_recipients(assessment, appraiser),
        tables=tables,
        addressees=[appraiser],
        today=timezone.localdate(),
    )


def _title(year: int) -> str:
    return f"Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {year}"


def signer(assessment: Assessment) -> spec.Signature:
    """The leader who submitted it; a deputy signs for the head ("KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC")."""
    person = assessment.submitted_by
    if person is None:
        head = builders.HEAD_TITLES.get(AgencyKind(assessment.agency.kind), "")
        return builders.signature(assessment.agency, position=head)
    position = person.position.strip() or builders.HEAD_TITLES.get(AgencyKind(assessment.agency.kind), "")
    authority = "KT." if position.lower().startswith("phó ") else ""
    return builders.signature(assessment.agency, position=position, name=person.full_name, authority=authority)


def filename(assessment: Assessment, extension: str) -> str:
    """ "BC-05-SNgV-2025.docx"; before submission "BC-SNgV-tự-đánh-giá-CCHC-2024-Dự-thảo.docx"."""
    abbreviation = re.sub(r"[\s/\\]+", "-", assessment.agency.abbreviation or str(assessment.agency.pk))
    if assessment.report is not None:
        stem = f"BC-{assessment.report.code_number:02d}-{abbreviation}-{assessment.report.register_year}"
    else:
        stem = f"BC-{abbreviation}-tự-đánh-giá-CCHC-{assessment.year}-Dự-thảo"
    return display_name(f"{stem}.{extension}")
