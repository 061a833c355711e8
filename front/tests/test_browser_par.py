"""A full year of the PAR Index in the browser, for two agencies.

The clock is set to 01/12/2026: the demo holds the example sets of 2025 and
2026, last year's final results of eight departments and Sở Ngoại vụ's open
2026 assessment, so the year run here is 2027 with a small set of its own.
Each department issued its PAR plan for 2027 in November (made here with the
plans' own actions): the one record the evidence suggestions can find.

1. Sở Nội vụ (sonoivu, two factors) downloads the template, fills in a set of
   four areas (one only for agencies with procedures, one with a survey item,
   one of bonus points) and imports and publishes it.
2. Sở Ngoại vụ (vanphong, giamdoc) and Sở Tư pháp (tuphap, giamdoctp) open the
   year's assessment, score every item (a score off the step is refused first),
   back them with a PDF ("tr. 2"), the suggested plan and explanations, and
   their leaders submit (the report is numbered; its DOCX downloads).
3. Sở Nội vụ starts round 1, disputes one item of Sở Ngoại vụ with a comment,
   asks for explanations by a date and enters both agencies' survey points;
   Sở Tư pháp's round 1 agrees with it, so its round 2 starts directly.
4. Sở Ngoại vụ answers the disputed item; round 2 sets its appraised score,
   the council changes one final score, and both assessments are finalised.
5. The ranking and the results show the hand-worked figures below, and
   Sở Ngoại vụ drafts next year's plan from the points it lost.

The set (30 points: 26 self-assessed, 4 by survey; bonus at most 2):
    1    Chỉ đạo, điều hành (10)      1.1 options 4/2/0, 1.2 of 6 in steps of 0.5
    2    Thủ tục hành chính (10)      2.1 of 10 in steps of 1, agencies with procedures only
    3    Hiện đại hóa (10)            3.1 of 6 in steps of 0.25, 3.2 of 4 by survey
    4    Điểm thưởng (cap 2)          4.1 and 4.2 of 1.5 each, steps of 0.5

Sở Ngoại vụ       1.1  1.2  2.1  3.1   3.2  4.1 | area 1  area 2  area 3 | index
  self            4    5.5  9    5.5   3    1   | 95.00   90.00   85.00  | 28/30   = 93.33
  appraised       4    5    9    5.5   3    1   | 90.00   90.00   85.00  | 27.5/30 = 91.67
  final           4    5    9    5     3    1   | 90.00   90.00   80.00  | 27/30   = 90.00 (A)
  (round 1 gave 1.2 4.5, round 2 5; the council gave 3.1 5)
Sở Tư pháp        2    6    8    4     3.5  -   | 80.00   80.00   75.00  | 23.5/30 = 78.33 (C)
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import time_machine
from django.contrib.contenttypes.models import ContentType
from django_otp.oath import totp
from playwright.sync_api import FilePayload, Page

from accounts.management.commands.load_demo import DEMO_TOTP_HEX
from accounts.models import Agency, User
from front.tests import test_browser
from front.tests.test_browser import ARTIFACTS, vietnamese
from indices.models import (
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    Evidence,
    ImprovementLink,
    Score,
    SetStatus,
)
from lib.nd30.docx import DOCX_TYPE
from plans import actions
from plans.models import MetricKind, Plan, PlanKind, PlanStatus, Target

TODAY = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
YEAR = 2027
SET_NAME = f"Bộ tiêu chí Chỉ số CCHC các sở năm {YEAR} (kiểm thử)"
PLAN_TITLE = f"Kế hoạch cải cách hành chính năm {YEAR}"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# The criteria sheet as the template's columns name them; blank kind, method and applicability follow the parent.
CRITERIA: list[dict[str, Any]] = [
    {"Mã": "1", "Tên tiêu chí": "Công tác chỉ đạo, điều hành cải cách hành chính", "Điểm tối đa": 10,
     "Loại": "Chấm điểm", "Phương pháp": "Tự đánh giá, thẩm định", "Áp dụng": "Mọi cơ quan"},
    {"Mã": "1.1", "Tên tiêu chí": "Ban hành kế hoạch CCHC năm đúng thời hạn", "Điểm tối đa": 4,
     "Phương án điểm": "Ban hành đúng hạn=4; Ban hành trễ hạn=2; Không ban hành=0",
     "Tài liệu kiểm chứng": "Kế hoạch CCHC năm", "Từ khóa": "kế hoạch cải cách hành chính"},
    {"Mã": "1.2", "Tên tiêu chí": "Thực hiện chế độ báo cáo CCHC định kỳ", "Điểm tối đa": 6, "Bước điểm": 0.5,
     "Tài liệu kiểm chứng": "Các báo cáo CCHC quý, 6 tháng, năm"},
    {"Mã": "2", "Tên tiêu chí": "Cải cách thủ tục hành chính", "Điểm tối đa": 10, "Áp dụng": "Cơ quan có TTHC"},
    {"Mã": "2.1", "Tên tiêu chí": "Công khai thủ tục hành chính đầy đủ, đúng quy định", "Điểm tối đa": 10,
     "Bước điểm": 1},
    {"Mã": "3", "Tên tiêu chí": "Hiện đại hóa hành chính", "Điểm tối đa": 10},
    {"Mã": "3.1", "Tên tiêu chí": "Cung cấp dịch vụ công trực tuyến toàn trình", "Điểm tối đa": 6,
     "Bước điểm": 0.25},
    {"Mã": "3.2", "Tên tiêu chí": "Mức độ hài lòng của người dân, tổ chức", "Điểm tối đa": 4,
     "Phương pháp": "Điều tra xã hội học"},
    {"Mã": "4", "Tên tiêu chí": "Điểm thưởng", "Điểm tối đa": 2, "Loại": "Điểm thưởng"},
    {"Mã": "4.1", "Tên tiêu chí": "Sáng kiến CCHC được cấp có thẩm quyền công nhận", "Điểm tối đa": 1.5,
     "Bước điểm": 0.5},
    {"Mã": "4.2", "Tên tiêu chí": "Mô hình CCHC được nhân rộng", "Điểm tối đa": 1.5, "Bước điểm": 0.5},
]  # fmt: skip
SET_FIELDS = {
    "Tên bộ tiêu chí": SET_NAME,
    "Năm đánh giá": YEAR,
    "Loại cơ quan": "Sở, ban, ngành",
    "Quyết định ban hành": "Quyết định số 99/QĐ-UBND",
    "Xếp loại": "A=90; B=80; C=70; D=0",
    "Số chữ số thập phân": 2,
    "Chỉ số tối đa 100": "Có",
}


def vn(value: str) -> str:
    """A number as the Vietnamese interface prints it ("93,33")."""
    return value.replace(".", ",")


def said(msgid: str, **values: Any) -> str:
    """A message as the person reads it: Vietnamese when the catalogue has it, else the English source."""
    return (vietnamese(msgid) or msgid) % values


class PARYearBrowserTestCase(test_browser.BrowserTestCase):
    def setUp(self) -> None:
        traveller = time_machine.travel(TODAY, tick=True)
        self.clock = traveller.start()
        self.addCleanup(traveller.stop)
        super().setUp()
        self.people = {u.username: u for u in User.objects.filter(username__in=self.usernames())}
        self.agencies = {a.code: a for a in Agency.objects.filter(code__in=["sngv-binhphuoc", "stp-binhphuoc"])}
        for code, coordinator, leader in (
            ("sngv-binhphuoc", "vanphong", "giamdoc"),
            ("stp-binhphuoc", "tuphap", "giamdoctp"),
        ):
            self.issue_plan(self.agencies[code], self.people[coordinator], self.people[leader])

    @staticmethod
    def usernames() -> list[str]:
        return ["vanphong", "giamdoc", "tuphap", "giamdoctp", "sonoivu"]

    def issue_plan(self, agency: Agency, coordinator: User, leader: User) -> Plan:
        """The department's PAR plan for next year, issued in November as the plans module does it."""
        plan = Plan.objects.create(
            agency=agency, kind=PlanKind.REFORM, year=YEAR, title=PLAN_TITLE, created_by=coordinator
        )
        Target.objects.create(
            plan=plan,
            agency=agency,
            statement=f"100% nhiệm vụ cải cách hành chính năm {YEAR} hoàn thành đúng hạn",
            metric_kind=MetricKind.PERCENT,
            value=Decimal(100),
            unit_of_measure="%",
        )
        actions.transition(plan, "submit", coordinator)
        return actions.transition(plan, "issue", leader, issued_on=date(2026, 11, 25))

    # Browser helpers

    def sign_out(self, page: Page) -> None:
        page.click("form[action$='/accounts/logout/'] button[type=submit]")
        page.wait_for_load_state()

    def sign_in_overseer(self, page: Page) -> None:
        # A one-time code is accepted once: the next sign-in waits for the next one.
        self.clock.shift(timedelta(seconds=60))
        self.sign_in(page, "sonoivu")
        page.fill("main form input[name=code]", f"{totp(bytes.fromhex(DEMO_TOTP_HEX)):06d}")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        self.assertEqual(page.url, f"{self.live_server_url}/")

    def click(self, page: Page, action: str) -> None:
        """Press the button of the form posting to an address ending in `action`."""
        page.click(f"form[action$='{action}'] button[type=submit]")
        page.wait_for_load_state()

    def submit(self, page: Page, form: str) -> None:
        page.click(f"main {form} button[type=submit]")
        page.wait_for_load_state()

    def shot(self, page: Page, name: str) -> None:
        page.screenshot(path=ARTIFACTS / f"par-{name}.png", full_page=True)

    def messages(self, page: Page) -> str:
        return page.inner_text("main .messages") if page.is_visible("main .messages") else ""

    # The year

    def test_it_runs_a_year_for_two_agencies(self) -> None:
        base = self.live_server_url
        with self.browser(viewport={"width": 1280, "height": 900}) as page:
            self.sign_in_overseer(page)
            criteria_set = self.import_and_publish(page)
            self.sign_out(page)

            sngv = self.self_assess(
                page,
                criteria_set,
                "sngv-binhphuoc",
                "vanphong",
                "giamdoc",
                {"1.1": "4", "1.2": "5.5", "2.1": "9", "3.1": "5.5", "4.1": "1"},
            )
            stp = self.self_assess(
                page,
                criteria_set,
                "stp-binhphuoc",
                "tuphap",
                "giamdoctp",
                {"1.1": "2", "1.2": "6", "2.1": "8", "3.1": "4"},
            )

            # Sở Nội vụ finds both submissions and starts round 1.
            self.sign_in_overseer(page)
            page.goto(f"{base}/par/appraisals/?year={YEAR}")
            listed = page.inner_text("main table")
            self.assertIn("Sở Ngoại vụ", listed)
            self.assertIn("Sở Tư pháp", listed)
            self.shot(page, "05-appraisals")
            self.round1(
                page,
                sngv,
                {"1.1": ("4", ""), "1.2": ("4.5", "Thiếu báo cáo quý III gửi Sở Nội vụ."), "2.1": ("9", ""),
                 "3.1": ("5.5", "")},
            )  # fmt: skip
            self.shot(page, "06-round1")
            page.fill("#id_due", "08/12/2026")
            self.click(page, f"/par/assessments/{sngv.pk}/advance/")
            sngv.refresh_from_db()
            self.assertEqual((sngv.status, sngv.explanation_due), (AssessmentStatus.EXPLAINING, date(2026, 12, 8)))
            self.round1(page, stp, {"1.1": ("2", ""), "1.2": ("6", ""), "2.1": ("8", ""), "3.1": ("4", "")})
            # Nothing disputed: round 2 starts directly.
            self.assertIn("/advance/", page.inner_html("main .plan-workflow"))
            self.click(page, f"/par/assessments/{stp.pk}/advance/")
            stp.refresh_from_db()
            self.assertEqual(stp.status, AssessmentStatus.ROUND2)

            # Survey points of both agencies.
            for assessment, points in ((sngv, "3"), (stp, "3.5")):
                score = self.score(assessment, "3.2")
                page.goto(f"{base}/par/assessments/{assessment.pk}/survey/")
                page.fill(f"#r{score.pk}-points", points)
                page.fill("input[name=source]", f"Điều tra xã hội học năm {YEAR} của Sở Nội vụ")
                self.submit(page, "form[novalidate]")
                score.refresh_from_db()
                self.assertEqual(score.survey_score, Decimal(points))
                self.assertEqual(score.survey_by, self.people["sonoivu"])
            self.shot(page, "07-survey")

            # Sở Ngoại vụ answers the disputed item.
            self.sign_out(page)
            self.sign_in(page, "vanphong")
            page.goto(f"{base}/par/assessments/{sngv.pk}/answers/")
            disputed = self.score(sngv, "1.2")
            self.assertIn("Thiếu báo cáo quý III", page.inner_text("main table"))
            page.fill(
                f"#r{disputed.pk}-answer", "Báo cáo quý III gửi ngày 16/09 qua hệ thống; đính kèm văn bản tại tr. 2."
            )
            self.submit(page, "form[novalidate]")
            disputed.refresh_from_db()
            self.assertTrue(disputed.answer.startswith("Báo cáo quý III gửi ngày 16/09"))
            self.assertEqual(disputed.answer_by, self.people["vanphong"])
            self.shot(page, "08-answers")
            self.sign_out(page)

            # Round 2 and the council.
            self.sign_in_overseer(page)
            page.goto(f"{base}/par/assessments/{sngv.pk}/appraise/")
            self.click(page, f"/par/assessments/{sngv.pk}/advance/")
            sngv.refresh_from_db()
            self.assertEqual(sngv.status, AssessmentStatus.ROUND2)
            page.fill(f"#r{disputed.pk}-value", "5")
            page.fill(f"#r{disputed.pk}-comment", "Đã xác minh báo cáo quý III; còn thiếu báo cáo 6 tháng.")
            online = self.score(sngv, "3.1")
            page.fill(f"#r{online.pk}-final", "5")
            page.fill(f"#r{online.pk}-final_comment", "Hội đồng: 02 dịch vụ chưa phát sinh hồ sơ trực tuyến.")
            self.submit(page, "form[novalidate]")
            self.assertNotIn("has-error", page.inner_html("main table"))
            self.shot(page, "09-round2")
            for assessment in (sngv, stp):
                page.goto(f"{base}/par/assessments/{assessment.pk}/appraise/")
                self.click(page, f"/par/assessments/{assessment.pk}/advance/")
                assessment.refresh_from_db()
                self.assertEqual(assessment.status, AssessmentStatus.FINAL)

            # The ranking of the year: Sở Ngoại vụ first (A), Sở Tư pháp second (C).
            page.goto(f"{base}/par/ranking/?year={YEAR}")
            self.assertEqual(page.input_value("select[name=kind]"), "department")
            rows = self.table(page)
            self.assertEqual([row[:4] for row in rows], [
                ["1", "Sở Ngoại vụ tỉnh Bình Phước", vn("90.00"), "A"],
                ["2", "Sở Tư pháp tỉnh Bình Phước", vn("78.33"), "C"],
            ])  # fmt: skip
            self.shot(page, "10-ranking")

            # Sở Ngoại vụ's results by area at each stage, as worked out in the docstring.
            page.goto(f"{base}/par/assessments/{sngv.pk}/results/")
            self.assertEqual(
                self.table(page),
                [
                    ["1. Công tác chỉ đạo, điều hành cải cách hành chính",
                     "95,00 9,50/10,00", "90,00 9,00/10,00", "90,00 9,00/10,00"],
                    ["2. Cải cách thủ tục hành chính", "90,00 9,00/10,00", "90,00 9,00/10,00", "90,00 9,00/10,00"],
                    ["3. Hiện đại hóa hành chính", "85,00 8,50/10,00", "85,00 8,50/10,00", "80,00 8,00/10,00"],
                    [said("Points (bonus, penalty)"),
                     "28,00 (+1,00, −0,00)", "27,50 (+1,00, −0,00)", "27,00 (+1,00, −0,00)"],
                    [said("Applicable maximum"), "30,00", "30,00", "30,00"],
                    [said("PAR Index"), "93,33", "91,67", "90,00"],
                    [said("Rank and group"), "1 · A", "1 · A", "1 · A"],
                ],
            )  # fmt: skip
            self.shot(page, "11-results")

            # Sở Ngoại vụ drafts next year's plan from the points it lost.
            self.sign_out(page)
            self.sign_in(page, "vanphong")
            page.goto(f"{base}/par/assessments/{sngv.pk}/improvement/")
            preview = page.inner_text("main")
            self.assertIn(vn("4.00"), preview)  # points lost: 1.2, 2.1, 3.1 and 3.2 one each
            self.shot(page, "12-improvement")
            self.submit(page, "form.actions")
            plan = Plan.objects.get(agency=sngv.agency, kind=PlanKind.INDEX, year=YEAR + 1)
            self.assertEqual(page.url, f"{base}/plans/{plan.pk}/")
            self.assertEqual(plan.status, PlanStatus.DRAFT)
            shown = page.inner_text("main")
            for code in ("1.2", "2.1", "3.1", "3.2"):
                self.assertIn(f"Khắc phục hạn chế ở tiêu chí {code}:", shown)
            self.assertNotIn("tiêu chí 1.1:", shown)
            self.shot(page, "13-plan")
            links = ImprovementLink.objects.filter(task__plan=plan).select_related("criterion")
            self.assertEqual(
                sorted((link.criterion.code, link.points_at_stake) for link in links if link.criterion),
                [("1.2", Decimal(1)), ("2.1", Decimal(1)), ("3.1", Decimal(1)), ("3.2", Decimal(1))],
            )

        self.check_database(sngv, stp)

    def table(self, page: Page, selector: str = "main table") -> list[list[str]]:
        """The body rows of the first table matching, cell by cell, spaces collapsed."""
        rows = page.locator(selector).first.locator("tbody tr")
        return [[" ".join(cell.split()) for cell in row.locator("th, td").all_inner_texts()] for row in rows.all()]

    def score(self, assessment: Assessment, code: str) -> Score:
        return Score.objects.select_related("criterion").get(assessment=assessment, criterion__code=code)

    # 1. The set

    def import_and_publish(self, page: Page) -> CriteriaSet:
        base = self.live_server_url
        page.goto(f"{base}/par/sets/import/")
        with page.expect_download() as download:
            page.click("a[href='/par/sets/template.xlsx']")
        self.assertEqual(download.value.suggested_filename, "Mau-bo-tieu-chi-CCHC.xlsx")
        with download.value.path().open("rb") as template:
            workbook = openpyxl.load_workbook(template)
        sheet = workbook["Tiêu chí"]
        headers = [cell.value for cell in sheet[1]]
        sheet.delete_rows(2, sheet.max_row)
        for row in CRITERIA:
            sheet.append([row.get(header) for header in headers])
        info = workbook["Thông tin"]
        for label_cell, value_cell in info.iter_rows(min_col=1, max_col=2):
            if label_cell.value in SET_FIELDS:
                value_cell.value = SET_FIELDS[str(label_cell.value)]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"Bo-tieu-chi-{YEAR}.xlsx"
            workbook.save(path)
            page.set_input_files("input[name=file]", str(path))
            self.submit(page, "form.form-card")
        criteria_set = CriteriaSet.objects.get(name=SET_NAME)
        self.assertEqual(page.url, f"{base}/par/sets/{criteria_set.pk}/")
        self.assertIn(
            said("The set was imported as a draft with %(count)s criteria: check it, then publish it.", count=11),
            self.messages(page),
        )
        self.assertEqual(
            (criteria_set.year, criteria_set.status, criteria_set.province, criteria_set.created_by),
            (YEAR, SetStatus.DRAFT, self.agencies["sngv-binhphuoc"].province, self.people["sonoivu"]),
        )
        # The set's totals as its page counts them: 30 points, 26 self-assessed, 4 by survey, bonus at most 2.
        totals = page.inner_text("main .target-counts")
        for figure in ("30.00", "26.00", "4.00", "2.00"):
            self.assertIn(vn(figure), totals)
        self.assertFalse(page.is_visible("main .alert-warning"))  # the set adds up
        self.click(page, f"/par/sets/{criteria_set.pk}/publish/")
        self.assertIn(
            said("The set is now in use; any earlier version in use is marked replaced."), self.messages(page)
        )
        self.assertIn(said("In use"), page.inner_text("main .facts"))
        self.shot(page, "01-set")
        criteria_set.refresh_from_db()
        self.assertEqual((criteria_set.status, criteria_set.published_by), (SetStatus.IN_USE, self.people["sonoivu"]))
        return criteria_set

    # 2. The self-assessment

    def self_assess(
        self,
        page: Page,
        criteria_set: CriteriaSet,
        code: str,
        coordinator: str,
        leader: str,
        values: dict[str, str],
    ) -> Assessment:
        base = self.live_server_url
        agency = self.agencies[code]
        self.sign_in(page, coordinator)
        page.goto(f"{base}/par/assessments/open/")
        page.select_option("select[name=agency]", str(agency.pk))
        page.fill("input[name=year]", str(YEAR))
        page.select_option("select[name=criteria_set]", str(criteria_set.pk))
        page.fill("input[name=self_due]", "15/12/2026")
        self.submit(page, "form.form-card")
        assessment = Assessment.objects.get(agency=agency, year=YEAR)
        self.assertEqual(page.url, f"{base}/par/assessments/{assessment.pk}/")
        self.assertEqual(assessment.scores.count(), 7)  # every leaf; all apply (both handle procedures)
        self.assertFalse(assessment.scores.filter(applicable=False).exists())

        # A score off the step is refused on screen and nothing is saved.
        report = self.score(assessment, "1.2")
        page.click(f"a[href='/par/scores/{report.pk}/']")
        page.wait_for_load_state()
        page.fill("input[name=self_score]", "5.3")
        self.submit(page, "form.form-card")
        self.assertIn(said("The score must be a multiple of %(step)s.", step="0.5"), page.inner_text("main p.error"))
        report.refresh_from_db()
        self.assertIsNone(report.self_score)
        if code == "sngv-binhphuoc":
            self.shot(page, "02-score-refused")

        # Every self-assessed item scored; 1.2 backed by a PDF, 1.1 by the plan suggested, the rest explained.
        for item, value in values.items():
            score = self.score(assessment, item)
            page.goto(f"{base}/par/scores/{score.pk}/")
            if score.criterion.options:
                page.select_option("select[name=self_score]", f"{Decimal(value):.2f}")
            else:
                page.fill("input[name=self_score]", value)
            if item in ("2.1", "3.1", "4.1"):
                page.fill("textarea[name=explanation]", f"Đơn vị tự chấm {value} điểm; tài liệu lưu tại Văn phòng.")
            self.submit(page, "form.form-card")
            self.assertIn(said("The score of %(code)s was saved.", code=item), self.messages(page))
            score.refresh_from_db()
            self.assertEqual(score.self_score, Decimal(value))
            self.assertEqual(score.self_by, self.people[coordinator])
        page.goto(f"{base}/par/scores/{report.pk}/")
        upload: FilePayload = {"name": "Bao-cao-CCHC-quy-III.pdf", "mimeType": "application/pdf", "buffer": PDF}
        page.set_input_files("#evidence-file", files=upload)
        page.fill("#evidence-locator", "tr. 2")
        self.submit(page, "form.attachment-upload")
        self.assertIn(said("The evidence was added."), self.messages(page))
        self.assertIn("tr. 2", page.inner_text("main"))
        if code == "sngv-binhphuoc":
            self.shot(page, "03-evidence")
        uploaded = Evidence.objects.get(score=report)
        self.assertEqual(uploaded.locator, "tr. 2")
        stored = uploaded.attachment
        assert stored is not None
        self.assertEqual(
            (stored.owner_type, stored.owner_id, stored.original_name, stored.mime_type, stored.size),
            (
                ContentType.objects.get_for_model(Score),
                report.pk,
                "Bao-cao-CCHC-quy-III.pdf",
                "application/pdf",
                len(PDF),
            ),
        )
        self.assertEqual(stored.uploaded_by, self.people[coordinator])

        plan_item = self.score(assessment, "1.1")
        page.goto(f"{base}/par/scores/{plan_item.pk}/")
        suggestion = page.locator("section[aria-labelledby=suggestions-title] tbody tr", has_text=PLAN_TITLE)
        self.assertEqual(suggestion.count(), 1)
        suggestion.locator("input[name=locator]").fill("mục II.1")
        suggestion.locator("button[type=submit]").click()
        page.wait_for_load_state()
        linked = Evidence.objects.get(score=plan_item)
        plan = Plan.objects.get(agency=agency, kind=PlanKind.REFORM, year=YEAR)
        self.assertEqual((linked.plan, linked.locator, linked.added_by), (plan, "mục II.1", self.people[coordinator]))

        page.goto(f"{base}/par/assessments/{assessment.pk}/")
        self.assertFalse(page.is_visible("main .alert-warning"))  # nothing stands in the way
        self.sign_out(page)

        # The leader approves and submits: the report takes the next number; its Word file downloads.
        self.sign_in(page, leader)
        page.goto(f"{base}/par/assessments/{assessment.pk}/")
        self.click(page, f"/par/assessments/{assessment.pk}/submit/")
        assessment.refresh_from_db()
        self.assertEqual(assessment.status, AssessmentStatus.SUBMITTED)
        self.assertEqual(assessment.submitted_by, self.people[leader])
        assert assessment.report is not None
        self.assertTrue(assessment.report.number_symbol.endswith(f"/BC-{agency.abbreviation}"))
        self.assertIn(assessment.report.number_symbol, page.inner_text("main"))
        answer = page.request.get(f"{base}/par/assessments/{assessment.pk}/report.docx")
        self.assertEqual(answer.status, 200)
        self.assertEqual(answer.headers["content-type"], DOCX_TYPE)
        if code == "sngv-binhphuoc":
            self.shot(page, "04-submitted")
        self.sign_out(page)
        return assessment

    # 3. Round 1

    def round1(self, page: Page, assessment: Assessment, values: dict[str, tuple[str, str]]) -> None:
        page.goto(f"{self.live_server_url}/par/assessments/{assessment.pk}/appraise/")
        self.click(page, f"/par/assessments/{assessment.pk}/advance/")
        assessment.refresh_from_db()
        self.assertEqual(assessment.status, AssessmentStatus.ROUND1)
        for code, (value, comment) in values.items():
            score = self.score(assessment, code)
            page.fill(f"#r{score.pk}-value", value)
            page.fill(f"#r{score.pk}-comment", comment)
        self.submit(page, "form[novalidate]")
        self.assertIn(said("%(count)s rows saved.", count=len(values)), self.messages(page))

    # The end: everything kept

    def check_database(self, sngv: Assessment, stp: Assessment) -> None:
        sonoivu = self.people["sonoivu"]
        self.assertEqual(
            list(sngv.events.values_list("status", "actor__username")),
            [
                (AssessmentStatus.SELF, "vanphong"),
                (AssessmentStatus.SUBMITTED, "giamdoc"),
                (AssessmentStatus.ROUND1, "sonoivu"),
                (AssessmentStatus.EXPLAINING, "sonoivu"),
                (AssessmentStatus.ROUND2, "sonoivu"),
                (AssessmentStatus.FINAL, "sonoivu"),
            ],
        )
        self.assertEqual(sngv.events.get(status=AssessmentStatus.FINAL).note, "90.00")
        self.assertEqual(
            list(stp.events.values_list("status", "actor__username")),
            [
                (AssessmentStatus.SELF, "tuphap"),
                (AssessmentStatus.SUBMITTED, "giamdoctp"),
                (AssessmentStatus.ROUND1, "sonoivu"),
                (AssessmentStatus.ROUND2, "sonoivu"),
                (AssessmentStatus.FINAL, "sonoivu"),
            ],
        )
        self.assertEqual(stp.events.get(status=AssessmentStatus.FINAL).note, "78.33")
        for assessment in (sngv, stp):
            assessment.refresh_from_db()
            self.assertEqual((assessment.status, assessment.finalised_by), (AssessmentStatus.FINAL, sonoivu))
        # Every stage of the disputed item is kept, with who.
        disputed = self.score(sngv, "1.2")
        self.assertEqual(
            (disputed.self_score, disputed.round1_score, disputed.round2_score, disputed.final_score),
            (Decimal("5.5"), Decimal("4.5"), Decimal(5), None),
        )
        self.assertEqual(disputed.round1_comment, "Thiếu báo cáo quý III gửi Sở Nội vụ.")
        self.assertEqual(
            (disputed.self_by, disputed.round1_by, disputed.round2_by), (self.people["vanphong"], sonoivu, sonoivu)
        )
        self.assertIsNotNone(disputed.answer_at)
        online = self.score(sngv, "3.1")
        self.assertEqual(
            (online.self_score, online.round1_score, online.round2_score, online.final_score),
            (Decimal("5.5"), Decimal("5.5"), None, Decimal(5)),
        )
        self.assertEqual(online.final_comment, "Hội đồng: 02 dịch vụ chưa phát sinh hồ sơ trực tuyến.")
        bonus = self.score(sngv, "4.1")
        self.assertEqual((bonus.self_score, bonus.round1_score), (Decimal(1), None))
        survey = self.score(stp, "3.2")
        self.assertEqual((survey.survey_score, survey.survey_by, survey.self_score), (Decimal("3.5"), sonoivu, None))
        self.assertEqual(survey.survey_source, f"Điều tra xã hội học năm {YEAR} của Sở Nội vụ")
