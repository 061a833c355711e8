"""The demo province's PAR Index, PAPI and PCI (loaded by `manage.py load_demo`).

- The example criteria set for departments (`criteria.load_example`) of last
  year and of this year, in use.
- Six more departments of the province (agencies only) as ranking peers of Sở
  Ngoại vụ and Sở Tư pháp.
- Last year's assessments of the eight departments, FINAL: every item scored
  by the agency, appraised in round 1, disputed items explained and settled in
  round 2, survey points entered; each department aims at an index of its own
  (`PROFILES`), so the ranking shows groups A to D. Sở Ngoại vụ's scores are
  backed by documents of its 2025 register, added by the people of the unit
  that owns each area.
- This year's assessment of Sở Ngoại vụ, open: some items scored, with
  evidence suggested from its plans, reports, tasks and documents, the others
  explained or not scored yet.
- PAPI and PCI results of the province from 2018 to 2024 (illustrative figures,
  labelled so) and tasks of this year's plan linked to their dimensions.
- The improvement plan drafted from Sở Ngoại vụ's gaps of last year.

Everything is found again before it is made, so loading twice creates nothing.
Scores are written in bulk: the demo's history starts with its final state.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, AgencyKind, Unit, User
from documents import register
from documents.models import OutgoingDocument
from indices import assessment as assessing
from indices import criteria, governance, improvement, scoring
from indices.models import (
    Applicability,
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    Criterion,
    CriterionKind,
    Evidence,
    GovernanceIndex,
    ImprovementLink,
    Method,
    Score,
)
from plans.models import PlanKind, Task

PROVINCE = "ubnd-binhphuoc"
SOURCE = "Số liệu minh họa của bản demo, không phải kết quả đã công bố"

# Ranking peers: code, full name, short name, abbreviation.
PEERS = [
    ("stc-binhphuoc", "Sở Tài chính tỉnh Bình Phước", "Sở Tài chính", "STC"),
    ("syt-binhphuoc", "Sở Y tế tỉnh Bình Phước", "Sở Y tế", "SYT"),
    ("sgddt-binhphuoc", "Sở Giáo dục và Đào tạo tỉnh Bình Phước", "Sở Giáo dục và Đào tạo", "SGDĐT"),
    ("sxd-binhphuoc", "Sở Xây dựng tỉnh Bình Phước", "Sở Xây dựng", "SXD"),
    ("snnmt-binhphuoc", "Sở Nông nghiệp và Môi trường tỉnh Bình Phước", "Sở Nông nghiệp và Môi trường", "SNNMT"),
    ("sct-binhphuoc", "Sở Công Thương tỉnh Bình Phước", "Sở Công Thương", "SCT"),
]


@dataclass(frozen=True)
class Profile:
    """The index a department reaches last year, its bonus and penalty points."""

    index: str
    bonus: dict[str, str]
    penalty: dict[str, str]


PROFILES = {
    "stc-binhphuoc": Profile("93.6", {"9.2": "1"}, {}),
    "stp-binhphuoc": Profile("91.2", {"9.1": "1"}, {}),
    "sct-binhphuoc": Profile("87.9", {}, {}),
    "sngv-binhphuoc": Profile("84.4", {"9.2": "1"}, {}),
    "sgddt-binhphuoc": Profile("81.3", {}, {"10.3": "1"}),
    "syt-binhphuoc": Profile("77.2", {}, {"10.1": "1"}),
    "sxd-binhphuoc": Profile("72.5", {}, {}),
    "snnmt-binhphuoc": Profile("66.4", {}, {"10.1": "1"}),
}

# Sở Ngoại vụ's documents of last year that back its scores: area → (type, subject, month, day, page, username).
BACKING = {
    "1": ("BC", "Báo cáo kết quả công tác cải cách hành chính năm {year}", 12, 10, "tr. 2", "vanphong"),
    "2": ("BC", "Báo cáo kết quả theo dõi tình hình thi hành pháp luật năm {year}", 10, 15, "tr. 3", "thanhtra"),
    "3": ("BC", "Báo cáo kết quả rà soát, đánh giá thủ tục hành chính năm {year}", 6, 20, "mục II", "lanhsu"),
    "4": ("BC", "Báo cáo tình hình tổ chức bộ máy, biên chế năm {year}", 11, 5, "tr. 1", "vanphong"),
    "5": ("BC", "Báo cáo công tác cán bộ, đào tạo, bồi dưỡng năm {year}", 11, 25, "tr. 4", "vanphong"),
    "6": ("BC", "Báo cáo công khai quyết toán ngân sách năm {year}", 8, 12, "phụ lục 1", "vanphong"),
    "7": (
        "QĐ",
        "Quyết định công bố Hệ thống quản lý chất lượng phù hợp TCVN ISO 9001:2015",
        4,
        8,
        "Điều 1",
        "chuyenvien",
    ),
    "8": ("BC", "Báo cáo kết quả hợp tác quốc tế, thu hút đầu tư năm {year}", 11, 20, "mục I.2", "truongphong"),
}

# Published-looking results of the province (illustrative): year → scores by dimension code, total, rank, group.
PAPI = {
    2018: (["4.62", "5.05", "4.18", "6.41", "7.05", "6.88", "3.52", "1.02"], 45, "Trung bình thấp"),
    2019: (["4.71", "5.12", "4.25", "6.55", "7.12", "6.95", "3.61", "1.35"], 42, "Trung bình thấp"),
    2020: (["4.85", "5.20", "4.30", "6.70", "7.20", "7.05", "3.48", "2.05"], 38, "Trung bình thấp"),
    2021: (["4.90", "5.31", "4.36", "6.82", "7.26", "7.10", "3.40", "2.61"], 35, "Trung bình cao"),
    2022: (["5.02", "5.38", "4.41", "6.95", "7.31", "7.18", "3.55", "2.95"], 31, "Trung bình cao"),
    2023: (["5.08", "5.45", "4.47", "7.02", "7.38", "7.24", "3.62", "3.10"], 28, "Trung bình cao"),
    2024: (["5.15", "5.52", "4.55", "7.10", "7.44", "7.31", "3.70", "3.28"], 24, "Trung bình cao"),
}
PCI = {
    2018: (["7.35", "6.20", "6.05", "6.80", "5.10", "5.40", "6.20", "5.90", "6.10", "5.60"], "63.28", 28, "Khá"),
    2019: (["7.42", "6.31", "6.12", "6.95", "5.25", "5.52", "6.35", "6.02", "6.18", "5.85"], "64.05", 25, "Khá"),
    2020: (["7.51", "6.40", "6.20", "7.02", "5.42", "5.60", "6.48", "6.10", "6.25", "6.02"], "64.62", 22, "Khá"),
    2021: (["7.38", "6.28", "6.15", "6.88", "5.30", "5.48", "6.30", "5.95", "6.12", "5.90"], "63.90", 26, "Khá"),
    2022: (["7.60", "6.52", "6.31", "7.15", "5.61", "5.72", "6.62", "6.25", "6.40", "6.21"], "65.10", 19, "Tốt"),
    2023: (["7.66", "6.58", "6.40", "7.22", "5.70", "5.80", "6.70", "6.33", "6.46", "6.30"], "65.46", 17, "Tốt"),
    2024: (["7.72", "6.65", "6.48", "7.30", "5.81", "5.88", "6.81", "6.40", "6.52", "6.42"], "66.02", 15, "Tốt"),
}
RANKED_OF = 63
# Tasks of this year's plan (by reform area) that work on a dimension: (area code, index, dimension code).
DIMENSION_TASKS = [("procedures", "papi", "5"), ("procedures", "pci", "4"), ("digital_government", "papi", "8")]


@transaction.atomic
def load(
    agencies: dict[str, Agency], units: dict[tuple[str, str], Unit], people: dict[str, User], today: date
) -> list[str]:
    """Create what is missing; return a line for each thing created."""
    created: list[str] = []
    province = agencies[PROVINCE]
    last, this = today.year - 1, today.year
    sets = {year: criteria.load_example(province, year) for year in (last, this)}
    peers = _peers(province, created)
    departments = [agencies["sngv-binhphuoc"], agencies["stp-binhphuoc"], *peers]
    for agency in departments:
        if not Assessment.objects.filter(agency=agency, year=last).exists():
            _final_assessment(sets[last], agency, last, people, today)
            created.append(f"PAR Index {last}: {agency.short_name}")
    sngv = agencies["sngv-binhphuoc"]
    if not Assessment.objects.filter(agency=sngv, year=this).exists():
        _open_assessment(sets[this], sngv, this, people)
        created.append(f"PAR Index {this}: {sngv.short_name} (open)")
    created += _governance(province, people["sonoivu"])
    _link_dimensions(sngv, this)
    previous = Assessment.objects.select_related("agency", "criteria_set", "report").get(agency=sngv, year=last)
    # Drafted from the council's final scores only (in January, last year's assessment may still be open).
    if previous.status == AssessmentStatus.FINAL and improvement.drafted_from(previous) is None:
        plan = improvement.draft_plan(previous, people["vanphong"])
        created.append(f"Improvement plan: {plan.title}")
    return created


def _peers(province: Agency, created: list[str]) -> list[Agency]:
    peers = []
    for code, name, short_name, abbreviation in PEERS:
        agency, new = Agency.objects.get_or_create(
            code=code,
            defaults={
                "kind": AgencyKind.DEPARTMENT,
                "parent": province,
                "name": name,
                "short_name": short_name,
                "abbreviation": abbreviation,
                "parent_body_name": "UBND TỈNH BÌNH PHƯỚC",
                "place_name": "Bình Phước",
                "valid_from": date(2008, 1, 1),
            },
        )
        if new:
            created.append(f"Agency: {short_name}")
        peers.append(agency)
    return peers


# Last year's final assessments ------------------------------------------------------


def _at(day: date, today: date, hour: int = 9) -> datetime:
    return datetime.combine(min(day, today), time(hour), tzinfo=timezone.get_current_timezone())


def _allowed(criterion: Criterion) -> list[Decimal]:
    """The scores the item allows, from 0 to its maximum."""
    options = scoring.option_points(criterion)
    if options:
        return sorted({p for p in options if 0 <= p <= criterion.max_points})
    step = criterion.step or Decimal("0.25")
    values = []
    value = Decimal(0)
    while value <= criterion.max_points:
        values.append(value)
        value += step
    return values


def _lower(criterion: Criterion, value: Decimal) -> Decimal | None:
    below = [v for v in _allowed(criterion) if v < value]
    return below[-1] if below else None


def _higher(criterion: Criterion, value: Decimal) -> Decimal | None:
    above = [v for v in _allowed(criterion) if v > value]
    return above[0] if above else None


def _final_values(scores: list[Score], profile: Profile, rng: random.Random) -> dict[int, Decimal]:
    """Final points per score: survey items near the profile's index, self items lowered notch by notch to it."""
    values: dict[int, Decimal] = {}
    applicable = [s for s in scores if s.applicable and s.criterion.kind == CriterionKind.SCORED]
    maximum = sum((s.criterion.max_points for s in applicable), Decimal(0))
    aim = Decimal(profile.index) / 100
    bonus = sum((Decimal(v) for v in profile.bonus.values()), Decimal(0))
    penalty = sum((Decimal(v) for v in profile.penalty.values()), Decimal(0))
    wanted = aim * maximum - bonus + penalty
    achieved = Decimal(0)
    for score in applicable:
        criterion = score.criterion
        if criterion.method == Method.SURVEY:
            share = min(Decimal(1), max(Decimal(0), aim + Decimal(rng.randint(-6, 4)) / 100))
            values[score.criterion_id] = (criterion.max_points * share).quantize(Decimal("0.01"))
        else:
            values[score.criterion_id] = criterion.max_points
        achieved += values[score.criterion_id]
    own = [s for s in applicable if s.criterion.method == Method.SELF]
    rng.shuffle(own)
    while achieved > wanted:
        lowered = False
        for score in own:
            if achieved <= wanted:
                break
            lower = _lower(score.criterion, values[score.criterion_id])
            if lower is None:
                continue
            achieved -= values[score.criterion_id] - lower
            values[score.criterion_id] = lower
            lowered = True
        if not lowered:
            break
    for score in scores:
        if score.criterion.kind != CriterionKind.SCORED:
            points = {**profile.bonus, **profile.penalty}.get(score.criterion.code, "0")
            values[score.criterion_id] = Decimal(points)
    return values


