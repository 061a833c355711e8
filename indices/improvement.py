"""The plan to raise the PAR Index, drafted from an assessment's gaps (what seeds 000 and 003 are).

`preview(assessment)` says what would be drafted; `draft_plan(assessment, user)`
writes it as a DRAFT plan of kind "index" for the next year, for the
coordinator to edit and issue:

- one task per criterion where points were lost (its sub-criteria grouped
  under it; a penalty item that took points is a task too), named after the
  criterion, with the points at stake in an `ImprovementLink`, a suggested
  lead unit (the unit that owned the criterion's evidence: the linked task's
  lead unit, the target's responsible unit, else the unit of the person who
  added it; when there is none, the Office) and a default deadline: a quarter
  of next year by the area's position (`data/improvement.json`);
- a section per area that lost points;
- targets: the index (this year's index plus the realistic share of the
  points lost on items the agency controls, at least the next group's lower
  bound, at most 100) and the areas that lost most.

Items not scored yet are left out (they are counted and shown). The plan's
text is Vietnamese whatever the interface language: it is a Decree 30 document.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Agency, Membership, Unit, User
from documents.reader.areas import AreaMatcher
from indices import scoring
from indices.models import (
    Assessment,
    AssessmentStatus,
    Criterion,
    CriterionKind,
    Evidence,
    ImprovementLink,
    Method,
)
from lib import numbers, periods
from plans.actions import record_version
from plans.models import (
    Comparator,
    LegalBasis,
    MetricKind,
    Plan,
    PlanKind,
    Priority,
    ReformArea,
    Section,
    Target,
    Task,
)

DATA = Path(__file__).resolve().parent / "data" / "improvement.json"
TITLE = "Nâng cao Chỉ số cải cách hành chính năm %d"
RECIPIENTS = ("Sở Nội vụ (b/c)", "Ban Giám đốc Sở", "Các phòng, đơn vị thuộc Sở", "Lưu: VT, VP.")
ROMAN = ("I", "II", "III", "IV")
ZERO = Decimal(0)
HUNDRED = Decimal(100)


@cache
def settings() -> dict[str, Any]:
    with DATA.open(encoding="utf-8") as f:
        loaded: dict[str, Any] = json.load(f)
    return loaded


class ImprovementError(Exception):
    """The plan cannot be drafted; the message says why, `plan` is the one drafted already (if any)."""

    def __init__(self, message: str, plan: Plan | None = None):
        super().__init__(message)
        self.message = message
        self.plan = plan


# Points and percentages in the plan: two decimals, Vietnamese comma ("85,50").
vn = numbers.vn


@dataclass
class Gap:
    """A scored item (leaf) that lost points at the stage."""

    criterion: Criterion
    max_points: Decimal
    achieved: Decimal
    lost: Decimal


@dataclass
class DraftTask:
    area: Criterion
    criterion: Criterion
    gaps: list[Gap]
    max_points: Decimal
    lead_unit: Unit
    from_evidence: bool
    quarter: int
    due_date: date
    due_text: str
    year: int

    @property
    def lost(self) -> Decimal:
        return sum((g.lost for g in self.gaps), ZERO)

    @property
    def penalty(self) -> bool:
        return self.criterion.kind == CriterionKind.PENALTY

    @property
    def content(self) -> str:
        return f"Khắc phục hạn chế ở tiêu chí {self.criterion.code}: {self.criterion.name}"

    @property
    def output(self) -> str:
        before = self.year - 1
        if self.penalty:
            return (
                f"Không để bị trừ điểm tại tiêu chí {self.criterion.code} (năm {before} bị trừ {vn(self.lost)} điểm)."
            )
        parts = [
            f"{g.criterion.code} mất {vn(g.lost)}/{vn(g.max_points)} điểm"
            for g in self.gaps
            if g.criterion.pk != self.criterion.pk
        ]
        detail = f": {'; '.join(parts)}" if parts else ""
        return (
            f"Đạt tối đa {vn(self.max_points)} điểm tại tiêu chí {self.criterion.code} "
            f"(năm {before} mất {vn(self.lost)} điểm{detail}); tài liệu kiểm chứng đầy đủ."
        )


@dataclass
class DraftSection:
    area: Criterion
    reform_area: ReformArea | None
    tasks: list[DraftTask] = field(default_factory=list)

    @property
    def lost(self) -> Decimal:
        return sum((t.lost for t in self.tasks), ZERO)


@dataclass
class DraftTarget:
    statement: str
    value: Decimal
    area: Criterion | None = None
    reform_area: ReformArea | None = None


@dataclass
class Preview:
    assessment: Assessment
    stage: str
    year: int  # the plan's year
    title: str
    result: scoring.Result
    group: str
    sections: list[DraftSection]
    targets: list[DraftTarget]
    unscored: int
    existing: Plan | None

    @property
    def tasks(self) -> list[DraftTask]:
        return [task for section in self.sections for task in section.tasks]

    @property
    def lost(self) -> Decimal:
        return sum((s.lost for s in self.sections), ZERO)

    @property
    def final(self) -> bool:
        return self.assessment.status == AssessmentStatus.FINAL

    @property
    def refusal(self) -> str:
        if self.existing is not None:
            return _("An improvement plan was already drafted from this assessment: “%(title)s”.") % {
                "title": self.existing.title
            }
        if not self.sections:
            return _("No points were lost at this stage: there is nothing to improve.")
        return ""


# What was lost -----------------------------------------------------------------


def _criterion(criterion: Criterion, criteria: dict[int, Criterion]) -> Criterion:
    """The criterion (second level) a leaf belongs to; an area without criteria stands for itself."""
    node = criterion
    while node.parent_id is not None and criteria[node.parent_id].parent_id is not None:
        node = criteria[node.parent_id]
    return node


def _gaps(
    scores: list[Any], criteria: dict[int, Criterion], stage: str, survey_held: bool
) -> tuple[dict[int, list[Gap]], int]:
    """Lost points by criterion (second level), and the number of items not scored yet."""
    gaps: dict[int, list[Gap]] = defaultdict(list)
    unscored = 0
    for score in scores:
        criterion = criteria[score.criterion_id]
        if not score.applicable or criterion.kind == CriterionKind.BONUS:
            continue
        if criterion.method == Method.SURVEY and not survey_held:
            continue
        value = scoring.value_at(score, stage)
        if value is None:
            unscored += 1
            continue
        value = min(value, criterion.max_points)
        if criterion.kind == CriterionKind.PENALTY:
            gap = Gap(criterion, criterion.max_points, ZERO, value)
        else:
            gap = Gap(criterion, criterion.max_points, value, criterion.max_points - value)
        if gap.lost > 0:
            gaps[_criterion(criterion, criteria).pk].append(gap)
    return gaps, unscored


# Who leads -----------------------------------------------------------------------


def _current(unit: Unit) -> Unit:
    return unit.successor if unit.successor_id is not None and unit.successor is not None else unit


def _units_of_people(agency: Agency) -> dict[int, Unit]:
    """Each member's unit in the agency (their first membership with a unit)."""
    found: dict[int, Unit] = {}
    for membership in (
        Membership.objects.current().filter(agency=agency, unit__isnull=False).select_related("unit").order_by("pk")
    ):
        assert membership.unit is not None
        found.setdefault(membership.user_id, membership.unit)
    return found


