"""Bad input never crashes: every PAR Index page answers junk, as the people allowed to use it, without an error."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.test import BaseTestCase
from indices.models import AssessmentStatus
from indices.tests import matrix_appraisal, matrix_assessment, matrix_criteria, matrix_governance
from indices.tests.base import PARFixtures

JUNK = {
    "value": "∞",
    "name": "x" * 5000,
    "year": "năm ngoái",
    "points": "1e400",
    "max_points": "-0,5",
    "step": "abc",
    "options": "a=b; =; c",
    "bands": "A>=x",
    "kind": "no-such-kind",
    "method": "??",
    "due": "31/02/2025",
    "explanation_due": "2025-13-01",
    "self_score": "NaN",
    "document": "999999",
    "plan": "not-a-pk",
    "task": "-1",
    "total": "một trăm",
    "rank": "1.5",
    "province": "abc",
    "agency": "0",
    "criteria_set": "0",
    "stage": "<script>",
    "action": "everything",
    "file": "",
}


class BadInputTests(PARFixtures, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.create_plans()
        cls.create_documents()
        cls.create_reports()
        cls.create_services()
        cls.create_par()

    def test_no_page_errors_on_junk(self) -> None:
        rows = {}
        for module in (matrix_criteria, matrix_assessment, matrix_appraisal, matrix_governance):
            rows.update(module.ROWS)
        for status in (AssessmentStatus.SELF, AssessmentStatus.ROUND1, AssessmentStatus.EXPLAINING):
            type(self.assessment).objects.filter(pk=self.assessment.pk).update(status=status)
            for persona in (self.admin, self.coordinator, self.leader, self.overseer):
                self.login(persona)
                for name, row in rows.items():
                    url = reverse(name, args=row.args(self))
                    data = dict(JUNK, file=SimpleUploadedFile("x.xlsx", b"PK\x03\x04 not a workbook"))
                    with self.subTest(url=name, persona=persona.username, status=status):
                        response = self.client.post(url, data)
                        self.assertLess(response.status_code, 500)
                        response = self.client.get(url, {k: v for k, v in JUNK.items() if k != "file"})
                        self.assertLess(response.status_code, 500)
