"""The list of plans: scope, filters, search, figures and a constant query count."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import Agency
from plans.models import Plan, PlanKind, PlanStatus, Task, TaskStatus
from plans.tests.base import PlansTestCase


class PlanListTestCase(PlansTestCase):
    url = "/plans/"

    def other_plan(self) -> Plan:
        return Plan.objects.create(agency=self.other_agency, year=2026, title="Kế hoạch của Sở Tư pháp")

    def test_it_lists_the_plans_of_the_agency_newest_year_first(self) -> None:
        self.other_plan()
        self.login(self.staff)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual([p.pk for p in response.context["page"].object_list], [self.draft_plan.pk, self.plan.pk])
        self.assertContains(response, "01/KH-SNgV")
        self.assertContains(response, "Cải cách hành chính năm 2027")
        self.assertNotContains(response, "Sở Tư pháp")
        self.assertNotContains(response, "New plan")

    def test_it_shows_task_count_and_mean_progress_of_counted_top_level_tasks(self) -> None:
        Task.objects.create(plan=self.plan, content="Huỷ", lead_unit=self.unit, status=TaskStatus.CANCELLED, progress=0)
        Task.objects.create(plan=self.plan, content="Con", lead_unit=self.unit, parent=self.task, progress=0)
        other = Task.objects.create(plan=self.plan, content="Khác", lead_unit=self.unit)
        other.set_progress(80)
        other.save()
        self.login(self.coordinator)
        response = self.client.get(self.url)
        row = next(p for p in response.context["page"].object_list if p.pk == self.plan.pk)
        self.assertEqual(row.task_count, 3)
        self.assertEqual(round(row.mean_progress), 60)
        self.assertContains(response, "New plan")

    def test_it_filters_by_year_kind_and_status(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(self.url, {"year": "2026"})
        self.assertEqual(list(response.context["page"].object_list), [self.plan])
        response = self.client.get(self.url, {"status": PlanStatus.DRAFT})
        self.assertEqual(list(response.context["page"].object_list), [self.draft_plan])
        response = self.client.get(self.url, {"kind": PlanKind.INDEX})
        self.assertEqual(list(response.context["page"].object_list), [])
        self.assertContains(response, "No plan matches these filters.")

    def test_it_ignores_nonsense_filters(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(self.url, {"year": "abc", "kind": "x", "status": "y", "agency": "z", "page": "9"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["page"].object_list), 2)

    def test_it_searches_without_accents(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(self.url, {"q": "cai cach hanh chinh nam 2027"})
        self.assertEqual(list(response.context["page"].object_list), [self.draft_plan])
        response = self.client.get(self.url, {"q": "01/kh-sngv"})
        self.assertEqual(list(response.context["page"].object_list), [self.plan])

    def test_it_lets_the_overseer_filter_by_agency(self) -> None:
        other = self.other_plan()
        self.login(self.overseer)
        response = self.client.get(self.url)
        self.assertEqual({a.pk for a in response.context["agencies"]}, {self.agency.pk, self.other_agency.pk})
        response = self.client.get(self.url, {"agency": str(self.other_agency.pk)})
        self.assertEqual(list(response.context["page"].object_list), [other])

    def test_the_agency_filter_cannot_reach_other_agencies(self) -> None:
        self.other_plan()
        self.login(self.staff)
        response = self.client.get(self.url, {"agency": str(self.other_agency.pk)})
        self.assertEqual(response.context["agencies"], [])
        self.assertNotContains(response, "Sở Tư pháp")

    def test_the_outsider_sees_none_of_the_agency(self) -> None:
        self.login(self.outsider)
        response = self.client.get(self.url)
        self.assertEqual(list(response.context["page"].object_list), [])
        self.assertContains(response, "There is no plan yet.")

    def test_its_query_count_does_not_grow_with_the_plans(self) -> None:
        self.login(self.admin)
        self.client.get(self.url)  # warm up sessions and caches
        with self.assertNumQueries(11):
            self.client.get(self.url)
        agencies = [self.agency, self.other_agency, self.home_affairs]
        for i in range(30):
            plan = Plan.objects.create(agency=agencies[i % 3], year=2020 + i % 5, title=f"Kế hoạch {i}")
            Task.objects.create(plan=plan, content="x", lead_unit=self.unit)
        with self.assertNumQueries(11):
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["page"].object_list), 30)
        self.assertIsInstance(response.context["agencies"][0], Agency)


class PlanExportTestCase(PlansTestCase):
    def test_it_exports_the_filtered_plans(self) -> None:
        import io

        import openpyxl

        self.login(self.coordinator)
        r = self.client.get(reverse("plans:list"), {"format": "xlsx", "year": "2026"})
        self.assertEqual(r.status_code, 200)
        rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
        self.assertEqual(rows[0][:4], ("No.", "Number and symbol", "Date of issue", "Title"))
        self.assertEqual([row[1] for row in rows[1:]], ["01/KH-SNgV"])
        self.assertEqual(rows[1][7:], ("In progress", 1, 40))
