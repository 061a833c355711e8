"""A plan's life in the browser: draft it, add tasks, issue it, report progress with a file.

The coordinator (vanphong) drafts a plan with a task split in two sub-tasks and
submits it; the director (giamdoc) issues it; a civil servant of the lead unit
(chuyenvien) reports one sub-task done with evidence, and the parent task and
the plan show 50%.
"""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import FilePayload, Page

from accounts.models import Unit
from files.tests import samples
from front.tests import test_browser
from front.tests.test_browser import ARTIFACTS
from plans.models import Plan, PlanStatus, Task, TaskStatus


class PlanBrowserTestCase(test_browser.BrowserTestCase):
    def sign_out(self, page: Page) -> None:
        page.click("form[action$='/accounts/logout/'] button[type=submit]")
        page.wait_for_load_state()

    def add_task(self, page: Page, plan: Plan, content: str, unit: Unit, parent: Task | None = None) -> Task:
        page.goto(f"{self.live_server_url}/plans/{plan.pk}/tasks/new/")
        if parent is not None:
            page.select_option("select[name=parent]", value=str(parent.pk))
        page.fill("[name=content]", content)
        page.select_option("select[name=lead_unit]", value=str(unit.pk))
        page.fill("[name=due_text]", f"Quý II/{plan.year}")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        task = Task.objects.get(plan=plan, content=content)
        self.assertEqual(str(task.due_date), f"{plan.year}-06-30")
        return task

    def test_it_takes_a_plan_from_draft_to_progress(self) -> None:
        year = timezone.localdate().year + 1
        unit = Unit.objects.get(agency__code="sngv-binhphuoc", abbreviation="HTQT")
        with self.browser(viewport={"width": 1366, "height": 900}) as page:
            self.sign_in(page, "vanphong")
            page.goto(f"{self.live_server_url}/plans/new/")
            page.fill("[name=title]", f"Cải cách hành chính thử nghiệm năm {year}")
            page.fill("input[name=year]", str(year))
            page.click("main form button[type=submit]")
            page.wait_for_load_state()
            plan = Plan.objects.get(title=f"Cải cách hành chính thử nghiệm năm {year}")
            self.assertEqual(page.url, f"{self.live_server_url}/plans/{plan.pk}/")

            parent = self.add_task(page, plan, "Rà soát, đơn giản hóa thủ tục hành chính", unit)
            first = self.add_task(page, plan, "Rà soát thủ tục lĩnh vực lãnh sự", unit, parent)
            self.add_task(page, plan, "Rà soát thủ tục lĩnh vực biên giới", unit, parent)

            page.goto(f"{self.live_server_url}/plans/{plan.pk}/")
            page.click("form[action$='/step/submit/'] button[type=submit]")
            page.wait_for_load_state()
            plan.refresh_from_db()
            self.assertEqual(plan.status, PlanStatus.SUBMITTED)
            self.sign_out(page)

            self.sign_in(page, "giamdoc")
            page.goto(f"{self.live_server_url}/plans/{plan.pk}/")
            page.click("form[action$='/step/issue/'] button[type=submit]")
            page.wait_for_load_state()
            plan.refresh_from_db()
            self.assertEqual(plan.status, PlanStatus.ISSUED)
            self.assertTrue(plan.symbol.endswith("/KH-SNgV"))
            self.assertIn(plan.symbol, page.inner_text("main"))
            self.sign_out(page)

            self.sign_in(page, "chuyenvien")
            page.goto(f"{self.live_server_url}/plans/tasks/{first.pk}/")
            page.fill("form[action$='/progress/'] textarea[name=text]", "Đã rà soát xong 12 thủ tục lãnh sự")
            page.fill("form[action$='/progress/'] input[name=progress]", "100")
            page.set_input_files(
                "form[action$='/progress/'] input[name=evidence]",
                files=[FilePayload(name="Báo cáo rà soát.pdf", mimeType="application/pdf", buffer=samples.PDF)],
            )
            page.click("form[action$='/progress/'] button[type=submit]")
            page.wait_for_load_state()
            self.assertIn("Báo cáo rà soát.pdf", page.inner_text("main"))
            page.screenshot(path=ARTIFACTS / "task-detail.png", full_page=True)

            first.refresh_from_db()
            parent.refresh_from_db()
            self.assertEqual((first.status, first.progress), (TaskStatus.DONE, 100))
            self.assertEqual(parent.progress, 50)
            page.goto(f"{self.live_server_url}/plans/tasks/{parent.pk}/")
            self.assertIn("50%", page.inner_text("main"))
            page.goto(f"{self.live_server_url}/plans/{plan.pk}/")
            self.assertIn("50%", page.inner_text("main"))
            page.screenshot(path=ARTIFACTS / "plan-detail.png", full_page=True)
