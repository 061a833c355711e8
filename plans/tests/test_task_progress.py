from __future__ import annotations

from datetime import date
from typing import Any

import time_machine
from django.urls import reverse

from files.models import Attachment
from files.tests import samples
from files.tests.base import FilesTestCase
from plans.models import PlanStatus, Task, TaskState, TaskStatus, TaskUpdate, UpdateKind
from plans.tests.base import PlanFixtures


class ProgressTestCase(PlanFixtures, FilesTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.create_plans()

    def post(self, task: Task | None = None, **data: object) -> Any:
        data.setdefault("text", "Đã công bố 12 thủ tục")
        data.setdefault("progress", "60")
        return self.client.post(reverse("plans:task_progress", args=[(task or self.task).pk]), data)

    def latest(self, task: Task | None = None) -> TaskUpdate:
        return TaskUpdate.objects.filter(task=task or self.task).first()  # type: ignore[return-value]

    def test_it_saves_a_progress_update(self) -> None:
        self.login(self.staff)
        r = self.post(links="https://dichvucong.gov.vn/a\n\n  Quyết định 12/QĐ-SNgV  ")
        self.assertRedirects(r, reverse("plans:task_detail", args=[self.task.pk]), fetch_redirect_response=False)
        update = self.latest()
        self.assertEqual((update.kind, update.author, update.unit), (UpdateKind.PROGRESS, self.staff, self.unit))
        self.assertEqual((update.text, update.progress), ("Đã công bố 12 thủ tục", 60))
        self.assertEqual(update.links, "https://dichvucong.gov.vn/a\nQuyết định 12/QĐ-SNgV")
        self.task.refresh_from_db()
        self.assertEqual((self.task.progress, self.task.status), (60, TaskStatus.IN_PROGRESS))

    def test_it_moves_an_issued_plan_into_progress(self) -> None:
        self.plan.status = PlanStatus.ISSUED
        self.plan.save()
        self.login(self.unit_head)
        self.post()
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.status, PlanStatus.IN_PROGRESS)

    def test_a_manager_posts_without_a_unit(self) -> None:
        self.login(self.admin)
        self.post()
        self.assertEqual((self.latest().author, self.latest().unit), (self.admin, None))

    @time_machine.travel(date(2026, 6, 10), tick=False)
    def test_it_marks_a_task_done_early(self) -> None:
        self.login(self.staff)
        self.post(progress="100")
        self.task.refresh_from_db()
        self.assertEqual((self.task.status, self.task.completed_on), (TaskStatus.DONE, date(2026, 6, 10)))
        self.assertEqual(self.task.state(), TaskState.DONE_EARLY)
        self.assertContains(self.client.get(reverse("plans:task_detail", args=[self.task.pk])), "Done early")

    @time_machine.travel(date(2026, 6, 30), tick=False)
    def test_it_marks_a_task_done_on_time(self) -> None:
        self.login(self.staff)
        self.post(progress="100")
        self.task.refresh_from_db()
        self.assertEqual(self.task.state(), TaskState.DONE_ON_TIME)

    @time_machine.travel(date(2026, 7, 3), tick=False)
    def test_it_marks_a_task_done_late(self) -> None:
        self.login(self.staff)
        self.assertContains(self.client.get(reverse("plans:task_detail", args=[self.task.pk])), "Overdue")
        self.post(progress="100")
        self.task.refresh_from_db()
        self.assertEqual(self.task.state(), TaskState.DONE_LATE)
        self.assertContains(self.client.get(reverse("plans:task_detail", args=[self.task.pk])), "Done late")

    @time_machine.travel(date(2026, 6, 1), tick=False)
    def test_it_rolls_progress_up_to_the_parent(self) -> None:
        a = Task.objects.create(plan=self.plan, parent=self.task, content="Cấp tỉnh", lead_unit=self.unit)
        b = Task.objects.create(plan=self.plan, parent=self.task, content="Cấp huyện", lead_unit=self.unit)
        Task.objects.create(
            plan=self.plan,
            parent=self.task,
            content="Cấp xã",
            lead_unit=self.unit,
            status=TaskStatus.CANCELLED,
            cancel_reason="Sáp nhập",
        )
        self.login(self.staff)
        self.post(a, progress="100")
        self.post(b, progress="50")
        self.task.refresh_from_db()
        # Mean of the children that count: (100 + 50) / 2; the cancelled one is left out.
        self.assertEqual((self.task.progress, self.task.status), (75, TaskStatus.IN_PROGRESS))
        self.post(b, progress="100")
        self.task.refresh_from_db()
        self.assertEqual((self.task.progress, self.task.status), (100, TaskStatus.DONE))
        self.assertEqual(self.task.state(), TaskState.DONE_EARLY)

    def test_it_refuses_progress_on_a_task_with_sub_tasks(self) -> None:
        Task.objects.create(plan=self.plan, parent=self.task, content="Cấp tỉnh", lead_unit=self.unit)
        before = TaskUpdate.objects.count()
        self.login(self.staff)
        r = self.post()
        self.assertRedirects(r, reverse("plans:task_detail", args=[self.task.pk]), fetch_redirect_response=False)
        self.assertEqual(TaskUpdate.objects.count(), before)

    def test_it_stores_evidence_with_the_update(self) -> None:
        self.login(self.staff)
        files = [samples.upload("Quyết định công bố.pdf", samples.PDF), samples.upload("Ảnh.png", samples.png())]
        self.post(evidence=files)
        update = self.latest()
        attachments = Attachment.objects.for_owner(update).order_by("original_name")
        self.assertEqual([a.original_name for a in attachments], ["Quyết định công bố.pdf", "Ảnh.png"])
        self.assertEqual({a.uploaded_by for a in attachments}, {self.staff})
        self.assertEqual({a.agency for a in attachments}, {self.agency})
        self.assertEqual(len(self.stored_files()), 2)
        r = self.client.get(reverse("plans:task_detail", args=[self.task.pk]))
        self.assertContains(r, reverse("files:download", args=[attachments[0].pk]))

    def test_it_saves_nothing_when_a_file_is_bad(self) -> None:
        self.login(self.staff)
        before = TaskUpdate.objects.count()
        files = [samples.upload("Quyết định.pdf", samples.PDF), samples.upload("baocao.pdf", samples.EXE)]
        r = self.post(evidence=files)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "“baocao.pdf” cannot be attached")
        self.assertEqual(TaskUpdate.objects.count(), before)
        self.assertEqual(Attachment.objects.count(), 0)
        self.assertEqual(self.stored_files(), [])
        self.task.refresh_from_db()
        self.assertEqual(self.task.progress, 40)

    def test_it_refuses_too_many_files(self) -> None:
        self.login(self.staff)
        files = [samples.upload(f"{i}.pdf", samples.PDF) for i in range(11)]
        r = self.post(evidence=files)
        self.assertContains(r, "Attach at most 10 files at a time.")
        self.assertEqual(Attachment.objects.count(), 0)

    def test_it_shows_errors_for_bad_input(self) -> None:
        self.login(self.staff)
        before = TaskUpdate.objects.count()
        r = self.post(text="", progress="150")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Say what was done.")
        self.assertContains(r, "Ensure this value is less than or equal to 100.")
        self.assertEqual(TaskUpdate.objects.count(), before)

    def test_it_refuses_a_closed_plan(self) -> None:
        self.plan.status = PlanStatus.CLOSED
        self.plan.save()
        before = TaskUpdate.objects.count()
        self.login(self.staff)
        r = self.post(evidence=[samples.upload("a.pdf", samples.PDF)])
        self.assertRedirects(r, reverse("plans:task_detail", args=[self.task.pk]), fetch_redirect_response=False)
        messages = [str(m) for m in r.wsgi_request._messages]
        self.assertEqual(messages, ["The plan is closed: its tasks can no longer be updated."])
        self.assertEqual(TaskUpdate.objects.count(), before)
        self.assertEqual(self.stored_files(), [])

    def test_it_refuses_a_plan_not_issued_yet(self) -> None:
        self.login(self.coordinator)
        r = self.post(self.draft_task)
        messages = [str(m) for m in r.wsgi_request._messages]
        self.assertIn("has not been issued yet", messages[0])
        self.assertFalse(TaskUpdate.objects.filter(task=self.draft_task).exists())

    def test_it_refuses_a_cancelled_task(self) -> None:
        self.task.status = TaskStatus.CANCELLED
        self.task.cancel_reason = "Không còn phù hợp"
        self.task.save()
        before = TaskUpdate.objects.count()
        self.login(self.staff)
        self.post()
        self.assertEqual(TaskUpdate.objects.count(), before)

    def test_it_is_for_the_lead_unit_assignees_and_managers(self) -> None:
        before = TaskUpdate.objects.count()
        for persona, status in ((self.leader, 403), (self.overseer, 403), (self.outsider, 404)):
            self.login(persona)
            self.assertEqual(self.post().status_code, status)
        self.assertEqual(TaskUpdate.objects.count(), before)

    def test_it_only_accepts_post(self) -> None:
        self.login(self.staff)
        self.assertEqual(self.client.get(reverse("plans:task_progress", args=[self.task.pk])).status_code, 405)