def _evidence_units(assessment: Assessment, criteria: dict[int, Criterion]) -> dict[int, Unit]:
    """The unit that owned most of each criterion's evidence (first found on a tie)."""
    people = _units_of_people(assessment.agency)
    votes: dict[int, Counter[int]] = defaultdict(Counter)
    units: dict[int, Unit] = {}
    evidence = Evidence.objects.filter(score__assessment=assessment).select_related(
        "score", "task__lead_unit__successor", "target__responsible_unit__successor", "attachment"
    )
    for item in evidence:
        unit: Unit | None = None
        if item.task is not None:
            unit = item.task.lead_unit
        elif item.target is not None and item.target.responsible_unit is not None:
            unit = item.target.responsible_unit
        elif item.attachment is not None and item.attachment.uploaded_by_id in people:
            unit = people[item.attachment.uploaded_by_id]
        if unit is None and item.added_by_id in people:
            unit = people[item.added_by_id]
        if unit is None:
            continue
        unit = _current(unit)
        if unit.agency_id != assessment.agency_id:
            continue
        node = _criterion(criteria[item.score.criterion_id], criteria)
        votes[node.pk][unit.pk] += 1
        units[unit.pk] = unit
    return {pk: units[counter.most_common(1)[0][0]] for pk, counter in votes.items()}


