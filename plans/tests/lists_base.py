"""Helpers of the task list tests (test_task_list*, test_timeline, test_search, test_bulk_assign)."""

from __future__ import annotations

from datetime import date
from typing import Any

from accounts.models import Unit
from plans.models import Plan, PlanStatus, Task
from plans.tests.base import PlansTestCase


class ListsTestCase(PlansTestCase):
    foreign_plan: Plan
    foreign_task: Task

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # A task of the outsider's agency: nobody of ours may see it.
        cls.foreign_plan = Plan.objects.create(
            agency=cls.other_agency, year=2026, title="Kế hoạch của Sở Tư pháp", status=PlanStatus.IN_PROGRESS
        )
        cls.foreign_task = Task.objects.create(
            plan=cls.foreign_plan,
            content="Nhiệm vụ bí mật của Sở Tư pháp",
            lead_unit=cls.other_unit,
            due_date=date(2026, 3, 31),
        )

    def add(self, content: str, *, plan: Plan | None = None, lead_unit: Unit | None = None, **fields: Any) -> Task:
        return Task.objects.create(plan=plan or self.plan, content=content, lead_unit=lead_unit or self.unit, **fields)

    def pks(self, response: Any) -> list[int]:
        assert response.context is not None
        return [row.task.pk for row in response.context["rows"]]
