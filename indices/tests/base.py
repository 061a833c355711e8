"""PAR Index fixtures shared by the indices tests and the access matrix.

On top of the one-stop-shop fixtures, a small criteria set of the province for
departments in 2024 (in use), with hand-workable points:

    1   Chỉ đạo, điều hành (10, self)      1.1 (4, step 0.5)   1.2 (6, options 0 / 3 / 6)
    2   Cải cách TTHC (10, self, only agencies with procedures)  2.1 (10)
    3   Khảo sát (20, survey)               3.1 (20)
    4   Điểm thưởng (bonus, cap 2)          4.1 (1)   4.2 (2)
    5   Điểm trừ (penalty, cap 3)           5.1 (3)

a draft copy of it for 2025, the personas' agency's assessment of 2024 (open
for self-assessment, one score per leaf, 1.1 self-scored 3.5 with the register's document as
evidence on page 3),
the other agency's assessment of 2024, and PAPI with its 8 dimensions and the
province's result of 2023.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from accounts.models import Agency, AgencyKind
from documents.models import OutgoingDocument
from indices.models import (
    Applicability,
    Assessment,
    CriteriaSet,
    Criterion,
    CriterionKind,
    Evidence,
    GovernanceDimension,
    GovernanceIndex,
    GovernanceResult,
    GovernanceScore,
    Method,
    Score,
    SetStatus,
)
from services.tests.base import ServiceFixtures

PAPI_DIMENSIONS = [
    ("1", "Tham gia của người dân ở cấp cơ sở"),
    ("2", "Công khai, minh bạch trong việc ra quyết định ở địa phương"),
    ("3", "Trách nhiệm giải trình với người dân"),
    ("4", "Kiểm soát tham nhũng trong khu vực công"),
    ("5", "Thủ tục hành chính công"),
    ("6", "Cung ứng dịch vụ công"),
    ("7", "Quản trị môi trường"),
    ("8", "Quản trị điện tử"),
]


def make_set(
    province: Agency | None, year: int = 2024, *, status: str = SetStatus.IN_USE, **fields: Any
) -> CriteriaSet:
    """The small set of the module docstring."""
    criteria_set = CriteriaSet.objects.create(
        name=f"Bộ tiêu chí Chỉ số CCHC các sở năm {year}",
        year=year,
        agency_kind=AgencyKind.DEPARTMENT,
        province=province,
        decision="Quyết định số 1156/QĐ-UBND",
        status=status,
        **fields,
    )
    order = iter(range(1, 100))

    def add(code: str, name: str, points: str, parent: Criterion | None = None, **extra: Any) -> Criterion:
        return Criterion.objects.create(
            criteria_set=criteria_set,
            parent=parent,
            code=code,
            name=name,
            max_points=Decimal(points),
            order=next(order),
            **extra,
        )

    area1 = add("1", "Công tác chỉ đạo, điều hành CCHC", "10")
    add("1.1", "Ban hành kế hoạch CCHC năm", "4", area1, step=Decimal("0.5"), evidence_required="Kế hoạch CCHC")
    add(
        "1.2",
        "Báo cáo CCHC định kỳ",
        "6",
        area1,
        options=[
            {"label": "Không đủ", "points": "0"},
            {"label": "Đủ, có báo cáo trễ", "points": "3"},
            {"label": "Đủ, đúng hạn", "points": "6"},
        ],
    )
    area2 = add("2", "Cải cách thủ tục hành chính", "10", applicability=Applicability.PROCEDURES)
    add("2.1", "Tỷ lệ hồ sơ giải quyết đúng hạn", "10", area2, applicability=Applicability.PROCEDURES)
    area3 = add("3", "Khảo sát xã hội học", "20", method=Method.SURVEY)
    add("3.1", "Mức độ hài lòng của người dân, tổ chức", "20", area3, method=Method.SURVEY)
    area4 = add("4", "Điểm thưởng", "2", kind=CriterionKind.BONUS)
    add("4.1", "Sáng kiến CCHC được công nhận", "1", area4, kind=CriterionKind.BONUS)
    add("4.2", "Mô hình mới được nhân rộng", "2", area4, kind=CriterionKind.BONUS)
    area5 = add("5", "Điểm trừ", "3", kind=CriterionKind.PENALTY)
    add("5.1", "Bị phê bình về CCHC", "3", area5, kind=CriterionKind.PENALTY)
    return criteria_set


def open_assessment(criteria_set: CriteriaSet, agency: Agency, year: int = 2024, **fields: Any) -> Assessment:
    """An assessment with one score row per leaf (what indices.assessment.open_assessment makes)."""
    assessment = Assessment.objects.create(criteria_set=criteria_set, agency=agency, year=year, **fields)
    parents = set(criteria_set.criteria.exclude(parent=None).values_list("parent_id", flat=True))
    Score.objects.bulk_create(
        Score(assessment=assessment, criterion=c) for c in criteria_set.criteria.all() if c.pk not in parents
    )
    return assessment


class PARFixtures(ServiceFixtures):
    province: Agency
    other_agency: Agency
    outgoing: OutgoingDocument
    criteria_set: CriteriaSet
    draft_set: CriteriaSet
    criterion: Criterion
    assessment: Assessment
    other_assessment: Assessment
    score: Score
    evidence: Evidence
    papi: GovernanceIndex
    papi_result: GovernanceResult
    dimension: GovernanceDimension

    @classmethod
    def create_par(cls) -> None:
        cls.criteria_set = make_set(cls.province)
        cls.draft_set = make_set(cls.province, 2025, status=SetStatus.DRAFT, previous=cls.criteria_set)
        cls.criterion = cls.criteria_set.criteria.get(code="1.1")
        cls.assessment = open_assessment(cls.criteria_set, cls.agency, opened_by=cls.coordinator)
        cls.other_assessment = open_assessment(cls.criteria_set, cls.other_agency)
        cls.score = cls.assessment.scores.get(criterion=cls.criterion)
        cls.score.self_score = Decimal("3.5")
        cls.score.self_note = "Kế hoạch ban hành ngày 10/01/2024."
        cls.score.save()
        cls.evidence = Evidence.objects.create(
            score=cls.score, document=cls.outgoing, locator="tr. 3", added_by=cls.coordinator
        )
        cls.papi = GovernanceIndex.objects.create(
            code="papi", name="PAPI", publisher="UNDP, CECODES", scale_note="1–10 mỗi nội dung"
        )
        for order, (code, name) in enumerate(PAPI_DIMENSIONS, start=1):
            GovernanceDimension.objects.create(
                index=cls.papi, code=code, name=name, order=order, max_score=Decimal(10), from_year=2018
            )
        cls.dimension = cls.papi.dimensions.get(code="5")
        cls.papi_result = GovernanceResult.objects.create(
            index=cls.papi,
            province=cls.province,
            year=2023,
            total=Decimal("43.12"),
            rank=20,
            ranked_of=63,
            group="Trung bình cao",
        )
        for dimension in cls.papi.dimensions.all():
            GovernanceScore.objects.create(result=cls.papi_result, dimension=dimension, score=Decimal("5.39"))
