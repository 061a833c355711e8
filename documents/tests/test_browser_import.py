"""A plan imported in the browser: upload a seed, review it beside its text, map a unit, save.

The coordinator (vanphong) of the demo agency uploads a seed plan as text; the
review shows the source with line numbers next to what was read; they choose
the unit for "Các phòng Nghiệp vụ" and save, and land on the draft plan with
its tasks. Screenshots land in test-artifacts/ (review and saved plan).
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import FilePayload

from accounts.models import Unit
from documents.models import PlanImport
from front.tests import test_browser
from front.tests.test_browser import ARTIFACTS
from plans.models import PlanStatus, Task

SEED = Path(__file__).parent / "data" / "002_b069dd2d47730896.txt"
TITLE = "Cải cách hành chính Nhà nước của Sở Ngoại vụ năm 2022"


class ImportBrowserTestCase(test_browser.BrowserTestCase):
    def test_it_imports_a_plan_from_a_document(self) -> None:
        office = Unit.objects.get(agency__code="sngv-binhphuoc", abbreviation="VP")
        border = Unit.objects.get(agency__code="sngv-binhphuoc", abbreviation="QLBG")
        cooperation = Unit.objects.get(agency__code="sngv-binhphuoc", abbreviation="HTQT")
        with self.browser(viewport={"width": 1440, "height": 900}) as page:
            self.sign_in(page, "vanphong")
            page.goto(f"{self.live_server_url}/plans/")
            page.click("main a[href$='/documents/import/']")
            page.wait_for_load_state()
            page.set_input_files(
                "input[name=file]",
                files=[FilePayload(name="Kế hoạch 41.txt", mimeType="text/plain", buffer=SEED.read_bytes())],
            )
            page.click("main form button[type=submit]")
            page.wait_for_load_state()

            plan_import = PlanImport.objects.get(original_name="Kế hoạch 41.txt")
            self.assertEqual(page.url, f"{self.live_server_url}/documents/import/{plan_import.pk}/")
            source = page.inner_text(".import-source")
            self.assertIn("KẾ HOẠCH", source)
            self.assertIn("Nơi nhận", source)
            self.assertEqual(page.input_value("textarea[name=doc-title]"), TITLE)
            self.assertEqual(page.input_value("input[name=doc-symbol]"), "41/KH-SNgV")
            self.assertEqual(page.locator("textarea[name$='-content']").count(), 39)
            # The names printed in the document, with the obvious units suggested.
            units = page.locator(".import-units tbody tr")
            self.assertEqual(units.count(), 3)
            self.assertEqual(page.input_value("select[name=units-unit_0]"), str(office.pk))
            self.assertEqual(page.input_value("select[name=units-unit_1]"), "")  # "Các phòng Nghiệp vụ"
            self.assertEqual(page.input_value("select[name=units-unit_2]"), str(border.pk))
            page.screenshot(path=ARTIFACTS / "import-review.png", full_page=False)

            page.select_option("select[name=units-unit_1]", value=str(cooperation.pk))
            page.locator(".import-tasks a.source-link").first.click()
            self.assertTrue(page.url.split("#")[1].startswith("L"))
            page.screenshot(path=ARTIFACTS / "import-review-source-line.png", full_page=False)
            page.click(".import-save button[type=submit]")
            page.wait_for_load_state()

            plan_import.refresh_from_db()
            plan = plan_import.plan
            assert plan is not None
            self.assertEqual(page.url.split("#")[0], f"{self.live_server_url}/plans/{plan.pk}/")
            self.assertEqual(plan.status, PlanStatus.DRAFT)
            self.assertEqual(plan.tasks.count(), 39)
            main = page.inner_text("main")
            self.assertIn(TITLE, main)
            self.assertIn("Phát triển hệ thống dữ liệu phục vụ triển khai Chính quyền điện tử", main)
            task = Task.objects.get(plan=plan, content__startswith="Phối hợp Văn phòng Sở thực hiện")
            self.assertEqual(task.lead_unit, cooperation)
            self.assertEqual(list(task.coordinating_units.all()), [office])
            self.assertEqual(
                Task.objects.get(plan=plan, content__startswith="Phòng Quản lý Biên giới").lead_unit, border
            )
            page.screenshot(path=ARTIFACTS / "import-saved-plan.png", full_page=False)
