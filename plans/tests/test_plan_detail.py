"""The plan page: document block, legal bases, outline with tasks, targets, progress and actions."""

from __future__ import annotations

from datetime import date

import time_machine
from django.contrib.contenttypes.models import ContentType

from documents.models import OutgoingDocument
from plans.models import LegalBasis, Plan, PlanStatus, Recurrence, ReformArea, Section, Task, TaskStatus
from plans.tests.base import PlansTestCase
from plans.views import outline


class PlanDetailTestCase(PlansTestCase):
    def url(self, plan: Plan | None = None) -> str:
        return f"/plans/{(plan or self.plan).pk}/"

    def test_it_shows_the_document_block(self) -> None:
        self.plan.recipients = "UBND tỉnh (b/c);\nSở Nội vụ (b/c);"
        self.plan.purpose = "Nhằm xây dựng hệ thống"
        self.plan.save()
        self.login(self.staff)
        response = self.client.get(self.url())
        self.assertContains(response, "No.: 01/KH-SNgV")
        self.assertContains(response, "Bình Phước, 20/12/2025")
        self.assertContains(response, "UBND TỈNH BÌNH PHƯỚC")
        self.assertContains(response, "GIÁM ĐỐC")
        self.assertContains(response, "Nguyễn Thị Hà")
        self.assertContains(response, "<li>Sở Nội vụ (b/c);</li>", html=True)
        self.assertContains(response, "Nhằm xây dựng hệ thống")
        self.assertContains(response, "520/KH-UBND")

    def test_it_shows_the_outline_with_tasks_and_sub_tasks_in_order(self) -> None:
        child_section = Section.objects.create(plan=self.plan, parent=self.section, label="1", title="Cải cách thể chế")
        loose = Task.objects.create(plan=self.plan, content="Không thuộc mục nào", lead_unit=self.office, order=0)
        sub = Task.objects.create(
            plan=self.plan, section=self.section, parent=self.task, label="1.1", content="Việc con", lead_unit=self.unit
        )
        later = Task.objects.create(
            plan=self.plan, section=child_section, label="a", content="Rà soát văn bản", lead_unit=self.unit
        )
        self.login(self.staff)
        response = self.client.get(self.url())
        rows = response.context["rows"]
        self.assertEqual(
            [(r.depth, r.section or r.task) for r in rows],
            [(0, loose), (0, self.section), (0, self.task), (1, sub), (1, child_section), (0, later)],
        )
        self.assertContains(response, "Quý II/2026")
        self.assertContains(response, "Văn phòng Sở")  # coordinating unit
        self.assertContains(response, "Quyết định công bố")
        self.assertEqual(response.context["task_count"], 3)

    def test_a_broken_outline_still_shows_every_row_once(self) -> None:
        a = Section(pk=1, plan=self.plan, title="A")
        b = Section(pk=2, plan=self.plan, title="B", parent_id=1)
        a.parent_id = 2  # a cycle cannot be made through the forms; the page must not loop
        rows = outline([a, b], [])
        self.assertEqual(rows, [])

    def test_it_links_a_legal_basis_only_to_a_plan_the_person_can_see(self) -> None:
        province_plan = Plan.objects.create(
            agency=self.province, year=2026, title="KH tỉnh", number=520, symbol="520/KH-UBND", register_year=2025
        )
        LegalBasis.objects.filter(pk=self.basis.pk).update(linked_plan=province_plan)
        self.login(self.staff)
        response = self.client.get(self.url())
        self.assertNotContains(response, f'href="/plans/{province_plan.pk}/"')
        self.login(self.admin)
        response = self.client.get(self.url())
        self.assertContains(response, f'href="/plans/{province_plan.pk}/"')

    @time_machine.travel(date(2026, 7, 15))
    def test_it_shows_targets_and_progress_by_area_and_unit(self) -> None:
        institutions = ReformArea.objects.get(code="institutional")
        Task.objects.create(
            plan=self.plan,
            content="Xong",
            lead_unit=self.office,
            area=institutions,
            status=TaskStatus.DONE,
            progress=100,
        )
        Task.objects.create(plan=self.plan, content="Huỷ", lead_unit=self.office, status=TaskStatus.CANCELLED)
        self.login(self.leader)
        response = self.client.get(self.url())
        self.assertContains(response, "Tối thiểu 50% hồ sơ được tiếp nhận trực tuyến")
        self.assertContains(response, "≥ 50 %")
        self.assertContains(response, "At risk")
        by_area = {s.label: (s.count, s.mean, s.done, s.overdue) for s in response.context["by_area"]}
        self.assertEqual(by_area, {self.area.label: (1, 40, 0, 1), institutions.label: (1, 100, 1, 0)})
        by_unit = {s.label: (s.count, s.mean, s.done, s.overdue) for s in response.context["by_unit"]}
        self.assertEqual(by_unit, {"Phòng Hợp tác quốc tế": (1, 40, 0, 1), "Văn phòng Sở": (1, 100, 1, 0)})

    def test_the_coordinator_gets_the_managing_links_and_steps(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(self.url())
        self.assertEqual([s["name"] for s in response.context["steps"]], ["close"])
        self.assertContains(response, f'href="/plans/{self.plan.pk}/sections/new/"')
        self.assertContains(response, f'href="/plans/{self.plan.pk}/bases/new/"')
        self.assertContains(response, f'href="/plans/{self.plan.pk}/edit/"')
        self.assertContains(response, f'href="/plans/{self.plan.pk}/tasks/new/"')
        self.assertContains(response, f'href="/plans/{self.plan.pk}/targets/new/"')
        self.assertContains(response, f'href="/plans/{self.plan.pk}/appendix/import/"')
        self.assertContains(response, f'href="/plans/{self.plan.pk}/copy/"')
        self.assertNotContains(response, f'href="/plans/{self.plan.pk}/delete/"')

    def test_the_staff_gets_no_managing_links(self) -> None:
        self.login(self.staff)
        response = self.client.get(self.url())
        self.assertEqual(response.context["steps"], [])
        self.assertNotContains(response, f'href="/plans/{self.plan.pk}/edit/"')
        self.assertNotContains(response, f'href="/plans/{self.plan.pk}/appendix/import/"')
        self.assertContains(response, f'href="/plans/{self.plan.pk}/appendix.xlsx"')
        self.assertContains(response, f'href="/plans/{self.plan.pk}/versions/"')

    def test_the_leader_may_issue_or_return_a_submitted_plan_but_not_submit(self) -> None:
        Plan.objects.filter(pk=self.draft_plan.pk).update(status=PlanStatus.SUBMITTED)
        self.login(self.leader)
        response = self.client.get(self.url(self.draft_plan))
        self.assertEqual([s["name"] for s in response.context["steps"]], ["issue", "return"])
        self.login(self.coordinator)
        response = self.client.get(self.url(self.draft_plan))
        self.assertEqual(response.context["steps"], [])

    def test_a_closed_plan_offers_reopening_and_no_changes(self) -> None:
        Plan.objects.filter(pk=self.plan.pk).update(status=PlanStatus.CLOSED)
        self.login(self.coordinator)
        response = self.client.get(self.url())
        self.assertEqual([s["name"] for s in response.context["steps"]], ["reopen"])
        self.assertNotContains(response, f'href="/plans/{self.plan.pk}/edit/"')
        self.assertNotContains(response, f'href="/plans/{self.plan.pk}/tasks/new/"')
        self.assertNotContains(response, f'href="/plans/{self.plan.pk}/appendix/import/"')

    def test_a_draft_shows_its_symbol_to_come_and_the_delete_link(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(self.url(self.draft_plan))
        self.assertContains(response, "/KH-SNgV")
        self.assertContains(response, "not issued yet")
        self.assertContains(response, f'href="/plans/{self.draft_plan.pk}/delete/"')

    def test_the_outsider_gets_404(self) -> None:
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.assertEqual(self.client.get("/plans/999999/").status_code, 404)

    def test_its_query_count_does_not_grow_with_the_tasks(self) -> None:
        self.login(self.coordinator)
        self.client.get(self.url())
        with self.assertNumQueries(14):
            self.client.get(self.url())
        for i in range(20):
            parent = Task.objects.create(
                plan=self.plan,
                section=self.section,
                label=str(i + 2),
                content=f"Nhiệm vụ {i}",
                area=self.area,
                lead_unit=self.unit,
                recurrence=Recurrence.QUARTERLY,
                start_date=date(2026, 1, 1),
                due_date=date(2026, 12, 31),
            )
            parent.coordinating_units.set([self.office, self.unit])
            parent.generate_occurrences()
        section = Section.objects.create(plan=self.plan, label="III", title="TỔ CHỨC THỰC HIỆN", area=self.area)
        Task.objects.create(plan=self.plan, section=section, content="Báo cáo", lead_unit=self.office)
        with self.assertNumQueries(14):
            response = self.client.get(self.url())
        self.assertEqual(len(response.context["rows"]), 1 + 1 + 20 * 5 + 1 + 1)


class PlanDocumentLinksTestCase(PlansTestCase):
    def test_it_offers_the_word_and_pdf_documents_and_its_register_line(self) -> None:
        line = OutgoingDocument.objects.create(
            agency=self.agency,
            register_year=2025,
            code_number=1,
            code_notation="KH-SNgV",
            type_code="KH",
            type_name="Kế hoạch",
            issued_date=date(2025, 12, 20),
            subject=self.plan.title,
            source_type=ContentType.objects.get_for_model(Plan),
            source_id=self.plan.pk,
        )
        self.login(self.staff)
        response = self.client.get(f"/plans/{self.plan.pk}/")
        self.assertContains(response, f'href="/documents/plans/{self.plan.pk}/docx/"')
        self.assertContains(response, f'href="/documents/plans/{self.plan.pk}/pdf/"')
        self.assertContains(response, f'href="/documents/register/{line.pk}/"')
        self.assertContains(response, 'href="/documents/register/"')  # the navigation

    def test_a_draft_has_no_register_line(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(f"/plans/{self.draft_plan.pk}/")
        self.assertContains(response, f'href="/documents/plans/{self.draft_plan.pk}/docx/"')
        self.assertNotContains(response, "In the outgoing register")
