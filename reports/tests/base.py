"""Reporting fixtures shared by the reports and notifications tests and the access matrix.

On top of the document fixtures (the 2026 plan in progress with a task led by
the unit of the unit head and staff personas): the agency's calendar with the
default schedules; the period "Quarter I/2026" (figures 15/12/2025–14/3/2026,
units due 16/3, the agency due 19/3) opened, with a draft report of the unit;
the agency's consolidated report for it, sent to the province; an urging note
from the Office to the unit; a notification and a queued e-mail for the staff
persona.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from accounts.models import Agency, Unit, User
from cchc.test import BaseTestCase
from documents.tests.base import DocumentFixtures
from notifications.models import Kind, Notification, OutgoingEmail
from reports import calendar
from reports.models import (
    AgencyReport,
    AgencyReportStatus,
    Frequency,
    ReportingPeriod,
    ReportStatus,
    UnitReport,
    UrgingNote,
)


def at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())


class ReportFixtures(DocumentFixtures):
    # Personas, from BaseTestCase.
    agency: Agency
    unit: Unit
    office: Unit
    staff: User
    coordinator: User
    leader: User
    period: ReportingPeriod
    unit_report: UnitReport
    agency_report: AgencyReport
    urging_note: UrgingNote
    notification: Notification
    email: OutgoingEmail

    @classmethod
    def create_reports(cls) -> None:
        schedules = {s.frequency: s for s in calendar.ensure_schedules(cls.agency)}
        calendar.ensure_policy(cls.agency)
        cls.period = ReportingPeriod.objects.create(
            agency=cls.agency,
            frequency=Frequency.QUARTERLY,
            year=2026,
            number=1,
            opened_at=at(2026, 3, 7, 7),
            **calendar.dates(schedules[Frequency.QUARTERLY], 2026, 1),
        )
        cls.unit_report = UnitReport.objects.create(
            period=cls.period, unit=cls.unit, status=ReportStatus.DRAFT, results="Đã hoàn thành 02 nhiệm vụ."
        )
        cls.agency_report = AgencyReport.objects.create(
            period=cls.period,
            status=AgencyReportStatus.SENT,
            title="Kết quả thực hiện công tác cải cách hành chính quý I năm 2026",
            results="1. Cải cách thể chế: …",
            drafted_by=cls.coordinator,
            approved_by=cls.leader,
            approved_at=at(2026, 3, 18),
            first_sent_at=at(2026, 3, 18, 15),
            sent_at=at(2026, 3, 18, 15),
        )
        cls.urging_note = UrgingNote.objects.create(
            unit=cls.unit,
            author=cls.coordinator,
            text="Đề nghị Phòng khẩn trương gửi báo cáo quý I.",
            period=cls.period,
        )
        cls.email = OutgoingEmail.objects.create(
            recipient=cls.staff, to=cls.staff.email, subject="Nhắc việc", text="Nhiệm vụ sắp đến hạn."
        )
        cls.notification = Notification.objects.create(
            recipient=cls.staff,
            kind=Kind.TASK_DUE_SOON,
            key=f"task:{cls.task.pk}:before:2",
            agency=cls.agency,
            title="Nhiệm vụ sắp đến hạn",
            url=f"/plans/tasks/{cls.task.pk}/",
            email=cls.email,
        )


class ReportsTestCase(ReportFixtures, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.create_plans()
        cls.create_documents()
        cls.create_reports()
