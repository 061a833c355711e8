"""The PAR Index arithmetic, worked by hand on the small set of indices/tests/base.py.

1 (10)  1.1 (4, step 0.5)  1.2 (6, options 0 / 3 / 6)
2 (10, procedures)  2.1 (10)
3 (20, survey)  3.1 (20)
4 bonus, cap 2:  4.1 (1)  4.2 (2)
5 penalty, cap 3:  5.1 (3)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from accounts.models import Agency
from cchc.test import BaseTestCase
from indices import scoring
from indices.models import Assessment, CriteriaSet, Criterion, CriterionKind, Method, Score
from indices.scoring import Result
from indices.tests.base import PARFixtures, make_set, open_assessment

D = Decimal


def set_scores(assessment: Assessment, **by_code: Any) -> None:
    """Write fields of the score rows by criterion code ("1_1" for 1.1)."""
    for code, fields in by_code.items():
        score = assessment.scores.get(criterion__code=code.replace("_", "."))
        for name, value in fields.items():
            setattr(score, name, value if isinstance(value, bool) else D(str(value)))
        score.save()


class ScoringTestCase(PARFixtures, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.create_plans()
        cls.create_documents()
        cls.create_par()

    def fresh(self, **fields: Any) -> Assessment:
        """An assessment of a new agency against a fresh copy of the small set."""
        criteria_set = make_set(self.province, 2030 + CriteriaSet.objects.count(), **fields)
        agency = Agency.objects.create(
            code=f"a{criteria_set.pk}",
            kind="department",
            parent=self.province,
            name=f"Sở {criteria_set.pk}",
            abbreviation=f"S{criteria_set.pk}",
        )
        return open_assessment(criteria_set, agency, year=criteria_set.year)

    def full_marks(self) -> dict[str, dict[str, Any]]:
        return {
            "1_1": {"self_score": 4},
            "1_2": {"self_score": 6},
            "2_1": {"self_score": 10},
            "3_1": {"survey_score": 20},
        }


class IndexTests(ScoringTestCase):
    def test_it_gives_100_for_full_marks(self) -> None:
        assessment = self.fresh()
        set_scores(assessment, **self.full_marks())
        result = scoring.compute(assessment, "self")
        self.assertEqual(result.index, D("100.00"))
        self.assertEqual((result.achieved, result.max_points), (D(40), D(40)))
        self.assertEqual((result.self_achieved, result.self_max), (D(20), D(20)))
        self.assertEqual((result.survey_achieved, result.survey_max), (D(20), D(20)))
        self.assertTrue(result.survey_held)
        self.assertEqual([(p.criterion.code, p.index) for p in result.areas], [("1", 100), ("2", 100), ("3", 100)])
        self.assertEqual(result.unscored, 0)

    def test_it_rescales_over_what_applies(self) -> None:
        # Area 2 does not apply: 8 of 10 self-assessed + 15 of 20 survey = 23 / 30 × 100 = 76.666… → 76.67.
        assessment = self.fresh()
        set_scores(
            assessment,
            **{
                "1_1": {"self_score": 2},
                "1_2": {"self_score": 6},
                "2_1": {"applicable": False, "self_score": 10},
                "3_1": {"survey_score": 15},
            },
        )
        result = scoring.compute(assessment, "self")
        self.assertEqual(result.max_points, D(30))
        self.assertEqual(result.achieved, D(23))
        self.assertEqual(result.index, D("76.67"))
        self.assertEqual(
            [(p.criterion.code, p.max_points, p.achieved, p.index) for p in result.areas],
            [("1", D(10), D(8), D("80.00")), ("3", D(20), D(15), D("75.00"))],
        )
        lost = {p.criterion.code: p.lost for p in result.criteria}
        self.assertEqual(lost, {"1.1": D(2), "1.2": D(0), "3.1": D(5)})

    def test_without_survey_points_it_rescales_over_the_self_assessed_items(self) -> None:
        # No survey held: 4 + 3 + 5 = 12 of 20 → 60.
        assessment = self.fresh()
        set_scores(assessment, **{"1_1": {"self_score": 4}, "1_2": {"self_score": 3}, "2_1": {"self_score": 5}})
        result = scoring.compute(assessment, "self")
        self.assertFalse(result.survey_held)
        self.assertEqual((result.achieved, result.max_points, result.index), (D(12), D(20), D("60.00")))
        self.assertEqual([p.criterion.code for p in result.areas], ["1", "2"])
        self.assertIsNone(result.as_dict()["survey_points"])
        self.assertEqual(result.unscored, 0)

    def test_a_missing_survey_item_counts_zero_once_the_survey_is_held(self) -> None:
        # A second survey item 3.2 (10): 3.1 has 15, 3.2 none → (20 + 15 + 0) / (20 + 30) = 70.
        assessment = self.fresh()
        area3 = assessment.criteria_set.criteria.get(code="3")
        area3.max_points = D(30)
        area3.save()
        extra = Criterion.objects.create(
            criteria_set=assessment.criteria_set, parent=area3, code="3.2", name="Doanh nghiệp", max_points=D(10),
            method=Method.SURVEY, order=50,
        )  # fmt: skip
        Score.objects.create(assessment=assessment, criterion=extra)
        set_scores(assessment, **{**self.full_marks(), "3_1": {"survey_score": 15}})
        result = scoring.compute(assessment, "self")
        self.assertEqual((result.achieved, result.max_points), (D(35), D(50)))
        self.assertEqual(result.index, D("70.00"))
        self.assertEqual(result.unscored, 1)
        self.assertEqual(result.survey_max, D(30))

    def test_bonus_is_capped_by_its_area(self) -> None:
        # 3 + 3 + 8 + 10 = 24; bonus 1 + 2 = 3 capped at 2 → 26 / 40 = 65.
        assessment = self.fresh()
        set_scores(
            assessment,
            **{
                "1_1": {"self_score": 3},
                "1_2": {"self_score": 3},
                "2_1": {"self_score": 8},
                "3_1": {"survey_score": 10},
                "4_1": {"self_score": 1},
                "4_2": {"self_score": 2},
            },
        )
        result = scoring.compute(assessment, "self")
        self.assertEqual((result.bonus, result.total, result.index), (D(2), D(26), D("65.00")))
        # Bonus areas are not areas of the index.
        self.assertEqual([p.criterion.code for p in result.areas], ["1", "2", "3"])

    def test_penalty_is_capped_by_its_area(self) -> None:
        # A second penalty item 5.2 (2): 3 + 2 = 5 capped at 3 → (24 − 3) / 40 = 52.5.
        assessment = self.fresh()
        area5 = assessment.criteria_set.criteria.get(code="5")
        extra = Criterion.objects.create(
            criteria_set=assessment.criteria_set, parent=area5, code="5.2", name="Chậm báo cáo", max_points=D(2),
            kind=CriterionKind.PENALTY, order=60,
        )  # fmt: skip
        Score.objects.create(assessment=assessment, criterion=extra)
        set_scores(
            assessment,
            **{
                "1_1": {"self_score": 3},
                "1_2": {"self_score": 3},
                "2_1": {"self_score": 8},
                "3_1": {"survey_score": 10},
                "5_1": {"self_score": 3},
                "5_2": {"self_score": 2},
            },
        )
        result = scoring.compute(assessment, "self")
        self.assertEqual((result.penalty, result.total, result.index), (D(3), D(21), D("52.50")))

    def test_the_index_is_never_negative(self) -> None:
        assessment = self.fresh()
        set_scores(assessment, **{"1_1": {"self_score": 1}, "1_2": {"self_score": 0}, "5_1": {"self_score": 3}})
        result = scoring.compute(assessment, "self")
        self.assertEqual(result.total, D(-2))
        self.assertEqual(result.index, D("0.00"))

    def test_the_index_is_capped_at_100_when_the_set_says_so(self) -> None:
        # 40 of 40 + bonus 2 = 42 / 40 = 105.
        capped = self.fresh()
        free = self.fresh(cap_at_100=False)
        for assessment in (capped, free):
            set_scores(assessment, **self.full_marks(), **{"4_2": {"self_score": 2}})
        self.assertEqual(scoring.compute(capped, "self").index, D("100.00"))
        self.assertEqual(scoring.compute(free, "self").index, D("105.00"))

    def test_it_rounds_half_up_at_the_sets_decimals(self) -> None:
        # Area 2 not applicable: 4 + 6 + 10 = 20 of 30 = 66.666…
        scores = {
            "1_1": {"self_score": 4},
            "1_2": {"self_score": 6},
            "2_1": {"applicable": False},
            "3_1": {"survey_score": 10},
        }
        for decimals, expected in ((2, "66.67"), (1, "66.7"), (0, "67")):
            assessment = self.fresh(decimals=decimals)
            set_scores(assessment, **scores)
            self.assertEqual(str(scoring.compute(assessment, "self").index), expected)
        # 26.25 / 40 = 65.625 exactly: half up gives 65.63 (banker's rounding would give 65.62).
        assessment = self.fresh()
        set_scores(assessment, **{**self.full_marks(), "2_1": {"self_score": "6.25"}, "3_1": {"survey_score": 10}})
        self.assertEqual(scoring.compute(assessment, "self").index, D("65.63"))
        self.assertEqual(scoring.rounded(D("0.125"), 2), D("0.13"))
        self.assertEqual(scoring.rounded(D("2.5"), 0), D(3))
        self.assertEqual(scoring.rounded(D("0.124999"), 2), D("0.12"))

    def test_nothing_applicable_has_no_index(self) -> None:
        assessment = self.fresh()
        assessment.scores.update(applicable=False)
        result = scoring.compute(assessment, "self")
        self.assertIsNone(result.index)
        self.assertEqual(result.areas, [])

    def test_unscored_items_count_zero_and_are_counted(self) -> None:
        assessment = self.fresh()
        set_scores(assessment, **{"1_1": {"self_score": 4}})
        result = scoring.compute(assessment, "self")
        self.assertEqual((result.achieved, result.max_points, result.index), (D(4), D(20), D("20.00")))
        self.assertEqual(result.unscored, 2)

    def test_it_reads_each_stage(self) -> None:
        # 1.1: self 3.5, round 1 3, round 2 2.5, final 4; 1.2: self 6, round 1 3; 2.1: self 10; 3.1: survey 16.
        assessment = self.fresh()
        set_scores(
            assessment,
            **{
                "1_1": {"self_score": "3.5", "round1_score": 3, "round2_score": "2.5", "final_score": 4},
                "1_2": {"self_score": 6, "round1_score": 3},
                "2_1": {"self_score": 10},
                "3_1": {"survey_score": 16},
            },
        )
        results = {stage: scoring.compute(assessment, stage) for stage in scoring.STAGES}
        # self: 3.5 + 6 + 10 + 16 = 35.5; appraised: 2.5 + 3 + 10 + 16 = 31.5; final: 4 + 3 + 10 + 16 = 33.
        self.assertEqual(results["self"].index, D("88.75"))
        self.assertEqual(results["appraised"].index, D("78.75"))
        self.assertEqual(results["final"].index, D("82.50"))
        bands = {stage: scoring.band(assessment.criteria_set, r.index) for stage, r in results.items()}
        self.assertEqual(bands, {"self": "B", "appraised": "C", "final": "B"})
        score = assessment.scores.get(criterion__code="1.2")
        self.assertEqual(
            [scoring.value_at(score, s) for s in scoring.STAGES],
            [D(6), D(3), D(3)],
        )
        with self.assertRaises(ValueError):
            scoring.compute(assessment, "round3")

    def test_it_computes_in_two_queries(self) -> None:
        assessment = self.fresh()
        set_scores(assessment, **self.full_marks())
        assessment = Assessment.objects.select_related("criteria_set").get(pk=assessment.pk)
        with self.assertNumQueries(2):
            scoring.compute(assessment, "final")
        # Scores loaded without their criterion: compute_from reads the criteria it is given.
        criteria = {c.pk: c for c in assessment.criteria_set.criteria.all()}
        scores = list(Score.objects.filter(assessment=assessment))
        with self.assertNumQueries(0):
            result = scoring.compute_from(assessment.criteria_set, criteria, scores, "appraised")
        self.assertEqual(result.index, D("100.00"))

    def test_as_dict_is_plain_json(self) -> None:
        assessment = self.fresh()
        set_scores(assessment, **{**self.full_marks(), "2_1": {"applicable": False}})
        data = scoring.compute(assessment, "self").as_dict()
        self.assertEqual(data["index"], 100.0)
        self.assertEqual(data["max_points"], 30.0)
        self.assertEqual(data["areas"][0], {"code": "1", "name": "Công tác chỉ đạo, điều hành CCHC",
                                             "max_points": 10.0, "points": 10.0, "index": 100.0})  # fmt: skip


class CheckScoreTests(ScoringTestCase):
    def check(self, code: str, value: Any) -> tuple[Decimal | None, list[str]]:
        return scoring.check_score(self.criteria_set.criteria.get(code=code), value)

    def test_it_accepts_a_score_on_the_steps(self) -> None:
        self.assertEqual(self.check("1.1", "3.5"), (D("3.5"), []))
        self.assertEqual(self.check("1.1", "3,5"), (D("3.5"), []))
        self.assertEqual(self.check("1.1", 4), (D(4), []))
        self.assertEqual(self.check("1.1", "0"), (D(0), []))

    def test_blank_is_no_score(self) -> None:
        self.assertEqual(self.check("1.1", ""), (None, []))
        self.assertEqual(self.check("1.1", "  "), (None, []))
        self.assertEqual(self.check("1.1", None), (None, []))

    def test_it_refuses_a_score_above_the_maximum(self) -> None:
        self.assertEqual(self.check("1.1", "4.5")[1], ["4.5 is above the maximum of 4 points."])

    def test_it_refuses_a_score_off_the_steps(self) -> None:
        self.assertEqual(self.check("1.1", "3.25")[1], ["The score must be a multiple of 0.5."])

    def test_it_refuses_a_score_that_is_not_an_option(self) -> None:
        self.assertEqual(self.check("1.2", "4")[1], ["The score must be one of 0, 3, 6."])
        self.assertEqual(self.check("1.2", "3.00"), (D("3.00"), []))

    def test_it_refuses_a_negative_score(self) -> None:
        self.assertEqual(self.check("2.1", "-1")[1], ["A score cannot be negative."])

    def test_it_refuses_text(self) -> None:
        self.assertEqual(self.check("2.1", "abc"), (None, ["“abc” is not a number."]))
        self.assertEqual(self.check("2.1", "NaN"), (None, ["“NaN” is not a number."]))
        self.assertEqual(self.check("2.1", "Infinity"), (None, ["“Infinity” is not a number."]))

    def test_it_refuses_a_third_decimal(self) -> None:
        self.assertEqual(self.check("2.1", "6.125")[1], ["A score has at most two decimal places."])
        self.assertEqual(self.check("2.1", "6.25"), (D("6.25"), []))

    def test_a_huge_number_is_above_the_maximum(self) -> None:
        above = ["1000000000000000000000000000000 is above the maximum of 4 points."]
        self.assertEqual(self.check("1.1", "1e30")[1], above)


class CheckSetTests(ScoringTestCase):
    def criteria(self) -> list[Criterion]:
        return list(self.criteria_set.criteria.all())

    def test_the_fixture_set_is_sound(self) -> None:
        # Area 4 (bonus, cap 2) has items worth 3: caps are exempt from the sum.
        self.assertEqual(scoring.check_set(self.criteria()), [])

    def test_it_reports_children_that_do_not_add_up(self) -> None:
        criteria = self.criteria()
        next(c for c in criteria if c.code == "1").max_points = D(12)
        self.assertEqual(scoring.check_set(criteria), ["1 has 12 points but its items add up to 10."])

    def test_it_reports_a_duplicate_code(self) -> None:
        criteria = self.criteria()
        next(c for c in criteria if c.code == "1.2").code = "1.1"
        self.assertEqual(scoring.check_set(criteria), ["The code 1.1 is used twice."])

    def test_it_reports_a_child_of_another_kind(self) -> None:
        criteria = self.criteria()
        next(c for c in criteria if c.code == "4.1").kind = CriterionKind.SCORED
        self.assertEqual(scoring.check_set(criteria), ["4.1 is not of the same kind as 4."])

    def test_it_checks_unsaved_criteria_linked_by_object(self) -> None:
        area = Criterion(code="1", name="A", max_points=D(10))
        kids = [
            Criterion(code="1.1", name="a", max_points=D(4), parent=area),
            Criterion(code="1.2", name="b", max_points=D(5), parent=area),
        ]
        self.assertEqual(scoring.check_set([area, *kids]), ["1 has 10 points but its items add up to 9."])


class RankTests(ScoringTestCase):
    def test_band_reads_the_sets_groups(self) -> None:
        cs = self.criteria_set
        self.assertEqual(
            [scoring.band(cs, D(v)) for v in ("100", "90", "89.99", "80", "70", "69.99", "0")],
            ["A", "A", "B", "B", "C", "D", "D"],
        )
        self.assertEqual(scoring.band(cs, None), "")
        cs.bands = [{"label": "Tốt", "min": "85.5"}, {"label": "Khá", "min": 60}]
        self.assertEqual([scoring.band(cs, D(v)) for v in ("85.5", "85.49", "60", "59")], ["Tốt", "Khá", "Khá", ""])

    def test_it_ranks_ties_alike_and_unranked_last(self) -> None:
        pairs = []
        for name, index in (("E", None), ("D", "70"), ("C", "80"), ("B", "80"), ("A", "95")):
            assessment = Assessment(criteria_set=self.criteria_set, agency=Agency(name=name), year=2024)
            result = Result("final", index=None if index is None else D(index))
            pairs.append((assessment, result))
        ranked = scoring.rank(pairs)
        self.assertEqual(
            [(r.assessment.agency.name, r.rank, r.group) for r in ranked],
            [("A", 1, "A"), ("B", 2, "B"), ("C", 2, "B"), ("D", 4, "C"), ("E", None, "")],
        )
