from __future__ import annotations

from datetime import date

import time_machine
from django.urls import reverse

from notifications.models import Kind, Notification
from plans.models import TaskUpdate
from reports import actions
from reports.models import ReportStatus, UnitReport, UnitReportVersion
from reports.tests.base import ReportsTestCase, at


@time_machine.travel(date(2026, 3, 12), tick=False)
class UnitReportPageTestCase(ReportsTestCase):
    def setUp(self) -> None:
        super().setUp()
        TaskUpdate.objects.filter(pk=self.update.pk).update(
            created=at(2026, 2, 1), links="https://dichvucong.gov.vn/qd-12\nSố 12/QĐ-SNgV"
        )

    def url(self) -> str:
        return reverse("reports:unit_report", args=[self.unit_report.pk])

    def report(self) -> UnitReport:
        return UnitReport.objects.get(pk=self.unit_report.pk)

    def test_it_shows_the_live_data_and_the_narrative_form(self) -> None:
        self.login(self.staff)
        response = self.client.get(self.url())
        self.assertContains(response, "Rà soát, công bố thủ tục hành chính")
        self.assertContains(response, "Đã rà soát 10 thủ tục")
        self.assertContains(
            response,
            '<a href="https://dichvucong.gov.vn/qd-12" rel="noopener noreferrer nofollow" target="_blank">https://dichvucong.gov.vn/qd-12</a>',
            html=True,
        )
        self.assertContains(response, "<li>Số 12/QĐ-SNgV</li>", html=True)
        self.assertContains(response, "Tối thiểu 50% hồ sơ được tiếp nhận trực tuyến")
        self.assertContains(response, "live until the report is submitted")
        self.assertContains(response, 'name="results"')
        self.assertNotContains(response, reverse("reports:unit_report_submit", args=[self.unit_report.pk]))

    def test_it_suggests_results_on_a_report_not_started(self) -> None:
        UnitReport.objects.filter(pk=self.unit_report.pk).update(status=ReportStatus.NOT_STARTED, results="")
        self.login(self.unit_head)
        response = self.client.get(self.url())
        self.assertContains(response, "- Rà soát, công bố thủ tục hành chính: Đã rà soát 10 thủ tục (40%)")
        self.assertContains(response, reverse("reports:unit_report_submit", args=[self.unit_report.pk]))
        self.assertEqual(self.report().status, ReportStatus.NOT_STARTED)  # looking changes nothing

    def test_it_saves_a_draft(self) -> None:
        UnitReport.objects.filter(pk=self.unit_report.pk).update(status=ReportStatus.NOT_STARTED)
        self.login(self.staff)
        data = {"results": "Kết quả mới", "limitations": "Hạn chế", "proposals": "", "next_tasks": "Quý II"}
        response = self.client.post(self.url(), data)
        self.assertRedirects(response, self.url())
        report = self.report()
        self.assertEqual(
            (report.status, report.results, report.next_tasks), (ReportStatus.DRAFT, "Kết quả mới", "Quý II")
        )

    def test_it_refuses_nul_characters(self) -> None:
        self.login(self.staff)
        response = self.client.post(self.url(), {"results": "x\x00y"})
        self.assertContains(response, "Null characters are not allowed.")
        self.assertEqual(self.report().results, "Đã hoàn thành 02 nhiệm vụ.")

    def test_it_refuses_the_narrative_to_people_outside_the_unit(self) -> None:
        for person in (self.coordinator, self.leader, self.overseer):
            self.login(person)
            self.assertEqual(self.client.post(self.url(), {"results": "Sửa"}).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.post(self.url(), {"results": "Sửa"}).status_code, 404)
        self.assertEqual(self.report().results, "Đã hoàn thành 02 nhiệm vụ.")

    def test_it_submits_and_then_shows_the_frozen_data(self) -> None:
        self.login(self.unit_head)
        response = self.client.post(reverse("reports:unit_report_submit", args=[self.unit_report.pk]), follow=True)
        self.assertContains(response, "The report was submitted to the Office.")
        report = self.report()
        self.assertEqual((report.status, report.version), (ReportStatus.SUBMITTED, 1))
        TaskUpdate.objects.filter(pk=self.update.pk).update(text="Sửa sau khi nộp")
        response = self.client.get(self.url())
        self.assertContains(response, "What the system knew when the report was submitted")
        self.assertContains(response, "Đã rà soát 10 thủ tục")
        self.assertNotContains(response, 'name="results"')
        self.assertContains(response, "<summary>The report as submitted</summary>", html=True)

    def test_it_refuses_a_draft_of_a_submitted_report_with_a_message(self) -> None:
        actions.submit(self.report(), self.unit_head)
        self.login(self.staff)
        response = self.client.post(self.url(), {"results": "Sửa"}, follow=True)
        self.assertContains(response, "A submitted report can be edited only after the Office returns it.")
        self.assertEqual(self.report().results, "Đã hoàn thành 02 nhiệm vụ.")

    def test_it_says_why_a_submission_is_refused(self) -> None:
        UnitReport.objects.filter(pk=self.unit_report.pk).update(results="")
        self.login(self.unit_head)
        response = self.client.post(reverse("reports:unit_report_submit", args=[self.unit_report.pk]), follow=True)
        self.assertContains(response, "Write the results achieved before submitting the report.")
        self.assertEqual(self.report().status, ReportStatus.DRAFT)

    def test_it_refuses_a_submission_to_the_staff(self) -> None:
        self.login(self.staff)
        response = self.client.post(reverse("reports:unit_report_submit", args=[self.unit_report.pk]))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.report().status, ReportStatus.DRAFT)

    def test_it_lets_the_office_return_with_comments(self) -> None:
        actions.submit(self.report(), self.unit_head)
        self.login(self.coordinator)
        page = self.client.get(self.url())
        self.assertContains(page, "Return with comments")
        url = reverse("reports:unit_report_return", args=[self.unit_report.pk])
        response = self.client.post(url, {"comment": ""}, follow=True)
        self.assertContains(response, "Write what the unit should change before returning the report.")
        self.assertEqual(self.report().status, ReportStatus.SUBMITTED)
        response = self.client.post(url, {"comment": "Bổ sung số liệu quý I"}, follow=True)
        self.assertContains(response, "The report was returned to the unit with your comments.")
        self.assertEqual(self.report().status, ReportStatus.RETURNED)
        self.assertEqual(Notification.objects.filter(kind=Kind.REPORT_REVIEWED, recipient=self.unit_head).count(), 1)
        self.login(self.unit_head)
        self.assertContains(self.client.get(self.url()), "Bổ sung số liệu quý I")

    def test_it_lets_the_office_accept_once(self) -> None:
        actions.submit(self.report(), self.unit_head)
        self.login(self.coordinator)
        url = reverse("reports:unit_report_accept", args=[self.unit_report.pk])
        self.assertContains(self.client.post(url, follow=True), "The report was accepted.")
        response = self.client.post(url, follow=True)
        self.assertContains(response, "Only a submitted report can be returned or accepted.")
        self.assertEqual(self.report().status, ReportStatus.ACCEPTED)
        self.assertEqual(UnitReportVersion.objects.filter(report=self.unit_report).count(), 2)

    def test_it_refuses_the_review_to_the_unit(self) -> None:
        actions.submit(self.report(), self.unit_head)
        self.login(self.unit_head)
        self.assertEqual(
            self.client.post(reverse("reports:unit_report_accept", args=[self.unit_report.pk])).status_code, 403
        )
        self.assertEqual(self.report().status, ReportStatus.SUBMITTED)

    def test_it_marks_a_late_submission(self) -> None:
        with time_machine.travel(date(2026, 3, 25), tick=False):
            self.login(self.unit_head)
            response = self.client.post(reverse("reports:unit_report_submit", args=[self.unit_report.pk]), follow=True)
        self.assertContains(response, "The report was submitted to the Office after the due date.")
        self.assertTrue(self.report().submitted_late())