def _office(agency: Agency) -> Unit | None:
    units = Unit.objects.current().filter(agency=agency).order_by("-is_coordinator", "order", "pk")
    return units.first()


# Targets -------------------------------------------------------------------------


def _up(value: Decimal) -> Decimal:
    return min(value, HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_CEILING)


def _next_band(bands: list[dict[str, Any]], index: Decimal) -> tuple[str, Decimal] | None:
    above = [(str(b.get("label", "")), Decimal(str(b.get("min", 0)))) for b in bands or []]
    above = [b for b in above if b[1] > index]
    return min(above, key=lambda b: b[1]) if above else None


def _targets(
    assessment: Assessment, result: scoring.Result, group: str, sections: list[DraftSection], year: int
) -> list[DraftTarget]:
    share = Decimal(str(settings()["realistic_share"]))
    agency = assessment.agency.short_name or assessment.agency.name
    before = year - 1
    targets: list[DraftTarget] = []
    if result.index is not None and result.max_points > 0:
        controllable = sum(
            (t.lost for s in sections for t in s.tasks if t.criterion.method != Method.SURVEY or t.penalty), ZERO
        )
        value = result.index + share * controllable / result.max_points * HUNDRED
        band = _next_band(assessment.criteria_set.bands, result.index)
        if band is not None:
            value = max(value, band[1])
        value = _up(value)
        was = f"năm {before}: {vn(result.index)}%" + (f", nhóm {group}" if group else "")
        targets.append(DraftTarget(f"Chỉ số CCHC năm {year} của {agency} đạt từ {vn(value)}% trở lên ({was})", value))
    parts = {part.criterion.pk: part for part in result.areas}
    scored = [s for s in sections if s.area.kind == CriterionKind.SCORED and s.area.pk in parts]
    scored.sort(key=lambda s: (-s.lost, s.area.order, s.area.pk))
    for section in scored[: int(settings()["area_targets"])]:
        part = parts[section.area.pk]
        if part.index is None or part.max_points <= 0:
            continue
        value = _up(part.index + share * section.lost / part.max_points * HUNDRED)
        targets.append(
            DraftTarget(
                f"Chỉ số thành phần lĩnh vực {section.area.code}. {section.area.name} đạt từ {vn(value)}% trở lên "
                f"(năm {before}: {vn(part.index)}%, mất {vn(section.lost)}/{vn(part.max_points)} điểm)",
                value,
                section.area,
                section.reform_area,
            )
        )
    return targets


# The preview and the plan -------------------------------------------------------


def drafted_from(assessment: Assessment) -> Plan | None:
    """The plan drafted from this assessment already: next year's index plan working on its set's criteria."""
    return (
        Plan.objects.filter(
            agency_id=assessment.agency_id,
            kind=PlanKind.INDEX,
            year=assessment.year + 1,
            tasks__improvement_links__criterion__criteria_set_id=assessment.criteria_set_id,
        )
        .order_by("pk")
        .first()
    )


