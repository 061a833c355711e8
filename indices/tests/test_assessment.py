"""The self-assessment workflow (indices/assessment.py) on the fixture set of indices/tests/base.py.

The set, hand-workable: area 1 (1.1 max 4 step 0.5; 1.2 options 0/3/6), area 2
(2.1 max 10, only agencies with procedures), area 3 (3.1 survey, 20), bonus 4
(4.1, 4.2, cap 2), penalty 5 (5.1, cap 3). The agency's assessment of 2024 has
1.1 self-scored 3.5 with the register's document as evidence on "tr. 3".
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from accounts.models import Agency, AgencyKind
from documents.models import OutgoingDocument
from files.models import Attachment
from files.tests import samples
from files.tests.base import FilesTestCase
from indices import assessment as workflow
from indices.assessment import AssessmentError
from indices.models import Applicability, Assessment, AssessmentStatus, Evidence, Score
from indices.tests.base import PARFixtures, make_set
from notifications.models import Notification
from services.models import Procedure

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


class AssessmentTestCase(PARFixtures, FilesTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.create_plans()
        cls.create_documents()
        cls.create_reports()
        cls.create_services()
        cls.create_par()

    def score_of(self, code: str, assessment: Assessment | None = None) -> Score:
        return (assessment or self.assessment).scores.select_related("criterion").get(criterion__code=code)

    def refused(self, call: object, *args: object, **kwargs: object) -> list[str]:
        with self.assertRaises(AssessmentError) as caught:
            call(*args, **kwargs)  # type: ignore[operator]
        return caught.exception.messages


class OpenTests(AssessmentTestCase):
    def test_it_opens_one_score_per_leaf_with_applicability(self) -> None:
        works = Agency.objects.create(
            code="sxd-bp", kind=AgencyKind.DEPARTMENT, parent=self.province, name="Sở Xây dựng tỉnh Bình Phước",
            short_name="Sở Xây dựng", abbreviation="SXD",
        )  # fmt: skip
        opened = workflow.open_assessment(self.criteria_set, works, 2024, self.admin, self_due=date(2025, 1, 15))
        scores = {s.criterion.code: s for s in opened.scores.select_related("criterion")}
        self.assertEqual(sorted(scores), ["1.1", "1.2", "2.1", "3.1", "4.1", "4.2", "5.1"])
        # Sở Xây dựng handles no procedure: area 2 does not apply, with the reason written.
        self.assertFalse(scores["2.1"].applicable)
        self.assertEqual(
            scores["2.1"].not_applicable_reason,
            "Sở Xây dựng handles no administrative procedure in the catalogue of procedures.",
        )
        self.assertTrue(all(s.applicable for code, s in scores.items() if code != "2.1"))
        self.assertEqual(opened.opened_by, self.admin)
        self.assertEqual(opened.self_due, date(2025, 1, 15))
        self.assertEqual(opened.status, AssessmentStatus.SELF)

    def test_an_agency_with_procedures_scores_area_2(self) -> None:
        Assessment.objects.filter(pk=self.assessment.pk).delete()
        opened = workflow.open_assessment(self.criteria_set, self.agency, 2024, self.coordinator)
        self.assertTrue(Procedure.objects.filter(agency=self.agency).exists())
        self.assertTrue(self.score_of("2.1", opened).applicable)
        step = opened.events.get()
        self.assertEqual(
            (step.status, step.actor, step.at), (AssessmentStatus.SELF, self.coordinator, opened.opened_at)
        )

    def test_it_refuses_a_second_assessment_of_the_year(self) -> None:
        messages = self.refused(workflow.open_assessment, self.criteria_set, self.agency, 2024, self.coordinator)
        self.assertEqual(messages, ["Sở Ngoại vụ already has its assessment of 2024; open it from the list instead."])
        self.assertEqual(Assessment.objects.filter(agency=self.agency).count(), 1)

    def test_it_refuses_a_set_of_another_kind_year_or_status(self) -> None:
        commune = Agency.objects.create(
            code="xa-bp", kind=AgencyKind.COMMUNE, parent=self.province, name="UBND xã Tân Lập",
            short_name="UBND xã Tân Lập", abbreviation="UBND",
        )  # fmt: skip
        messages = self.refused(workflow.open_assessment, self.criteria_set, commune, 2024, self.admin)
        self.assertEqual(
            messages,
            ["The set is for “Department, board or sector”, but UBND xã Tân Lập is a “Commune People's Committee”."],
        )
        messages = self.refused(workflow.open_assessment, self.criteria_set, self.other_agency, 2025, self.admin)
        self.assertEqual(messages, ["The set is the one of 2024, not of 2025."])
        messages = self.refused(workflow.open_assessment, self.draft_set, self.other_agency, 2025, self.admin)
        self.assertEqual(messages, ["Only a criteria set in use can be assessed against; this one is “Draft”."])
        elsewhere = Agency.objects.create(code="ubnd-hn", kind=AgencyKind.PROVINCE, name="UBND thành phố Hà Nội")
        other = make_set(elsewhere, 2023)
        messages = self.refused(workflow.open_assessment, other, commune, 2023, self.admin)
        self.assertIn("The set was issued for another province.", messages)
        self.assertFalse(Assessment.objects.filter(agency=commune).exists())


class ScoreTests(AssessmentTestCase):
    def test_it_saves_a_score_with_who_and_when(self) -> None:
        now = datetime(2025, 1, 5, 9, tzinfo=ZONE)
        score = workflow.save_self_score(
            self.score_of("1.2"), self.unit_head, "3", note="Báo cáo quý IV trễ 2 ngày.", explanation=" ", now=now
        )
        score.refresh_from_db()
        self.assertEqual(score.self_score, Decimal("3.00"))
        self.assertEqual(score.self_note, "Báo cáo quý IV trễ 2 ngày.")
        self.assertEqual(score.explanation, "")
        self.assertEqual((score.self_by, score.self_at), (self.unit_head, now))
        # A comma is a decimal point, as people type it.
        self.assertEqual(workflow.save_self_score(self.score, self.coordinator, "2,5").self_score, Decimal("2.5"))

    def test_it_refuses_bad_scores_and_saves_nothing(self) -> None:
        cases = [
            ("1.1", "4.5", ["4.5 is above the maximum of 4 points."]),
            ("1.1", "3.3", ["The score must be a multiple of 0.5."]),
            ("1.1", "-1", ["A score cannot be negative."]),
            ("1.1", "abc", ["“abc” is not a number."]),
            ("1.2", "4", ["The score must be one of 0, 3, 6."]),
        ]
        for code, value, expected in cases:
            with self.subTest(value=value):
                score = self.score_of(code)
                before = (score.self_score, score.self_note, score.self_by_id)
                self.assertEqual(
                    self.refused(workflow.save_self_score, score, self.coordinator, value, "note"), expected
                )
                score.refresh_from_db()
                self.assertEqual((score.self_score, score.self_note, score.self_by_id), before)

    def test_survey_items_are_not_self_scored(self) -> None:
        messages = self.refused(workflow.save_self_score, self.score_of("3.1"), self.coordinator, "10")
        self.assertEqual(messages, ["This item is scored by the sociological survey, not by the agency."])

    def test_only_declared_items_may_be_declared_not_applicable_with_a_reason(self) -> None:
        messages = self.refused(
            workflow.save_self_score, self.score, self.coordinator, None, applicable=False, reason="Không có"
        )
        self.assertEqual(messages, ["This item applies to every agency; it cannot be declared not applicable."])
        score = self.score_of("1.2")
        score.criterion.applicability = Applicability.DECLARED
        score.criterion.save()
        messages = self.refused(workflow.save_self_score, score, self.coordinator, None, applicable=False, reason=" ")
        self.assertEqual(messages, ["Say why the item does not apply to the agency."])
        saved = workflow.save_self_score(
            score, self.coordinator, "3", applicable=False, reason="Sở không có đơn vị trực thuộc."
        )
        self.assertEqual((saved.applicable, saved.self_score), (False, None))
        self.assertEqual(saved.not_applicable_reason, "Sở không có đơn vị trực thuộc.")

    def test_items_skipped_for_want_of_procedures_cannot_be_scored(self) -> None:
        score = self.score_of("2.1")
        Score.objects.filter(pk=score.pk).update(applicable=False, not_applicable_reason="Không có TTHC.")
        messages = self.refused(workflow.save_self_score, score, self.coordinator, "5")
        self.assertEqual(messages, ["This item does not apply to the agency: Không có TTHC."])


class EvidenceTests(AssessmentTestCase):
    def test_it_stores_a_file_with_its_locator(self) -> None:
        upload = samples.upload("Báo cáo quý IV.pdf", samples.PDF)
        evidence = workflow.add_evidence(self.score_of("1.2"), self.unit_head, file=upload, locator="tr. 2, mục II")
        self.assertEqual(evidence.locator, "tr. 2, mục II")
        assert evidence.attachment is not None
        self.assertEqual(evidence.attachment.original_name, "Báo cáo quý IV.pdf")
        self.assertEqual(evidence.attachment.owner, evidence.score)
        self.assertEqual(evidence.added_by, self.unit_head)
        self.assertEqual(len(self.stored_files()), 1)

    def test_it_refuses_files_of_other_types_and_saves_nothing(self) -> None:
        upload = samples.upload("virus.pdf", samples.EXE)
        messages = self.refused(workflow.add_evidence, self.score, self.coordinator, file=upload, locator="tr. 1")
        self.assertEqual(
            messages,
            [
                "“virus.pdf” cannot be attached: whatever its name says, its content is not a PDF, Word (.docx), "
                "Excel (.xlsx), PNG, JPEG, GIF, WebP or ZIP file."
            ],
        )
        self.assertEqual(Evidence.objects.filter(score=self.score).count(), 1)
        self.assertFalse(Attachment.objects.exists())
        self.assertEqual(self.stored_files(), [])

    def test_it_links_records_of_the_agency_only(self) -> None:
        evidence = workflow.add_evidence(self.score, self.coordinator, link=self.plan, locator="mục II.1")
        self.assertEqual((evidence.plan, evidence.locator), (self.plan, "mục II.1"))
        theirs = OutgoingDocument.objects.create(
            agency=self.other_agency, register_year=2024, code_number=7, code_notation="KH-STP", type_code="KH",
            type_name="Kế hoạch", issued_date=date(2024, 1, 5), subject="Kế hoạch CCHC năm 2024",
        )  # fmt: skip
        messages = self.refused(workflow.add_evidence, self.score, self.coordinator, link=theirs)
        self.assertEqual(messages, ["Only records of Sở Ngoại vụ can prove its scores."])
        messages = self.refused(workflow.add_evidence, self.score, self.coordinator, link=self.outgoing)
        self.assertEqual(messages, ["This record is already evidence of the item."])
        messages = self.refused(workflow.add_evidence, self.score, self.coordinator, locator="tr. 1")
        self.assertEqual(messages, ["Choose one file or one record as evidence."])
        self.assertEqual(Evidence.objects.filter(score=self.score).count(), 2)

    def test_removing_evidence_removes_its_file(self) -> None:
        upload = samples.upload("Quyết định.pdf", samples.PDF)
        evidence = workflow.add_evidence(self.score, self.coordinator, file=upload)
        with self.captureOnCommitCallbacks(execute=True):
            workflow.remove_evidence(evidence, self.coordinator)
        self.assertFalse(Evidence.objects.filter(pk=evidence.pk).exists())
        self.assertFalse(Attachment.objects.exists())
        self.assertEqual(self.stored_files(), [])


class SuggestionTests(AssessmentTestCase):
    def test_it_suggests_records_of_the_year_matching_the_item_best_first(self) -> None:
        self.plan.year = 2024
        self.plan.title = "Kế hoạch cải cách hành chính năm 2024"
        self.plan.save()
        self.outgoing.register_year = 2024
        self.outgoing.save()  # already linked to 1.1: left out
        OutgoingDocument.objects.create(
            agency=self.agency, register_year=2024, code_number=9, code_notation="BC-SNgV", type_code="BC",
            type_name="Báo cáo", issued_date=date(2024, 6, 14), subject="Báo cáo CCHC 6 tháng đầu năm 2024",
        )  # fmt: skip
        score = self.score_of("1.1")  # "Ban hành kế hoạch CCHC năm": "ke hoach", "ban hanh", "cchc"
        found = workflow.suggestions(score)
        # One term each ("ke hoach"; "cchc"): the more recent first.
        report_title = "Báo cáo CCHC 6 tháng đầu năm 2024"
        self.assertEqual(
            [(s.kind, s.label, s.matched) for s in found], [("plan", self.plan.title, 1), ("document", report_title, 1)]
        )
        # "Báo cáo CCHC định kỳ": "bao cao", "cao cchc", "cchc dinh", "dinh ky" and "cchc"; three match.
        report = self.score_of("1.2")
        found = workflow.suggestions(report)
        self.assertEqual([s.label for s in found], ["Báo cáo CCHC 6 tháng đầu năm 2024"])
        self.assertEqual(found[0].matched, 3)

    def test_keywords_replace_the_name_and_other_agencies_are_never_suggested(self) -> None:
        self.plan.year = 2024
        self.plan.save()
        score = self.score_of("1.2")
        score.criterion.keywords = "cải cách hành chính; cong bo"
        score.criterion.save()
        score.refresh_from_db()
        self.assertEqual(workflow.terms(score.criterion), ["cai cach hanh chinh", "cong bo"])
        found = workflow.suggestions(score)
        self.assertEqual([(s.kind, s.record.pk) for s in found], [("plan", self.plan.pk)])
        other = self.score_of("1.2", self.other_assessment)
        self.assertEqual(workflow.suggestions(other), [])


class ProgressTests(AssessmentTestCase):
    def figures(self) -> list[tuple[str, int, int, int, int]]:
        return [(p.area.code, p.required, p.scored, p.done, p.percent) for p in workflow.progress(self.assessment)]

    def test_progress_and_what_is_missing_by_hand(self) -> None:
        # Area 1: 1.1 scored with evidence, 1.2 unscored; area 2: 2.1 unscored; 3 is the survey's;
        # bonus and penalty items are optional.
        self.assertEqual(
            self.figures(), [("1", 2, 1, 1, 50), ("2", 1, 0, 0, 0), ("3", 0, 0, 0, 100), ("4", 0, 0, 0, 100),
                             ("5", 0, 0, 0, 100)],
        )  # fmt: skip
        self.assertEqual(
            [m.message for m in workflow.missing(self.assessment)], ["1.2 is not scored.", "2.1 is not scored."]
        )
        workflow.save_self_score(self.score_of("1.2"), self.coordinator, "3")
        workflow.save_self_score(self.score_of("4.1"), self.coordinator, "1")
        self.assertEqual(self.figures()[0], ("1", 2, 2, 1, 50))
        self.assertEqual(
            [m.message for m in workflow.missing(self.assessment)],
            [
                "1.2 has neither evidence nor an explanation (giải trình).",
                "2.1 is not scored.",
                "4.1 has neither evidence nor an explanation (giải trình).",
            ],
        )
        workflow.save_self_score(self.score_of("1.2"), self.coordinator, "3", explanation="Báo cáo quý IV gửi trễ.")
        self.assertEqual(self.figures()[0], ("1", 2, 2, 2, 100))
        bonus = next(p for p in workflow.progress(self.assessment) if p.area.code == "4")
        self.assertEqual(bonus.claimed, 1)


class SubmitTests(AssessmentTestCase):
    def complete(self) -> None:
        workflow.save_self_score(self.score_of("1.2"), self.coordinator, "6", explanation="Đủ 4 báo cáo, đúng hạn.")
        workflow.save_self_score(self.score_of("2.1"), self.coordinator, "8")
        workflow.add_evidence(self.score_of("2.1"), self.coordinator, link=self.plan, locator="Phụ lục")

    def test_it_refuses_while_anything_is_missing_listing_it(self) -> None:
        messages = self.refused(workflow.submit, self.assessment, self.leader)
        self.assertEqual(
            messages, ["The self-assessment cannot be submitted yet:", "1.2 is not scored.", "2.1 is not scored."]
        )
        self.assessment.refresh_from_db()
        self.assertEqual((self.assessment.status, self.assessment.report), (AssessmentStatus.SELF, None))
        self.assertFalse(OutgoingDocument.objects.filter(type_code="BC").exists())

    def test_only_leaders_submit(self) -> None:
        self.complete()
        messages = self.refused(workflow.submit, self.assessment, self.coordinator)
        self.assertEqual(messages, ["Only a leader of the agency can approve and submit the self-assessment."])

    def test_it_registers_the_report_notifies_the_overseers_and_locks_the_scores(self) -> None:
        self.complete()
        now = datetime(2025, 1, 10, 14, tzinfo=ZONE)
        submitted = workflow.submit(self.assessment, self.leader, now=now)
        self.assertEqual(submitted.status, AssessmentStatus.SUBMITTED)
        self.assertEqual((submitted.submitted_by, submitted.submitted_at), (self.leader, now))
        report = submitted.report
        assert report is not None
        step = submitted.events.get(status=AssessmentStatus.SUBMITTED)
        self.assertEqual((step.actor, step.at, step.note), (self.leader, now, report.number_symbol))
        # The 2025 register holds no. 01 (the plan); the report takes no. 02 of the common series.
        self.assertEqual(report.number_symbol, "02/BC-SNgV")
        self.assertEqual((report.type_name, report.issued_date, report.signer_full_name),
                         ("Báo cáo", date(2025, 1, 10), "Nguyễn Thị Hà"))  # fmt: skip
        self.assertEqual(
            report.subject, "Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2024 của Sở Ngoại vụ"
        )
        self.assertEqual(report.to_places, "Sở Nội vụ tỉnh Bình Phước\nUBND tỉnh (b/c)")
        told = Notification.objects.get(key=f"par_assessment:{submitted.pk}:submitted")
        self.assertEqual(told.recipient, self.overseer)
        self.assertEqual(told.url, f"/par/assessments/{submitted.pk}/")
        # Read-only afterwards.
        read_only = ["The self-assessment was submitted (“Submitted, awaiting appraisal”); its scores and evidence "
                     "are read-only."]  # fmt: skip
        self.assertEqual(self.refused(workflow.save_self_score, self.score, self.coordinator, "4"), read_only)
        self.assertEqual(self.refused(workflow.add_evidence, self.score, self.coordinator, link=self.plan), read_only)
        self.assertEqual(self.refused(workflow.remove_evidence, self.evidence, self.coordinator), read_only)
        self.assertEqual(self.refused(workflow.submit, self.assessment, self.leader), read_only)
        self.score.refresh_from_db()
        self.assertEqual(self.score.self_score, Decimal("3.5"))

    def test_the_self_index_by_hand(self) -> None:
        self.complete()
        # Survey points not entered: the survey item leaves the sums. 3.5 + 6 + 8 = 17.5 of 4 + 6 + 10 = 20.
        result = workflow.self_index(self.assessment)
        self.assertEqual(
            (result.self_achieved, result.max_points, result.index), (Decimal("17.5"), 20, Decimal("87.50"))
        )
