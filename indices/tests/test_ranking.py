"""Rankings, year-over-year and points lost (indices/ranking.py) and the ranking pages.

Hand-worked on the fixture set (indices/tests/base.py), 2024, departments of the province:

    Sở Ngoại vụ (SNgV), round 2:  1.1 self 3.5 / round 1 3;  1.2 self 6 / round 2 3;  2.1 8;  survey 3.1 15
        self 32.5/40 = 81.25 (B);  appraised 3 + 3 + 8 + 15 = 29/40 = 72.50 (C);  final = appraised
    Sở Tư pháp (STP), final:  1.1 self 2 / round 1 4;  1.2 3;  2.1 does not apply;  survey 3.1 18
        self 23/30 = 76.67 (C);  appraised 25/30 = 83.33 (B);  final = appraised
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Agency, AgencyKind
from cchc.test import BaseTestCase
from indices import ranking
from indices.models import Assessment, AssessmentStatus
from indices.tests.base import PARFixtures, open_assessment

D = Decimal


def put(assessment: Assessment, code: str, **fields: Any) -> None:
    assessment.scores.filter(criterion__code=code).update(**fields)


class RankingTestCase(PARFixtures, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.create_plans()
        cls.create_documents()
        cls.create_par()
        mine, other = cls.assessment, cls.other_assessment
        put(mine, "1.1", round1_score=D(3))
        put(mine, "1.2", self_score=D(6), round2_score=D(3))
        put(mine, "2.1", self_score=D(8))
        put(mine, "3.1", survey_score=D(15))
        Assessment.objects.filter(pk=mine.pk).update(status=AssessmentStatus.ROUND2)
        put(other, "1.1", self_score=D(2), round1_score=D(4))
        put(other, "1.2", self_score=D(3))
        put(other, "2.1", applicable=False)
        put(other, "3.1", survey_score=D(18))
        Assessment.objects.filter(pk=other.pk).update(status=AssessmentStatus.FINAL)
        cls.assessment.refresh_from_db()
        cls.other_assessment.refresh_from_db()

    @classmethod
    def add_agency(
        cls,
        number: int,
        scores: dict[str, str] | None = None,
        year: int = 2024,
        status: str = AssessmentStatus.FINAL,
    ) -> Assessment:
        """Another department with scores by code ("1_1": "4")."""
        agency = Agency.objects.create(
            code=f"so-{number}",
            kind=AgencyKind.DEPARTMENT,
            parent=cls.province,
            name=f"Sở thứ {number}",
            short_name=f"Sở {number}",
            abbreviation=f"S{number}",
        )
        assessment = open_assessment(cls.criteria_set, agency, year=year, status=status)
        for code, value in (scores or {}).items():
            field = "survey_score" if code == "3_1" else "self_score"
            put(assessment, code.replace("_", "."), **{field: D(value)})
        return assessment


class RankingTests(RankingTestCase):
    def test_it_ranks_each_stage_with_groups(self) -> None:
        by_stage = ranking.rankings(self.province, 2024, AgencyKind.DEPARTMENT)
        rows = {s: [(r.assessment.agency.abbreviation, r.result.index, r.rank, r.group) for r in by_stage[s]]
                for s in by_stage}  # fmt: skip
        self.assertEqual(rows["self"], [("SNgV", D("81.25"), 1, "B"), ("STP", D("76.67"), 2, "C")])
        self.assertEqual(rows["appraised"], [("STP", D("83.33"), 1, "B"), ("SNgV", D("72.50"), 2, "C")])
        self.assertEqual(rows["final"], rows["appraised"])

    def test_ties_share_a_rank_and_the_unranked_come_last(self) -> None:
        # Sở 1: 3 + 3 + 8 + 15 = 29 → 72.50, tied with SNgV's final; Sở 2: nothing applies → no index.
        self.add_agency(1, {"1_1": "3", "1_2": "3", "2_1": "8", "3_1": "15"})
        nothing = self.add_agency(2)
        nothing.scores.update(applicable=False)
        self.add_agency(3, {"1_1": "2", "1_2": "0", "2_1": "5", "3_1": "10"})  # 17/40 = 42.50 → D
        rows = [(r.assessment.agency.name, r.result.index, r.rank, r.group)
                for r in ranking.ranking(self.province, 2024, AgencyKind.DEPARTMENT, "final")]  # fmt: skip
        self.assertEqual(
            rows,
            [
                ("Sở Tư pháp tỉnh Bình Phước", D("83.33"), 1, "B"),
                ("Sở Ngoại vụ tỉnh Bình Phước", D("72.50"), 2, "C"),
                ("Sở thứ 1", D("72.50"), 2, "C"),
                ("Sở thứ 3", D("42.50"), 4, "D"),
                ("Sở thứ 2", None, None, ""),
            ],
        )

    def test_only_finalised_assessments_when_asked(self) -> None:
        rows = ranking.ranking(self.province, 2024, AgencyKind.DEPARTMENT, "final", final_only=True)
        self.assertEqual([(r.assessment.agency.abbreviation, r.rank) for r in rows], [("STP", 1)])

    def test_other_kinds_and_years_are_ranked_apart(self) -> None:
        self.assertEqual(ranking.ranking(self.province, 2024, AgencyKind.COMMUNE), [])
        self.assertEqual(ranking.ranking(self.province, 2023, AgencyKind.DEPARTMENT), [])

    def test_the_ranking_costs_three_queries_whatever_the_number_of_agencies(self) -> None:
        with self.assertNumQueries(3):
            ranking.rankings(self.province, 2024, AgencyKind.DEPARTMENT)
        for number in range(1, 5):
            self.add_agency(number, {"1_1": "4"})
        with self.assertNumQueries(3):
            found = ranking.rankings(self.province, 2024, AgencyKind.DEPARTMENT)
        self.assertEqual(len(found["final"]), 6)

    def test_year_over_year(self) -> None:
        # 2023: 4 + 6 + 10 + 16 = 36/40 = 90 final; 2024 final 72.50: −17.50.
        Assessment.objects.filter(pk=self.assessment.pk).update(status=AssessmentStatus.FINAL)
        agency = self.assessment.agency
        Assessment.objects.filter(agency=agency).update(year=2024)
        last = open_assessment(self.criteria_set, agency, year=2023, status=AssessmentStatus.FINAL)
        for code, field, value in (("1.1", "self_score", 4), ("1.2", "self_score", 6), ("2.1", "self_score", 10),
                                   ("3.1", "survey_score", 16)):  # fmt: skip
            put(last, code, **{field: D(value)})
        rows = ranking.year_over_year(agency)
        self.assertEqual(
            [(r.year, r.results["self"].index, r.results["final"].index, r.change, r.group) for r in rows],
            [(2024, D("81.25"), D("72.50"), D("-17.50"), "C"), (2023, D("90.00"), D("90.00"), None, "A")],
        )

    def test_points_lost_most_first(self) -> None:
        # Final: 1.1 lost 1, 1.2 lost 3, 2.1 lost 2, 3.1 lost 5; areas 1: 4, 2: 2, 3: 5.
        lost = ranking.points_lost(self.assessment, "final")
        self.assertEqual([(p.criterion.code, p.lost) for p in lost.areas], [("3", 5), ("1", 4), ("2", 2)])
        self.assertEqual(
            [(p.criterion.code, p.lost) for p in lost.criteria], [("3.1", 5), ("1.2", 3), ("2.1", 2), ("1.1", 1)]
        )
        self.assertEqual(lost.total, D(11))


class RankingPageTests(RankingTestCase):
    def url(self, **query: Any) -> str:
        params = {"province": self.province.pk, "year": 2024, "kind": "department", **query}
        return reverse("par:ranking") + "?" + "&".join(f"{k}={v}" for k, v in params.items())

    def test_the_province_sees_provisional_results_marked(self) -> None:
        self.login(self.overseer)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        lines = response.context["data"].lines
        self.assertEqual(
            [(line.ranked.assessment.agency.abbreviation, line.ranked.rank, line.provisional) for line in lines],
            [("STP", 1, False), ("SNgV", 2, True)],
        )
        self.assertContains(response, "Provisional")
        self.assertContains(response, "83.33")

    def test_agency_people_see_finalised_results_only(self) -> None:
        for person in (self.staff, self.outsider):
            self.login(person)
            response = self.client.get(self.url())
            lines = response.context["data"].lines
            self.assertEqual([line.ranked.assessment.agency.abbreviation for line in lines], ["STP"])
            self.assertNotContains(response, "72.50")
            self.assertNotContains(response, "Provisional")

    def test_change_against_last_year(self) -> None:
        last = self.add_agency(9, {"1_1": "4", "1_2": "6", "2_1": "10", "3_1": "16"}, year=2023)
        Assessment.objects.filter(pk=last.pk).update(agency=self.other_agency)
        self.login(self.overseer)
        lines = self.client.get(self.url()).context["data"].lines
        # STP: 83.33 in 2024 against 90.00 in 2023.
        self.assertEqual(lines[0].change, D("-6.67"))
        self.assertIsNone(lines[1].change)

    def test_no_change_against_a_year_still_in_progress(self) -> None:
        last = self.add_agency(9, {"1_1": "4", "1_2": "6", "2_1": "10", "3_1": "16"}, year=2023)
        Assessment.objects.filter(pk=last.pk).update(agency=self.other_agency, status=AssessmentStatus.ROUND1)
        self.login(self.overseer)
        lines = self.client.get(self.url()).context["data"].lines
        self.assertEqual([line.change for line in lines], [None, None])
        rows = ranking.year_over_year(self.other_agency)
        self.assertEqual([(row.year, row.change) for row in rows], [(2024, None), (2023, None)])

    def test_the_query_count_does_not_grow_with_agencies(self) -> None:
        self.login(self.overseer)
        self.client.get(self.url())  # warm caches (content types, session)
        with CaptureQueriesContext(connection) as two:
            self.client.get(self.url())
        for number in range(1, 5):
            self.add_agency(number, {"1_1": "4"})
        with CaptureQueriesContext(connection) as six:
            response = self.client.get(self.url())
        self.assertEqual(len(response.context["data"].lines), 6)
        self.assertEqual(len(two), len(six))
        with self.assertNumQueries(len(six)):
            self.client.get(self.url())
        # Session, person, device, memberships, provinces, years, the ranking (3), last year (1), session save (3).
        self.assertEqual(len(six), 13)

    def test_it_exports_the_table(self) -> None:
        self.login(self.overseer)
        response = self.client.get(reverse("par:ranking_export") + self.url()[len(reverse("par:ranking")) :])
        self.assertEqual(response.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:4], ("Rank", "Agency", "Index", "Group"))
        self.assertEqual(rows[1][:4], (1, "Sở Tư pháp tỉnh Bình Phước", 83.33, "B"))
        self.assertEqual(rows[2][:4], (2, "Sở Ngoại vụ tỉnh Bình Phước", 72.5, "C"))
        self.assertEqual(rows[2][7], "Provisional")

    def test_the_appraisers_choose_the_stage(self) -> None:
        self.login(self.overseer)
        lines = self.client.get(self.url(stage="self")).context["data"].lines
        self.assertEqual([(line.ranked.assessment.agency.abbreviation, line.ranked.result.index) for line in lines],
                         [("SNgV", D("81.25")), ("STP", D("76.67"))])  # fmt: skip
        self.login(self.staff)
        response = self.client.get(self.url(stage="self"))
        self.assertEqual(response.context["data"].stage, "final")


class ResultsPageTests(RankingTestCase):
    def test_the_province_sees_every_stage_side_by_side(self) -> None:
        self.login(self.overseer)
        response = self.client.get(reverse("par:results", args=[self.assessment.pk]))
        self.assertEqual([s[0] for s in response.context["stages"]], ["self", "appraised", "final"])
        line = response.context["lines"][0]
        self.assertEqual(line.code, "1")
        self.assertEqual([cell[2] for cell in line.cells], [D("95.00"), D("60.00"), D("60.00")])
        self.assertEqual([s[3].rank for s in response.context["stages"]], [1, 2, 2])
        self.assertContains(response, "Provisional")
        self.assertEqual(response.context["group"], "C")

    def test_the_agency_sees_its_own_scores_until_final(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(reverse("par:results", args=[self.assessment.pk]))
        self.assertEqual([s[0] for s in response.context["stages"]], ["self"])
        self.assertNotContains(response, "72.50")
        self.assertContains(response, "81.25")

    def test_a_finalised_agency_sees_its_rank(self) -> None:
        self.login(self.outsider)
        response = self.client.get(reverse("par:results", args=[self.other_assessment.pk]))
        stages = response.context["stages"]
        self.assertEqual([(s[0], s[2].index, s[3].rank) for s in stages],
                         [("self", D("76.67"), 1), ("appraised", D("83.33"), 1), ("final", D("83.33"), 1)])  # fmt: skip
        self.assertEqual(
            [(p.criterion.code, p.lost) for p in response.context["lost"].criteria], [("1.2", 3), ("3.1", 2)]
        )
        # Its Office drafts next year's improvement plan from here; the province does not.
        self.assertContains(response, reverse("par:improvement_plan", args=[self.other_assessment.pk]))
        self.login(self.overseer)
        response = self.client.get(reverse("par:results", args=[self.other_assessment.pk]))
        self.assertNotContains(response, reverse("par:improvement_plan", args=[self.other_assessment.pk]))

    def test_without_a_query_the_filter_shows_what_is_ranked(self) -> None:
        self.login(self.overseer)
        response = self.client.get(reverse("par:ranking"))
        self.assertEqual(response.context["data"].kind, "department")
        self.assertContains(response, '<option value="department" selected>', html=False)

    def test_a_query_without_a_kind_shows_the_kind_it_ranks(self) -> None:
        self.login(self.overseer)
        response = self.client.get(reverse("par:ranking") + "?year=2024")
        self.assertEqual(response.context["data"].kind, "department")
        self.assertEqual(len(response.context["data"].lines), 2)
        self.assertContains(response, '<option value="department" selected>', html=False)
