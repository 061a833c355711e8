"""The home page's "Reports" section: what each role has to do about reports."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from reports.models import AgencyReportStatus, ReportStatus
from reports.tests.base import ReportsTestCase

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


class HomeReportsTestCase(ReportsTestCase):
    def attention(self, user_name: str) -> dict[str, int]:
        self.login(getattr(self, user_name))
        response = self.client.get("/")
        sections = {str(s.title): s for s in response.context["sections"]}
        if "Reports" not in sections:
            return {}
        return {str(item.text): item.count for item in sections["Reports"].items}

    def test_it_tells_the_unit_head_a_report_is_to_submit_before_it_is_due(self) -> None:
        with time_machine.travel(datetime(2026, 3, 15, 9, tzinfo=ZONE), tick=False):
            self.assertEqual(self.attention("unit_head"), {"Reports of your unit to submit": 1})

    def test_it_tells_the_unit_head_the_report_is_late_after_the_due_date(self) -> None:
        with time_machine.travel(datetime(2026, 3, 17, 9, tzinfo=ZONE), tick=False):
            self.assertEqual(self.attention("unit_head"), {"Reports of your unit that are late": 1})

    def test_it_tells_the_unit_a_report_was_returned(self) -> None:
        self.unit_report.status = ReportStatus.RETURNED
        self.unit_report.first_submitted_at = datetime(2026, 3, 16, 9, tzinfo=ZONE)
        self.unit_report.save()
        self.assertEqual(self.attention("staff"), {"Reports of your unit returned for changes": 1})

    def test_it_tells_the_office_what_waits_for_review(self) -> None:
        self.unit_report.status = ReportStatus.SUBMITTED
        self.unit_report.first_submitted_at = datetime(2026, 3, 16, 9, tzinfo=ZONE)
        self.unit_report.save()
        self.assertEqual(self.attention("coordinator"), {"Unit reports waiting for your review": 1})
        self.assertEqual(self.attention("unit_head"), {})

    def test_it_tells_the_leader_what_awaits_approval(self) -> None:
        self.agency_report.status = AgencyReportStatus.PENDING_APPROVAL
        self.agency_report.save()
        self.assertEqual(self.attention("leader"), {"Consolidated reports awaiting your approval": 1})

    def test_it_tells_the_overseer_what_the_agencies_sent(self) -> None:
        self.assertEqual(self.attention("overseer"), {"Agency reports waiting for your review": 1})
        self.agency_report.status = AgencyReportStatus.RECEIVED
        self.agency_report.save()
        self.assertEqual(self.attention("overseer"), {})

    def test_it_shows_nothing_of_another_agency(self) -> None:
        self.unit_report.status = ReportStatus.SUBMITTED
        self.unit_report.save()
        self.assertEqual(self.attention("outsider"), {})
