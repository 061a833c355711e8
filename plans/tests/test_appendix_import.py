"""Importing the appendix: check every row, review, then store it all or nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Unit
from plans.models import Plan, PlanStatus, Section, Task
from plans.tests.base import PlansTestCase
from plans.tests.test_excel_read import task, workbook


def upload(data: bytes, name: str = "Phụ lục.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


class AppendixImportTestCase(PlansTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("plans:appendix_import", args=[self.draft_plan.pk])
        self.login(self.coordinator)

    def check(self, data: bytes, name: str = "Phụ lục.xlsx") -> Any:
        return self.client.post(self.url, {"file": upload(data, name)})

    def confirm(self, response: Any) -> Any:
        return self.client.post(self.url, {"token": response.context["token"]})

    def counts(self) -> tuple[int, int]:
        return Task.objects.count(), Section.objects.count()

    def test_it_shows_the_form_and_the_template_link(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, reverse("plans:appendix_template", args=[self.draft_plan.pk]))
        self.assertContains(response, 'type="file"')
        self.assertEqual(response.context["nav_active"], "plans")

    def test_it_reviews_then_imports(self) -> None:
        before = self.counts()
        data = workbook(
            ["I", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"],
            task("1", "Rà soát thủ tục", "phong hop tac quoc te", "VP", date(2027, 3, 15), "Báo cáo"),
            task("1.1", "Rà soát thủ tục lĩnh vực lãnh sự", "HTQT", "", "Quý I", ""),
            task("2", "Báo cáo tiến độ", "Văn phòng Sở", "", "Hằng quý", "Báo cáo quý"),
        )
        response = self.check(data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Every row of “Phụ lục.xlsx” is valid. Nothing is stored until you confirm.")
        self.assertContains(response, "Rà soát thủ tục lĩnh vực lãnh sự")
        self.assertContains(response, "15/03/2027")
        self.assertEqual(self.counts(), before)  # nothing stored yet

        response = self.confirm(response)
        self.assertRedirects(
            response, reverse("plans:detail", args=[self.draft_plan.pk]), fetch_redirect_response=False
        )
        messages = [str(m) for m in response.wsgi_request._messages]
        self.assertEqual(
            messages,
            ["3 tasks imported. 1 section added to the outline. 4 occurrences of recurring tasks created."],
        )
        section = Section.objects.get(plan=self.draft_plan)
        self.assertEqual(
            (section.label, section.title, section.area.code if section.area else None),
            ("I", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "procedures"),
        )
        first = Task.objects.get(plan=self.draft_plan, label="1")
        self.assertEqual(
            (first.lead_unit, first.due_date, first.output, first.section),
            (self.unit, date(2027, 3, 15), "Báo cáo", section),
        )
        self.assertEqual(list(first.coordinating_units.all()), [self.office])
        self.assertEqual(first.agency, self.agency)
        sub = Task.objects.get(plan=self.draft_plan, label="1.1")
        self.assertEqual((sub.parent, sub.due_date, sub.due_text), (first, date(2027, 3, 31), "Quý I"))
        recurring = Task.objects.get(plan=self.draft_plan, label="2")
        self.assertEqual((recurring.recurrence, recurring.due_text), ("quarterly", "Hằng quý"))
        self.assertEqual(
            [(c.label, c.due_date) for c in recurring.children.order_by("order")],
            [
                ("2.1", date(2027, 3, 31)),
                ("2.2", date(2027, 6, 30)),
                ("2.3", date(2027, 9, 30)),
                ("2.4", date(2027, 12, 31)),
            ],
        )
        self.assertEqual(self.counts(), (before[0] + 7, before[1] + 1))
        # The checked rows are gone from the session: confirming again stores nothing more.
        response = self.client.post(self.url, {"token": "x"})
        self.assertContains(response, "The checked file is no longer waiting")
        self.assertEqual(self.counts(), (before[0] + 7, before[1] + 1))

    def test_it_lists_every_problem_and_stores_nothing(self) -> None:
        before = self.counts()
        response = self.check(
            workbook(
                task("1"),
                ["2", "Nhiệm vụ thiếu đơn vị"],
                task("3", "Nhiệm vụ", "Phong Hop tac QT"),
                task("4", "Nhiệm vụ", "HTQT", "", "Khi nào xong"),
                merge=["F6:F7"],
            )
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nothing was imported")
        self.assertContains(response, "The file “Phụ lục.xlsx” has 4 problems.")
        self.assertContains(response, "Row 3: the lead unit is missing.")
        self.assertContains(
            response,
            "Row 4, Đơn vị chủ trì: “Phong Hop tac QT” is not a unit of this agency. "
            "Did you mean “Phòng Hợp tác quốc tế”?",
        )
        self.assertContains(response, "Rows 6–7: merged cells; unmerge them.")
        self.assertNotIn("token", response.context)
        self.assertEqual(self.counts(), before)

    def test_it_refuses_a_file_that_is_not_an_excel_workbook(self) -> None:
        before = self.counts()
        response = self.check(b"%PDF-1.4 not a workbook", name="Phụ lục.pdf")
        self.assertContains(response, "The file “Phụ lục.pdf” is not an Excel workbook (.xlsx).")
        response = self.check(b"PK\x03\x04 broken", name="Phụ lục.xlsx")
        self.assertContains(response, "could not be read as an Excel workbook: it may be damaged.")
        self.assertEqual(self.counts(), before)

    def test_it_asks_for_a_file(self) -> None:
        response = self.client.post(self.url, {})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This field is required.")

    def test_it_cancels(self) -> None:
        before = self.counts()
        response = self.check(workbook(task("1")))
        token = response.context["token"]
        response = self.client.post(self.url, {"token": token, "cancel": "1"})
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        response = self.client.post(self.url, {"token": token})
        self.assertContains(response, "The checked file is no longer waiting")
        self.assertEqual(self.counts(), before)

    def test_it_refuses_a_stale_token(self) -> None:
        before = self.counts()
        first = self.check(workbook(task("1")))
        self.check(workbook(task("1"), task("2")))  # a second file replaces the first
        response = self.confirm(first)
        self.assertContains(response, "The checked file is no longer waiting")
        response = self.client.post(self.url, {"token": "Phụ lục"})
        self.assertContains(response, "The checked file is no longer waiting")
        self.assertEqual(self.counts(), before)

    def test_it_asks_again_when_the_checked_rows_cannot_be_read_back(self) -> None:
        before = self.counts()
        response = self.check(workbook(task("1")))
        session = self.client.session
        session[f"appendix_import:{self.draft_plan.pk}"]["appendix"] = {"tasks": [{"row": 2}], "sections": []}
        session.save()
        response = self.confirm(response)
        self.assertContains(response, "The checked file could not be read back. Upload it again.")
        self.assertEqual(self.counts(), before)

    def test_it_stores_nothing_when_a_unit_closed_meanwhile(self) -> None:
        before = self.counts()
        response = self.check(workbook(task("1", "A", "HTQT"), task("2", "B", "VP", "HTQT")))
        Unit.objects.filter(pk=self.office.pk).update(valid_to=date(2020, 1, 1))
        response = self.confirm(response)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Units, reform areas or people named in the file changed since it was checked.")
        self.assertEqual(self.counts(), before)

    def test_it_refuses_a_closed_plan(self) -> None:
        self.draft_plan.status = PlanStatus.CLOSED
        self.draft_plan.save()
        before = self.counts()
        response = self.client.get(self.url)
        self.assertContains(response, "The plan is closed: reopen it to import tasks.")
        self.assertNotContains(response, 'type="file"')
        response = self.check(workbook(task("1")))
        self.assertContains(response, "The plan is closed: reopen it to import tasks.")
        self.assertEqual(self.counts(), before)

    def test_it_refuses_to_store_into_a_plan_closed_meanwhile(self) -> None:
        before = self.counts()
        response = self.check(workbook(task("1")))
        Plan.objects.filter(pk=self.draft_plan.pk).update(status=PlanStatus.CLOSED)
        response = self.confirm(response)
        self.assertContains(response, "The plan is closed: reopen it to import tasks.")
        self.assertEqual(self.counts(), before)

    def test_it_imports_into_an_issued_plan_after_its_tasks(self) -> None:
        url = reverse("plans:appendix_import", args=[self.plan.pk])
        response = self.client.post(
            url, {"file": upload(workbook(["II. NHIỆM VỤ"], task("2", "Công bố"), merge=["A2:F2"]))}
        )
        self.assertContains(response, "already in the outline")
        response = self.client.post(url, {"token": response.context["token"]})
        self.assertEqual(response.status_code, 302)
        new = Task.objects.get(plan=self.plan, label="2")
        self.assertEqual(new.section, self.section)
        self.assertGreater(new.order, self.task.order)
        self.assertEqual(Section.objects.filter(plan=self.plan).count(), 1)

    def test_it_is_for_the_plans_managers(self) -> None:
        before = self.counts()
        self.login(self.unit_head)
        self.assertEqual(self.check(workbook(task("1"))).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.check(workbook(task("1"))).status_code, 404)
        self.assertEqual(self.counts(), before)


class AppendixRoundTripTestCase(PlansTestCase):
    def test_an_exported_appendix_imports_into_another_plan(self) -> None:
        parent = Task.objects.create(
            plan=self.plan,
            section=self.section,
            label="2",
            content="Niêm yết thủ tục",
            area=self.area,
            lead_unit=self.office,
            order=2,
        )
        Task.objects.create(
            plan=self.plan,
            section=self.section,
            parent=parent,
            content="Niêm yết tại một cửa",
            area=self.area,
            lead_unit=self.office,
            due_date=date(2026, 9, 30),
            order=3,
        )
        recurring = Task.objects.create(
            plan=self.plan,
            content="Báo cáo định kỳ",
            area=self.area,
            lead_unit=self.unit,
            due_text="Hằng tháng",
            recurrence="monthly",
            due_date=date(2026, 12, 31),
            order=4,
        )
        recurring.generate_occurrences()
        self.login(self.coordinator)
        exported = self.client.get(reverse("plans:appendix_export", args=[self.plan.pk])).content
        Task.objects.filter(plan=self.draft_plan).delete()
        url = reverse("plans:appendix_import", args=[self.draft_plan.pk])
        response = self.client.post(url, {"file": upload(exported, "Phu-luc-01-KH-SNgV.xlsx")})
        self.assertIn("token", response.context)
        response = self.client.post(url, {"token": response.context["token"]})
        self.assertEqual(response.status_code, 302)

        def tasks(plan: Any) -> dict[str, tuple[Any, ...]]:
            return {
                t.content: (
                    t.lead_unit_id,
                    sorted(u.pk for u in t.coordinating_units.all()),
                    t.due_date,
                    t.due_text,
                    t.output,
                    t.area_id,
                    sorted(p.pk for p in t.assignees.all()),
                    t.section.title if t.section else None,
                    t.parent.content if t.parent else None,
                )
                for t in plan.tasks.filter(parent__recurrence="") | plan.tasks.filter(parent__isnull=True)
            }

        original, copy = tasks(self.plan), tasks(self.draft_plan)
        self.assertEqual(set(copy), set(original))
        for content in ("Rà soát, công bố thủ tục hành chính", "Niêm yết thủ tục", "Niêm yết tại một cửa"):
            self.assertEqual(copy[content], original[content])
        # A recurring task repeats in the new plan's year.
        again = Task.objects.get(plan=self.draft_plan, content="Báo cáo định kỳ")
        self.assertEqual(
            (again.recurrence, again.due_text, again.due_date), ("monthly", "Hằng tháng", date(2027, 12, 31))
        )
        self.assertEqual(again.children.count(), 12)
        self.assertEqual(again.children.order_by("order").first().due_date, date(2027, 1, 31))  # type: ignore[union-attr]
        # Sub-tasks without a label keep the number the export gave them.
        self.assertEqual(Task.objects.get(plan=self.draft_plan, content="Niêm yết tại một cửa").label, "2.1")
        self.assertEqual(
            [(s.label, s.title) for s in self.draft_plan.sections.all()],
            [(s.label, s.title) for s in self.plan.sections.all()],
        )
