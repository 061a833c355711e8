"""Creating, editing and deleting plans."""

from __future__ import annotations

from datetime import date
from typing import Any

import time_machine

from plans.models import Plan, PlanStatus, PlanVersion, Target, Task
from plans.tests.base import PlansTestCase


def plan_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": "reform",
        "year": "2027",
        "period_start": "",
        "period_end": "",
        "title": "Kế hoạch cải cách hành chính năm 2027",
        "doc_type": "KH",
        "place": "Bình Phước",
        "signer_authority": "",
        "signer_position": "Giám đốc",
        "signer_name": "",
        "recipients": "UBND tỉnh (b/c);\nLưu: VT.",
        "purpose": "",
        "requirements": "",
        "budget": "",
        "budget_amount": "",
        "organisation": "",
    }
    data.update(overrides)
    return data


class PlanCreateTestCase(PlansTestCase):
    url = "/plans/new/"

    @time_machine.travel(date(2026, 11, 20))
    def test_it_proposes_next_year_and_the_agency_place(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(self.url)
        form = response.context["form"]
        self.assertEqual(form["year"].value(), 2027)
        self.assertEqual(form["place"].value(), "Bình Phước")
        self.assertNotIn("agency", form.fields)  # their only agency

    def test_the_coordinator_creates_a_draft_of_their_agency(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url, plan_data(agency=self.agency.pk))
        plan = Plan.objects.get(title="Kế hoạch cải cách hành chính năm 2027")
        self.assertRedirects(response, f"/plans/{plan.pk}/", fetch_redirect_response=False)
        self.assertEqual(plan.agency, self.agency)
        self.assertEqual(plan.status, PlanStatus.DRAFT)
        self.assertEqual(plan.created_by, self.coordinator)
        self.assertEqual((plan.period_start, plan.period_end), (date(2027, 1, 1), date(2027, 12, 31)))
        self.assertEqual((plan.number, plan.symbol), (None, ""))

    def test_a_coordinator_cannot_create_for_another_agency(self) -> None:
        self.login(self.coordinator)
        self.client.post(self.url, plan_data(agency=self.other_agency.pk, title="Lạ"))
        self.assertEqual(Plan.objects.get(title="Lạ").agency, self.agency)

    def test_an_administrator_must_choose_an_agency_they_may_choose(self) -> None:
        self.login(self.admin)
        response = self.client.post(self.url, plan_data(agency="999999", title="Lạ"))
        self.assertTrue(response.context["form"].errors["agency"])
        self.assertFalse(Plan.objects.filter(title="Lạ").exists())

    def test_an_administrator_chooses_the_agency(self) -> None:
        self.login(self.admin)
        response = self.client.get(self.url)
        self.assertContains(response, '<select name="agency"')
        response = self.client.post(self.url, plan_data(agency=self.other_agency.pk, place=""))
        plan = Plan.objects.get(title="Kế hoạch cải cách hành chính năm 2027")
        self.assertEqual(plan.agency, self.other_agency)
        self.assertEqual(plan.place, "Bình Phước")  # the agency's place name

    def test_it_refuses_a_period_that_ends_before_it_starts(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(
            self.url, plan_data(agency=self.agency.pk, period_start="01/07/2027", period_end="30/06/2027")
        )
        self.assertEqual(
            response.context["form"].errors["period_end"], ["The end of the period must not be before its start."]
        )
        self.assertFalse(Plan.objects.filter(year=2027, title__startswith="Kế hoạch").exists())

    def test_it_refuses_an_end_before_the_year_when_the_start_is_left_empty(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url, plan_data(agency=self.agency.pk, period_end="31/12/2026"))
        self.assertIn("period_end", response.context["form"].errors)
        response = self.client.post(self.url, plan_data(agency=self.agency.pk, period_start="01/01/2028"))
        self.assertIn("period_start", response.context["form"].errors)
        self.assertFalse(Plan.objects.filter(title__startswith="Kế hoạch").exists())

    def test_it_refuses_a_period_outside_the_year(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(
            self.url, plan_data(agency=self.agency.pk, year="2028", period_start="01/01/2027", period_end="31/12/2027")
        )
        self.assertEqual(
            response.context["form"].errors["period_start"], ["The period must cover at least part of the year 2028."]
        )
        self.assertFalse(Plan.objects.filter(title__startswith="Kế hoạch").exists())

    def test_a_period_over_several_years_is_accepted(self) -> None:
        self.login(self.coordinator)
        self.client.post(
            self.url, plan_data(agency=self.agency.pk, year="2026", period_start="01/01/2026", period_end="31/12/2030")
        )
        plan = Plan.objects.get(title__startswith="Kế hoạch")
        self.assertEqual((plan.period_start, plan.period_end), (date(2026, 1, 1), date(2030, 12, 31)))

    def test_it_refuses_a_year_outside_2000_to_2100(self) -> None:
        self.login(self.coordinator)
        for year in ("1999", "2101"):
            response = self.client.post(self.url, plan_data(agency=self.agency.pk, year=year))
            self.assertEqual(response.context["form"].errors["year"], ["The year must be between 2000 and 2100."])
        response = self.client.post(self.url, plan_data(agency=self.agency.pk, year="abc", period_end="x"))
        self.assertEqual(set(response.context["form"].errors), {"year", "period_end"})
        self.assertFalse(Plan.objects.filter(title__startswith="Kế hoạch").exists())

    def test_leaders_and_staff_cannot_create_plans(self) -> None:
        for person in (self.leader, self.staff, self.overseer):
            self.login(person)
            self.assertEqual(self.client.post(self.url, plan_data(agency=self.agency.pk)).status_code, 403)
        self.assertFalse(Plan.objects.filter(title__startswith="Kế hoạch").exists())


class PlanEditTestCase(PlansTestCase):
    def url(self, plan: Plan) -> str:
        return f"/plans/{plan.pk}/edit/"

    def test_it_saves_a_draft_without_recording_a_version(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url(self.draft_plan), plan_data(title="Tên mới", purpose="Mục đích"))
        self.assertRedirects(response, f"/plans/{self.draft_plan.pk}/", fetch_redirect_response=False)
        self.draft_plan.refresh_from_db()
        self.assertEqual((self.draft_plan.title, self.draft_plan.purpose), ("Tên mới", "Mục đích"))
        self.assertEqual(self.draft_plan.agency, self.agency)
        self.assertFalse(PlanVersion.objects.filter(plan=self.draft_plan).exists())

    def test_amending_an_issued_plan_records_a_version(self) -> None:
        self.login(self.coordinator)
        data = plan_data(
            year="2026",
            title=self.plan.title,
            place=self.plan.place,
            signer_name=self.plan.signer_name,
            budget_amount="450000000",
            doc_type="QĐ",
        )
        self.client.post(self.url(self.plan), data)
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.budget_amount, 450000000)
        self.assertEqual(self.plan.doc_type, "KH")  # fixed once numbered
        self.assertEqual(self.plan.symbol, "01/KH-SNgV")
        version = self.plan.versions.get(number=2)
        self.assertEqual(
            (version.note, version.status, version.created_by), ("Amended", PlanStatus.IN_PROGRESS, self.coordinator)
        )
        self.assertEqual(version.snapshot["plan"]["recipients"], "UBND tỉnh (b/c);\nLưu: VT.")

    def test_saving_without_changes_records_no_version(self) -> None:
        self.login(self.coordinator)
        form = self.client.get(self.url(self.plan)).context["form"]
        data = {name: form[name].value() or "" for name in form.fields}
        data["period_start"] = "01/01/2026"
        data["period_end"] = "31/12/2026"
        self.client.post(self.url(self.plan), data)
        self.assertEqual(self.plan.versions.count(), 1)

    def test_a_closed_plan_cannot_be_edited(self) -> None:
        Plan.objects.filter(pk=self.plan.pk).update(status=PlanStatus.CLOSED)
        self.login(self.coordinator)
        response = self.client.post(self.url(self.plan), plan_data(year="2026", title="Đổi"))
        self.assertRedirects(response, f"/plans/{self.plan.pk}/", fetch_redirect_response=False)
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.title, "Cải cách hành chính năm 2026")
        response = self.client.get(self.url(self.plan), follow=True)
        self.assertContains(response, "The plan is closed: reopen it before changing it.")

    def test_others_cannot_edit(self) -> None:
        self.login(self.leader)
        self.assertEqual(self.client.post(self.url(self.draft_plan), plan_data(title="Đổi")).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.post(self.url(self.draft_plan), plan_data(title="Đổi")).status_code, 404)
        self.draft_plan.refresh_from_db()
        self.assertEqual(self.draft_plan.title, "Cải cách hành chính năm 2027")


class PlanDeleteTestCase(PlansTestCase):
    def url(self, plan: Plan) -> str:
        return f"/plans/{plan.pk}/delete/"

    def test_it_asks_before_deleting(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(self.url(self.draft_plan))
        self.assertContains(response, "Delete the draft plan “Cải cách hành chính năm 2027”?")
        self.assertContains(response, "Its task, its targets, outline and legal bases are deleted with it.")
        self.assertTrue(Plan.objects.filter(pk=self.draft_plan.pk).exists())

    def test_it_deletes_a_draft_with_its_tasks_and_targets(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url(self.draft_plan))
        self.assertRedirects(response, "/plans/", fetch_redirect_response=False)
        self.assertFalse(Plan.objects.filter(pk=self.draft_plan.pk).exists())
        self.assertFalse(Task.objects.filter(pk=self.draft_task.pk).exists())
        self.assertFalse(Target.objects.filter(pk=self.draft_target.pk).exists())

    def test_it_refuses_to_delete_a_plan_that_was_issued(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url(self.plan), follow=True)
        self.assertContains(response, "Only a draft plan can be deleted; close it instead.")
        self.assertTrue(Plan.objects.filter(pk=self.plan.pk).exists())

    def test_only_managers_delete(self) -> None:
        self.login(self.staff)
        self.assertEqual(self.client.post(self.url(self.draft_plan)).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.post(self.url(self.draft_plan)).status_code, 404)
        self.assertTrue(Plan.objects.filter(pk=self.draft_plan.pk).exists())
