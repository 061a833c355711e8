"""manage.py par_index, hand-worked on the fixtures of indices/tests/test_ranking.py."""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.management import CommandError, call_command

from indices.tests.test_ranking import RankingTestCase


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("par_index", *args, stdout=out)
    return out.getvalue()


def area(code: str, name: str, max_points: float, points: float, index: float) -> dict[str, Any]:
    return {"code": code, "name": name, "max_points": max_points, "points": points, "index": index}


AREA1 = "Công tác chỉ đạo, điều hành CCHC"
AREA2 = "Cải cách thủ tục hành chính"
AREA3 = "Khảo sát xã hội học"


class ParIndexCommandTests(RankingTestCase):
    def test_it_prints_every_stage_as_json(self) -> None:
        data = json.loads(run("--agency", "SNGV", "--year", "2024", "--json"))
        self.assertEqual(
            (data["agency"], data["year"], data["status"], data["provisional"]), ("sngv-bp", 2024, "round2", True)
        )
        self.assertEqual(data["criteria_set"]["name"], "Bộ tiêu chí Chỉ số CCHC các sở năm 2024")
        self.assertEqual(data["criteria_set"]["version"], 1)
        # Self: 3.5 + 6 = 9.5 of 10; 8 of 10; survey 15 of 20 → 32.5 / 40 = 81.25, first of two, group B.
        self.assertEqual(
            data["self"],
            {
                "index": 81.25,
                "total": 32.5,
                "max_points": 40.0,
                "self_points": 17.5,
                "survey_points": 15.0,
                "bonus": 0.0,
                "penalty": 0.0,
                "unscored": 0,
                "areas": [
                    area("1", AREA1, 10.0, 9.5, 95.0),
                    area("2", AREA2, 10.0, 8.0, 80.0),
                    area("3", AREA3, 20.0, 15.0, 75.0),
                ],
                "rank": 1,
                "ranked_of": 2,
                "group": "B",
            },
        )
        # Appraised: round 1 gave 1.1 = 3, round 2 gave 1.2 = 3 → 3 + 3 + 8 + 15 = 29 / 40 = 72.50, second, C.
        appraised = data["appraised"]
        self.assertEqual(
            (appraised["index"], appraised["total"], appraised["rank"], appraised["group"]), (72.5, 29.0, 2, "C")
        )
        self.assertEqual(appraised["areas"][0], area("1", AREA1, 10.0, 6.0, 60.0))
        # No council score: final = appraised.
        self.assertEqual(data["final"], appraised)

    def test_a_not_applicable_area_is_left_out(self) -> None:
        data = json.loads(run("--agency", "stp-bp", "--year", "2024", "--json"))
        self.assertFalse(data["provisional"])
        self.assertEqual([a["code"] for a in data["final"]["areas"]], ["1", "3"])
        # 4 + 3 + 18 = 25 / 30 = 83.33.
        self.assertEqual((data["final"]["index"], data["final"]["max_points"], data["final"]["rank"]), (83.33, 30.0, 1))
        self.assertEqual((data["self"]["index"], data["self"]["rank"], data["self"]["group"]), (76.67, 2, "C"))

    def test_it_prints_a_table(self) -> None:
        text = run("--agency", "sngv-bp", "--year", "2024")
        self.assertIn("PAR Index 2024 (provisional)", text)
        self.assertRegex(text, r"Index\s+81\.25\s+72\.50\s+72\.50")
        self.assertRegex(text, r"Rank\s+1/2\s+2/2\s+2/2")
        self.assertRegex(text, r"Group\s+B\s+C\s+C")
        self.assertRegex(text, r"1\. Công tác chỉ đạo, điều hành CCHC\s+95\.00\s+60\.00\s+60\.00")

    def test_unknown_agency_or_year_stop_in_plain_words(self) -> None:
        with self.assertRaisesMessage(CommandError, "No agency has the code or abbreviation “so-khong-co”."):
            run("--agency", "so-khong-co", "--year", "2024")
        with self.assertRaisesMessage(
            CommandError, "sngv-bp has no PAR Index assessment for 2019. It was assessed in 2024."
        ):
            run("--agency", "sngv-bp", "--year", "2019")
        with self.assertRaisesMessage(
            CommandError, "snv-bp has no PAR Index assessment for 2024. It has no assessment yet."
        ):
            run("--agency", "snv-bp", "--year", "2024")