def preview(assessment: Assessment, stage: str = "final") -> Preview:
    """What `draft_plan` would write (nothing is saved)."""
    criteria_set = assessment.criteria_set
    criteria = {c.pk: c for c in criteria_set.criteria.all()}
    scores = list(assessment.scores.select_related("criterion"))
    result = scoring.compute_from(criteria_set, criteria, scores, stage)
    gaps, unscored = _gaps(scores, criteria, stage, result.survey_held)
    year = assessment.year + 1
    existing = drafted_from(assessment)
    sections: list[DraftSection] = []
    if gaps:
        owners = _evidence_units(assessment, criteria)
        office = _office(assessment.agency)
        matcher = AreaMatcher.from_database()
        reform_areas = {a.code: a for a in ReformArea.objects.all()}
        parts = {part.criterion.pk: part for part in result.criteria + result.areas}
        quarters = [int(q) for q in settings()["quarters"]] or [4]
        roots = sorted((c for c in criteria.values() if c.parent_id is None), key=lambda c: (c.order, c.pk))
        by_area: dict[int, DraftSection] = {}
        nodes = sorted((criteria[pk] for pk in gaps), key=lambda c: (c.order, c.pk))
        for node in nodes:
            area = scoring.area_of(node, criteria)
            position = roots.index(area)
            quarter = min(max(quarters[min(position, len(quarters) - 1)], 1), 4)
            lead = owners.get(node.pk) or office
            if lead is None:
                raise ImprovementError(_("The agency has no units yet: add its units before drafting the plan."))
            section = by_area.get(area.pk)
            if section is None:
                code = matcher.heading(area.name)
                section = by_area[area.pk] = DraftSection(area, reform_areas.get(code) if code else None)
            part = parts.get(node.pk)
            node_gaps = sorted(gaps[node.pk], key=lambda g: (g.criterion.order, g.criterion.pk))
            section.tasks.append(
                DraftTask(
                    area=area,
                    criterion=node,
                    gaps=node_gaps,
                    max_points=part.max_points if part is not None else sum((g.max_points for g in node_gaps), ZERO),
                    lead_unit=lead,
                    from_evidence=node.pk in owners,
                    quarter=quarter,
                    due_date=periods.quarter_end(year, quarter),
                    due_text=f"Quý {ROMAN[quarter - 1]}/{year}",
                    year=year,
                )
            )
        sections = sorted(by_area.values(), key=lambda s: (s.area.order, s.area.pk))
    group = scoring.band(criteria_set, result.index)
    return Preview(
        assessment=assessment,
        stage=stage,
        year=year,
        title=TITLE % year,
        result=result,
        group=group,
        sections=sections,
        targets=_targets(assessment, result, group, sections, year),
        unscored=unscored,
        existing=existing,
    )


def _signer(agency: Agency) -> tuple[str, str]:
    from reports.consolidate import signer

    return signer(agency)


def _legal_bases(plan: Plan, assessment: Assessment) -> None:
    criteria_set = assessment.criteria_set
    order = 0
    if criteria_set.decision:
        symbol = re.search(r"\d+[\w/.-]*/[\wĐđ.-]+", criteria_set.decision)
        order += 1
        LegalBasis.objects.create(
            plan=plan,
            order=order,
            doc_type="QĐ",
            symbol=symbol.group(0)[:60] if symbol else "",
            issued_on=criteria_set.decision_date,
            summary=f"{criteria_set.decision} ban hành {criteria_set.name}"[:1000],
        )
    if assessment.report is not None:
        report = assessment.report
        order += 1
        LegalBasis.objects.create(
            plan=plan,
            order=order,
            doc_type="BC",
            symbol=report.number_symbol[:60],
            issued_on=report.issued_date,
            issuer=assessment.agency.short_name or assessment.agency.name,
            summary=f"Báo cáo tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {assessment.year}",
        )
    reform = (
        Plan.objects.filter(agency_id=assessment.agency_id, kind=PlanKind.REFORM, year=plan.year, number__isnull=False)
        .order_by("-issued_on", "-pk")
        .first()
    )
    if reform is not None:
        order += 1
        LegalBasis.objects.create(
            plan=plan,
            order=order,
            doc_type=reform.doc_type,
            symbol=reform.symbol,
            issued_on=reform.issued_on,
            issuer=assessment.agency.short_name or assessment.agency.name,
            summary=f"Kế hoạch {reform.title}"[:1000],
            linked_plan=reform,
        )


