from __future__ import annotations

from datetime import date

import time_machine

from notifications.models import Kind, Notification
from reports import actions
from reports.actions import ReportError
from reports.models import ReportStatus, UnitReport, UnitReportVersion, VersionAction
from reports.tests.base import ReportsTestCase, at


class UnitReportWorkflowTestCase(ReportsTestCase):
    def report(self) -> UnitReport:
        return UnitReport.objects.get(pk=self.unit_report.pk)

    def test_it_saves_a_draft_from_not_started(self) -> None:
        UnitReport.objects.filter(pk=self.unit_report.pk).update(status=ReportStatus.NOT_STARTED)
        actions.save_draft(self.report(), self.staff, {"results": "Kết quả", "proposals": "Đề xuất"})
        report = self.report()
        self.assertEqual(report.status, ReportStatus.DRAFT)
        self.assertEqual((report.results, report.proposals), ("Kết quả", "Đề xuất"))

    def test_it_submits_freezes_the_data_and_tells_the_coordinators_once(self) -> None:
        now = at(2026, 3, 15, 10)
        actions.submit(self.report(), self.unit_head, now=now)
        report = self.report()
        self.assertEqual(report.status, ReportStatus.SUBMITTED)
        self.assertEqual(report.version, 1)
        self.assertEqual(report.first_submitted_at, now)
        self.assertEqual(report.submitted_by, self.unit_head)
        self.assertFalse(report.submitted_late())
        assert report.snapshot is not None
        self.assertEqual([t["id"] for t in report.snapshot["tasks"]], [self.task.pk])
        version = UnitReportVersion.objects.get(report=report)
        self.assertEqual((version.number, version.action, version.by), (1, VersionAction.SUBMITTED, self.unit_head))
        self.assertEqual(version.content["results"], "Đã hoàn thành 02 nhiệm vụ.")
        self.assertEqual(version.content["data"]["tasks"][0]["id"], self.task.pk)
        notes = Notification.objects.filter(kind=Kind.REPORT_SUBMITTED)
        self.assertEqual([n.recipient for n in notes], [self.coordinator])
        self.assertEqual(notes[0].key, f"unit_report:{report.pk}:submitted:1")
        self.assertEqual(notes[0].url, f"/reports/unit-reports/{report.pk}/")

    def test_it_refuses_to_submit_without_results(self) -> None:
        UnitReport.objects.filter(pk=self.unit_report.pk).update(results="  ")
        with self.assertRaisesMessage(ReportError, "Write the results achieved"):
            actions.submit(self.report(), self.unit_head)
        report = self.report()
        self.assertEqual((report.status, report.version), (ReportStatus.DRAFT, 0))
        self.assertFalse(UnitReportVersion.objects.exists())
        self.assertFalse(Notification.objects.filter(kind=Kind.REPORT_SUBMITTED).exists())

    def test_it_allows_a_submission_after_the_period_closed_and_marks_it_late(self) -> None:
        with time_machine.travel(date(2026, 4, 2), tick=False):
            self.assertEqual(self.period.state(), "closed")
            actions.submit(self.report(), self.unit_head)
        report = self.report()
        self.assertEqual(report.status, ReportStatus.SUBMITTED)
        self.assertTrue(report.submitted_late())

    def test_it_refuses_edits_and_a_second_submission_until_returned(self) -> None:
        actions.submit(self.report(), self.unit_head, now=at(2026, 3, 15))
        with self.assertRaisesMessage(
            ReportError, "A submitted report can be edited only after the Office returns it."
        ):
            actions.save_draft(self.report(), self.unit_head, {"results": "Sửa"})
        with self.assertRaisesMessage(ReportError, "already been submitted"):
            actions.submit(self.report(), self.unit_head, now=at(2026, 3, 15, 11))
        report = self.report()
        self.assertEqual((report.results, report.version), ("Đã hoàn thành 02 nhiệm vụ.", 1))
        self.assertEqual(Notification.objects.filter(kind=Kind.REPORT_SUBMITTED).count(), 1)

    def test_it_returns_resubmits_as_version_2_and_keeps_the_first_submission(self) -> None:
        first = at(2026, 3, 15)
        actions.submit(self.report(), self.unit_head, now=first)
        actions.return_report(self.report(), self.coordinator, "Bổ sung số liệu", now=at(2026, 3, 16))
        report = self.report()
        self.assertEqual(report.status, ReportStatus.RETURNED)
        self.assertEqual(report.review_comment, "Bổ sung số liệu")
        returned = Notification.objects.get(kind=Kind.REPORT_REVIEWED)
        self.assertEqual(returned.recipient, self.unit_head)
        self.assertEqual(returned.key, f"unit_report:{report.pk}:returned:1")
        actions.save_draft(report, self.staff, {"results": "Đã bổ sung"})
        actions.submit(self.report(), self.unit_head, now=at(2026, 3, 18))
        report = self.report()
        self.assertEqual((report.version, report.first_submitted_at), (2, first))
        self.assertEqual(report.submitted_at, at(2026, 3, 18))
        self.assertFalse(report.submitted_late())  # the first submission was on time
        versions = list(UnitReportVersion.objects.filter(report=report).order_by("at"))
        self.assertEqual(
            [(v.number, v.action) for v in versions],
            [(1, VersionAction.SUBMITTED), (1, VersionAction.RETURNED), (2, VersionAction.SUBMITTED)],
        )
        self.assertEqual(versions[0].content["results"], "Đã hoàn thành 02 nhiệm vụ.")
        self.assertEqual(versions[2].content["results"], "Đã bổ sung")
        keys = list(Notification.objects.filter(kind=Kind.REPORT_SUBMITTED).values_list("recipient", "key"))
        self.assertEqual(
            sorted(keys),
            [
                (self.coordinator.pk, f"unit_report:{report.pk}:submitted:1"),
                (self.coordinator.pk, f"unit_report:{report.pk}:submitted:2"),
            ],
        )

    def test_it_requires_a_comment_to_return(self) -> None:
        actions.submit(self.report(), self.unit_head, now=at(2026, 3, 15))
        with self.assertRaisesMessage(ReportError, "Write what the unit should change"):
            actions.return_report(self.report(), self.coordinator, "   ")
        self.assertEqual(self.report().status, ReportStatus.SUBMITTED)

    def test_it_accepts_only_a_submitted_report_and_tells_the_heads(self) -> None:
        with self.assertRaisesMessage(ReportError, "Only a submitted report"):
            actions.accept(self.report(), self.coordinator)
        actions.submit(self.report(), self.unit_head, now=at(2026, 3, 15))
        actions.accept(self.report(), self.coordinator, now=at(2026, 3, 16))
        report = self.report()
        self.assertEqual((report.status, report.reviewed_by), (ReportStatus.ACCEPTED, self.coordinator))
        note = Notification.objects.get(kind=Kind.REPORT_REVIEWED)
        self.assertEqual((note.recipient, note.key), (self.unit_head, f"unit_report:{report.pk}:accepted:1"))
        with self.assertRaisesMessage(ReportError, "Only a submitted report"):
            actions.accept(self.report(), self.coordinator)
        self.assertEqual(UnitReportVersion.objects.filter(action=VersionAction.ACCEPTED).count(), 1)

    def test_it_finds_the_people_to_tell(self) -> None:
        self.assertEqual(actions.unit_heads(self.unit), [self.unit_head])
        self.assertEqual(actions.coordinators(self.agency), [self.coordinator])
        self.assertEqual(actions.leaders(self.agency), [self.leader])
        self.unit_head.is_active = False
        self.unit_head.save()
        self.assertEqual(actions.unit_heads(self.unit), [])
        self.assertEqual(actions.coordinators(self.other_agency), [self.outsider])
