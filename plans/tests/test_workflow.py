"""The plan's workflow from the plan page: who may take which step, numbering, versions, refusals."""

from __future__ import annotations

from datetime import date
from typing import Any

import time_machine

from plans.models import Plan, PlanStatus, Task
from plans.tests.base import PlansTestCase


class WorkflowTestCase(PlansTestCase):
    def step(self, plan: Plan, name: str, **data: str) -> Any:
        return self.client.post(f"/plans/{plan.pk}/step/{name}/", data)

    def new_draft(self, title: str) -> Plan:
        plan = Plan.objects.create(agency=self.agency, year=2027, title=title)
        Task.objects.create(plan=plan, content="Nhiệm vụ", lead_unit=self.unit)
        return plan

    def submit_and_issue(self, plan: Plan) -> Plan:
        self.login(self.coordinator)
        self.step(plan, "submit")
        self.login(self.leader)
        self.step(plan, "issue")
        plan.refresh_from_db()
        return plan

    @time_machine.travel(date(2026, 12, 15))
    def test_it_goes_from_draft_to_closed_with_a_version_per_step(self) -> None:
        plan = self.draft_plan
        self.login(self.coordinator)
        response = self.step(plan, "submit")
        self.assertRedirects(response, f"/plans/{plan.pk}/", fetch_redirect_response=False)
        plan.refresh_from_db()
        self.assertEqual(plan.status, PlanStatus.SUBMITTED)

        self.login(self.leader)
        response = self.step(plan, "issue", issued_on="15/12/2026")
        plan.refresh_from_db()
        self.assertEqual(plan.status, PlanStatus.ISSUED)
        self.assertEqual((plan.number, plan.register_year, plan.symbol), (1, 2026, "01/KH-SNgV"))
        self.assertEqual((plan.issued_on, plan.place), (date(2026, 12, 15), "Bình Phước"))
        response = self.client.get(f"/plans/{plan.pk}/")
        self.assertContains(response, "The plan was approved and issued as 01/KH-SNgV.")

        self.login(self.coordinator)
        self.step(plan, "start")
        self.step(plan, "close")
        plan.refresh_from_db()
        self.assertEqual(plan.status, PlanStatus.CLOSED)
        self.step(plan, "reopen")
        plan.refresh_from_db()
        self.assertEqual(plan.status, PlanStatus.IN_PROGRESS)
        self.assertEqual(
            list(plan.versions.order_by("number").values_list("number", "status", "created_by")),
            [
                (1, PlanStatus.SUBMITTED, self.coordinator.pk),
                (2, PlanStatus.ISSUED, self.leader.pk),
                (3, PlanStatus.IN_PROGRESS, self.coordinator.pk),
                (4, PlanStatus.CLOSED, self.coordinator.pk),
                (5, PlanStatus.IN_PROGRESS, self.coordinator.pk),
            ],
        )
        self.assertEqual(plan.versions.get(number=2).snapshot["plan"]["symbol"], "01/KH-SNgV")

    @time_machine.travel(date(2026, 12, 15))
    def test_numbers_follow_the_register_of_the_year_of_issue(self) -> None:
        first = self.submit_and_issue(self.new_draft("Kế hoạch A"))
        second = self.submit_and_issue(self.new_draft("Kế hoạch B"))
        self.assertEqual((first.symbol, second.symbol), ("01/KH-SNgV", "02/KH-SNgV"))
        self.assertEqual((first.register_year, second.register_year), (2026, 2026))
        with time_machine.travel(date(2027, 1, 5)):
            third = self.submit_and_issue(self.new_draft("Kế hoạch C"))
        self.assertEqual((third.number, third.register_year, third.symbol), (1, 2027, "01/KH-SNgV"))

    @time_machine.travel(date(2026, 12, 15))
    def test_an_earlier_date_of_issue_is_kept(self) -> None:
        plan = self.new_draft("Kế hoạch A")
        self.login(self.coordinator)
        self.step(plan, "submit")
        self.login(self.leader)
        self.step(plan, "issue", issued_on="28/11/2026")
        plan.refresh_from_db()
        self.assertEqual((plan.issued_on, plan.register_year), (date(2026, 11, 28), 2026))

    @time_machine.travel(date(2026, 12, 15))
    def test_a_date_of_issue_in_the_future_or_unreadable_is_refused(self) -> None:
        Plan.objects.filter(pk=self.draft_plan.pk).update(status=PlanStatus.SUBMITTED)
        self.login(self.leader)
        response = self.step(self.draft_plan, "issue", issued_on="16/12/2026")
        response = self.client.get(response.url)
        self.assertContains(response, "The date of issue cannot be in the future.")
        self.step(self.draft_plan, "issue", issued_on="31/02/2026")
        self.draft_plan.refresh_from_db()
        self.assertEqual((self.draft_plan.status, self.draft_plan.number), (PlanStatus.SUBMITTED, None))
        self.assertFalse(self.draft_plan.versions.exists())

    def test_returning_needs_a_reason(self) -> None:
        Plan.objects.filter(pk=self.draft_plan.pk).update(status=PlanStatus.SUBMITTED)
        self.login(self.leader)
        response = self.step(self.draft_plan, "return", note="  ")
        self.assertContains(self.client.get(response.url), "Say why the plan goes back to draft.")
        self.draft_plan.refresh_from_db()
        self.assertEqual(self.draft_plan.status, PlanStatus.SUBMITTED)
        self.step(self.draft_plan, "return", note="Bổ sung chỉ tiêu")
        self.draft_plan.refresh_from_db()
        self.assertEqual(self.draft_plan.status, PlanStatus.DRAFT)
        self.assertEqual(self.draft_plan.versions.get().note, "Bổ sung chỉ tiêu")

    def test_an_empty_plan_cannot_be_submitted(self) -> None:
        plan = Plan.objects.create(agency=self.agency, year=2027, title="Trống")
        self.login(self.coordinator)
        response = self.step(plan, "submit")
        self.assertContains(
            self.client.get(response.url), "Add at least one task or target before submitting the plan."
        )
        plan.refresh_from_db()
        self.assertEqual(plan.status, PlanStatus.DRAFT)

    def test_a_step_not_possible_now_is_refused_with_a_message(self) -> None:
        self.login(self.coordinator)
        response = self.step(self.draft_plan, "close")
        self.assertContains(self.client.get(response.url), "This step is not possible while the plan is “Draft”.")
        self.draft_plan.refresh_from_db()
        self.assertEqual(self.draft_plan.status, PlanStatus.DRAFT)

    def test_only_leaders_issue_and_only_managers_submit(self) -> None:
        Plan.objects.filter(pk=self.draft_plan.pk).update(status=PlanStatus.SUBMITTED)
        self.login(self.coordinator)
        self.assertEqual(self.step(self.draft_plan, "issue").status_code, 403)
        self.assertEqual(self.step(self.draft_plan, "return", note="x").status_code, 403)
        self.login(self.leader)
        self.assertEqual(self.step(self.plan, "close").status_code, 403)
        self.login(self.staff)
        self.assertEqual(self.step(self.draft_plan, "issue").status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.step(self.draft_plan, "issue").status_code, 404)
        self.draft_plan.refresh_from_db()
        self.assertEqual(self.draft_plan.status, PlanStatus.SUBMITTED)

    def test_an_unknown_step_or_a_get_is_refused(self) -> None:
        self.login(self.coordinator)
        self.assertEqual(self.step(self.draft_plan, "publish").status_code, 404)
        self.assertEqual(self.client.get(f"/plans/{self.draft_plan.pk}/step/submit/").status_code, 405)
        self.draft_plan.refresh_from_db()
        self.assertEqual(self.draft_plan.status, PlanStatus.DRAFT)