def _texts(found: Preview) -> dict[str, str]:
    agency = found.assessment.agency
    name = agency.short_name or agency.name
    before = found.year - 1
    office = _office(agency)
    office_name = office.name if office is not None else "Văn phòng"
    standing = (
        f"đạt {vn(found.result.index)}%" + (f", nhóm {found.group}" if found.group else "") + "; "
        if found.result.index is not None
        else ""
    )
    return {
        "purpose": (
            f"Khắc phục các tồn tại, hạn chế được chỉ ra qua kết quả xác định Chỉ số cải cách hành chính năm "
            f"{before} của {name} ({standing}mất {vn(found.lost)} điểm tại {len(found.tasks)} tiêu chí), "
            f"góp phần nâng cao Chỉ số cải cách hành chính của {name} và của tỉnh năm {found.year}.\n"
            "Nâng cao nhận thức, trách nhiệm của công chức trong thực hiện nhiệm vụ cải cách hành chính; "
            "phát huy những mặt tích cực, kịp thời khắc phục những hạn chế."
        ),
        "requirements": (
            "Các nhiệm vụ phải cụ thể, khả thi, gắn với từng tiêu chí, tiêu chí thành phần bị mất điểm; "
            "xác định rõ đơn vị chủ trì, thời hạn hoàn thành và sản phẩm.\n"
            "Tài liệu kiểm chứng được cập nhật đầy đủ, kịp thời ngay khi hoàn thành nhiệm vụ, phục vụ tự đánh giá, "
            f"chấm điểm Chỉ số cải cách hành chính năm {found.year}."
        ),
        "organisation": (
            f"1. {office_name}\n"
            f"Theo dõi, đôn đốc các đơn vị thực hiện Kế hoạch; tổng hợp tài liệu kiểm chứng; tham mưu báo cáo "
            "kết quả thực hiện gửi Sở Nội vụ theo quy định.\n"
            f"2. Các phòng, đơn vị thuộc {name}\n"
            "Căn cứ nhiệm vụ được giao tại Kế hoạch này, chủ động triển khai thực hiện; định kỳ hằng quý báo cáo "
            f"kết quả về {office_name} để tổng hợp."
        ),
    }


@transaction.atomic
def draft_plan(assessment: Assessment, user: User, stage: str = "final") -> Plan:
    """Write the preview as a draft plan of next year, with its version; refuse when nothing was lost or done."""
    Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
    found = preview(assessment, stage)
    if found.refusal:
        raise ImprovementError(found.refusal, found.existing)
    agency = assessment.agency
    position, name = _signer(agency)
    plan = Plan.objects.create(
        agency=agency,
        kind=PlanKind.INDEX,
        year=found.year,
        title=found.title,
        place=agency.place_name,
        signer_position=position,
        signer_name=name,
        recipients="\n".join(RECIPIENTS),
        created_by=user,
        **_texts(found),
    )
    _legal_bases(plan, assessment)
    goals = Section.objects.create(plan=plan, label="I", title="MỤC TIÊU, CHỈ TIÊU", order=1)
    work = Section.objects.create(
        plan=plan, label="II", title="NHIỆM VỤ KHẮC PHỤC TỒN TẠI, HẠN CHẾ, NÂNG CAO CHỈ SỐ CCHC", order=2
    )
    for order, target in enumerate(found.targets, start=1):
        Target.objects.create(
            plan=plan,
            agency=agency,
            section=goals,
            order=order,
            statement=target.statement,
            area=target.reform_area,
            metric_kind=MetricKind.PERCENT,
            comparator=Comparator.GTE,
            value=target.value,
            unit_of_measure="%",
        )
    order = 0
    for number, draft in enumerate(found.sections, start=1):
        section = Section.objects.create(
            plan=plan,
            parent=work,
            label=str(number),
            title=f"{draft.area.code}. {draft.area.name}"[:500],
            order=2 + number,
            area=draft.reform_area,
        )
        for item, task in enumerate(draft.tasks, start=1):
            order += 1
            created = Task.objects.create(
                plan=plan,
                agency=agency,
                section=section,
                order=order,
                label=f"{number}.{item}",
                content=task.content,
                area=draft.reform_area,
                lead_unit=task.lead_unit,
                due_date=task.due_date,
                due_text=task.due_text,
                output=task.output,
                priority=Priority.HIGH if task.lost >= task.max_points / 2 else Priority.NORMAL,
            )
            ImprovementLink.objects.create(task=created, criterion=task.criterion, points_at_stake=task.lost)
    record_version(
        plan,
        user,
        _("Drafted from the PAR Index assessment of %(year)s (%(points)s points lost).")
        % {"year": assessment.year, "points": vn(found.lost)},
    )
    return plan