class ContributionTestCase(PlanFixtures, FilesTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.create_plans()

    def post(self, **data: object) -> Any:
        data.setdefault("text", "Văn phòng đã tổng hợp ý kiến")
        return self.client.post(reverse("plans:task_contribute", args=[self.task.pk]), data)

    def test_it_saves_a_contribution_of_the_coordinating_unit(self) -> None:
        self.login(self.coordinator)
        r = self.post(links="https://example.org/y-kien", evidence=[samples.upload("Tổng hợp.docx", samples.docx())])
        self.assertRedirects(r, reverse("plans:task_detail", args=[self.task.pk]), fetch_redirect_response=False)
        update = TaskUpdate.objects.get(kind=UpdateKind.CONTRIBUTION)
        self.assertEqual((update.author, update.unit, update.progress), (self.coordinator, self.office, None))
        self.assertEqual(update.links, "https://example.org/y-kien")
        self.assertEqual([a.original_name for a in Attachment.objects.for_owner(update)], ["Tổng hợp.docx"])
        self.task.refresh_from_db()
        self.assertEqual(self.task.progress, 40)  # a contribution does not move the progress

    def test_it_needs_the_text(self) -> None:
        self.login(self.coordinator)
        r = self.post(text="")
        self.assertContains(r, "Say what your unit contributed.")
        self.assertFalse(TaskUpdate.objects.filter(kind=UpdateKind.CONTRIBUTION).exists())

    def test_it_refuses_a_closed_plan(self) -> None:
        self.plan.status = PlanStatus.CLOSED
        self.plan.save()
        self.login(self.coordinator)
        self.post()
        self.assertFalse(TaskUpdate.objects.filter(kind=UpdateKind.CONTRIBUTION).exists())

    def test_it_is_for_the_coordinating_units_and_managers(self) -> None:
        for persona, status in ((self.staff, 403), (self.unit_head, 403), (self.leader, 403), (self.outsider, 404)):
            self.login(persona)
            self.assertEqual(self.post().status_code, status)
        self.assertFalse(TaskUpdate.objects.filter(kind=UpdateKind.CONTRIBUTION).exists())
