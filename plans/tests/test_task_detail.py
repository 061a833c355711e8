from __future__ import annotations

from datetime import date

import time_machine
from django.urls import reverse

from files.tests.base import FilesTestCase
from plans.models import Mention, PlanStatus, Task, TaskStatus, TaskUpdate, UpdateKind
from plans.tests.base import PlanFixtures, PlansTestCase


class TaskDetailTestCase(PlansTestCase):
    def url(self, task: Task | None = None) -> str:
        return reverse("plans:task_detail", args=[(task or self.task).pk])

    def test_it_shows_the_task(self) -> None:
        self.login(self.leader)
        r = self.client.get(self.url())
        self.assertContains(r, "Rà soát, công bố thủ tục hành chính")
        self.assertContains(r, "01/KH-SNgV")
        self.assertContains(r, "Phòng Hợp tác quốc tế")
        self.assertContains(r, "Văn phòng Sở")
        self.assertContains(r, "Phạm Minh Tuấn")
        self.assertContains(r, "30/06/2026")
        self.assertContains(r, "as printed: Quý II/2026")
        self.assertContains(r, "Quyết định công bố")
        self.assertContains(r, 'value="40"')
        self.assertContains(r, "Đã rà soát 10 thủ tục")
        self.assertEqual(r.context["nav_active"], "tasks")

    def test_it_is_readable_by_the_agency_and_its_overseer_only(self) -> None:
        for persona in (self.leader, self.staff, self.overseer, self.admin):
            self.login(persona)
            self.assertEqual(self.client.get(self.url()).status_code, 200)
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    @time_machine.travel(date(2026, 7, 15), tick=False)
    def test_it_shows_an_overdue_task(self) -> None:
        self.login(self.staff)
        self.assertContains(self.client.get(self.url()), "Overdue")

    def test_it_shows_the_forms_to_who_may_use_them(self) -> None:
        self.login(self.staff)  # lead unit
        r = self.client.get(self.url())
        self.assertIsNotNone(r.context["progress_form"])
        self.assertIsNone(r.context["contribution_form"])
        self.assertIsNotNone(r.context["comment_form"])
        self.assertFalse(r.context["can_manage"])
        self.assertNotContains(r, reverse("plans:task_edit", args=[self.task.pk]))
        self.login(self.coordinator)  # manager, and the Office coordinates the task
        r = self.client.get(self.url())
        self.assertIsNotNone(r.context["progress_form"])
        self.assertIsNotNone(r.context["contribution_form"])
        self.assertContains(r, reverse("plans:task_edit", args=[self.task.pk]))
        self.assertContains(r, reverse("plans:task_cancel", args=[self.task.pk]))
        self.assertNotContains(r, reverse("plans:task_delete", args=[self.task.pk]))
        self.login(self.overseer)  # reads only
        r = self.client.get(self.url())
        self.assertIsNone(r.context["progress_form"])
        self.assertIsNone(r.context["contribution_form"])
        self.assertIsNone(r.context["comment_form"])

    def test_it_offers_the_unit_head_to_reassign_people(self) -> None:
        self.login(self.unit_head)
        r = self.client.get(self.url())
        self.assertContains(r, reverse("plans:task_reassign", args=[self.task.pk]))
        self.assertNotContains(r, reverse("plans:task_extend", args=[self.task.pk]))

    def test_it_offers_delete_on_a_draft_plan(self) -> None:
        self.login(self.coordinator)
        r = self.client.get(self.url(self.draft_task))
        self.assertContains(r, reverse("plans:task_delete", args=[self.draft_task.pk]))
        self.assertIsNone(r.context["progress_form"])  # not issued yet

    def test_it_offers_no_updates_on_a_closed_plan(self) -> None:
        self.plan.status = PlanStatus.CLOSED
        self.plan.save()
        self.login(self.coordinator)
        r = self.client.get(self.url())
        self.assertIsNone(r.context["progress_form"])
        self.assertIsNone(r.context["comment_form"])
        self.assertFalse(r.context["can_manage"])
        self.assertNotContains(r, reverse("plans:task_edit", args=[self.task.pk]))

    def test_it_derives_progress_from_sub_tasks(self) -> None:
        a = Task.objects.create(plan=self.plan, parent=self.task, label="1.1", content="Cấp tỉnh", lead_unit=self.unit)
        Task.objects.create(plan=self.plan, parent=self.task, label="1.2", content="Cấp xã", lead_unit=self.unit)
        a.set_progress(100)
        a.save()
        self.task.roll_up()
        self.login(self.staff)
        r = self.client.get(self.url())
        self.assertContains(r, "derived from 2 sub-tasks")
        self.assertContains(r, "1.1) Cấp tỉnh")
        self.assertIsNone(r.context["progress_form"])
        self.assertContains(r, "progress comes from its sub-tasks: report on those instead.")

    def test_it_escapes_the_history_and_marks_mentions(self) -> None:
        TaskUpdate.objects.create(
            task=self.task, kind=UpdateKind.COMMENT, author=self.leader, text="<script>x</script> @staff xem lại"
        )
        self.login(self.staff)
        r = self.client.get(self.url())
        self.assertNotContains(r, "<script>x</script>")
        self.assertContains(r, "&lt;script&gt;x&lt;/script&gt;")
        self.assertContains(r, '<mark class="mention">@staff</mark> xem lại')

    def test_it_links_only_web_addresses(self) -> None:
        TaskUpdate.objects.create(
            task=self.task,
            kind=UpdateKind.PROGRESS,
            author=self.staff,
            progress=50,
            links="https://dichvucong.gov.vn/p/1\njavascript:alert(1)\nQuyết định 12/QĐ-SNgV",
        )
        self.login(self.staff)
        r = self.client.get(self.url())
        self.assertContains(r, 'href="https://dichvucong.gov.vn/p/1"')
        self.assertNotContains(r, 'href="javascript:')
        self.assertContains(r, "<li>javascript:alert(1)</li>")
        self.assertContains(r, "<li>Quyết định 12/QĐ-SNgV</li>")

    def test_it_shows_reassignments_and_extensions(self) -> None:
        TaskUpdate.objects.create(
            task=self.task,
            kind=UpdateKind.REASSIGN,
            author=self.coordinator,
            details={"lead_unit": ["Phòng Hợp tác quốc tế", "Văn phòng Sở"], "assignees": [["Phạm Minh Tuấn"], []]},
        )
        TaskUpdate.objects.create(
            task=self.task,
            kind=UpdateKind.EXTEND,
            author=self.coordinator,
            text="Chờ hướng dẫn",
            old_due_date=date(2026, 6, 30),
            new_due_date=date(2026, 9, 30),
        )
        self.login(self.staff)
        r = self.client.get(self.url())
        self.assertContains(r, "<del>Phòng Hợp tác quốc tế</del> → <ins>Văn phòng Sở</ins>", html=False)
        self.assertContains(r, "<del>30/06/2026</del> → <ins>30/09/2026</ins>")

    def test_it_marks_the_viewer_mentions_as_seen(self) -> None:
        mine = Mention.objects.create(update=self.update, person=self.unit_head)
        other = TaskUpdate.objects.create(task=self.draft_task, kind=UpdateKind.COMMENT, author=self.leader, text="x")
        elsewhere = Mention.objects.create(update=other, person=self.unit_head)
        someone = Mention.objects.create(update=self.update, person=self.leader)
        self.login(self.unit_head)
        self.client.get(self.url())
        mine.refresh_from_db()
        elsewhere.refresh_from_db()
        someone.refresh_from_db()
        self.assertIsNotNone(mine.seen_at)
        self.assertIsNone(elsewhere.seen_at)
        self.assertIsNone(someone.seen_at)

    def test_it_shows_a_cancelled_task(self) -> None:
        self.task.status = TaskStatus.CANCELLED
        self.task.cancel_reason = "Không còn phù hợp"
        self.task.save()
        self.login(self.staff)
        r = self.client.get(self.url())
        self.assertContains(r, "Không còn phù hợp")
        self.assertIsNone(r.context["progress_form"])


# Session, user, memberships; task, section, units, people, sub-tasks, updates and
# their files, mentions seen; the permission checks of the forms.
QUERIES = 14


class TaskDetailQueriesTestCase(PlanFixtures, FilesTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.create_plans()

    def add_updates(self, start: int, stop: int) -> None:
        for i in range(start, stop):
            update = TaskUpdate.objects.create(
                task=self.task,
                kind=UpdateKind.PROGRESS,
                author=self.staff,
                unit=self.unit,
                text=f"Lần {i} @unithead",
                progress=i,
                links="https://example.org/a",
            )
            self.attach(update, f"Báo cáo {i}.pdf", by=self.staff)

    def test_it_does_not_grow_with_the_history(self) -> None:
        self.login(self.coordinator)
        url = reverse("plans:task_detail", args=[self.task.pk])
        self.add_updates(0, 1)
        with self.assertNumQueries(QUERIES):
            self.client.get(url)
        self.add_updates(1, 10)
        with self.assertNumQueries(QUERIES):
            r = self.client.get(url)
        self.assertContains(r, "Báo cáo 9.pdf")
        self.assertContains(r, "Báo cáo 0.pdf")