def _final_assessment(
    criteria_set: CriteriaSet, agency: Agency, year: int, people: dict[str, User], today: date
) -> Assessment:
    opener = people["vanphong"] if agency.code == "sngv-binhphuoc" else people["admin"]
    # What assessment.open_assessment makes, with every round's score at once (one insert, no update).
    assessment = Assessment.objects.create(criteria_set=criteria_set, agency=agency, year=year, opened_by=opener)
    found = {c.pk: c for c in criteria_set.criteria.all()}
    procedures = assessing.handles_procedures(agency)
    scores = []
    for leaf in assessing.leaves(found.values()):
        score = Score(assessment=assessment, criterion=leaf)
        if assessing.rule(leaf, found) == Applicability.PROCEDURES and not procedures:
            score.applicable = False
            score.not_applicable_reason = f"{agency.short_name} không có thủ tục hành chính trong danh mục."
        scores.append(score)
    appraiser, council = people["sonoivu"], people["admin"]
    own_people = {"sngv-binhphuoc": ("vanphong", "giamdoc"), "stp-binhphuoc": ("tuphap", "tuphap")}
    names = own_people.get(agency.code)
    agency_person = people[names[0]] if names else opener
    submitter = people[names[1]] if names else opener
    rng = random.Random(f"{agency.code}-{year}")
    final = _final_values(scores, PROFILES[agency.code], rng)
    after = year + 1
    self_at, round1_at = _at(date(after, 1, 15), today), _at(date(after, 2, 20), today)
    answer_at, round2_at = _at(date(after, 3, 5), today), _at(date(after, 3, 15), today)
    for number, score in enumerate(scores):
        if not score.applicable:
            continue
        criterion = score.criterion
        value = final[score.criterion_id]
        if criterion.method == Method.SURVEY:
            score.survey_score = value
            score.survey_source = f"Điều tra xã hội học năm {year} của Sở Nội vụ"
            continue
        own, first, answer, second = value, value, "", None
        higher, lower = _higher(criterion, value), _lower(criterion, value)
        if number % 7 == 3 and higher is not None:
            # The agency claimed more than its evidence showed; it accepted round 1.
            own = higher
            answer = "Đơn vị thống nhất với kết quả thẩm định."
            second = value
        elif number % 11 == 5 and lower is not None:
            # Round 1 took a point away; the agency added evidence and round 2 gave it back.
            first = lower
            answer = "Đơn vị đã bổ sung tài liệu kiểm chứng theo yêu cầu của Tổ thẩm định."
            second = value
        score.self_score, score.self_by, score.self_at = own, agency_person, self_at
        score.self_note = "Tự chấm theo hướng dẫn của bộ tiêu chí."
        score.round1_score, score.round1_by, score.round1_at = first, appraiser, round1_at
        if first != own:
            score.round1_comment = "Tài liệu kiểm chứng chưa chứng minh đủ mức điểm tự chấm."
        if answer:
            score.answer, score.answer_by, score.answer_at = answer, agency_person, answer_at
            score.round2_score, score.round2_by, score.round2_at = second, appraiser, round2_at
    Score.objects.bulk_create(scores)
    if agency.code == "sngv-binhphuoc":
        _back_with_documents(agency, year, scores, people)
    assessment.status = AssessmentStatus.FINAL
    assessment.submitted_by, assessment.submitted_at = submitter, _at(date(after, 1, 31), today)
    assessment.explanation_due = min(date(after, 3, 10), today)
    assessment.finalised_by, assessment.finalised_at = council, _at(date(after, 3, 31), today)
    assessment.summary = "Kết quả thẩm định của Hội đồng thẩm định Chỉ số CCHC tỉnh."
    assessment.save()
    return assessment


