"""Copying a plan to another year from its page."""

from __future__ import annotations

from datetime import date

from plans.models import LegalBasis, Plan, PlanStatus, Recurrence, Section, Task, TaskStatus
from plans.tests.base import PlansTestCase


class CopyTestCase(PlansTestCase):
    def url(self, plan: Plan | None = None) -> str:
        return f"/plans/{(plan or self.plan).pk}/copy/"

    def test_it_proposes_the_next_year(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(self.url())
        self.assertEqual(response.context["form"]["year"].value(), 2027)

    def test_it_copies_the_plan_into_a_draft_of_the_next_year(self) -> None:
        recurring = Task.objects.create(
            plan=self.plan,
            section=self.section,
            label="2",
            content="Báo cáo CCHC năm 2026",
            lead_unit=self.office,
            recurrence=Recurrence.QUARTERLY,
            start_date=date(2026, 1, 1),
            due_date=date(2026, 12, 31),
        )
        recurring.generate_occurrences()
        Task.objects.filter(parent=recurring, due_date=date(2026, 3, 31)).update(status=TaskStatus.DONE, progress=100)
        sub_section = Section.objects.create(plan=self.plan, parent=self.section, label="1", title="Thể chế")
        self.login(self.coordinator)
        response = self.client.post(self.url(), {"year": "2027"})
        copy = Plan.objects.exclude(pk__in=[self.plan.pk, self.draft_plan.pk]).get()
        self.assertRedirects(response, f"/plans/{copy.pk}/", fetch_redirect_response=False)

        self.assertEqual((copy.agency, copy.year, copy.status), (self.agency, 2027, PlanStatus.DRAFT))
        self.assertEqual((copy.number, copy.symbol, copy.issued_on), (None, "", None))
        self.assertEqual(copy.title, "Cải cách hành chính năm 2027")
        self.assertEqual((copy.period_start, copy.period_end), (date(2027, 1, 1), date(2027, 12, 31)))
        self.assertEqual((copy.copied_from, copy.created_by), (self.plan, self.coordinator))
        self.assertFalse(copy.versions.exists())
        response = self.client.get(f"/plans/{copy.pk}/")
        self.assertContains(response, f'Copied from <a href="/plans/{self.plan.pk}/">01/KH-SNgV Cải cách hành chính')

        self.assertEqual(
            sorted(copy.sections.values_list("label", "title", "parent__label")),
            [("1", "Thể chế", "II"), ("II", "NHIỆM VỤ", None)],
        )
        self.assertEqual(list(copy.legal_bases.values_list("symbol", flat=True)), ["520/KH-UBND"])
        task = copy.tasks.get(label="1")
        self.assertEqual(
            (task.start_date, task.due_date, task.due_text), (date(2027, 1, 1), date(2027, 6, 30), "Quý II/2027")
        )
        self.assertEqual((task.progress, task.status), (0, TaskStatus.NOT_STARTED))
        self.assertEqual(task.section, copy.sections.get(label="II"))
        self.assertEqual(list(task.coordinating_units.all()), [self.office])
        self.assertFalse(task.updates.exists())
        again = copy.tasks.get(label="2")
        self.assertEqual(again.content, "Báo cáo CCHC năm 2027")
        self.assertEqual(
            list(again.children.values_list("due_date", "status")),
            [(date(2027, m, d), TaskStatus.NOT_STARTED) for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))],
        )
        target = copy.targets.get()
        self.assertEqual(target.statement, self.target.statement)
        self.assertFalse(target.values.exists())
        self.assertEqual(sub_section.plan, self.plan)  # the original is untouched
        self.assertEqual(self.plan.tasks.count(), 1 + 1 + 4)

    def test_it_copies_to_any_year_asked(self) -> None:
        self.login(self.coordinator)
        self.client.post(self.url(self.draft_plan), {"year": "2030"})
        copy = Plan.objects.get(year=2030)
        self.assertEqual(copy.title, "Cải cách hành chính năm 2030")
        self.assertEqual(LegalBasis.objects.filter(plan=copy).count(), 0)
        self.assertEqual(copy.tasks.get().content, "Tuyên truyền cải cách hành chính")

    def test_it_refuses_a_year_outside_2000_to_2100(self) -> None:
        self.login(self.coordinator)
        for year in ("1999", "2101", "", "năm sau"):
            response = self.client.post(self.url(), {"year": year})
            self.assertEqual(response.status_code, 200)
            self.assertTrue(response.context["form"].errors["year"])
        self.assertEqual(Plan.objects.count(), 2)

    def test_only_the_plan_s_managers_copy(self) -> None:
        for person, status in ((self.leader, 403), (self.staff, 403), (self.overseer, 403), (self.outsider, 404)):
            self.login(person)
            self.assertEqual(self.client.post(self.url(), {"year": "2027"}).status_code, status)
        self.assertEqual(Plan.objects.count(), 2)
