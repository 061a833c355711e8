"""The one-stop shop in the browser: import dossiers, see them judged, read the indicators and the dashboard.

The coordinator of Sở Ngoại vụ (vanphong) uploads a small CSV of dossiers (one
row with a problem), reads the run's report with the rejected line, finds a
late dossier in the list, reads the quarter's indicators and the dashboard of
the year; the working-day calendar of 2024 shows Tết. Screenshots land in
test-artifacts/.
"""

from __future__ import annotations

from playwright.sync_api import FilePayload, Page

from front.tests import test_browser
from front.tests.test_browser import ARTIFACTS
from services.models import Dossier, DossierImport, ImportStatus

CSV = (
    "code,procedure_code,agency_code,channel,received_at,due_at,finished_at,status,fee,paid_online\n"
    "BT-0001,1.012301,SNgV,online,2025-02-03T09:00,2025-02-07,2025-02-06T15:00,processed,50000,true\n"
    "BT-0002,1.012301,SNgV,direct,2025-02-04T10:00,2025-02-06,2025-02-10T16:00,processed,0,false\n"
    "BT-0003,1.012301,SNgV,direct,2025-02-05T10:00,,,in_process,0,false\n"
    "BT-0004,1.012301,SNgV,fax,2025-02-05T11:00,,,in_process,0,false\n"
)


class ServicesBrowserTestCase(test_browser.BrowserTestCase):
    def shot(self, page: Page, name: str) -> None:
        page.screenshot(path=ARTIFACTS / f"services-{name}.png", full_page=True)

    def test_it_imports_dossiers_and_reads_the_indicators(self) -> None:
        base = self.live_server_url
        with self.browser(viewport={"width": 1280, "height": 900}) as page:
            self.sign_in(page, "vanphong")
            page.goto(f"{base}/services/dossiers/import/")
            page.set_input_files(
                "input[type=file]",
                FilePayload(name="ho-so-thang-02.csv", mimeType="text/csv", buffer=CSV.encode("utf-8")),
            )
            page.click("main form[enctype] button[type=submit]")
            page.wait_for_load_state()
            run = DossierImport.objects.latest("started_at")
            self.assertEqual((run.status, run.created_count, run.rejected_count), (ImportStatus.DONE, 3, 1))
            self.assertIn(f"/services/dossiers/import/{run.pk}/", page.url)
            report = page.inner_text("main")
            self.assertIn("5\t", report.replace("\n", "\t"))  # the rejected row: line 5 of the file
            self.assertIn("“fax”", report)
            self.shot(page, "1-import-report")
            computed = Dossier.objects.get(code="BT-0003")
            self.assertTrue(computed.due_computed)

            # The late dossier is found in the list, filtered by its code's month.
            page.goto(f"{base}/services/dossiers/?received_from=2025-02-01&received_to=2025-02-28")
            self.assertIn("BT-0002", page.inner_text("main"))
            self.shot(page, "2-dossier-list")

            # The indicators of the quarter and the dashboard of the year.
            agency = run.agency_id
            page.goto(f"{base}/services/indicators/{agency}/?year=2025&part=Q1")
            # Of 3 counted: BT-0001 early, BT-0002 late, BT-0003 still open past its computed due date
            # at the end of the quarter: 1 ÷ 3 on time (written the Vietnamese way).
            self.assertIn("33,33%", page.inner_text("main"))
            self.shot(page, "3-indicators")
            page.goto(f"{base}/services/dashboard/?year=2025")
            self.assertIn("svg", page.inner_html("main"))
            self.shot(page, "4-dashboard")
            page.goto(f"{base}/services/calendar/?year=2024")
            self.assertIn("Tết", page.inner_html("main"))
            self.shot(page, "5-calendar")
