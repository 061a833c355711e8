"""The consolidated report's way: submit, approve (numbered), send back, send, return, receive, send again."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from documents.models import OutgoingDocument
from notifications.models import Kind, Notification
from reports.models import AgencyReport, AgencyReportEvent, AgencyReportStatus
from reports.tests.base import ReportsTestCase

ON_TIME = "2026-03-18 10:00 +07:00"
LATE = "2026-03-25 10:00 +07:00"


class AgencyReportWorkflowTests(ReportsTestCase):
    def setUp(self) -> None:
        super().setUp()
        AgencyReport.objects.filter(pk=self.agency_report.pk).update(
            status=AgencyReportStatus.DRAFT, first_sent_at=None, sent_at=None, approved_at=None, approved_by=None
        )
        self.agency_report.refresh_from_db()
        self.url = reverse("reports:agency_report", args=[self.agency_report.pk])

    def step(self, name: str, persona: object, **data: str) -> AgencyReport:
        self.login(persona)  # type: ignore[arg-type]
        response = self.client.post(reverse(f"reports:agency_report_{name}", args=[self.agency_report.pk]), data)
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.agency_report.refresh_from_db()
        return self.agency_report

    def messages(self) -> list[str]:
        return [str(m) for m in self.client.get(self.url).context["messages"]]

    def notified(self, action: str) -> set[str]:
        return set(
            Notification.objects.filter(kind=Kind.AGENCY_REPORT, key__contains=f":{action}:").values_list(
                "recipient__username", flat=True
            )
        )

    @time_machine.travel(ON_TIME)
    def test_it_goes_from_draft_to_received(self) -> None:
        report = self.step("submit", self.coordinator)
        self.assertEqual(report.status, AgencyReportStatus.PENDING_APPROVAL)
        self.assertEqual(self.notified("pending_approval"), {"leader"})

        report = self.step("approve", self.leader)
        self.assertEqual(report.status, AgencyReportStatus.APPROVED)
        self.assertEqual(report.approved_by, self.leader)
        assert report.outgoing is not None
        self.assertEqual(report.outgoing.number_symbol, "01/BC-SNgV")
        self.assertEqual(report.outgoing.register_year, 2026)
        self.assertEqual(report.outgoing.subject, report.title)
        self.assertEqual(self.notified("approved"), {"coordinator"})

        report = self.step("send", self.coordinator)
        self.assertEqual(report.status, AgencyReportStatus.SENT)
        self.assertIsNotNone(report.first_sent_at)
        self.assertFalse(report.sent_late())
        self.assertEqual(self.notified("sent"), {"overseer"})

        report = self.step("receive", self.overseer)
        self.assertEqual(report.status, AgencyReportStatus.RECEIVED)
        self.assertEqual(report.reviewed_by, self.overseer)
        self.assertEqual(self.notified("received"), {"coordinator"})
        self.assertEqual(
            list(report.events.order_by("at", "pk").values_list("action", flat=True)),
            ["pending_approval", "approved", "sent", "received"],
        )
        self.assertEqual(report.events.get(action="sent").content["results"], report.results)

    @time_machine.travel(ON_TIME)
    def test_a_leader_sends_it_back_with_a_comment(self) -> None:
        self.step("submit", self.coordinator)
        report = self.step("send_back", self.leader, comment="")
        self.assertEqual(report.status, AgencyReportStatus.PENDING_APPROVAL)
        self.assertIn("Say what must change before the report can be approved.", self.messages())
        report = self.step("send_back", self.leader, comment="Bổ sung số liệu chỉ tiêu.")
        self.assertEqual(report.status, AgencyReportStatus.DRAFT)
        self.assertEqual(report.events.get(action="draft").comment, "Bổ sung số liệu chỉ tiêu.")
        self.assertEqual(self.notified("draft"), {"coordinator"})
        self.assertIsNone(report.outgoing)

    def test_a_returned_report_is_sent_again_as_a_replacement_with_a_new_number(self) -> None:
        with time_machine.travel(LATE):
            self.step("submit", self.coordinator)
            self.step("approve", self.leader)
            report = self.step("send", self.coordinator)
            first_sent = report.first_sent_at
            self.assertTrue(report.sent_late())
            self.assertTrue(report.events.get(action="sent").content["late"])
            report = self.step("return", self.overseer, comment="")
            self.assertEqual(report.status, AgencyReportStatus.SENT)
            report = self.step("return", self.overseer, comment="Bổ sung phụ lục chỉ tiêu.")
            self.assertEqual(report.status, AgencyReportStatus.RETURNED)
            self.assertEqual(report.review_comment, "Bổ sung phụ lục chỉ tiêu.")
            self.assertEqual(self.notified("returned"), {"coordinator"})
        with time_machine.travel("2026-03-27 10:00 +07:00"):
            self.login(self.coordinator)
            data = {
                "title": report.title,
                "overview": "Đã chỉ đạo.",
                "results": "1. Cải cách thể chế\nĐã bổ sung.",
                "limitations": "",
                "next_tasks": "",
                "proposals": "",
                "recipients": "UBND tỉnh (b/c)\n\nLưu: VT, VP.",
                "signer_position": "Giám đốc",
                "signer_full_name": "Nguyễn Thị Hà",
            }
            self.assertRedirects(self.client.post(self.url, data), self.url, fetch_redirect_response=False)
            report.refresh_from_db()
            self.assertEqual(report.recipients, "UBND tỉnh (b/c)\nLưu: VT, VP.")
            self.step("submit", self.coordinator)
            report = self.step("approve", self.leader)
            assert report.outgoing is not None
            self.assertEqual(report.outgoing.number_symbol, "02/BC-SNgV")
            self.assertEqual(report.outgoing.note, "Thay thế Báo cáo số 01/BC-SNgV")
            approved = report.events.filter(action="approved").order_by("-at", "-pk").first()
            assert approved is not None
            self.assertEqual(approved.content["replaces"], "01/BC-SNgV")
            report = self.step("send", self.coordinator)
            self.assertEqual(report.first_sent_at, first_sent)
            self.assertEqual(report.status, AgencyReportStatus.SENT)
            self.assertEqual(OutgoingDocument.objects.filter(type_code="BC").count(), 2)
            page = self.client.get(self.url)
            self.assertContains(page, "A replacement report: it replaces report no. 01/BC-SNgV.")

    @time_machine.travel(ON_TIME)
    def test_steps_that_do_not_apply_redirect_with_a_message(self) -> None:
        report = self.step("approve", self.leader)
        self.assertEqual(report.status, AgencyReportStatus.DRAFT)
        self.assertIn("This step is not possible while the report is “Draft”.", self.messages())
        report = self.step("send", self.coordinator)
        self.assertEqual(report.status, AgencyReportStatus.DRAFT)
        report = self.step("receive", self.admin)
        self.assertEqual(report.status, AgencyReportStatus.DRAFT)
        self.assertIsNone(report.outgoing)
        self.assertFalse(AgencyReportEvent.objects.exists())
        self.assertFalse(Notification.objects.filter(kind=Kind.AGENCY_REPORT).exists())

    @time_machine.travel(ON_TIME)
    def test_a_report_without_results_cannot_be_submitted(self) -> None:
        AgencyReport.objects.filter(pk=self.agency_report.pk).update(results="  ")
        report = self.step("submit", self.coordinator)
        self.assertEqual(report.status, AgencyReportStatus.DRAFT)
        self.assertIn("Write the summary and the results by reform area before submitting the report.", self.messages())

    @time_machine.travel(ON_TIME)
    def test_each_step_is_refused_to_the_wrong_role(self) -> None:
        cases = [
            ("submit", self.leader),
            ("approve", self.coordinator),
            ("send_back", self.staff),
            ("send", self.unit_head),
            ("return", self.coordinator),
            ("receive", self.leader),
        ]
        for name, persona in cases:
            with self.subTest(step=name):
                self.login(persona)
                response = self.client.post(reverse(f"reports:agency_report_{name}", args=[self.agency_report.pk]))
                self.assertEqual(response.status_code, 403)
        self.agency_report.refresh_from_db()
        self.assertEqual(self.agency_report.status, AgencyReportStatus.DRAFT)

    @time_machine.travel(ON_TIME)
    def test_steps_are_post_only(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(reverse("reports:agency_report_submit", args=[self.agency_report.pk]))
        self.assertEqual(response.status_code, 405)