def _back_with_documents(agency: Agency, year: int, scores: list[Score], people: dict[str, User]) -> None:
    """Documents of the year's register proving the scores, added by people of the unit that owns each area."""
    documents: dict[str, OutgoingDocument] = {}
    for area, (type_code, subject, month, day, _page, _who) in BACKING.items():
        subject = subject.format(year=year)
        found = OutgoingDocument.objects.filter(agency=agency, register_year=year, subject=subject).first()
        documents[area] = found or register.register_outgoing(
            agency,
            type_code=type_code,
            issued_date=date(year, month, day),
            subject=subject,
            signer_position=people["giamdoc"].position,
            signer_full_name=people["giamdoc"].full_name,
            to_places="Sở Nội vụ (b/c)\nBan Giám đốc\nLưu: VT, VP",
        )
    evidence = []
    for score in scores:
        criterion = score.criterion
        area = criterion.code.split(".")[0]
        if criterion.method != Method.SELF or area not in BACKING or not score.self_score:
            continue
        page, who = BACKING[area][4], BACKING[area][5]
        evidence.append(Evidence(score=score, document=documents[area], locator=page, added_by=people[who]))
    Evidence.objects.bulk_create(evidence)


# This year's open assessment -------------------------------------------------------


def _open_assessment(criteria_set: CriteriaSet, agency: Agency, year: int, people: dict[str, User]) -> Assessment:
    """Items of the first three areas scored; evidence from the suggestions; the rest not scored yet."""
    author = people["vanphong"]
    assessment = assessing.open_assessment(criteria_set, agency, year, author, self_due=date(year, 12, 31))
    for score in assessment.scores.select_related("criterion", "assessment__agency").order_by("criterion__order", "pk"):
        criterion = score.criterion
        if (
            not score.applicable
            or criterion.method != Method.SELF
            or criterion.kind != CriterionKind.SCORED
            or criterion.code.split(".")[0] not in ("1", "2", "3")
        ):
            continue
        found = assessing.suggestions(score, limit=1)
        if found:
            assessing.save_self_score(score, author, criterion.max_points, note="Theo tài liệu kiểm chứng đính kèm.")
            assessing.add_evidence(score, author, link=found[0].record, note=found[0].label[:200])
        else:
            value = _lower(criterion, criterion.max_points) or Decimal(0)
            assessing.save_self_score(
                score,
                author,
                value,
                explanation="Tài liệu kiểm chứng đang được các phòng tổng hợp; đơn vị sẽ bổ sung trước khi nộp.",
            )
    return assessment


