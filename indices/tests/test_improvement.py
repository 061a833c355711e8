"""The improvement plan drafted from an assessment's gaps: hand-worked losses, lead units, deadlines, targets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from cchc.test import BaseTestCase
from indices import improvement
from indices.models import AssessmentStatus, Evidence, ImprovementLink, Score
from indices.tests.base import PARFixtures
from plans.models import Plan, PlanKind, PlanStatus, Priority

D = Decimal


class ImprovementCase(PARFixtures, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.create_plans()
        cls.create_documents()
        cls.create_reports()
        cls.create_services()
        cls.create_par()
        # The agency's 2024 assessment, finalised.        final stage   max  lost
        #   1.1  self 3.5, round 1 3.0 (doc added by the coordinator: Office)   3.0    4   1.0
        #   1.2  self 3 (option), evidence: a task led by HTQT            3.0    6   3.0
        #   2.1  self 10                                                  10.0   10   0
        #   3.1  survey 15                                                15.0   20   5.0
        #   4.1  bonus 1, 4.2 bonus 0                                     +1
        #   5.1  penalty 1                                                −1          1.0 (a task too)
        # Index = (31 + 1 − 1) ÷ 40 × 100 = 77.50, group C.
        scores = {s.criterion.code: s for s in cls.assessment.scores.select_related("criterion")}
        scores["1.1"].round1_score = D("3.0")
        scores["1.2"].self_score = D(3)
        scores["2.1"].self_score = D(10)
        scores["3.1"].survey_score = D(15)
        scores["4.1"].self_score = D(1)
        scores["4.2"].self_score = D(0)
        scores["5.1"].self_score = D(1)
        Score.objects.bulk_update(scores.values(), ["self_score", "round1_score", "survey_score"])
        Evidence.objects.create(score=scores["1.2"], task=cls.task, added_by=cls.coordinator)
        cls.assessment.status = AssessmentStatus.FINAL
        cls.assessment.save()


class PreviewTests(ImprovementCase):
    def test_it_lists_a_task_per_criterion_that_lost_points(self) -> None:
        found = improvement.preview(self.assessment)
        self.assertEqual(found.result.index, D("77.50"))
        self.assertEqual(found.group, "C")
        self.assertEqual(found.year, 2025)
        self.assertEqual(found.title, "Nâng cao Chỉ số cải cách hành chính năm 2025")
        self.assertEqual([s.area.code for s in found.sections], ["1", "3", "5"])
        rows = [(t.criterion.code, t.lost, t.max_points, t.lead_unit, t.due_date, t.due_text) for t in found.tasks]
        self.assertEqual(
            rows,
            [
                ("1.1", D("1.00"), D(4), self.office, date(2025, 3, 31), "Quý I/2025"),
                ("1.2", D(3), D(6), self.unit, date(2025, 3, 31), "Quý I/2025"),
                ("3.1", D(5), D(20), self.office, date(2025, 6, 30), "Quý II/2025"),
                ("5.1", D(1), D(3), self.office, date(2025, 9, 30), "Quý III/2025"),
            ],
        )
        self.assertEqual(found.lost, D(10))
        self.assertEqual(found.unscored, 0)
        self.assertEqual(found.refusal, "")
        self.assertTrue(found.tasks[0].from_evidence)  # the coordinator added the document: the Office
        self.assertFalse(found.tasks[2].from_evidence)  # survey points have no evidence: the Office by default

    def test_the_targets_count_on_half_the_points_the_agency_controls(self) -> None:
        found = improvement.preview(self.assessment)
        # Controllable: 1 + 3 + 1 (penalty) = 5 of 40 → +6.25 → 83.75 (above B's 80).
        # Area 3 lost 5 of 20 (75.00) → 87.50; area 1 lost 4 of 10 (60.00) → 80.00.
        self.assertEqual(
            [(t.value, t.area.code if t.area else None) for t in found.targets],
            [(D("83.75"), None), (D("87.50"), "3"), (D("80.00"), "1")],
        )
        self.assertEqual(
            found.targets[0].statement,
            "Chỉ số CCHC năm 2025 của Sở Ngoại vụ đạt từ 83,75% trở lên (năm 2024: 77,50%, nhóm C)",
        )

    def test_the_index_target_is_at_least_the_next_groups_bound(self) -> None:
        self.criteria_set.bands = [{"label": "A", "min": 90}, {"label": "B", "min": 85}, {"label": "C", "min": 0}]
        self.criteria_set.save()
        self.assertEqual(improvement.preview(self.assessment).targets[0].value, D("85.00"))

    def test_items_not_scored_yet_are_left_out(self) -> None:
        Score.objects.filter(assessment=self.assessment, criterion__code__in=["1.2", "5.1"]).update(self_score=None)
        found = improvement.preview(self.assessment)
        self.assertEqual([t.criterion.code for t in found.tasks], ["1.1", "3.1"])
        self.assertEqual(found.unscored, 2)

    def test_the_stage_chooses_the_scores(self) -> None:
        # The agency's own 3.5 on 1.1 loses 0.5 only.
        found = improvement.preview(self.assessment, "self")
        self.assertEqual(found.tasks[0].lost, D("0.5"))

    def test_nothing_lost_refuses(self) -> None:
        for score in self.other_assessment.scores.select_related("criterion"):
            score.self_score = score.criterion.max_points if score.criterion.kind == "scored" else D(0)
            score.survey_score = score.criterion.max_points if score.criterion.method == "survey" else None
            score.save()
        found = improvement.preview(self.other_assessment)
        self.assertEqual(found.tasks, [])
        self.assertEqual(found.refusal, "No points were lost at this stage: there is nothing to improve.")
        with self.assertRaises(improvement.ImprovementError):
            improvement.draft_plan(self.other_assessment, self.coordinator)
        self.assertFalse(Plan.objects.filter(kind=PlanKind.INDEX).exists())


class DraftTests(ImprovementCase):
    def test_it_drafts_the_plan_with_tasks_links_and_targets(self) -> None:
        plan = improvement.draft_plan(self.assessment, self.coordinator)
        self.assertEqual((plan.kind, plan.year, plan.status), (PlanKind.INDEX, 2025, PlanStatus.DRAFT))
        self.assertEqual(plan.title, "Nâng cao Chỉ số cải cách hành chính năm 2025")
        self.assertEqual((plan.period_start, plan.period_end), (date(2025, 1, 1), date(2025, 12, 31)))
        self.assertEqual(plan.place, "Bình Phước")
        self.assertEqual(plan.signer_position, "Giám đốc")
        self.assertIn("Sở Nội vụ (b/c)", plan.recipients)
        self.assertIn("đạt 77,50%, nhóm C; mất 10,00 điểm tại 4 tiêu chí", plan.purpose)
        self.assertEqual(plan.created_by, self.coordinator)
        self.assertEqual(
            [(s.label, s.title, s.parent.label if s.parent else None) for s in plan.sections.all()],
            [
                ("I", "MỤC TIÊU, CHỈ TIÊU", None),
                ("II", "NHIỆM VỤ KHẮC PHỤC TỒN TẠI, HẠN CHẾ, NÂNG CAO CHỈ SỐ CCHC", None),
                ("1", "1. Công tác chỉ đạo, điều hành CCHC", "II"),
                ("2", "3. Khảo sát xã hội học", "II"),
                ("3", "5. Điểm trừ", "II"),
            ],
        )
        tasks = list(plan.tasks.select_related("lead_unit", "section").order_by("order"))
        fix = "Khắc phục hạn chế ở tiêu chí"
        self.assertEqual(
            [(t.label, t.content, t.lead_unit.abbreviation, t.due_date, t.due_text) for t in tasks],
            [
                ("1.1", f"{fix} 1.1: Ban hành kế hoạch CCHC năm", "VP", date(2025, 3, 31), "Quý I/2025"),
                ("1.2", f"{fix} 1.2: Báo cáo CCHC định kỳ", "HTQT", date(2025, 3, 31), "Quý I/2025"),
                ("2.1", f"{fix} 3.1: Mức độ hài lòng của người dân, tổ chức", "VP", date(2025, 6, 30), "Quý II/2025"),
                ("3.1", f"{fix} 5.1: Bị phê bình về CCHC", "VP", date(2025, 9, 30), "Quý III/2025"),
            ],
        )
        self.assertEqual(
            tasks[0].output,
            "Đạt tối đa 4,00 điểm tại tiêu chí 1.1 (năm 2024 mất 1,00 điểm); tài liệu kiểm chứng đầy đủ.",
        )
        self.assertEqual(tasks[3].output, "Không để bị trừ điểm tại tiêu chí 5.1 (năm 2024 bị trừ 1,00 điểm).")
        self.assertEqual(
            [t.priority for t in tasks], [Priority.NORMAL, Priority.HIGH, Priority.NORMAL, Priority.NORMAL]
        )
        links = ImprovementLink.objects.filter(task__plan=plan).order_by("task__order")
        self.assertEqual(
            [(link.criterion and link.criterion.code, link.points_at_stake) for link in links],
            [("1.1", D("1.00")), ("1.2", D("3.00")), ("3.1", D("5.00")), ("5.1", D("1.00"))],
        )
        self.assertEqual([t.value for t in plan.targets.all()], [D("83.75"), D("87.50"), D("80.00")])
        self.assertTrue(all(t.section and t.section.label == "I" for t in plan.targets.select_related("section")))
        bases = list(plan.legal_bases.all())
        self.assertEqual([(b.doc_type, b.symbol) for b in bases], [("QĐ", "1156/QĐ-UBND")])
        version = plan.versions.get()
        self.assertEqual(version.number, 1)
        self.assertEqual(version.created_by, self.coordinator)
        self.assertEqual(len(version.snapshot["tasks"]), 4)

    def test_a_second_draft_is_refused_with_the_first(self) -> None:
        first = improvement.draft_plan(self.assessment, self.coordinator)
        with self.assertRaises(improvement.ImprovementError) as caught:
            improvement.draft_plan(self.assessment, self.coordinator)
        self.assertEqual(caught.exception.plan, first)
        self.assertIn("already drafted", caught.exception.message)
        self.assertEqual(Plan.objects.filter(kind=PlanKind.INDEX).count(), 1)

    def test_a_deleted_draft_can_be_drafted_again(self) -> None:
        improvement.draft_plan(self.assessment, self.coordinator).delete()
        self.assertIsNone(improvement.drafted_from(self.assessment))
        improvement.draft_plan(self.assessment, self.coordinator)
        self.assertEqual(Plan.objects.filter(kind=PlanKind.INDEX).count(), 1)


class ViewTests(ImprovementCase):
    def url(self) -> str:
        return reverse("par:improvement_plan", args=[self.assessment.pk])

    def test_it_previews_the_tasks_and_targets(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(self.url())
        self.assertContains(response, "Khắc phục hạn chế ở tiêu chí 1.2: Báo cáo CCHC định kỳ")
        self.assertContains(response, "Chỉ số CCHC năm 2025 của Sở Ngoại vụ đạt từ 83,75% trở lên")
        self.assertContains(response, "77.50")
        self.assertContains(response, "Draft the plan")
        self.assertFalse(Plan.objects.filter(kind=PlanKind.INDEX).exists())

    def test_posting_drafts_and_opens_the_plan(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url())
        plan = Plan.objects.get(kind=PlanKind.INDEX)
        self.assertRedirects(response, reverse("plans:detail", args=[plan.pk]))
        self.assertEqual(plan.tasks.count(), 4)

    def test_posting_again_links_to_the_first_draft(self) -> None:
        self.login(self.coordinator)
        self.client.post(self.url())
        plan = Plan.objects.get(kind=PlanKind.INDEX)
        response = self.client.post(self.url(), follow=True)
        self.assertContains(response, "An improvement plan was already drafted from this assessment")
        self.assertContains(response, reverse("plans:detail", args=[plan.pk]))
        self.assertNotContains(response, "Draft the plan</button>")
        self.assertEqual(Plan.objects.filter(kind=PlanKind.INDEX).count(), 1)

    def test_the_leader_and_the_overseer_cannot_draft(self) -> None:
        for person in (self.leader, self.overseer):
            self.login(person)
            self.assertEqual(self.client.post(self.url()).status_code, 403)
        self.assertFalse(Plan.objects.filter(kind=PlanKind.INDEX).exists())
