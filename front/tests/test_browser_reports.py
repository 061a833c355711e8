"""A quarter of reporting in the browser, from the unit to the province.

The clock is set to 10/03/2027: the period "Quarter I/2027" opened on 07/03 and
the units' reports are due on 16/03. The head of Phòng Hợp tác quốc tế
(truongphong) writes and submits the unit's report; the Office (vanphong)
returns it with a comment; the head completes and resubmits it; the Office
accepts it, drafts the consolidated report and submits it to the Director
(giamdoc), who approves it (it takes the next number of the register); the
Office sends it to the province, where Sở Nội vụ (sonoivu, with two factors)
finds it in the inbox, receives it and sees the agency's status for the period.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django_otp.oath import totp
from playwright.sync_api import Page

from accounts.management.commands.load_demo import DEMO_TOTP_HEX
from front.tests import test_browser
from front.tests.test_browser import ARTIFACTS
from notifications.models import Notification
from reports.models import (
    AgencyReport,
    AgencyReportStatus,
    Frequency,
    ReportingPeriod,
    ReportStatus,
    UnitReport,
)

TODAY = datetime(2027, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


class QuarterBrowserTestCase(test_browser.BrowserTestCase):
    def setUp(self) -> None:
        traveller = time_machine.travel(TODAY, tick=True)
        traveller.start()
        self.addCleanup(traveller.stop)
        super().setUp()

    def sign_out(self, page: Page) -> None:
        page.click("form[action$='/accounts/logout/'] button[type=submit]")
        page.wait_for_load_state()

    def click(self, page: Page, action: str) -> None:
        """Press the button of the form posting to an address ending in `action`."""
        page.click(f"form[action$='{action}'] button[type=submit]")
        page.wait_for_load_state()

    def shot(self, page: Page, name: str) -> None:
        page.screenshot(path=ARTIFACTS / f"quarter-{name}.png", full_page=True)

    def test_it_runs_a_quarter_from_the_unit_to_the_province(self) -> None:
        period = ReportingPeriod.objects.get(
            agency__code="sngv-binhphuoc", year=2027, frequency=Frequency.QUARTERLY, number=1
        )
        report = UnitReport.objects.get(period=period, unit__abbreviation="HTQT")
        self.assertEqual(report.status, ReportStatus.NOT_STARTED)
        base = self.live_server_url
        with self.browser(viewport={"width": 1280, "height": 900}) as page:
            # The unit head finds the report on the home page and in the reports list.
            self.sign_in(page, "truongphong")
            self.assertIn("/reports/", page.inner_html("main"))
            page.goto(f"{base}/reports/")
            self.shot(page, "1-index-unit-head")
            page.click(f"a[href='/reports/unit-reports/{report.pk}/']")
            page.wait_for_load_state()
            self.shot(page, "2-unit-report-draft")
            page.fill("textarea[name=results]", "- Đưa 05 thủ tục hành chính lên dịch vụ công trực tuyến toàn trình.")
            page.fill("textarea[name=limitations]", "Tỷ lệ hồ sơ nộp trực tuyến còn thấp.")
            page.fill("textarea[name=proposals]", "Đề nghị hỗ trợ cấu hình thanh toán trực tuyến.")
            page.fill("textarea[name=next_tasks]", "Tuyên truyền, hướng dẫn người dân nộp hồ sơ trực tuyến.")
            self.click(page, f"/reports/unit-reports/{report.pk}/")
            report.refresh_from_db()
            self.assertEqual(report.status, ReportStatus.DRAFT)
            self.click(page, "/submit/")
            report.refresh_from_db()
            self.assertEqual((report.status, report.version), (ReportStatus.SUBMITTED, 1))
            self.assertFalse(report.submitted_late())
            self.shot(page, "3-unit-report-submitted")
            self.sign_out(page)

            # The Office sees it on the period page and returns it with a comment.
            self.sign_in(page, "vanphong")
            page.goto(f"{base}/reports/periods/{period.pk}/")
            self.shot(page, "4-period-tracking")
            page.click(f"a[href='/reports/unit-reports/{report.pk}/']")
            page.wait_for_load_state()
            page.fill("form[action$='/return/'] textarea[name=comment]", "Đề nghị bổ sung số hồ sơ đã giải quyết.")
            self.click(page, "/return/")
            report.refresh_from_db()
            self.assertEqual(report.status, ReportStatus.RETURNED)
            self.sign_out(page)

            # The head completes and resubmits it; the Office accepts it.
            self.sign_in(page, "truongphong")
            page.goto(f"{base}/reports/unit-reports/{report.pk}/")
            self.assertIn("Đề nghị bổ sung số hồ sơ đã giải quyết.", page.inner_text("main"))
            page.fill(
                "textarea[name=results]",
                "- Đưa 05 thủ tục hành chính lên dịch vụ công trực tuyến toàn trình.\n"
                "- Tiếp nhận 42 hồ sơ, giải quyết đúng hạn 42 hồ sơ.",
            )
            self.click(page, f"/reports/unit-reports/{report.pk}/")
            self.click(page, "/submit/")
            self.sign_out(page)
            self.sign_in(page, "vanphong")
            page.goto(f"{base}/reports/unit-reports/{report.pk}/")
            self.click(page, "/accept/")
            report.refresh_from_db()
            self.assertEqual((report.status, report.version), (ReportStatus.ACCEPTED, 2))
            self.assertEqual(report.versions.count(), 4)  # submitted, returned, submitted, accepted

            # The Office drafts the consolidated report, edits it and submits it to the Director.
            page.goto(f"{base}/reports/periods/{period.pk}/")
            self.click(page, "/consolidate/")
            consolidated = AgencyReport.objects.get(period=period)
            self.assertIn("quý I năm 2027", consolidated.title)
            self.assertIn("42 hồ sơ", consolidated.results + consolidated.overview)
            page.fill("textarea[name=proposals]", "Đề nghị Sở Nội vụ tổ chức tập huấn Bộ chỉ số CCHC năm 2027.")
            page.click("main form.form-card button[type=submit]")
            page.wait_for_load_state()
            self.shot(page, "5-consolidated-draft")
            self.click(page, "/submit/")
            consolidated.refresh_from_db()
            self.assertEqual(consolidated.status, AgencyReportStatus.PENDING_APPROVAL)
            self.assertEqual(consolidated.proposals, "Đề nghị Sở Nội vụ tổ chức tập huấn Bộ chỉ số CCHC năm 2027.")
            self.sign_out(page)

            # The Director approves it: it is numbered from the register.
            self.sign_in(page, "giamdoc")
            page.goto(f"{base}/reports/agency-reports/{consolidated.pk}/")
            self.click(page, "/approve/")
            consolidated.refresh_from_db()
            self.assertEqual(consolidated.status, AgencyReportStatus.APPROVED)
            assert consolidated.outgoing is not None
            self.assertEqual(consolidated.outgoing.code_notation, "BC-SNgV")
            self.assertEqual(consolidated.outgoing.issued_date, TODAY.date())
            self.assertIn(consolidated.outgoing.number_symbol, page.inner_text("main"))
            self.shot(page, "6-consolidated-approved")
            # The Word and PDF documents download.
            with page.expect_download() as docx:
                page.click(f"a[href='/reports/agency-reports/{consolidated.pk}/docx/']")
            self.assertTrue(docx.value.suggested_filename.endswith(".docx"))
            self.sign_out(page)

            # The Office sends it to the province.
            self.sign_in(page, "vanphong")
            page.goto(f"{base}/reports/agency-reports/{consolidated.pk}/")
            self.click(page, "/send/")
            consolidated.refresh_from_db()
            self.assertEqual(consolidated.status, AgencyReportStatus.SENT)
            self.assertFalse(consolidated.sent_late())
            self.sign_out(page)

            # Sở Nội vụ passes the second factor, finds it in the inbox and receives it.
            self.sign_in(page, "sonoivu")
            page.fill("main form input[name=code]", f"{totp(bytes.fromhex(DEMO_TOTP_HEX)):06d}")
            page.click("main form button[type=submit]")
            page.wait_for_load_state()
            self.assertTrue(
                Notification.objects.filter(recipient__username="sonoivu", key__startswith="agency_report:").exists()
            )
            page.goto(f"{base}/reports/inbox/")
            self.shot(page, "7-inbox")
            page.click(f"a[href='/reports/agency-reports/{consolidated.pk}/']")
            page.wait_for_load_state()
            self.click(page, "/receive/")
            consolidated.refresh_from_db()
            self.assertEqual(consolidated.status, AgencyReportStatus.RECEIVED)
            page.goto(f"{base}/reports/status/?year=2027&period=quarterly-1")
            row = page.inner_text("main table tbody tr:has-text('Sở Ngoại vụ')")
            self.assertIn("1", row)  # one unit report submitted, on time
            self.shot(page, "8-province-status")
