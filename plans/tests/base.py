"""Plan fixtures shared by the plans tests and the access matrix.

The agency of the personas (Sở Ngoại vụ) has one plan in progress for 2026,
issued as 01/KH-SNgV, with a section, a legal basis, a task led by the staff
persona's unit (coordinated by the Office), an update, and a target measured
by that unit; and a draft plan with its own task and target.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from accounts.models import Agency, Unit, User
from cchc.test import BaseTestCase
from plans.actions import record_version
from plans.models import (
    Comparator,
    LegalBasis,
    MetricKind,
    Plan,
    PlanStatus,
    ReformArea,
    Section,
    Target,
    TargetValue,
    Task,
    TaskUpdate,
    UpdateKind,
)


class PlanFixtures:
    # Personas, from BaseTestCase.
    agency: Agency
    office: Unit
    unit: Unit
    staff: User
    coordinator: User
    plan: Plan
    draft_plan: Plan
    section: Section
    basis: LegalBasis
    task: Task
    draft_task: Task
    update: TaskUpdate
    target: Target
    draft_target: Target
    value: TargetValue
    area: ReformArea

    @classmethod
    def create_plans(cls) -> None:
        cls.area = ReformArea.objects.get(code="procedures")
        cls.plan = Plan.objects.create(
            agency=cls.agency,
            year=2026,
            title="Cải cách hành chính năm 2026",
            status=PlanStatus.IN_PROGRESS,
            number=1,
            register_year=2025,
            symbol="01/KH-SNgV",
            issued_on=date(2025, 12, 20),
            place="Bình Phước",
            signer_position="Giám đốc",
            signer_name="Nguyễn Thị Hà",
        )
        cls.section = Section.objects.create(plan=cls.plan, label="II", title="NHIỆM VỤ", order=1)
        cls.basis = LegalBasis.objects.create(
            plan=cls.plan, doc_type="KH", symbol="520/KH-UBND", issued_on=date(2025, 12, 1), issuer="UBND tỉnh"
        )
        cls.task = Task.objects.create(
            plan=cls.plan,
            section=cls.section,
            label="1",
            content="Rà soát, công bố thủ tục hành chính",
            area=cls.area,
            lead_unit=cls.unit,
            start_date=date(2026, 1, 1),
            due_date=date(2026, 6, 30),
            due_text="Quý II/2026",
            output="Quyết định công bố",
        )
        cls.task.coordinating_units.set([cls.office])
        cls.task.assignees.set([cls.staff])
        cls.update = TaskUpdate.objects.create(
            task=cls.task,
            kind=UpdateKind.PROGRESS,
            author=cls.staff,
            unit=cls.unit,
            text="Đã rà soát 10 thủ tục",
            progress=40,
        )
        cls.task.set_progress(40)
        cls.task.save()
        cls.target = Target.objects.create(
            plan=cls.plan,
            statement="Tối thiểu 50% hồ sơ được tiếp nhận trực tuyến",
            metric_kind=MetricKind.PERCENT,
            comparator=Comparator.GTE,
            value=Decimal(50),
            unit_of_measure="%",
            responsible_unit=cls.unit,
        )
        cls.value = TargetValue.objects.create(
            target=cls.target,
            period_label="Quý I/2026",
            period_end=date(2026, 3, 31),
            actual=Decimal(45),
            recorded_by=cls.staff,
        )
        record_version(cls.plan, cls.coordinator, "Ban hành")

        cls.draft_plan = Plan.objects.create(agency=cls.agency, year=2027, title="Cải cách hành chính năm 2027")
        cls.draft_task = Task.objects.create(
            plan=cls.draft_plan,
            content="Tuyên truyền cải cách hành chính",
            area=cls.area,
            lead_unit=cls.unit,
        )
        cls.draft_target = Target.objects.create(
            plan=cls.draft_plan,
            statement="03-05 sáng kiến được công nhận",
            metric_kind=MetricKind.COUNT,
            comparator=Comparator.RANGE,
            value=Decimal(3),
            value_max=Decimal(5),
            unit_of_measure="sáng kiến",
        )


class PlansTestCase(PlanFixtures, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.create_plans()
