"""Drafting the consolidated report, its page, editing its text and refreshing its figures."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from reports import calendar
from reports.models import AgencyReport, AgencyReportEvent, AgencyReportStatus, Frequency, ReportingPeriod
from reports.tests.test_consolidate import AFTER_CUTOFF, ConsolidateData

TEXT = {
    "title": "Kết quả thực hiện công tác cải cách hành chính quý I năm 2026",
    "overview": "Sở đã ban hành kế hoạch.",
    "results": "1. Cải cách thể chế\nĐã rà soát 10 văn bản.",
    "limitations": "Không có.",
    "next_tasks": "Tiếp tục thực hiện.",
    "proposals": "",
    "recipients": "UBND tỉnh (b/c)\nLưu: VT, VP.",
    "signer_position": "Phó Giám đốc",
    "signer_full_name": "Lê Văn Phó",
}


class AgencyReportViewTests(ConsolidateData):
    def setUp(self) -> None:
        super().setUp()
        AgencyReport.objects.filter(pk=self.agency_report.pk).update(
            status=AgencyReportStatus.DRAFT, first_sent_at=None, sent_at=None
        )
        self.agency_report.refresh_from_db()
        self.url = reverse("reports:agency_report", args=[self.agency_report.pk])

    def q2(self) -> ReportingPeriod:
        schedule = self.agency.reporting_schedules.get(frequency=Frequency.QUARTERLY)
        return ReportingPeriod.objects.create(
            agency=self.agency, frequency=Frequency.QUARTERLY, year=2026, number=2, **calendar.dates(schedule, 2026, 2)
        )

    @time_machine.travel(AFTER_CUTOFF)
    def test_it_drafts_the_report_of_a_period_once(self) -> None:
        period = self.q2()
        self.login(self.coordinator)
        response = self.client.post(reverse("reports:agency_report_create", args=[period.pk]))
        report = AgencyReport.objects.get(period=period)
        self.assertRedirects(
            response, reverse("reports:agency_report", args=[report.pk]), fetch_redirect_response=False
        )
        self.assertEqual(report.title, "Kết quả thực hiện công tác cải cách hành chính quý II năm 2026")
        self.assertEqual(report.status, AgencyReportStatus.DRAFT)
        self.assertEqual(report.drafted_by, self.coordinator)
        self.assertEqual(list(report.events.values_list("action", flat=True)), ["draft"])
        again = self.client.post(reverse("reports:agency_report_create", args=[period.pk]))
        self.assertRedirects(again, reverse("reports:agency_report", args=[report.pk]), fetch_redirect_response=False)
        self.assertEqual(AgencyReport.objects.filter(period=period).count(), 1)
        self.assertEqual(AgencyReportEvent.objects.filter(report=report).count(), 1)

    def test_only_coordinators_draft_it(self) -> None:
        period = self.q2()
        self.login(self.leader)
        response = self.client.post(reverse("reports:agency_report_create", args=[period.pk]))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(AgencyReport.objects.filter(period=period).exists())

    @time_machine.travel(AFTER_CUTOFF)
    def test_the_page_shows_the_text_the_figures_and_the_steps(self) -> None:
        self.login(self.coordinator)
        self.client.post(reverse("reports:agency_report_refresh", args=[self.agency_report.pk]))
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Submit to the leader")
        self.assertContains(response, "Refresh the figures from the data")
        self.assertContains(response, "Tasks by reform area")
        self.assertContains(response, '<th scope="row">Cải cách thể chế</th>', html=False)
        self.assertContains(response, "Figures from 15/12/2025 to 14/03/2026.")
        self.assertContains(response, "Missing")
        self.assertContains(response, 'name="results"')

    @time_machine.travel(AFTER_CUTOFF)
    def test_the_leader_reads_it_without_a_form_and_sees_the_approval_when_submitted(self) -> None:
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertNotContains(response, 'name="results"')
        self.assertNotContains(response, "Approve and number")
        AgencyReport.objects.filter(pk=self.agency_report.pk).update(status=AgencyReportStatus.PENDING_APPROVAL)
        response = self.client.get(self.url)
        self.assertContains(response, "Approve and number")
        self.assertContains(response, "Send back to the Office")

    @time_machine.travel(AFTER_CUTOFF)
    def test_the_coordinator_saves_the_text(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url, TEXT)
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.agency_report.refresh_from_db()
        self.assertEqual(self.agency_report.results, "1. Cải cách thể chế\nĐã rà soát 10 văn bản.")
        self.assertEqual(self.agency_report.signer_full_name, "Lê Văn Phó")

    @time_machine.travel(AFTER_CUTOFF)
    def test_bad_text_is_refused_with_a_message(self) -> None:
        self.login(self.coordinator)
        before = self.agency_report.results
        response = self.client.post(self.url, {**TEXT, "title": "", "results": "x" * 50_001})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "This field is required.", status_code=400)
        self.assertContains(response, "Ensure this value has at most 50000 characters", status_code=400)
        response = self.client.post(self.url, {**TEXT, "results": "a\x00b"})
        self.assertEqual(response.status_code, 400)
        self.agency_report.refresh_from_db()
        self.assertEqual(self.agency_report.results, before)

    @time_machine.travel(AFTER_CUTOFF)
    def test_only_the_office_edits_and_only_while_editable(self) -> None:
        self.login(self.leader)
        self.assertEqual(self.client.post(self.url, TEXT).status_code, 403)
        AgencyReport.objects.filter(pk=self.agency_report.pk).update(status=AgencyReportStatus.APPROVED)
        self.login(self.coordinator)
        response = self.client.post(self.url, TEXT, follow=True)
        self.assertContains(response, "An approved report can be edited only after the province returns it.")
        self.agency_report.refresh_from_db()
        self.assertNotEqual(self.agency_report.signer_full_name, "Lê Văn Phó")

    @time_machine.travel(AFTER_CUTOFF)
    def test_refresh_keeps_the_edited_text_unless_asked(self) -> None:
        AgencyReport.objects.filter(pk=self.agency_report.pk).update(results="Sửa tay.", figures={})
        self.login(self.coordinator)
        url = reverse("reports:agency_report_refresh", args=[self.agency_report.pk])
        self.assertRedirects(self.client.post(url), self.url, fetch_redirect_response=False)
        self.agency_report.refresh_from_db()
        self.assertEqual(self.agency_report.results, "Sửa tay.")
        self.assertEqual(self.agency_report.figures["total"]["total"], 6)
        self.client.post(url, {"replace_text": "on"})
        self.agency_report.refresh_from_db()
        self.assertTrue(self.agency_report.results.startswith("1. Cải cách thể chế"))

    @time_machine.travel(AFTER_CUTOFF)
    def test_approved_figures_are_frozen(self) -> None:
        AgencyReport.objects.filter(pk=self.agency_report.pk).update(status=AgencyReportStatus.APPROVED, figures={})
        self.login(self.coordinator)
        response = self.client.post(reverse("reports:agency_report_refresh", args=[self.agency_report.pk]), follow=True)
        self.assertContains(response, "The figures of an approved report are frozen")
        self.agency_report.refresh_from_db()
        self.assertEqual(self.agency_report.figures, {})

    def test_another_agency_does_not_see_it(self) -> None:
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.post(self.url, TEXT).status_code, 404)
