"""The plan's outline: adding, editing and removing headings."""

from __future__ import annotations

from plans.models import Plan, PlanStatus, Section, Task
from plans.tests.base import PlansTestCase


class SectionTestCase(PlansTestCase):
    def test_it_adds_a_heading_under_another(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(f"/plans/{self.plan.pk}/sections/new/?parent={self.section.pk}")
        self.assertEqual(response.context["form"]["parent"].value(), self.section.pk)
        self.assertEqual(response.context["form"]["order"].value(), 2)
        response = self.client.post(
            f"/plans/{self.plan.pk}/sections/new/",
            {"label": "1", "title": "Cải cách thể chế", "parent": self.section.pk, "order": "1", "area": self.area.pk},
        )
        self.assertRedirects(response, f"/plans/{self.plan.pk}/#outline", fetch_redirect_response=False)
        section = self.plan.sections.get(label="1")
        self.assertEqual((section.parent, section.area, section.title), (self.section, self.area, "Cải cách thể chế"))

    def test_a_parent_from_another_plan_is_refused(self) -> None:
        other = Section.objects.create(plan=self.draft_plan, label="I", title="Khác")
        self.login(self.coordinator)
        response = self.client.post(
            f"/plans/{self.plan.pk}/sections/new/", {"label": "1", "title": "Lạ", "parent": other.pk, "order": "1"}
        )
        self.assertEqual(
            response.context["form"].errors["parent"],
            ["Choose a heading of this plan that is not this heading or one below it."],
        )
        self.assertFalse(Section.objects.filter(title="Lạ").exists())

    def test_a_heading_cannot_go_under_itself_or_below_it(self) -> None:
        child = Section.objects.create(plan=self.plan, parent=self.section, label="1", title="Con")
        self.login(self.coordinator)
        for parent in (self.section, child):
            response = self.client.post(
                f"/plans/sections/{self.section.pk}/edit/",
                {"label": "II", "title": "X", "parent": parent.pk, "order": "1"},
            )
            self.assertIn("parent", response.context["form"].errors)
        self.section.refresh_from_db()
        self.assertEqual((self.section.parent, self.section.title), (None, "NHIỆM VỤ"))

    def test_it_needs_a_title(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(f"/plans/{self.plan.pk}/sections/new/", {"label": "IV", "title": "", "order": "1"})
        self.assertIn("title", response.context["form"].errors)
        self.assertEqual(self.plan.sections.count(), 1)

    def test_it_edits_a_heading(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(
            f"/plans/sections/{self.section.pk}/edit/", {"label": "II", "title": "NHIỆM VỤ CCHC", "order": "3"}
        )
        self.assertRedirects(response, f"/plans/{self.plan.pk}/#outline", fetch_redirect_response=False)
        self.section.refresh_from_db()
        self.assertEqual((self.section.title, self.section.order), ("NHIỆM VỤ CCHC", 3))

    def test_removing_a_heading_moves_what_was_under_it_up(self) -> None:
        top = Section.objects.create(plan=self.plan, label="I", title="Trên")
        Section.objects.filter(pk=self.section.pk).update(parent=top)
        child = Section.objects.create(plan=self.plan, parent=self.section, label="1", title="Con")
        self.login(self.coordinator)
        response = self.client.get(f"/plans/sections/{self.section.pk}/delete/")
        self.assertContains(response, "they move to the heading above it")
        response = self.client.post(f"/plans/sections/{self.section.pk}/delete/")
        self.assertRedirects(response, f"/plans/{self.plan.pk}/#outline", fetch_redirect_response=False)
        self.assertFalse(Section.objects.filter(pk=self.section.pk).exists())
        child.refresh_from_db()
        self.task.refresh_from_db()
        self.assertEqual((child.parent, self.task.section), (top, top))
        self.assertTrue(Task.objects.filter(pk=self.task.pk).exists())

    def test_a_closed_plan_refuses_changes(self) -> None:
        Plan.objects.filter(pk=self.plan.pk).update(status=PlanStatus.CLOSED)
        self.login(self.coordinator)
        response = self.client.post(f"/plans/sections/{self.section.pk}/delete/", follow=True)
        self.assertContains(response, "The plan is closed: reopen it before changing it.")
        self.client.post(f"/plans/{self.plan.pk}/sections/new/", {"title": "Mới", "order": "1"})
        self.client.post(f"/plans/sections/{self.section.pk}/edit/", {"title": "Đổi", "order": "1"})
        self.assertEqual(list(self.plan.sections.values_list("title", flat=True)), ["NHIỆM VỤ"])

    def test_only_the_plan_s_managers_change_the_outline(self) -> None:
        for person, status in ((self.leader, 403), (self.unit_head, 403), (self.outsider, 404)):
            self.login(person)
            self.assertEqual(
                self.client.post(f"/plans/sections/{self.section.pk}/edit/", {"title": "x"}).status_code, status
            )
            self.assertEqual(self.client.post(f"/plans/sections/{self.section.pk}/delete/").status_code, status)
            self.assertEqual(
                self.client.post(f"/plans/{self.plan.pk}/sections/new/", {"title": "x"}).status_code, status
            )
        self.assertEqual(list(self.plan.sections.values_list("title", flat=True)), ["NHIỆM VỤ"])
