"""The demo's PAR Index, PAPI and PCI (indices.demo), loaded by load_demo under a frozen clock, then again."""

from __future__ import annotations

from collections import Counter
from datetime import date
from io import StringIO

import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from accounts.models import Agency, User
from indices import demo, improvement, scoring
from indices.models import (
    Assessment,
    AssessmentStatus,
    Evidence,
    GovernanceResult,
    GovernanceScore,
    ImprovementLink,
    Method,
)
from plans.models import Plan, PlanKind, PlanStatus

TODAY = date(2026, 5, 20)


def counts() -> dict[str, int]:
    return {
        "agencies": Agency.objects.count(),
        "assessments": Assessment.objects.count(),
        "evidence": Evidence.objects.count(),
        "results": GovernanceResult.objects.count(),
        "scores": GovernanceScore.objects.count(),
        "links": ImprovementLink.objects.count(),
        "index plans": Plan.objects.filter(kind=PlanKind.INDEX).count(),
    }


class DemoTests(TestCase):
    sngv: Agency
    before: dict[str, int]
    again: list[str]

    @classmethod
    def setUpTestData(cls) -> None:
        with time_machine.travel("2026-05-20 09:00 +07:00", tick=False):
            call_command("load_demo", stdout=StringIO())
            cls.before = counts()
            agencies = {a.code: a for a in Agency.objects.all()}
            people = {u.username: u for u in User.objects.all()}
            cls.again = demo.load(agencies, {}, people, TODAY)
        cls.sngv = Agency.objects.get(code="sngv-binhphuoc")

    def test_loading_again_creates_nothing(self) -> None:
        self.assertEqual(self.again, [])
        self.assertEqual(counts(), self.before)

    def test_the_ranking_has_every_peer_with_a_group(self) -> None:
        assessments = list(Assessment.objects.filter(year=2025).select_related("agency", "criteria_set"))
        self.assertEqual(
            {a.agency.code for a in assessments}, {"sngv-binhphuoc", "stp-binhphuoc", *(p[0] for p in demo.PEERS)}
        )
        self.assertTrue(all(a.status == AssessmentStatus.FINAL for a in assessments))
        ranked = scoring.rank([(a, scoring.compute(a, "final")) for a in assessments])
        self.assertEqual([r.rank for r in ranked], list(range(1, 9)))
        self.assertTrue(all(r.group for r in ranked))
        self.assertEqual(Counter(r.group for r in ranked), {"A": 2, "B": 3, "C": 2, "D": 1})
        self.assertEqual(
            [r.assessment.agency.code for r in ranked],
            sorted(demo.PROFILES, key=lambda code: -float(demo.PROFILES[code].index)),
        )

    def test_last_years_assessments_went_through_both_rounds(self) -> None:
        assessment = Assessment.objects.get(agency=self.sngv, year=2025)
        scores = list(assessment.scores.select_related("criterion"))
        own = [s for s in scores if s.applicable and s.criterion.method == Method.SELF]
        self.assertTrue(all(s.self_score is not None and s.round1_score is not None for s in own))
        self.assertTrue(any(s.disputed and s.answer and s.round2_score is not None for s in own))
        survey = [s for s in scores if s.criterion.method == Method.SURVEY]
        self.assertTrue(all(s.survey_score is not None for s in survey))
        self.assertTrue(Evidence.objects.filter(score__assessment=assessment, document__register_year=2025).exists())
        self.assertIsNotNone(assessment.finalised_at)

    def test_this_years_assessment_is_open_with_some_scores_and_evidence(self) -> None:
        assessment = Assessment.objects.get(agency=self.sngv, year=2026)
        self.assertEqual(assessment.status, AssessmentStatus.SELF)
        scored = assessment.scores.filter(self_score__isnull=False).count()
        self.assertTrue(0 < scored < assessment.scores.count())
        kinds = {
            name
            for evidence in Evidence.objects.filter(score__assessment=assessment)
            for name in Evidence.LINKS
            if getattr(evidence, f"{name}_id")
        }
        self.assertTrue(kinds & {"plan", "agency_report", "task", "document"})

    def test_papi_and_pci_from_2018_to_2024(self) -> None:
        years = Counter(
            (code, n) for code, n in GovernanceResult.objects.values_list("index__code", "year") if 2018 <= n <= 2024
        )
        self.assertEqual(len(years), 14)
        papi = GovernanceResult.objects.get(index__code="papi", year=2024)
        self.assertEqual(papi.scores.count(), 8)
        self.assertEqual(papi.total, sum(s.score for s in papi.scores.all()))
        self.assertEqual(GovernanceResult.objects.get(index__code="pci", year=2024).scores.count(), 10)
        self.assertTrue(ImprovementLink.objects.filter(dimension__isnull=False, task__agency=self.sngv).exists())

    def test_the_improvement_plan_is_drafted_from_last_years_gaps(self) -> None:
        assessment = Assessment.objects.select_related("agency", "criteria_set").get(agency=self.sngv, year=2025)
        plan = improvement.drafted_from(assessment)
        assert plan is not None
        self.assertEqual((plan.year, plan.status), (2026, PlanStatus.DRAFT))
        found = improvement.preview(assessment)
        self.assertEqual(plan.tasks.count(), len(found.tasks))
        self.assertEqual(
            sum(link.points_at_stake for link in ImprovementLink.objects.filter(task__plan=plan)), found.lost
        )
        # The units that added the evidence lead: the Office, the Inspectorate, Consular affairs, HTQT.
        leads = set(plan.tasks.values_list("lead_unit__abbreviation", flat=True))
        self.assertEqual(leads, {"VP", "TTr", "LS", "HTQT"})

    def test_the_pages_show_the_demo(self) -> None:
        self.client.force_login(User.objects.get(username="vanphong"))
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # texts are asserted in English
        response = self.client.get(reverse("par:governance"))
        self.assertContains(response, "Trung bình cao")
        assessment = Assessment.objects.get(agency=self.sngv, year=2025)
        response = self.client.get(reverse("par:improvement_plan", args=[assessment.pk]))
        self.assertContains(response, "An improvement plan was already drafted from this assessment")
