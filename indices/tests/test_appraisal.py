"""The appraisal workflow (indices/appraisal.py): who may take which step, in which order, with what kept.

Scores on the fixture set (see indices/tests/base.py): the agency self-scored
1.1 = 3.5 (of 4, step 0.5), 1.2 = 6 (options 0/3/6), 2.1 = 8 (of 10); the survey
gives 3.1 = 15 (of 20).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
from django.core.exceptions import PermissionDenied

from accounts.models import User
from cchc.test import BaseTestCase
from indices import appraisal, scoring
from indices.appraisal import AppraisalError, Entry
from indices.models import Assessment, AssessmentStatus, Score
from indices.tests.base import PARFixtures
from lib import xlsx
from notifications.models import Notification

D = Decimal
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH_10 = datetime(2025, 3, 10, 9, 0, tzinfo=HCM)
MARCH_15_EVENING = datetime(2025, 3, 15, 22, 0, tzinfo=HCM)
MARCH_16 = datetime(2025, 3, 16, 8, 0, tzinfo=HCM)


class AppraisalTestCase(PARFixtures, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.create_plans()
        cls.create_documents()
        cls.create_par()
        for code, value in (("1.2", "6"), ("2.1", "8")):
            cls.assessment.scores.filter(criterion__code=code).update(self_score=D(value))
        Assessment.objects.filter(pk=cls.assessment.pk).update(
            status=AssessmentStatus.SUBMITTED, submitted_by=cls.leader, submitted_at=MARCH_10
        )
        cls.assessment.refresh_from_db()

    def item(self, code: str, assessment: Assessment | None = None) -> Score:
        return (
            (assessment or self.assessment).scores.select_related("criterion", "assessment").get(criterion__code=code)
        )

    def to(self, status: str, **fields: Any) -> None:
        Assessment.objects.filter(pk=self.assessment.pk).update(status=status, **fields)
        self.assessment.refresh_from_db()

    def disputed_round1(self) -> None:
        """Round 1 gave 1.1 = 3 and 1.2 = 3 (disputed) and agreed with 2.1."""
        self.to(AssessmentStatus.ROUND1)
        appraisal.save_round1(self.item("1.1"), self.overseer, "3", "Kế hoạch ban hành muộn.", now=MARCH_10)
        appraisal.save_round1(self.item("1.2"), self.overseer, "3", "Thiếu báo cáo quý III.", now=MARCH_10)
        appraisal.save_round1(self.item("2.1"), self.overseer, "8", "", now=MARCH_10)

    def explaining(self) -> None:
        self.disputed_round1()
        appraisal.ask_explanations(self.assessment, self.overseer, date(2025, 3, 15), now=MARCH_10)


class StepOrderTests(AppraisalTestCase):
    def test_round1_starts_only_after_submission(self) -> None:
        self.to(AssessmentStatus.SELF)
        with self.assertRaisesMessage(AppraisalError, "Only a submitted self-assessment can be taken into appraisal."):
            appraisal.start_round1(self.assessment, self.overseer)
        self.assertEqual(Assessment.objects.get(pk=self.assessment.pk).status, AssessmentStatus.SELF)

    def test_the_province_starts_round1(self) -> None:
        appraisal.start_round1(self.assessment, self.overseer)
        self.assertEqual(self.assessment.status, AssessmentStatus.ROUND1)
        self.assertEqual(Assessment.objects.get(pk=self.assessment.pk).status, AssessmentStatus.ROUND1)

    def test_the_agency_may_not_appraise_itself(self) -> None:
        for person in (self.coordinator, self.leader, self.outsider):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                appraisal.start_round1(self.assessment, person)
        self.to(AssessmentStatus.ROUND1)
        with self.assertRaises(PermissionDenied):
            appraisal.save_round1(self.item("1.1"), self.coordinator, "4", "")
        self.assertIsNone(self.item("1.1").round1_score)

    def test_round1_scores_wait_for_round1(self) -> None:
        with self.assertRaisesMessage(AppraisalError, "Round 1 scores are entered during round 1 only."):
            appraisal.save_round1(self.item("1.1"), self.overseer, "3", "x")
        with self.assertRaisesMessage(AppraisalError, "Round 2 scores are entered during round 2 only."):
            appraisal.save_round2(self.item("1.1"), self.overseer, "3", "x")

    def test_round2_needs_round1_first(self) -> None:
        with self.assertRaisesMessage(AppraisalError, "Round 2 follows round 1 and the agency's explanations."):
            appraisal.start_round2(self.assessment, self.overseer)

    def test_explanations_are_asked_at_the_end_of_round1(self) -> None:
        with self.assertRaisesMessage(AppraisalError, "Explanations are asked for at the end of round 1."):
            appraisal.ask_explanations(self.assessment, self.overseer, date(2025, 3, 15), now=MARCH_10)

    def test_finalise_needs_round2(self) -> None:
        self.to(AssessmentStatus.ROUND1)
        with self.assertRaisesMessage(AppraisalError, "The council finalises after appraisal round 2."):
            appraisal.finalise(self.assessment, self.overseer)


class Round1Tests(AppraisalTestCase):
    def test_it_keeps_the_score_comment_who_and_when(self) -> None:
        self.disputed_round1()
        score = self.item("1.1")
        self.assertEqual((score.self_score, score.round1_score), (D("3.5"), D(3)))
        self.assertEqual(score.round1_comment, "Kế hoạch ban hành muộn.")
        self.assertEqual((score.round1_by, score.round1_at), (self.overseer, MARCH_10))
        self.assertTrue(score.disputed)
        self.assertFalse(self.item("2.1").disputed)

    def test_it_checks_the_score_against_the_set(self) -> None:
        self.to(AssessmentStatus.ROUND1)
        with self.assertRaisesMessage(AppraisalError, "4.5 is above the maximum of 4 points."):
            appraisal.save_round1(self.item("1.1"), self.overseer, "4.5", "x")
        with self.assertRaisesMessage(AppraisalError, "The score must be one of 0, 3, 6."):
            appraisal.save_round1(self.item("1.2"), self.overseer, "4", "x")
        self.assertIsNone(self.item("1.1").round1_score)

    def test_a_different_score_needs_a_comment(self) -> None:
        self.to(AssessmentStatus.ROUND1)
        with self.assertRaisesMessage(AppraisalError, "Say why the score differs from the agency's own"):
            appraisal.save_round1(self.item("1.1"), self.overseer, "3", "  ")

    def test_survey_items_are_not_appraised(self) -> None:
        self.to(AssessmentStatus.ROUND1)
        with self.assertRaisesMessage(AppraisalError, "Survey items get their points from the survey"):
            appraisal.save_round1(self.item("3.1"), self.overseer, "10", "x")

    def test_a_table_is_saved_whole_or_not_at_all(self) -> None:
        self.to(AssessmentStatus.ROUND1)
        good, bad = self.item("1.1"), self.item("1.2")
        with self.assertRaises(AppraisalError) as caught:
            appraisal.save_appraisal(
                self.assessment,
                self.overseer,
                [Entry(good, "3", "Muộn."), Entry(bad, "5", "Thiếu.")],
            )
        self.assertEqual(caught.exception.message, "Nothing was saved: correct the rows marked below.")
        self.assertEqual(caught.exception.errors, {bad.pk: ["The score must be one of 0, 3, 6."]})
        self.assertIsNone(self.item("1.1").round1_score)
        changed = appraisal.save_appraisal(
            self.assessment, self.overseer, [Entry(self.item("1.1"), "3", "Muộn."), Entry(self.item("1.2"))]
        )
        self.assertEqual(changed, 1)
        self.assertIsNone(self.item("1.2").round1_by)


class ExplanationTests(AppraisalTestCase):
    def test_asking_tells_the_agencys_coordinators_and_leaders(self) -> None:
        self.disputed_round1()
        items = appraisal.ask_explanations(self.assessment, self.overseer, date(2025, 3, 15), now=MARCH_10)
        self.assertEqual([s.criterion.code for s in items], ["1.1", "1.2"])
        self.assertEqual(self.assessment.status, AssessmentStatus.EXPLAINING)
        self.assertEqual(self.assessment.explanation_due, date(2025, 3, 15))
        told = Notification.objects.filter(key__startswith=f"par_assessment:{self.assessment.pk}:explain")
        self.assertEqual({n.recipient for n in told}, {self.coordinator, self.leader})
        note = told.get(recipient=self.coordinator)
        self.assertIn("1.1, 1.2", note.body)
        self.assertIn("15/03/2025", note.body)

    def test_the_due_date_cannot_be_past(self) -> None:
        self.disputed_round1()
        with self.assertRaisesMessage(AppraisalError, "The due date for explanations cannot be in the past."):
            appraisal.ask_explanations(self.assessment, self.overseer, date(2025, 3, 9), now=MARCH_10)

    def test_nothing_disputed_goes_straight_to_round2(self) -> None:
        self.to(AssessmentStatus.ROUND1)
        with self.assertRaisesMessage(AppraisalError, "No item is disputed"):
            appraisal.ask_explanations(self.assessment, self.overseer, date(2025, 3, 15), now=MARCH_10)
        appraisal.start_round2(self.assessment, self.overseer)
        self.assertEqual(self.assessment.status, AssessmentStatus.ROUND2)

    def test_disputed_items_need_explanations_before_round2(self) -> None:
        self.disputed_round1()
        with self.assertRaisesMessage(AppraisalError, "Some items are disputed"):
            appraisal.start_round2(self.assessment, self.overseer)

    def test_the_agency_answers_disputed_items_until_the_due_date(self) -> None:
        self.explaining()
        appraisal.save_answer(self.item("1.1"), self.coordinator, "Kế hoạch ban hành ngày 10/01.", now=MARCH_15_EVENING)
        score = self.item("1.1")
        self.assertEqual(score.answer, "Kế hoạch ban hành ngày 10/01.")
        self.assertEqual((score.answer_by, score.answer_at), (self.coordinator, MARCH_15_EVENING))
        with self.assertRaisesMessage(
            AppraisalError, "The explanations were due on 15/03/2025; answers are no longer accepted."
        ):
            appraisal.save_answer(self.item("1.2"), self.leader, "Đã gửi.", now=MARCH_16)
        self.assertEqual(self.item("1.2").answer, "")

    def test_only_disputed_items_are_answered(self) -> None:
        self.explaining()
        with self.assertRaisesMessage(AppraisalError, "Only items the appraisers scored differently are explained."):
            appraisal.save_answer(self.item("2.1"), self.coordinator, "…", now=MARCH_10)
        with self.assertRaisesMessage(AppraisalError, "Write the explanation."):
            appraisal.save_answer(self.item("1.1"), self.coordinator, " ", now=MARCH_10)

    def test_only_the_agencys_coordinators_and_leaders_answer(self) -> None:
        self.explaining()
        for person in (self.staff, self.unit_head, self.overseer, self.outsider):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                appraisal.save_answer(self.item("1.1"), person, "…", now=MARCH_10)

    def test_answers_are_given_only_while_explaining(self) -> None:
        self.disputed_round1()
        with self.assertRaisesMessage(AppraisalError, "Explanations are given only while the province asks for them."):
            appraisal.save_answer(self.item("1.1"), self.coordinator, "…", now=MARCH_10)

    def test_round2_waits_for_the_answers_or_the_due_date(self) -> None:
        self.explaining()
        appraisal.save_answer(self.item("1.1"), self.coordinator, "Đã ban hành.", now=MARCH_10)
        with self.assertRaisesMessage(
            AppraisalError, "1 disputed items are not answered yet and the explanations are due on 15/03/2025"
        ):
            appraisal.start_round2(self.assessment, self.overseer, now=MARCH_15_EVENING)
        appraisal.start_round2(self.assessment, self.overseer, now=MARCH_16)
        self.assertEqual(self.assessment.status, AssessmentStatus.ROUND2)

    def test_round2_starts_once_every_item_is_answered(self) -> None:
        self.explaining()
        appraisal.save_answer(self.item("1.1"), self.coordinator, "Đã ban hành.", now=MARCH_10)
        appraisal.save_answer(self.item("1.2"), self.leader, "Đã gửi đủ.", now=MARCH_10)
        appraisal.start_round2(self.assessment, self.overseer, now=MARCH_10)
        self.assertEqual(self.assessment.status, AssessmentStatus.ROUND2)


class FinalTests(AppraisalTestCase):
    def run_to_round2(self) -> None:
        self.explaining()
        appraisal.save_answer(self.item("1.1"), self.coordinator, "Đã ban hành.", now=MARCH_10)
        appraisal.save_answer(self.item("1.2"), self.leader, "Đã gửi đủ.", now=MARCH_10)
        appraisal.start_round2(self.assessment, self.overseer, now=MARCH_10)
        appraisal.save_survey_points(self.assessment, self.overseer, {self.item("3.1").criterion: "15"}, "Khảo sát")

    def test_a_full_appraisal_keeps_every_round(self) -> None:
        self.run_to_round2()
        # Round 2 accepts the agency's answer on 1.2 (6) and keeps 1.1 at 3; the council gives 1.1 = 3.5.
        appraisal.save_round2(self.item("1.2"), self.overseer, "6", "Chấp nhận giải trình.", now=MARCH_16)
        appraisal.save_round2(self.item("1.1"), self.overseer, "3", "Giữ nguyên.", now=MARCH_16)
        finalised = datetime(2025, 3, 20, 10, 0, tzinfo=HCM)
        appraisal.finalise(
            self.assessment, self.admin, {self.item("1.1"): ("3.5", "Hội đồng chấp nhận.")}, now=finalised
        )
        self.assertEqual(self.assessment.status, AssessmentStatus.FINAL)
        stored = Assessment.objects.get(pk=self.assessment.pk)
        self.assertEqual((stored.finalised_by, stored.finalised_at), (self.admin, finalised))
        score = self.item("1.1")
        self.assertEqual(
            (score.self_score, score.round1_score, score.round2_score, score.final_score),
            (D("3.5"), D(3), D(3), D("3.5")),
        )
        self.assertEqual(score.answer, "Đã ban hành.")
        self.assertEqual(
            (score.round1_by, score.answer_by, score.round2_by), (self.overseer, self.coordinator, self.overseer)
        )
        self.assertEqual((score.round1_at, score.round2_at), (MARCH_10, MARCH_16))
        self.assertEqual(score.final_comment, "Hội đồng chấp nhận.")
        # self: 3.5 + 6 + 8 + 15 = 32.5 / 40 = 81.25; appraised: 3 + 6 + 8 + 15 = 32 → 80; final: 32.5 → 81.25.
        indices = {stage: scoring.compute(stored, stage).index for stage in scoring.STAGES}
        self.assertEqual(indices, {"self": D("81.25"), "appraised": D("80.00"), "final": D("81.25")})
        told = Notification.objects.filter(key=f"par_assessment:{self.assessment.pk}:final")
        self.assertEqual({n.recipient for n in told}, {self.coordinator, self.leader})
        self.assertIn("81,25", told.get(recipient=self.leader).body)  # Vietnamese decimal comma

    def test_nothing_changes_after_the_council(self) -> None:
        self.run_to_round2()
        appraisal.finalise(self.assessment, self.overseer)
        with self.assertRaisesMessage(AppraisalError, "Round 2 scores are entered during round 2 only."):
            appraisal.save_round2(self.item("1.1"), self.overseer, "4", "x")
        with self.assertRaisesMessage(AppraisalError, "its survey points no longer change"):
            appraisal.save_survey_points(self.assessment, self.overseer, {self.item("3.1").criterion: "20"})
        with self.assertRaisesMessage(AppraisalError, "The council finalises after appraisal round 2."):
            appraisal.finalise(self.assessment, self.overseer)

    def test_the_councils_column_is_checked_too(self) -> None:
        self.run_to_round2()
        with self.assertRaises(AppraisalError) as caught:
            appraisal.finalise(self.assessment, self.overseer, {self.item("1.1"): ("3.25", "")})
        self.assertEqual(
            caught.exception.errors, {self.item("1.1").pk: ["Final score: The score must be a multiple of 0.5."]}
        )
        self.assertEqual(Assessment.objects.get(pk=self.assessment.pk).status, AssessmentStatus.ROUND2)


class SurveyPointTests(AppraisalTestCase):
    def test_the_overseer_enters_points_even_before_submission(self) -> None:
        self.to(AssessmentStatus.SELF)
        survey = self.item("3.1").criterion
        changed = appraisal.save_survey_points(self.assessment, self.overseer, {survey: "15,5"}, "Báo cáo khảo sát")
        self.assertEqual(changed, 1)
        score = self.item("3.1")
        self.assertEqual((score.survey_score, score.survey_source), (D("15.5"), "Báo cáo khảo sát"))
        appraisal.save_survey_points(self.assessment, self.overseer, {survey: ""})
        self.assertIsNone(self.item("3.1").survey_score)

    def test_only_appraisers_enter_survey_points(self) -> None:
        with self.assertRaises(PermissionDenied):
            appraisal.save_survey_points(self.assessment, self.coordinator, {self.item("3.1").criterion: "15"})

    def test_only_survey_items_within_their_maximum(self) -> None:
        survey, other = self.item("3.1").criterion, self.item("2.1").criterion
        with self.assertRaises(AppraisalError) as caught:
            appraisal.save_survey_points(self.assessment, self.overseer, {survey: "21", other: "5"})
        self.assertEqual(
            caught.exception.errors,
            {survey.pk: ["21 is above the maximum of 20 points."], other.pk: ["2.1 is not assessed by the survey."]},
        )
        self.assertIsNone(self.item("3.1").survey_score)


def workbook(*rows: tuple[Any, ...], header: tuple[str, ...] = ("Mã cơ quan", "Mã tiêu chí", "Điểm")) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    return io.BytesIO(xlsx.save(book))


class SurveyImportTests(AppraisalTestCase):
    def run_import(self, data: io.BytesIO, user: User | None = None) -> appraisal.SurveyImport:
        return appraisal.import_survey(data, user or self.overseer, self.province, 2024, name="Khảo sát 2024.xlsx")

    def test_it_saves_every_agency_at_once(self) -> None:
        outcome = self.run_import(workbook(("sngv-bp", "3.1", 15), ("STP-BP", "3.1", "17.5")))
        self.assertEqual((outcome.saved, outcome.assessments, outcome.rejected), (2, 2, []))
        self.assertEqual(self.item("3.1").survey_score, D(15))
        self.assertEqual(self.item("3.1", self.other_assessment).survey_score, D("17.5"))
        self.assertEqual(self.item("3.1").survey_source, "Imported from Khảo sát 2024.xlsx")

    def test_bad_rows_are_listed_and_nothing_is_saved(self) -> None:
        outcome = self.run_import(
            workbook(
                ("sngv-bp", "3.1", 15),
                ("so-la", "3.1", 10),
                ("stp-bp", "9.9", 10),
                ("stp-bp", "1.1", 2),
                ("stp-bp", "3", 10),
                ("stp-bp", "3.1", 25),
                ("stp-bp", "3.1", "nhiều"),
                (None, None, None),
                ("sngv-bp", "3.1", 14),
                ("stp-bp", "3.1", None),
            )
        )
        self.assertEqual(
            [(r.line, r.agency, r.criterion, r.reason) for r in outcome.rejected],
            [
                (3, "so-la", "3.1", "No agency of the province with the code “so-la” has an assessment for 2024."),
                (4, "stp-bp", "9.9", "The criteria set has no item with the code “9.9”."),
                (5, "stp-bp", "1.1", "1.1 is not assessed by the survey."),
                (6, "stp-bp", "3", "3 is not assessed by the survey."),
                (7, "stp-bp", "3.1", "25 is above the maximum of 20 points."),
                (8, "stp-bp", "3.1", "“nhiều” is not a number."),
                (10, "sngv-bp", "3.1", "This agency and item appear twice in the file."),
                (11, "stp-bp", "3.1", "The points are missing."),
            ],
        )
        self.assertEqual(outcome.saved, 0)
        self.assertFalse(Score.objects.filter(survey_score__isnull=False).exists())

    def test_a_finalised_assessment_is_refused(self) -> None:
        self.to(AssessmentStatus.FINAL)
        outcome = self.run_import(workbook(("sngv-bp", "3.1", 15)))
        self.assertEqual([r.reason for r in outcome.rejected], ["The council has finalised this agency's assessment."])

    def test_it_needs_the_three_columns(self) -> None:
        with self.assertRaisesMessage(xlsx.Rejected, "missing: Điểm"):
            self.run_import(workbook(("sngv-bp", "3.1"), header=("Agency code", "Criterion code")))

    def test_it_refuses_a_file_that_is_not_a_workbook(self) -> None:
        with self.assertRaisesMessage(xlsx.Rejected, "is not an Excel workbook"):
            appraisal.import_survey(io.BytesIO(b"a,b"), self.overseer, self.province, 2024, name="diem.csv")

    def test_only_the_provinces_appraisers_import(self) -> None:
        with self.assertRaises(PermissionDenied):
            self.run_import(workbook(("sngv-bp", "3.1", 15)), self.coordinator)


class StepTrailTests(AppraisalTestCase):
    """Every step keeps who moved the assessment, when, and its note; survey points who entered them."""

    def test_each_step_is_kept_with_who_and_when(self) -> None:
        appraisal.start_round1(self.assessment, self.overseer, now=MARCH_10)
        appraisal.save_round1(self.item("1.1"), self.overseer, "3", "Kế hoạch ban hành muộn.", now=MARCH_10)
        appraisal.ask_explanations(self.assessment, self.overseer, date(2025, 3, 15), now=MARCH_10)
        appraisal.save_answer(self.item("1.1"), self.coordinator, "Đã ban hành đúng hạn.", now=MARCH_10)
        appraisal.start_round2(self.assessment, self.overseer, now=MARCH_10)
        appraisal.finalise(self.assessment, self.overseer, now=MARCH_10)
        steps = [(e.status, e.actor, e.at, e.note) for e in self.assessment.events.all()]
        self.assertEqual(
            steps,
            [
                (AssessmentStatus.ROUND1, self.overseer, MARCH_10, ""),
                (AssessmentStatus.EXPLAINING, self.overseer, MARCH_10, "Due 15/03/2025; disputed items: 1.1"),
                (AssessmentStatus.ROUND2, self.overseer, MARCH_10, ""),
                (AssessmentStatus.FINAL, self.overseer, MARCH_10, steps[-1][3]),
            ],
        )
        self.assertTrue(steps[-1][3])  # the final index
        self.assertEqual(self.overseer.notifications.filter(kind="par").count(), 0)  # nobody is told of their own step
        self.assertTrue(self.coordinator.notifications.filter(kind="par").exists())

    def test_survey_points_keep_who_entered_them(self) -> None:
        criterion = self.criteria_set.criteria.get(code="3.1")
        appraisal.save_survey_points(self.assessment, self.overseer, {criterion: "15"}, "SIPAS 2024")
        score = self.item("3.1")
        self.assertEqual(
            (score.survey_score, score.survey_by, score.survey_source), (D(15), self.overseer, "SIPAS 2024")
        )
        self.assertIsNotNone(score.survey_at)
