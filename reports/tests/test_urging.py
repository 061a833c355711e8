"""Reminders fire exactly once at the right times under a frozen clock.

The fixture's task (led by the unit, assigned to the staff persona) is due on
Tuesday 30/06/2026; the default policy reminds 7 and 2 days before, tells the
unit head 2 days after the first overdue day and the Office after 5, from 07:00.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail

from accounts.models import User
from notifications.models import Kind, Notification, OutgoingEmail, Preference
from plans.models import PlanStatus, Task, TaskStatus
from reports import scheduler, urging
from reports.models import ReportStatus, UrgingPolicy
from reports.scheduler import Round
from reports.tests.base import ReportsTestCase

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class UrgingTestCase(ReportsTestCase):
    def tick(self, year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> Round:
        now = datetime(year, month, day, hour, minute, tzinfo=TZ)
        with time_machine.travel(now, tick=False):
            return scheduler.tick(now)

    def task_notes(self, task: Task | None = None) -> list[tuple[str, str, User]]:
        task = task or self.task
        notes = Notification.objects.filter(key__startswith=f"task:{task.pk}:due:").order_by("pk")
        return [(n.key.split(":", 4)[-1], n.kind, n.recipient) for n in notes]

    def report_notes(self) -> list[tuple[str, str, User]]:
        notes = Notification.objects.filter(key__startswith=f"unit_report:{self.unit_report.pk}:").order_by("pk")
        return [(n.key.split(":", 4)[-1], n.kind, n.recipient) for n in notes]

    def period_notes(self) -> list[tuple[str, str, User]]:
        notes = Notification.objects.filter(key__startswith=f"period:{self.period.pk}:").order_by("pk", "recipient")
        return [(n.key.split(":", 4)[-1], n.kind, n.recipient) for n in notes]


class TaskRemindersTestCase(UrgingTestCase):
    def test_it_follows_a_task_through_its_life(self) -> None:
        self.tick(2026, 6, 1)
        self.tick(2026, 6, 22, 23)
        self.assertEqual(self.task_notes(), [])  # more than 7 days before

        self.tick(2026, 6, 23, 6, 59)
        self.assertEqual(self.task_notes(), [])  # the day has come, not the hour
        self.tick(2026, 6, 23, 7)
        self.assertEqual(self.task_notes(), [("before:7", Kind.TASK_DUE_SOON, self.staff)])
        key = f"task:{self.task.pk}:due:2026-06-30:before:7"
        self.assertTrue(Notification.objects.filter(key=key, recipient=self.staff).exists())
        for hour in (8, 12, 23):
            self.tick(2026, 6, 23, hour)
        self.tick(2026, 6, 24, 6)
        self.assertEqual(len(self.task_notes()), 1)  # still one

        self.tick(2026, 6, 28, 7)
        self.assertEqual(self.task_notes()[-1], ("before:2", Kind.TASK_DUE_SOON, self.staff))
        self.tick(2026, 6, 30, 10)
        self.tick(2026, 7, 1, 6)
        self.assertEqual(len(self.task_notes()), 2)  # nothing on the due date itself

        self.tick(2026, 7, 1, 7)
        self.assertEqual(self.task_notes()[-1], ("overdue", Kind.TASK_OVERDUE, self.staff))
        self.tick(2026, 7, 2, 9)
        self.assertEqual(len(self.task_notes()), 3)

        self.tick(2026, 7, 3, 7)
        self.assertEqual(self.task_notes()[-1], ("escalated:head", Kind.TASK_ESCALATED, self.unit_head))
        self.tick(2026, 7, 5, 9)
        self.assertEqual(len(self.task_notes()), 4)

        self.tick(2026, 7, 6, 7)
        self.assertEqual(self.task_notes()[-1], ("escalated:office", Kind.TASK_ESCALATED, self.coordinator))
        self.assertEqual(len(self.task_notes()), 5)

        self.task.status = TaskStatus.DONE
        self.task.save()
        for day in range(7, 31):
            self.tick(2026, 7, day, 9)
        self.assertEqual(len(self.task_notes()), 5)

    def test_a_scheduler_down_for_ten_days_sends_only_the_latest_stage(self) -> None:
        self.tick(2026, 6, 20)
        self.tick(2026, 7, 7)  # down from 20/06: before 7, before 2, overdue and the head all missed
        self.assertEqual(self.task_notes(), [("escalated:office", Kind.TASK_ESCALATED, self.coordinator)])
        self.tick(2026, 7, 8)
        self.assertEqual(len(self.task_notes()), 1)

    def test_catching_up_never_sends_an_older_reminder_afterwards(self) -> None:
        self.tick(2026, 6, 29)  # first round in the week: the 2-day reminder only
        self.assertEqual(self.task_notes(), [("before:2", Kind.TASK_DUE_SOON, self.staff)])
        self.tick(2026, 6, 29, 10)
        self.tick(2026, 6, 30)
        self.assertEqual(len(self.task_notes()), 1)

    def test_before_the_send_hour_yesterday_is_caught_up(self) -> None:
        self.tick(2026, 6, 22)
        self.tick(2026, 6, 24, 6)  # down all of 23/06: at 06:00 on 24/06 the 23rd's reminder is still due
        self.assertEqual(self.task_notes(), [("before:7", Kind.TASK_DUE_SOON, self.staff)])

    def test_an_extended_due_date_reminds_again(self) -> None:
        self.tick(2026, 6, 28)
        self.task.due_date = date(2026, 9, 30)
        self.task.save()
        self.tick(2026, 9, 28)
        self.assertEqual(
            [n.key for n in Notification.objects.filter(key__startswith=f"task:{self.task.pk}:due:").order_by("pk")],
            [
                f"task:{self.task.pk}:due:2026-06-30:before:2",
                f"task:{self.task.pk}:due:2026-09-30:before:2",
            ],
        )

    def test_a_task_without_assignees_reminds_the_unit_heads(self) -> None:
        self.task.assignees.clear()
        self.tick(2026, 6, 28)
        self.assertEqual(self.task_notes(), [("before:2", Kind.TASK_DUE_SOON, self.unit_head)])
        self.tick(2026, 7, 3)  # the head stage: the head was the first recipient, so nobody new
        self.assertEqual(len(self.task_notes()), 1)

    def test_only_open_leaf_tasks_of_open_plans_remind(self) -> None:
        child = Task.objects.create(
            plan=self.plan, parent=self.task, content="Rà soát quý II", lead_unit=self.unit, due_date=date(2026, 6, 30)
        )
        child.assignees.set([self.unit_head])
        cancelled = Task.objects.create(
            plan=self.plan,
            content="Nhiệm vụ đã hủy",
            lead_unit=self.unit,
            due_date=date(2026, 6, 30),
            status=TaskStatus.CANCELLED,
            cancel_reason="Không còn phù hợp",
        )
        no_due = Task.objects.create(plan=self.plan, content="Thường xuyên", lead_unit=self.unit)
        self.tick(2026, 6, 28)
        self.assertEqual(self.task_notes(), [])  # a parent
        self.assertEqual(self.task_notes(child), [("before:2", Kind.TASK_DUE_SOON, self.unit_head)])
        self.assertEqual(self.task_notes(cancelled), [])
        self.assertEqual(self.task_notes(no_due), [])

        self.plan.status = PlanStatus.CLOSED
        self.plan.save()
        self.tick(2026, 7, 1)
        self.assertEqual(len(self.task_notes(child)), 1)

    def test_nothing_is_sent_when_the_policy_is_off(self) -> None:
        UrgingPolicy.objects.filter(agency=self.agency).update(active=False)
        self.tick(2026, 6, 28)
        self.tick(2026, 7, 6)
        self.assertFalse(Notification.objects.filter(agency=self.agency).exclude(pk=self.notification.pk).exists())

    def test_the_policy_sets_the_days_and_the_hour(self) -> None:
        UrgingPolicy.objects.filter(agency=self.agency).update(task_days_before="3", send_hour=13)
        self.tick(2026, 6, 23, 14)
        self.tick(2026, 6, 27, 12)
        self.assertEqual(self.task_notes(), [])
        self.tick(2026, 6, 27, 13)
        self.assertEqual(self.task_notes(), [("before:3", Kind.TASK_DUE_SOON, self.staff)])

    def test_the_message_names_the_task_the_date_and_the_link(self) -> None:
        self.tick(2026, 6, 23, 7)
        note = Notification.objects.get(key__startswith=f"task:{self.task.pk}:due:")
        self.assertEqual(note.url, f"/plans/tasks/{self.task.pk}/")
        self.assertIn("30/06/2026", note.title + note.body)
        self.assertIn("Rà soát, công bố thủ tục hành chính", note.title)
        self.assertEqual(note.agency, self.agency)
        assert note.email is not None
        self.assertEqual(note.email.to, "staff@example.org")
        self.assertIn(f"/plans/tasks/{self.task.pk}/", note.email.text)

    def test_a_round_with_nothing_due_is_cheap_and_sends_nothing(self) -> None:
        self.tick(2026, 6, 23, 7)
        policy = UrgingPolicy.objects.get(agency=self.agency)
        now = datetime(2026, 6, 23, 8, tzinfo=TZ)
        with time_machine.travel(now, tick=False), self.assertNumQueries(5):
            made = urging.send_reminders(self.agency, now, policy)
        self.assertEqual(made, 0)


class ReportRemindersTestCase(UrgingTestCase):
    """The fixture's Quarter I/2026: units due Monday 16/03, the agency due 19/03; reminders 3 and 1 days before."""

    def test_it_follows_a_unit_report(self) -> None:
        self.tick(2026, 3, 12)
        self.assertEqual(self.report_notes(), [])
        self.tick(2026, 3, 13, 6)
        self.assertEqual(self.report_notes(), [])
        self.tick(2026, 3, 13, 7)
        self.assertEqual(self.report_notes(), [("before:3", Kind.REPORT_DUE_SOON, self.unit_head)])
        self.tick(2026, 3, 13, 20)
        self.tick(2026, 3, 15, 7)
        self.assertEqual(self.report_notes()[-1], ("before:1", Kind.REPORT_DUE_SOON, self.unit_head))
        self.tick(2026, 3, 16, 10)
        self.tick(2026, 3, 17, 7)
        self.assertEqual(self.report_notes()[-1], ("late", Kind.REPORT_LATE, self.unit_head))
        self.tick(2026, 3, 21, 23)
        self.assertEqual(len(self.report_notes()), 3)
        self.tick(2026, 3, 22, 7)
        self.assertEqual(self.report_notes()[-1], ("escalated", Kind.REPORT_ESCALATED, self.coordinator))
        self.tick(2026, 3, 25)
        self.assertEqual(len(self.report_notes()), 4)
        note = Notification.objects.get(key=f"unit_report:{self.unit_report.pk}:due:2026-03-16:escalated")
        self.assertIn("Phòng Hợp tác quốc tế", note.title)
        self.assertIn("Quý I/2026", note.title)  # written in Vietnamese, the recipients' language
        self.assertEqual(note.url, f"/reports/unit-reports/{self.unit_report.pk}/")

    def test_a_submitted_report_is_not_chased(self) -> None:
        self.tick(2026, 3, 13, 7)
        self.unit_report.status = ReportStatus.SUBMITTED
        self.unit_report.first_submitted_at = datetime(2026, 3, 14, 10, tzinfo=TZ)
        self.unit_report.save()
        for day in range(14, 31):
            self.tick(2026, 3, day)
        self.assertEqual(len(self.report_notes()), 1)

    def test_a_unit_without_a_head_hears_through_its_staff(self) -> None:
        self.unit_head.memberships.all().delete()
        self.tick(2026, 3, 17)
        self.assertEqual(self.report_notes(), [("late", Kind.REPORT_LATE, self.staff)])

    def test_catching_up_sends_only_the_latest(self) -> None:
        self.tick(2026, 3, 10)
        self.tick(2026, 3, 23)
        self.assertEqual(self.report_notes(), [("escalated", Kind.REPORT_ESCALATED, self.coordinator)])

    def test_the_consolidated_report_is_chased_until_sent(self) -> None:
        self.agency_report.delete()
        self.tick(2026, 3, 16, 7)
        self.assertIn(("before:3", Kind.REPORT_DUE_SOON, self.coordinator), self.period_notes())
        self.tick(2026, 3, 18, 7)
        self.tick(2026, 3, 19, 23)
        self.tick(2026, 3, 20, 7)
        self.tick(2026, 3, 21)
        self.assertEqual(
            sorted(self.period_notes(), key=lambda n: (n[0], n[2].pk)),
            [
                ("before:1", Kind.REPORT_DUE_SOON, self.coordinator),
                ("before:3", Kind.REPORT_DUE_SOON, self.coordinator),
                ("late", Kind.REPORT_LATE, self.leader),
                ("late", Kind.REPORT_LATE, self.coordinator),
            ],
        )
        note = Notification.objects.get(
            key=f"period:{self.period.pk}:agency_due:2026-03-19:late", recipient=self.leader
        )
        self.assertEqual(note.url, f"/reports/periods/{self.period.pk}/")

    def test_a_consolidated_report_sent_is_not_chased(self) -> None:
        for day in range(14, 25):
            self.tick(2026, 3, day)
        self.assertEqual(self.period_notes(), [])


