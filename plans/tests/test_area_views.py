"""Reform areas: everyone signed in reads them, administrators edit them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from plans.models import Plan, PlanStatus, ReformArea, Task
from plans.tests.base import PlansTestCase

LIST = reverse("plans:area_list")
CREATE = reverse("plans:area_create")


class AreaTestCase(PlansTestCase):
    def data(self, **fields: Any) -> dict[str, Any]:
        return {
            "code": "emulation",
            "name": "Thi đua, khen thưởng về cải cách hành chính",
            "short_name": "Thi đua",
            "order": "9",
            "is_active": "on",
            "keywords": "thi đua\nkhen thưởng",
            **fields,
        }

    def edit_url(self, area: ReformArea | None = None) -> str:
        return reverse("plans:area_edit", args=[(area or self.area).pk])


class ListTestCase(AreaTestCase):
    def test_it_lists_the_areas_in_order_with_their_tasks(self) -> None:
        self.login(self.staff)
        response = self.client.get(LIST)
        self.assertEqual(response.status_code, 200)
        areas = list(response.context["areas"])
        self.assertEqual([a.code for a in areas][:3], ["direction", "institutional", "procedures"])
        counts = {a.code: a.task_count for a in areas}
        self.assertEqual(counts["procedures"], 2)
        self.assertEqual(counts["direction"], 0)
        self.assertContains(response, "Cải cách thủ tục hành chính")
        self.assertContains(response, "Thủ tục hành chính")
        self.assertNotContains(response, CREATE)
        self.assertNotContains(response, self.edit_url())
        self.assertEqual(response.context["nav_active"], "plans")

    def test_tasks_of_other_agencies_are_not_counted(self) -> None:
        plan = Plan.objects.create(agency=self.other_agency, year=2026, title="Kế hoạch", status=PlanStatus.DRAFT)
        Task.objects.create(plan=plan, content="Nhiệm vụ", area=self.area, lead_unit=self.other_unit)
        self.login(self.outsider)
        counts = {a.code: a.task_count for a in self.client.get(LIST).context["areas"]}
        self.assertEqual(counts["procedures"], 1)
        self.login(self.admin)
        counts = {a.code: a.task_count for a in self.client.get(LIST).context["areas"]}
        self.assertEqual(counts["procedures"], 3)

    def test_areas_no_longer_used_are_marked(self) -> None:
        ReformArea.objects.filter(code="other").update(is_active=False)
        self.login(self.staff)
        self.assertContains(self.client.get(LIST), "No longer used")

    def test_administrators_get_the_edit_links(self) -> None:
        self.login(self.admin)
        response = self.client.get(LIST)
        self.assertContains(response, CREATE)
        self.assertContains(response, self.edit_url())

    def test_it_needs_signing_in(self) -> None:
        self.assertEqual(self.client.get(LIST).status_code, 302)


class CreateTestCase(AreaTestCase):
    def test_an_administrator_adds_an_area(self) -> None:
        self.login(self.admin)
        self.assertEqual(self.client.get(CREATE).status_code, 200)
        response = self.client.post(CREATE, self.data(keywords="  thi   đua \n\nkhen thưởng\nThi đua\n"))
        self.assertRedirects(response, LIST, fetch_redirect_response=False)
        area = ReformArea.objects.get(code="emulation")
        self.assertEqual(area.name, "Thi đua, khen thưởng về cải cách hành chính")
        self.assertEqual(area.short_name, "Thi đua")
        self.assertEqual(area.order, 9)
        self.assertTrue(area.is_active)
        self.assertEqual(area.keywords, "thi đua\nkhen thưởng")

    def test_the_code_is_a_unique_slug(self) -> None:
        self.login(self.admin)
        response = self.client.post(CREATE, self.data(code="procedures"))
        self.assertIn("code", response.context["form"].errors)
        response = self.client.post(CREATE, self.data(code="thi đua!"))
        self.assertIn("code", response.context["form"].errors)
        response = self.client.post(CREATE, self.data(name=""))
        self.assertIn("name", response.context["form"].errors)
        self.assertFalse(ReformArea.objects.filter(name__startswith="Thi đua").exists())

    def test_nobody_else_may(self) -> None:
        for persona in (self.coordinator, self.leader, self.staff, self.overseer, self.outsider):
            with self.subTest(persona=persona.username):
                self.login(persona)
                self.assertEqual(self.client.get(CREATE).status_code, 403)
                self.assertEqual(self.client.post(CREATE, self.data()).status_code, 403)
        self.assertFalse(ReformArea.objects.filter(code="emulation").exists())


class EditTestCase(AreaTestCase):
    def test_an_administrator_renames_an_area_and_switches_it_off(self) -> None:
        self.login(self.admin)
        response = self.client.get(self.edit_url())
        self.assertContains(response, "Edit Cải cách thủ tục hành chính")
        data = self.data(code="procedures", name="Cải cách TTHC", is_active="")
        response = self.client.post(self.edit_url(), data)
        self.assertRedirects(response, LIST, fetch_redirect_response=False)
        self.area.refresh_from_db()
        self.assertEqual(self.area.name, "Cải cách TTHC")
        self.assertFalse(self.area.is_active)
        # The tasks keep their area.
        self.assertEqual(Task.objects.get(pk=self.task.pk).area, self.area)

    def test_nobody_else_may(self) -> None:
        for persona in (self.coordinator, self.staff, self.outsider):
            with self.subTest(persona=persona.username):
                self.login(persona)
                self.assertEqual(self.client.get(self.edit_url()).status_code, 403)
                response = self.client.post(self.edit_url(), self.data(code="procedures", name="Đổi tên"))
                self.assertEqual(response.status_code, 403)
        self.area.refresh_from_db()
        self.assertEqual(self.area.name, "Cải cách thủ tục hành chính")

    def test_a_missing_area_is_404(self) -> None:
        self.login(self.admin)
        self.assertEqual(self.client.get(reverse("plans:area_edit", args=[99999])).status_code, 404)
