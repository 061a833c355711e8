"""The self-assessment pages: the PAR home, opening, the tree, one item, evidence, submission, the report."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from urllib.parse import quote

import docx
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Agency, AgencyKind
from documents.models import OutgoingDocument
from files.models import Attachment
from files.tests import samples
from indices import assessment as workflow
from indices.models import Assessment, AssessmentStatus, Evidence
from indices.tests.base import open_assessment
from indices.tests.test_assessment import AssessmentTestCase


def texts(response: object) -> list[str]:
    return [str(m) for m in response.context["messages"]]  # type: ignore[attr-defined]


class IndexTests(AssessmentTestCase):
    def test_it_lists_the_years_assessments_with_the_self_index(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(reverse("par:index"))
        self.assertEqual(response.context["year"], 2024)
        [(assessment, result)] = response.context["rows"]
        self.assertEqual(assessment, self.assessment)
        # 1.1 scored 3.5; 1.2 and 2.1 not yet: 3.5 of 4 + 6 + 10 = 20 points, index 17.50.
        self.assertEqual((result.self_achieved, result.self_max, result.index), (Decimal("3.5"), 20, Decimal("17.50")))
        self.assertContains(response, "17.50")
        self.assertContains(response, reverse("par:assessment_open"))
        self.assertNotContains(response, self.other_agency.short_name)

    def test_leaders_see_it_without_the_open_button_and_overseers_see_the_province(self) -> None:
        self.login(self.leader)
        response = self.client.get(reverse("par:index"))
        self.assertNotContains(response, reverse("par:assessment_open"))
        self.login(self.overseer)
        response = self.client.get(reverse("par:index"), {"year": "2024"})
        self.assertEqual([a for a, _r in response.context["rows"]], [self.assessment, self.other_assessment])

    def test_its_query_count_does_not_grow_with_the_rows(self) -> None:
        self.login(self.overseer)
        url = reverse("par:index")
        self.client.get(url)  # sessions and the like, once
        with CaptureQueriesContext(connection) as first:
            self.client.get(url)
        for number in range(3):
            agency = Agency.objects.create(
                code=f"s{number}", kind=AgencyKind.DEPARTMENT, parent=self.province, name=f"Sở {number}",
                short_name=f"Sở {number}", abbreviation=f"S{number}",
            )  # fmt: skip
            open_assessment(self.criteria_set, agency)
        with self.assertNumQueries(len(first)):
            response = self.client.get(url)
        self.assertEqual(len(response.context["rows"]), 5)
        self.assertEqual(len(first), 11)


class OpenViewTests(AssessmentTestCase):
    def test_it_offers_the_managed_agency_and_the_sets_in_use(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(reverse("par:assessment_open"))
        form = response.context["form"]
        self.assertEqual(list(form.fields["agency"].queryset), [self.agency])
        self.assertEqual(list(form.fields["criteria_set"].queryset), [self.criteria_set])
        self.assertEqual(form.initial["year"], 2024)

    def test_a_duplicate_is_refused_on_the_form_and_a_new_year_opens(self) -> None:
        self.login(self.coordinator)
        data = {"agency": self.agency.pk, "year": 2024, "criteria_set": self.criteria_set.pk, "self_due": "15/01/2025"}
        response = self.client.post(reverse("par:assessment_open"), data)
        self.assertContains(response, "Sở Ngoại vụ already has its assessment of 2024")
        self.assertEqual(Assessment.objects.filter(agency=self.agency).count(), 1)
        Assessment.objects.filter(pk=self.assessment.pk).delete()
        response = self.client.post(reverse("par:assessment_open"), data)
        opened = Assessment.objects.get(agency=self.agency, year=2024)
        self.assertRedirects(response, reverse("par:assessment_detail", args=[opened.pk]))
        self.assertEqual(
            (opened.self_due, opened.opened_by, opened.scores.count()), (date(2025, 1, 15), self.coordinator, 7)
        )

    def test_another_agency_cannot_be_chosen(self) -> None:
        self.login(self.coordinator)
        data = {"agency": self.other_agency.pk, "year": 2024, "criteria_set": self.criteria_set.pk}
        response = self.client.post(reverse("par:assessment_open"), data)
        self.assertIn("agency", response.context["form"].errors)


class DetailTests(AssessmentTestCase):
    def test_it_shows_progress_missing_items_and_the_self_index(self) -> None:
        self.login(self.leader)
        response = self.client.get(reverse("par:assessment_detail", args=[self.assessment.pk]))
        area1 = response.context["areas"][0]
        self.assertEqual((area1.required, area1.scored, area1.done), (2, 1, 1))
        self.assertEqual([m.message for m in response.context["missing"]], ["1.2 is not scored.", "2.1 is not scored."])
        self.assertEqual(response.context["result"].index, Decimal("17.50"))
        self.assertContains(response, '<progress value="1" max="2">50%</progress>', html=True)
        self.assertContains(response, "Approve and submit")
        self.assertFalse(response.context["can_edit"])
        rows = {row["criterion"].code: row for row in response.context["tree"]}
        self.assertEqual((rows["1"]["points"], rows["1.1"]["item"].evidence_count), (Decimal("3.5"), 1))

    def test_its_query_count_is_pinned(self) -> None:
        self.login(self.coordinator)
        url = reverse("par:assessment_detail", args=[self.assessment.pk])
        self.client.get(url)
        with CaptureQueriesContext(connection) as first:
            self.client.get(url)
        for code in ("1.2", "2.1"):
            workflow.add_evidence(self.score_of(code), self.coordinator, link=self.plan)
        with self.assertNumQueries(len(first)):
            self.client.get(url)
        self.assertEqual(len(first), 10)  # … the last one: the steps of the assessment


class EditTests(AssessmentTestCase):
    def test_it_saves_the_report_texts_and_due_dates(self) -> None:
        self.login(self.unit_head)
        data = {
            "summary": "Tóm tắt.",
            "difficulties": "Thiếu người.",
            "proposals": "Tập huấn.",
            "self_due": "20/01/2025",
        }
        response = self.client.post(reverse("par:assessment_edit", args=[self.assessment.pk]), data)
        self.assertRedirects(response, reverse("par:assessment_detail", args=[self.assessment.pk]))
        self.assessment.refresh_from_db()
        self.assertEqual((self.assessment.difficulties, self.assessment.self_due), ("Thiếu người.", date(2025, 1, 20)))


class ScoreViewTests(AssessmentTestCase):
    def url(self, code: str) -> str:
        return reverse("par:score_edit", args=[self.score_of(code).pk])

    def test_options_are_a_select_and_guidance_is_shown(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(self.url("1.2"))
        self.assertContains(response, '<option value="3.00">3.00 — Đủ, có báo cáo trễ</option>', html=True)
        response = self.client.get(self.url("1.1"))
        self.assertContains(response, "At most 4.00 points. In steps of 0.50.")
        self.assertContains(response, "Kế hoạch CCHC")  # evidence required
        self.assertContains(response, "tr. 3")  # the evidence's locator

    def test_bad_scores_are_refused_with_the_message_and_nothing_saved(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url("1.1"), {"self_score": "4.5", "self_note": "x"})
        self.assertContains(response, "4.5 is above the maximum of 4 points.")
        self.score.refresh_from_db()
        self.assertEqual(
            (self.score.self_score, self.score.self_note), (Decimal("3.5"), "Kế hoạch ban hành ngày 10/01/2024.")
        )

    def test_a_good_score_is_saved(self) -> None:
        self.login(self.unit_head)
        response = self.client.post(self.url("1.2"), {"self_score": "6.00", "explanation": "Đủ, đúng hạn."})
        self.assertRedirects(response, self.url("1.2"))
        score = self.score_of("1.2")
        self.assertEqual(
            (score.self_score, score.explanation, score.self_by), (Decimal(6), "Đủ, đúng hạn.", self.unit_head)
        )

    def test_staff_read_it_but_cannot_post(self) -> None:
        self.login(self.staff)
        response = self.client.get(self.url("1.1"))
        self.assertIsNone(response.context["form"])
        self.assertEqual(self.client.post(self.url("1.1"), {"self_score": "1"}).status_code, 403)


class EvidenceViewTests(AssessmentTestCase):
    def test_an_upload_is_stored_with_its_locator(self) -> None:
        self.login(self.coordinator)
        upload = samples.upload("Báo cáo.pdf", samples.PDF)
        response = self.client.post(
            reverse("par:evidence_add", args=[self.score.pk]), {"kind": "file", "file": upload, "locator": "tr. 4"}
        )
        self.assertRedirects(response, reverse("par:score_edit", args=[self.score.pk]))
        evidence = Evidence.objects.get(score=self.score, attachment__isnull=False)
        assert evidence.attachment is not None
        self.assertEqual((evidence.locator, evidence.attachment.original_name), ("tr. 4", "Báo cáo.pdf"))

    def test_a_file_of_another_type_is_refused(self) -> None:
        self.login(self.coordinator)
        upload = samples.upload("setup.docx", samples.EXE)
        response = self.client.post(
            reverse("par:evidence_add", args=[self.score.pk]), {"kind": "file", "file": upload}, follow=True
        )
        self.assertIn("“setup.docx” cannot be attached", texts(response)[0])
        self.assertFalse(Attachment.objects.exists())

    def test_a_record_of_another_agency_is_refused(self) -> None:
        theirs = OutgoingDocument.objects.create(
            agency=self.other_agency, register_year=2024, code_number=3, code_notation="BC-STP", type_code="BC",
            type_name="Báo cáo", issued_date=date(2024, 7, 1), subject="Báo cáo CCHC",
        )  # fmt: skip
        url = reverse("par:evidence_add", args=[self.score.pk])
        data = {"kind": "document", "document": theirs.pk}
        self.login(self.admin)  # sees it, but it is not the agency's
        response = self.client.post(url, data, follow=True)
        self.assertEqual(texts(response), ["Only records of Sở Ngoại vụ can prove its scores."])
        self.login(self.coordinator)  # does not even see it
        response = self.client.post(url, data, follow=True)
        self.assertEqual(texts(response), ["The record to link was not found."])
        self.assertEqual(Evidence.objects.filter(score=self.score).count(), 1)

    def test_a_suggestion_is_linked_in_one_click_and_removed(self) -> None:
        self.login(self.coordinator)
        data = {"kind": "plan", "plan": self.plan.pk, "locator": "mục II"}
        self.client.post(reverse("par:evidence_add", args=[self.score.pk]), data)
        evidence = Evidence.objects.get(score=self.score, plan=self.plan)
        self.assertEqual(evidence.locator, "mục II")
        response = self.client.post(reverse("par:evidence_delete", args=[evidence.pk]))
        self.assertRedirects(response, reverse("par:score_edit", args=[self.score.pk]))
        self.assertFalse(Evidence.objects.filter(pk=evidence.pk).exists())


class SubmitViewTests(AssessmentTestCase):
    def test_it_is_refused_listing_what_is_missing_then_submitted_and_read_only(self) -> None:
        url = reverse("par:assessment_submit", args=[self.assessment.pk])
        self.login(self.leader)
        response = self.client.post(url, follow=True)
        self.assertEqual(
            texts(response),
            ["The self-assessment cannot be submitted yet:", "1.2 is not scored.", "2.1 is not scored."],
        )
        workflow.save_self_score(self.score_of("1.2"), self.coordinator, "6", explanation="Đủ, đúng hạn.")
        workflow.save_self_score(self.score_of("2.1"), self.coordinator, "8", explanation="Tỷ lệ 98%.")
        response = self.client.post(url, follow=True)
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.status, AssessmentStatus.SUBMITTED)
        number = self.assessment.report.number_symbol  # type: ignore[union-attr]
        self.assertRegex(number, r"^\d\d/BC-SNgV$")
        self.assertEqual(
            texts(response), [f"The self-assessment was submitted to the province; its report is no. {number}."]
        )
        # Read-only afterwards: POSTs are refused with a message, nothing changes.
        self.login(self.coordinator)
        response = self.client.post(reverse("par:score_edit", args=[self.score.pk]), {"self_score": "4"}, follow=True)
        self.assertEqual(texts(response), ["The self-assessment was submitted; its scores are read-only."])
        response = self.client.post(
            reverse("par:evidence_add", args=[self.score.pk]), {"kind": "plan", "plan": self.plan.pk}, follow=True
        )
        self.assertEqual(texts(response), ["The self-assessment was submitted; its evidence is read-only."])
        response = self.client.post(reverse("par:evidence_delete", args=[self.evidence.pk]), follow=True)
        self.assertIn("read-only", texts(response)[0])
        response = self.client.post(
            reverse("par:assessment_edit", args=[self.assessment.pk]), {"summary": "x"}, follow=True
        )
        self.assertEqual(texts(response), ["The self-assessment was submitted; it is read-only."])
        self.score.refresh_from_db()
        self.assertEqual(self.score.self_score, Decimal("3.5"))
        self.assertTrue(Evidence.objects.filter(pk=self.evidence.pk).exists())
        response = self.client.get(reverse("par:score_edit", args=[self.score.pk]))
        self.assertIsNone(response.context["form"])
        self.assertIsNone(response.context["evidence_form"])

    def test_coordinators_cannot_submit(self) -> None:
        self.login(self.coordinator)
        self.assertEqual(self.client.post(reverse("par:assessment_submit", args=[self.assessment.pk])).status_code, 403)


class ReportTests(AssessmentTestCase):
    def test_the_docx_holds_the_summary_table_the_explanations_and_the_evidence(self) -> None:
        workflow.save_self_score(self.score_of("1.2"), self.coordinator, "6", explanation="Đủ 4 báo cáo, đúng hạn.")
        self.assessment.difficulties = "Nhân lực còn kiêm nhiệm."
        self.assessment.save()
        self.login(self.staff)
        response = self.client.get(reverse("par:assessment_report", args=[self.assessment.pk, "docx"]))
        self.assertEqual(
            response["Content-Type"], "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        self.assertIn(quote("BC-SNgV-tự-đánh-giá-CCHC-2024-Dự-thảo.docx"), response["Content-Disposition"])
        word = docx.Document(io.BytesIO(response.content))
        rows = [[cell.text for cell in row.cells] for table in word.tables for row in table.rows]
        self.assertIn(["1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "10,00", "9,50", ""], rows)
        self.assertIn(["1.1", "Ban hành kế hoạch CCHC năm", "4,00", "3,50", "01 tài liệu"], rows)
        self.assertIn(["1.2", "Báo cáo CCHC định kỳ", "6,00", "6,00", "Giải trình"], rows)
        self.assertIn(["2.1", "Tỷ lệ hồ sơ giải quyết đúng hạn", "10,00", "—", ""], rows)
        self.assertIn(["3.1", "Mức độ hài lòng của người dân, tổ chức", "20,00", "", "Điều tra xã hội học"], rows)
        self.assertIn(
            ["1", "1.1", "Kế hoạch số 01/KH-SNgV ngày 20/12/2025: Cải cách hành chính năm 2026", "tr. 3"], rows
        )
        body = "\n".join(p.text for p in word.paragraphs)
        self.assertIn("1.2. Báo cáo CCHC định kỳ: Đủ 4 báo cáo, đúng hạn.", body)
        self.assertIn("Nhân lực còn kiêm nhiệm.", body)
        self.assertIn("Tổng điểm tự đánh giá các tiêu chí áp dụng đối với Sở Ngoại vụ: 9,50/20,00 điểm.", body)

    def test_the_pdf_is_made_and_unknown_formats_are_not_found(self) -> None:
        self.login(self.overseer)
        response = self.client.get(reverse("par:assessment_report", args=[self.assessment.pk, "pdf"]))
        self.assertTrue(response.content.startswith(b"%PDF"))
        response = self.client.get(reverse("par:assessment_report", args=[self.assessment.pk, "odt"]))
        self.assertEqual(response.status_code, 404)