class OnceTestCase(UrgingTestCase):
    def test_two_workers_at_the_same_moment_send_once(self) -> None:
        now = datetime(2026, 6, 23, 7, tzinfo=TZ)
        with time_machine.travel(now, tick=False):
            first = scheduler.tick(now)
            second = scheduler.tick(now)
        self.assertEqual(first.agencies, 4)  # the province and its three departments
        self.assertEqual(second.agencies, 0)
        self.assertEqual(len(self.task_notes()), 1)
        self.assertEqual(
            OutgoingEmail.objects.filter(to="staff@example.org", subject__contains="30/06/2026").count(), 1
        )
        self.assertEqual(len([m for m in mail.outbox if "30/06/2026" in m.subject]), 1)

    def test_a_claim_raced_by_another_worker_is_skipped(self) -> None:
        now = datetime(2026, 6, 23, 7, tzinfo=TZ)
        with time_machine.travel(now, tick=False):
            mine = {p.agency_id: p for p in scheduler.due_policies(now)}
            scheduler.tick(now)  # the other worker, between my select and my update
            self.assertFalse(scheduler.claim(mine[self.agency.pk], now))
            # Even a round run again (its claim lost) sends nothing twice.
            self.assertEqual(urging.send_reminders(self.agency, now), 0)
        self.assertEqual(len(self.task_notes()), 1)

    def test_a_person_without_email_for_a_kind_gets_it_in_the_application_only(self) -> None:
        Preference.objects.create(user=self.staff, kind=Kind.TASK_OVERDUE, by_email=False, in_app=True)
        self.tick(2026, 7, 1, 7)
        note = Notification.objects.get(key=f"task:{self.task.pk}:due:2026-06-30:overdue")
        self.assertTrue(note.in_app)
        self.assertIsNone(note.email)
