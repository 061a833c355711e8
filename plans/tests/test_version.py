"""Versions of a plan: the list, one snapshot read-only, and what changed from the version before."""

from __future__ import annotations

from typing import Any

from plans import actions
from plans.models import LegalBasis, Plan, PlanStatus, Section, Target, Task
from plans.tests.base import PlansTestCase
from plans.versions import differences


class VersionPagesTestCase(PlansTestCase):
    def amend(self) -> None:
        self.task.content = "Rà soát, công bố và niêm yết thủ tục hành chính"
        self.task.due_text = "Quý III/2026"
        self.task.save()
        Task.objects.create(plan=self.plan, label="2", content="Số hoá hồ sơ", lead_unit=self.office)
        LegalBasis.objects.create(plan=self.plan, symbol="76/NQ-CP", summary="Chương trình tổng thể")
        self.plan.budget = "450 triệu đồng"
        self.plan.save()
        actions.record_version(self.plan, self.coordinator, "Amended")

    def test_it_lists_the_versions(self) -> None:
        self.amend()
        self.login(self.staff)
        response = self.client.get(f"/plans/{self.plan.pk}/versions/")
        self.assertEqual([v.number for v in response.context["versions"]], [2, 1])
        self.assertContains(response, "Ban hành")
        self.assertContains(response, "Trần Văn Bình")
        self.assertContains(response, f'href="/plans/{self.plan.pk}/versions/2/"')

    def test_the_first_version_shows_its_snapshot(self) -> None:
        self.login(self.overseer)
        response = self.client.get(f"/plans/{self.plan.pk}/versions/1/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This is the first version.")
        self.assertContains(response, "01/KH-SNgV")
        self.assertContains(response, "Bình Phước, 20/12/2025")
        self.assertContains(response, "520/KH-UBND")
        self.assertContains(response, "Rà soát, công bố thủ tục hành chính")
        self.assertContains(response, "Thủ tục hành chính")  # the area's short name, from its code
        self.assertContains(response, "Tối thiểu 50% hồ sơ được tiếp nhận trực tuyến")
        self.assertContains(response, "≥ 50")

    def test_a_later_version_shows_what_changed(self) -> None:
        self.amend()
        self.login(self.leader)
        response = self.client.get(f"/plans/{self.plan.pk}/versions/2/")
        changes = response.context["changes"]
        self.assertEqual([(str(c.label), c.old, c.new) for c in changes.fields], [("budget", "", "450 triệu đồng")])
        self.assertEqual([t["content"] for t in changes.tasks_added], ["Số hoá hồ sơ"])
        self.assertEqual(changes.tasks_removed, [])
        [changed] = changes.tasks_changed
        self.assertEqual(
            [(str(c.label), c.old, c.new) for c in changed.changes],
            [
                ("task", "Rà soát, công bố thủ tục hành chính", "Rà soát, công bố và niêm yết thủ tục hành chính"),
                ("deadline as printed", "Quý II/2026", "Quý III/2026"),
            ],
        )
        self.assertEqual(changes.bases_added, ["76/NQ-CP Chương trình tổng thể"])
        self.assertContains(response, "Compared with version 1.")
        self.assertContains(response, "Số hoá hồ sơ")

    def test_an_unchanged_version_says_so(self) -> None:
        actions.record_version(self.plan, self.coordinator, "Amended")
        self.login(self.coordinator)
        response = self.client.get(f"/plans/{self.plan.pk}/versions/2/")
        self.assertContains(response, "Nothing changed since version 1.")

    def test_a_missing_version_or_someone_else_s_plan_is_404(self) -> None:
        self.login(self.coordinator)
        self.assertEqual(self.client.get(f"/plans/{self.plan.pk}/versions/9/").status_code, 404)
        self.assertEqual(self.client.get(f"/plans/{self.draft_plan.pk}/versions/1/").status_code, 404)
        self.login(self.outsider)
        self.assertEqual(self.client.get(f"/plans/{self.plan.pk}/versions/1/").status_code, 404)
        self.assertEqual(self.client.get(f"/plans/{self.plan.pk}/versions/").status_code, 404)

    def test_an_old_or_damaged_snapshot_still_renders(self) -> None:
        version = self.plan.versions.get(number=1)
        version.snapshot = {
            "plan": {"title": "Cũ", "issued_on": "not a date"},
            "tasks": [{"content": "x"}],
            "targets": [["y"]],
        }
        version.save()
        actions.record_version(self.plan, self.coordinator, "Amended")
        self.login(self.coordinator)
        for number in (1, 2):
            response = self.client.get(f"/plans/{self.plan.pk}/versions/{number}/")
            self.assertEqual(response.status_code, 200)


class DifferencesTestCase(PlansTestCase):
    def snapshot(self) -> dict[str, Any]:
        return actions.snapshot(Plan.objects.get(pk=self.plan.pk))

    def test_tasks_with_the_same_label_under_other_headings_are_not_confused(self) -> None:
        other = Section.objects.create(plan=self.plan, label="III", title="KHÁC")
        Task.objects.create(plan=self.plan, section=self.section, label="a", content="Việc một", lead_unit=self.unit)
        Task.objects.create(plan=self.plan, section=other, label="a", content="Việc hai", lead_unit=self.unit)
        before = self.snapshot()
        Task.objects.filter(content="Việc hai").delete()
        Task.objects.create(plan=self.plan, section=other, label="a", content="Việc ba", lead_unit=self.unit)
        result = differences(before, self.snapshot(), {})
        self.assertEqual([t["content"] for t in result.tasks_added], ["Việc ba"])
        self.assertEqual([t["content"] for t in result.tasks_removed], ["Việc hai"])
        self.assertEqual(result.tasks_changed, [])

    def test_a_relabelled_task_is_a_change(self) -> None:
        before = self.snapshot()
        Task.objects.filter(pk=self.task.pk).update(label="2", status="done")
        result = differences(before, self.snapshot(), {})
        [changed] = result.tasks_changed
        self.assertEqual(
            [(str(c.label), c.old, c.new) for c in changed.changes],
            [("outline position", "1", "2"), ("status", "In progress", "Done")],
        )

    def test_targets_sections_and_status_changes_are_listed(self) -> None:
        before = self.snapshot()
        Target.objects.filter(pk=self.target.pk).update(value=60)
        Section.objects.create(plan=self.plan, label="III", title="TỔ CHỨC THỰC HIỆN")
        Plan.objects.filter(pk=self.plan.pk).update(status=PlanStatus.CLOSED, title="Tên mới")
        result = differences(before, self.snapshot(), {})
        self.assertEqual(result.targets_added, ["Tối thiểu 50% hồ sơ được tiếp nhận trực tuyến ≥ 60"])
        self.assertEqual(result.targets_removed, ["Tối thiểu 50% hồ sơ được tiếp nhận trực tuyến ≥ 50"])
        self.assertEqual(result.sections_added, ["III TỔ CHỨC THỰC HIỆN"])
        self.assertEqual([str(c.label) for c in result.fields], ["title (trích yếu)"])
        self.assertTrue(result.changed)
