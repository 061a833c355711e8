"""The appraisal pages: the inbox, the appraisal table, the steps, the agency's answers, survey points."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from files.tests import samples
from indices.models import Assessment, AssessmentStatus, Score
from indices.tests.test_appraisal import MARCH_10, AppraisalTestCase, workbook
from indices.tests.test_ranking import RankingTestCase

D = Decimal


class AppraisalListTests(RankingTestCase):
    def test_it_lists_the_provinces_assessments_after_submission(self) -> None:
        self.login(self.overseer)
        response = self.client.get(reverse("par:appraisal_list"))
        rows = list(response.context["page"].object_list)
        # SNgV: round 1 gave 1.1 = 3 against 3.5: one disputed item, not answered.
        self.assertEqual(
            [(a.agency.abbreviation, a.status, a.disputed_count, a.unanswered_count) for a in rows],
            [("SNgV", "round2", 1, 1), ("STP", "final", 1, 1)],
        )
        self.assertContains(response, reverse("par:appraise", args=[self.assessment.pk]))

    def test_the_agency_has_no_inbox(self) -> None:
        self.login(self.coordinator)
        self.assertEqual(self.client.get(reverse("par:appraisal_list")).status_code, 403)

    def test_the_query_count_does_not_grow_with_agencies(self) -> None:
        self.login(self.overseer)
        url = reverse("par:appraisal_list")
        self.client.get(url)
        with CaptureQueriesContext(connection) as two:
            self.client.get(url)
        for number in range(1, 5):
            self.add_agency(number, status=AssessmentStatus.SUBMITTED)
        with CaptureQueriesContext(connection) as six:
            response = self.client.get(url)
        self.assertEqual(len(response.context["page"].object_list), 6)
        self.assertEqual(len(two), len(six))
        with self.assertNumQueries(len(six)):
            self.client.get(url)


class AppraiseTests(AppraisalTestCase):
    def post(self, **rows: str) -> Any:
        data = {}
        for key, value in rows.items():
            code, _sep, name = key.partition("__")
            data[f"r{self.item(code.replace('_', '.')).pk}-{name}"] = value
        return self.client.post(reverse("par:appraise", args=[self.assessment.pk]), data)

    def test_round1_saves_every_row_at_once(self) -> None:
        self.to(AssessmentStatus.ROUND1)
        self.login(self.overseer)
        response = self.post(**{"1_1__value": "3", "1_1__comment": "Muộn.", "1_2__value": "6"})
        self.assertRedirects(response, reverse("par:appraise", args=[self.assessment.pk]))
        self.assertEqual((self.item("1.1").round1_score, self.item("1.1").round1_by), (D(3), self.overseer))
        self.assertEqual(self.item("1.2").round1_score, D(6))

    def test_one_bad_row_saves_nothing_and_says_where(self) -> None:
        self.to(AssessmentStatus.ROUND1)
        self.login(self.overseer)
        response = self.post(**{"1_1__value": "3", "1_1__comment": "Muộn.", "1_2__value": "5", "1_2__comment": "x"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nothing was saved: correct the rows marked below.")
        self.assertContains(response, "The score must be one of 0, 3, 6.")
        self.assertContains(response, 'value="5"')  # what was typed stays in the form
        self.assertFalse(Score.objects.filter(round1_score__isnull=False).exists())

    def test_round2_rows_carry_the_councils_column(self) -> None:
        self.to(AssessmentStatus.ROUND2)
        self.login(self.overseer)
        response = self.client.get(reverse("par:appraise", args=[self.assessment.pk]))
        self.assertContains(response, f'name="r{self.item("1.1").pk}-final"')
        self.assertNotContains(response, f'name="r{self.item("3.1").pk}-value"')  # survey items are not appraised
        self.assertContains(response, "Finalise")
        self.post(**{"1_1__value": "3", "1_1__final": "3.5", "1_1__final_comment": "Hội đồng."})
        score = self.item("1.1")
        self.assertEqual((score.round2_score, score.final_score, score.final_comment), (D(3), D("3.5"), "Hội đồng."))

    def test_survey_items_are_marked_not_struck_through(self) -> None:
        # badge-muted is the struck-through badge of things no longer used.
        self.login(self.overseer)
        response = self.client.get(reverse("par:appraise", args=[self.assessment.pk]))
        self.assertContains(response, '<span class="badge badge-info">Survey</span>', html=True)
        self.assertNotContains(response, '<span class="badge badge-muted">Survey</span>', html=True)

    def test_outside_the_rounds_the_table_is_read_only(self) -> None:
        self.login(self.overseer)
        response = self.client.get(reverse("par:appraise", args=[self.assessment.pk]))
        self.assertNotContains(response, f'name="r{self.item("1.1").pk}-value"')
        response = self.post(**{"1_1__value": "3"})
        self.assertIsNone(self.item("1.1").round1_score)

    def test_the_agency_may_not_appraise(self) -> None:
        self.to(AssessmentStatus.ROUND1)
        self.login(self.leader)
        self.assertEqual(self.post(**{"1_1__value": "4"}).status_code, 403)


class AdvanceTests(AppraisalTestCase):
    def advance(self, **data: str) -> list[str]:
        response = self.client.post(reverse("par:advance", args=[self.assessment.pk]), data, follow=True)
        self.assessment.refresh_from_db()
        return [str(m) for m in response.context["messages"]]

    def test_each_step_follows_the_status(self) -> None:
        self.login(self.overseer)
        self.assertEqual(self.advance(), ["Appraisal round 1 started."])
        self.assertEqual(self.assessment.status, AssessmentStatus.ROUND1)
        Score.objects.filter(pk=self.item("1.1").pk).update(round1_score=D(3), round1_comment="Muộn.")
        self.assertEqual(self.advance(), ["Give the date the agency's explanations are due."])
        self.assertEqual(self.assessment.status, AssessmentStatus.ROUND1)
        with time_machine.travel(MARCH_10):
            self.assertEqual(
                self.advance(due="15/03/2025"), ["The agency was asked to explain 1 disputed items by 15/03/2025."]
            )
        self.assertEqual((self.assessment.status, self.assessment.explanation_due), ("explaining", date(2025, 3, 15)))
        with time_machine.travel(MARCH_10):
            self.assertIn("not answered yet", self.advance()[0])
        with time_machine.travel("2025-03-16 09:00 +07:00"):
            self.login(self.overseer)  # a new session: the idle one of 10/03 has expired
            self.assertEqual(self.advance(), ["Appraisal round 2 started."])
            self.assertEqual(self.advance(), ["The council's results are final; the agency was told."])
            self.assertEqual((self.assessment.status, self.assessment.finalised_by), ("final", self.overseer))
            self.assertEqual(self.advance(), ["The council has already finalised this assessment."])

    def test_nothing_to_appraise_before_submission(self) -> None:
        self.to(AssessmentStatus.SELF)
        self.login(self.overseer)
        self.assertEqual(self.advance(), ["The agency has not submitted its self-assessment yet."])


class AnswersPageTests(AppraisalTestCase):
    def url(self) -> str:
        return reverse("par:answers", args=[self.assessment.pk])

    def test_the_agency_answers_while_explaining(self) -> None:
        with time_machine.travel(MARCH_10):
            self.explaining()
            self.login(self.coordinator)
            response = self.client.get(self.url())
            self.assertContains(response, "Kế hoạch ban hành muộn.")
            self.assertContains(response, f'name="r{self.item("1.1").pk}-answer"')
            self.assertNotContains(response, f'name="r{self.item("2.1").pk}-answer"')
            self.client.post(self.url(), {f"r{self.item('1.1').pk}-answer": "Ban hành ngày 10/01."})
        score = self.item("1.1")
        self.assertEqual((score.answer, score.answer_by), ("Ban hành ngày 10/01.", self.coordinator))

    def test_after_the_due_date_the_page_is_read_only_and_posts_are_refused(self) -> None:
        with time_machine.travel(MARCH_10):
            self.explaining()
        self.login(self.coordinator)
        with time_machine.travel("2025-03-16 09:00 +07:00"):
            response = self.client.get(self.url())
            self.assertContains(response, "The due date has passed: answers are no longer accepted.")
            self.assertNotContains(response, '-answer"')
            response = self.client.post(self.url(), {f"r{self.item('1.1').pk}-answer": "Muộn."}, follow=True)
        self.assertContains(response, "The explanations were due on 15/03/2025; answers are no longer accepted.")
        self.assertEqual(self.item("1.1").answer, "")

    def test_staff_read_but_do_not_answer(self) -> None:
        with time_machine.travel(MARCH_10):
            self.explaining()
            self.login(self.staff)
            response = self.client.get(self.url())
            self.assertContains(response, "Kế hoạch ban hành muộn.")
            self.assertNotContains(response, '-answer"')
            self.assertEqual(self.client.post(self.url(), {}).status_code, 403)

    def test_round1_stays_with_the_province_until_explanations_are_asked(self) -> None:
        self.disputed_round1()
        self.login(self.coordinator)
        response = self.client.get(self.url())
        self.assertNotContains(response, "Kế hoạch ban hành muộn.")
        self.assertContains(response, "The appraisal has not reached the agency's explanations yet.")


class SurveyPagesTests(AppraisalTestCase):
    def test_survey_points_by_hand(self) -> None:
        self.login(self.overseer)
        url = reverse("par:survey_entry", args=[self.assessment.pk])
        pk = self.item("3.1").pk
        response = self.client.post(url, {f"r{pk}-points": "25", "source": "Khảo sát"})
        self.assertContains(response, "25 is above the maximum of 20 points.")
        self.assertIsNone(self.item("3.1").survey_score)
        self.assertRedirects(self.client.post(url, {f"r{pk}-points": "15", "source": "Khảo sát"}), url)
        self.assertEqual((self.item("3.1").survey_score, self.item("3.1").survey_source), (D(15), "Khảo sát"))

    def test_survey_import_lists_bad_rows(self) -> None:
        self.login(self.overseer)
        url = reverse("par:survey_import")
        upload = samples.upload("Khảo sát.xlsx", workbook(("sngv-bp", "3.1", 15), ("stp-bp", "3.1", 30)).getvalue())
        response = self.client.post(url, {"province": self.province.pk, "year": 2024, "file": upload})
        self.assertContains(response, "1 row is wrong; nothing was saved.")
        self.assertContains(response, "30 is above the maximum of 20 points.")
        self.assertFalse(Score.objects.filter(survey_score__isnull=False).exists())
        upload = samples.upload("Khảo sát.xlsx", workbook(("sngv-bp", "3.1", 15), ("stp-bp", "3.1", 12)).getvalue())
        response = self.client.post(url, {"province": self.province.pk, "year": 2024, "file": upload}, follow=True)
        self.assertContains(response, "Survey points saved: 2 items of 2 agencies changed.")
        self.assertEqual(Assessment.objects.get(pk=self.other_assessment.pk).scores.get(
            criterion__code="3.1").survey_score, D(12))  # fmt: skip

    def test_the_empty_workbook_round_trips_through_the_import(self) -> None:
        import io

        import openpyxl

        self.login(self.overseer)
        page = self.client.get(reverse("par:survey_import"))
        self.assertContains(page, reverse("par:survey_template"))
        response = self.client.get(reverse("par:survey_template"))
        self.assertEqual(response.status_code, 200)
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        sheet = book.active
        assert sheet is not None
        self.assertEqual([c.value for c in sheet[1]], ["Mã cơ quan", "Mã tiêu chí", "Điểm"])
        sheet.append(["sngv-bp", "3.1", 15])
        filled = io.BytesIO()
        book.save(filled)
        upload = samples.upload("Mẫu.xlsx", filled.getvalue())
        self.client.post(reverse("par:survey_import"), {"province": self.province.pk, "year": 2024, "file": upload})
        self.assertEqual(self.item("3.1").survey_score, D(15))
        self.login(self.coordinator)
        self.assertEqual(self.client.get(reverse("par:survey_template")).status_code, 403)

    def test_survey_import_reads_only_workbooks(self) -> None:
        self.login(self.overseer)
        upload = samples.upload("diem.pdf", samples.PDF)
        response = self.client.post(
            reverse("par:survey_import"), {"province": self.province.pk, "year": 2024, "file": upload}
        )
        self.assertContains(response, "is not an Excel workbook (.xlsx)")
