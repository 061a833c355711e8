"""The PAR Index lines of the home page: what each role has to do in the year's assessment."""

from __future__ import annotations

from decimal import Decimal

from accounts.models import User
from cchc.test import BaseTestCase
from front.tests.test_home import attention
from indices.models import AssessmentStatus
from indices.tests.base import PARFixtures

UNSCORED = "PAR Index items still to self-score"
TO_SUBMIT = "PAR self-assessments to approve and submit"
TO_EXPLAIN = "Disputed PAR Index items to explain"
TO_APPRAISE = "PAR Index assessments to appraise"


class HomePARTestCase(PARFixtures, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.create_plans()
        cls.create_documents()
        cls.create_reports()
        cls.create_services()
        cls.create_par()

    def lines(self, user: User) -> dict[str, tuple[int, str | None]]:
        self.login(user)
        return attention(self.client.get("/"))

    def test_the_agency_sees_what_is_left_to_score_and_the_leader_what_to_submit(self) -> None:
        # 1.1 is scored; 1.2 and 2.1 are not; 3.1 is the survey's; bonus and penalty items are optional.
        for persona in (self.coordinator, self.unit_head):
            self.assertEqual(self.lines(persona)[UNSCORED], (2, "/par/"))
        self.assertEqual(self.lines(self.leader)[TO_SUBMIT], (1, "/par/"))
        self.assertNotIn(UNSCORED, self.lines(self.staff))
        self.assertNotIn(TO_APPRAISE, self.lines(self.overseer))

    def test_after_submission_the_overseer_appraises_and_the_agency_explains_disputes(self) -> None:
        self.assessment.status = AssessmentStatus.SUBMITTED
        self.assessment.save()
        self.assertEqual(self.lines(self.overseer)[TO_APPRAISE], (1, "/par/appraisals/"))
        self.assertNotIn(UNSCORED, self.lines(self.coordinator))
        self.assessment.status = AssessmentStatus.EXPLAINING
        self.assessment.save()
        self.score.round1_score = Decimal(3)
        self.score.save()
        self.assertEqual(self.lines(self.coordinator)[TO_EXPLAIN][0], 1)
        self.score.answer = "Kế hoạch đã ban hành đúng hạn, xem trang 3."
        self.score.save()
        self.assertNotIn(TO_EXPLAIN, self.lines(self.coordinator))
        self.assertNotIn(TO_APPRAISE, self.lines(self.overseer))
