from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from notifications.models import Kind, Notification
from plans.models import Task, TaskStatus
from reports.models import UrgingNote
from reports.tests.base import ReportsTestCase

NOW = datetime(2026, 3, 17, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@time_machine.travel(NOW, tick=False)
class UrgeTestCase(ReportsTestCase):
    def url(self) -> str:
        return reverse("reports:urge", args=[self.unit.pk])

    def test_it_offers_the_units_open_tasks_and_the_open_periods(self) -> None:
        done = Task.objects.create(plan=self.plan, content="Đã xong", lead_unit=self.unit, status=TaskStatus.DONE)
        elsewhere = Task.objects.create(plan=self.plan, content="Của Văn phòng", lead_unit=self.office)
        self.login(self.coordinator)
        r = self.client.get(self.url())
        form = r.context["form"]
        self.assertEqual(list(form.fields["task"].queryset), [self.task])
        self.assertNotIn(done, form.fields["task"].queryset)
        self.assertNotIn(elsewhere, form.fields["task"].queryset)
        self.assertEqual(list(form.fields["period"].queryset), [self.period])
        self.assertContains(r, "Quarter I/2026")

    def test_it_keeps_the_note_and_tells_the_units_people(self) -> None:
        self.login(self.coordinator)
        r = self.client.post(
            self.url(), {"text": "Đề nghị gửi báo cáo quý I trước 18/3.", "period": self.period.pk, "task": ""}
        )
        self.assertRedirects(r, reverse("reports:urging_history", args=[self.agency.pk]), fetch_redirect_response=False)
        note = UrgingNote.objects.exclude(pk=self.urging_note.pk).get()
        self.assertEqual(
            (note.unit, note.agency, note.author, note.text, note.period, note.task),
            (self.unit, self.agency, self.coordinator, "Đề nghị gửi báo cáo quý I trước 18/3.", self.period, None),
        )
        notes = Notification.objects.filter(key=f"urging:{note.pk}").order_by("recipient__full_name")
        self.assertEqual([n.recipient for n in notes], [self.unit_head, self.staff])
        self.assertTrue(all(n.kind == Kind.URGING for n in notes))
        self.assertEqual(notes[0].url, reverse("reports:unit_report", args=[self.unit_report.pk]))
        self.assertEqual(notes[0].body, "Đề nghị gửi báo cáo quý I trước 18/3.")
        assert notes[0].email is not None
        self.assertIn("Đề nghị gửi báo cáo quý I", notes[0].email.text)

    def test_a_note_about_a_task_links_the_task(self) -> None:
        self.login(self.coordinator)
        self.client.post(self.url(), {"text": "Khẩn trương hoàn thành.", "task": self.task.pk})
        note = UrgingNote.objects.get(task=self.task)
        n = Notification.objects.get(key=f"urging:{note.pk}", recipient=self.staff)
        self.assertEqual(n.url, reverse("plans:task_detail", args=[self.task.pk]))

    def test_bad_input_is_refused_with_a_message(self) -> None:
        other_task = Task.objects.create(plan=self.plan, content="Của Văn phòng", lead_unit=self.office)
        self.login(self.coordinator)
        r = self.client.post(self.url(), {"text": "   "})
        self.assertContains(r, "Write what the unit is urged to do.")
        r = self.client.post(self.url(), {"text": "a\x00b"})
        self.assertContains(r, "Null characters are not allowed.")
        r = self.client.post(self.url(), {"text": "x", "task": other_task.pk, "period": "abc"})
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.context["form"].errors["task"])
        self.assertTrue(r.context["form"].errors["period"])
        self.assertEqual(UrgingNote.objects.count(), 1)
        self.assertFalse(Notification.objects.filter(kind=Kind.URGING).exists())

    def test_it_is_for_the_agencys_coordinators(self) -> None:
        for persona, status in (
            (self.unit_head, 403),
            (self.staff, 403),
            (self.leader, 403),
            (self.overseer, 403),
            (self.outsider, 404),
        ):
            self.login(persona)
            r = self.client.post(self.url(), {"text": "x"})
            self.assertEqual(r.status_code, status, persona)
        self.assertEqual(UrgingNote.objects.count(), 1)


@time_machine.travel(NOW, tick=False)
class UrgingHistoryTestCase(ReportsTestCase):
    def url(self) -> str:
        return reverse("reports:urging_history", args=[self.agency.pk])

    def test_it_lists_the_notes_newest_first(self) -> None:
        newer = UrgingNote.objects.create(
            unit=self.office, author=self.coordinator, text="Văn phòng tổng hợp", task=self.task, created=NOW
        )
        UrgingNote.objects.filter(pk=self.urging_note.pk).update(created=NOW - timedelta(days=1))
        self.login(self.coordinator)
        r = self.client.get(self.url())
        self.assertEqual(list(r.context["page"].object_list), [newer, self.urging_note])
        self.assertContains(r, "Trần Văn Bình")
        self.assertContains(r, reverse("plans:task_detail", args=[self.task.pk]))
        self.assertContains(r, reverse("reports:period", args=[self.period.pk]))
        self.assertContains(r, reverse("reports:urge", args=[self.unit.pk]))

    def test_unit_people_see_their_units_notes(self) -> None:
        UrgingNote.objects.create(unit=self.office, author=self.coordinator, text="Văn phòng tổng hợp")
        self.login(self.staff)
        r = self.client.get(self.url())
        self.assertEqual(list(r.context["page"].object_list), [self.urging_note])
        self.assertNotContains(r, reverse("reports:urge", args=[self.unit.pk]))

    def test_its_query_count_is_fixed(self) -> None:
        for i in range(10):
            UrgingNote.objects.create(unit=self.unit, author=self.coordinator, text=f"Lần {i}", task=self.task)
        self.login(self.coordinator)
        self.client.get(self.url())
        with self.assertNumQueries(10):
            r = self.client.get(self.url())
        self.assertEqual(len(r.context["page"].object_list), 11)

    def test_the_outsider_gets_404(self) -> None:
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
