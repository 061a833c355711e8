"""Comments, and people named in the history with @username."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.core import mail
from django.urls import reverse

from plans.models import Mention, PlanStatus, TaskUpdate, UpdateKind
from plans.tests.base import PlansTestCase


class CommentTestCase(PlansTestCase):
    def post(self, text: str = "Đề nghị khẩn trương", **headers: Any) -> Any:
        return self.client.post(reverse("plans:task_comment", args=[self.task.pk]), {"text": text}, **headers)

    def test_it_adds_a_comment(self) -> None:
        self.login(self.leader)
        r = self.post()
        self.assertRedirects(r, reverse("plans:task_detail", args=[self.task.pk]), fetch_redirect_response=False)
        update = TaskUpdate.objects.get(kind=UpdateKind.COMMENT)
        self.assertEqual((update.author, update.text, update.progress), (self.leader, "Đề nghị khẩn trương", None))

    def test_it_answers_htmx_with_the_history(self) -> None:
        self.login(self.leader)
        r = self.post(headers={"HX-Request": "true"})
        self.assertEqual(r.status_code, 200)
        self.assertTemplateUsed(r, "plans/_task_activity.html")
        self.assertTemplateNotUsed(r, "plans/task_detail.html")
        self.assertContains(r, "Đề nghị khẩn trương")
        self.assertContains(r, 'id="task-activity"')
        self.assertTrue(TaskUpdate.objects.filter(kind=UpdateKind.COMMENT).exists())

    def test_it_answers_htmx_with_the_form_errors(self) -> None:
        self.login(self.leader)
        r = self.post("  ", headers={"HX-Request": "true"})
        self.assertTemplateUsed(r, "plans/_task_activity.html")
        self.assertContains(r, "Write the comment.")
        self.assertFalse(TaskUpdate.objects.filter(kind=UpdateKind.COMMENT).exists())

    def test_it_shows_the_page_with_errors_without_htmx(self) -> None:
        self.login(self.leader)
        r = self.post("")
        self.assertTemplateUsed(r, "plans/task_detail.html")
        self.assertContains(r, "Write the comment.")
        self.assertFalse(TaskUpdate.objects.filter(kind=UpdateKind.COMMENT).exists())

    def test_it_is_allowed_on_a_draft_plan(self) -> None:
        self.login(self.staff)
        self.client.post(reverse("plans:task_comment", args=[self.draft_task.pk]), {"text": "Góp ý dự thảo"})
        self.assertTrue(TaskUpdate.objects.filter(task=self.draft_task, kind=UpdateKind.COMMENT).exists())

    def test_it_refuses_a_closed_plan(self) -> None:
        self.plan.status = PlanStatus.CLOSED
        self.plan.save()
        self.login(self.leader)
        r = self.post()
        messages = [str(m) for m in r.wsgi_request._messages]
        self.assertEqual(messages, ["The plan is closed: its tasks can no longer be updated."])
        self.assertFalse(TaskUpdate.objects.filter(kind=UpdateKind.COMMENT).exists())

    def test_it_sends_htmx_to_the_whole_page_on_a_closed_plan(self) -> None:
        self.plan.status = PlanStatus.CLOSED
        self.plan.save()
        self.login(self.leader)
        r = self.post(headers={"HX-Request": "true"})
        self.assertEqual(r.headers["HX-Redirect"], reverse("plans:task_detail", args=[self.task.pk]))
        self.assertFalse(TaskUpdate.objects.filter(kind=UpdateKind.COMMENT).exists())

    def test_it_is_for_the_agency_people(self) -> None:
        self.login(self.overseer)
        self.assertEqual(self.post().status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.post().status_code, 404)
        self.assertFalse(TaskUpdate.objects.filter(kind=UpdateKind.COMMENT).exists())


class MentionTestCase(PlansTestCase):
    def post(self, name: str, text: str, **data: Any) -> Any:
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse(name, args=[self.task.pk]), {"text": text, **data})

    def test_a_comment_mentions_and_mails_people(self) -> None:
        self.login(self.leader)
        self.post("plans:task_comment", "@staff và @UnitHead báo cáo trước thứ Sáu. Cc @nobody, a@b.vn")
        update = TaskUpdate.objects.get(kind=UpdateKind.COMMENT)
        mentions = Mention.objects.filter(update=update).order_by("person__username")
        self.assertEqual([m.person for m in mentions], [self.staff, self.unit_head])
        self.assertEqual({m.seen_at for m in mentions}, {None})
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["staff@example.org", "unithead@example.org"])
        message = mail.outbox[0]
        self.assertEqual(message.subject, "Nguyễn Thị Hà mentioned you in a task")
        self.assertIn("báo cáo trước thứ Sáu", message.body)
        self.assertIn(f"http://testserver{reverse('plans:task_detail', args=[self.task.pk])}", message.body)
        html = message.alternatives[0][0]  # type: ignore[union-attr]
        self.assertIn("Open the task", str(html))

    def test_a_progress_update_mentions_people(self) -> None:
        self.login(self.staff)
        self.post("plans:task_progress", "Xong phần rà soát, nhờ @coordinator kiểm tra", progress="70")
        update = TaskUpdate.objects.get(kind=UpdateKind.PROGRESS, progress=70)
        self.assertEqual([m.person for m in update.mentions.all()], [self.coordinator])
        self.assertEqual([m.to for m in mail.outbox], [["coordinator@example.org"]])

    def test_it_does_not_mention_the_author_or_people_outside_the_agency(self) -> None:
        self.login(self.leader)
        self.post("plans:task_comment", "@leader @outsider @overseer")
        self.assertFalse(Mention.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_it_skips_people_without_an_address(self) -> None:
        self.staff.email = ""
        self.staff.save()
        self.login(self.leader)
        self.post("plans:task_comment", "@staff")
        self.assertEqual(Mention.objects.get().person, self.staff)
        self.assertEqual(mail.outbox, [])

    def test_a_failed_mail_keeps_the_comment(self) -> None:
        self.login(self.leader)
        with (
            mock.patch("plans.mentions.send", side_effect=OSError("SMTP down")),
            self.assertLogs("plans.mentions", "ERROR") as logs,
        ):
            r = self.post("plans:task_comment", "@staff xem lại")
        self.assertEqual(r.status_code, 302)
        self.assertEqual(Mention.objects.get().person, self.staff)
        self.assertIn("Could not send the mention e-mail", logs.output[0])

    def test_opening_the_task_marks_the_mention_seen(self) -> None:
        self.login(self.leader)
        self.post("plans:task_comment", "@staff xem lại")
        self.login(self.staff)
        r = self.client.get(reverse("plans:task_detail", args=[self.task.pk]))
        self.assertContains(r, '<mark class="mention">@staff</mark>')
        self.assertIsNotNone(Mention.objects.get().seen_at)