# PAPI and PCI -------------------------------------------------------------------


def _governance(province: Agency, keeper: User) -> list[str]:
    created: list[str] = []
    governance.ensure_indices()
    indices = {i.code: i for i in GovernanceIndex.objects.prefetch_related("dimensions")}
    known = set(indices["papi"].results.filter(province=province).values_list("year", flat=True))
    for year, (values, rank, group) in PAPI.items():
        if year in known:
            continue
        scores = {str(code): value for code, value in enumerate(values, start=1)}
        total = sum((Decimal(v) for v in values), Decimal(0))
        governance.record_result(
            indices["papi"], province, year, scores=scores, user=keeper, total=total, rank=rank,
            ranked_of=RANKED_OF, group=group, source=SOURCE,
        )  # fmt: skip
        created.append(f"PAPI {year}")
    known = set(indices["pci"].results.filter(province=province).values_list("year", flat=True))
    for year, (values, total_text, rank, group) in PCI.items():
        if year in known:
            continue
        scores = {str(code): value for code, value in enumerate(values, start=1)}
        governance.record_result(
            indices["pci"], province, year, scores=scores, user=keeper, total=total_text, rank=rank,
            ranked_of=RANKED_OF, group=group, source=SOURCE,
        )  # fmt: skip
        created.append(f"PCI {year}")
    return created


def _link_dimensions(agency: Agency, year: int) -> None:
    dimensions = {
        (d.index.code, d.code): d for d in GovernanceIndex.objects.get(code="papi").dimensions.select_related("index")
    }
    dimensions.update(
        {(d.index.code, d.code): d for d in GovernanceIndex.objects.get(code="pci").dimensions.select_related("index")}
    )
    for area, index, code in DIMENSION_TASKS:
        dimension = dimensions.get((index, code))
        task = (
            Task.objects.filter(
                agency=agency, plan__year=year, plan__kind=PlanKind.REFORM, area__code=area, parent__isnull=True
            )
            .order_by("order", "pk")
            .first()
        )
        if dimension is not None and task is not None:
            ImprovementLink.objects.get_or_create(task=task, dimension=dimension)
