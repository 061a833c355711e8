"""The PAR Index at a province's scale: rankings, results and the assessment pages.

Builds, in a throwaway SQLite database, a province of A departments assessed for
two years against the example criteria set (91 rows, 80 leaves), every
assessment finalised with scores at every stage and survey points, and one open
assessment of this year with evidence. Then it requests, as the province's
overseer and as the coordinator of one department, the ranking, the appraisal
inbox, a results page, the appraisal table, the PAR home, the assessment tree
and one item, printing status, queries, size and times (the first request warms
caches and is not timed), and times `par_index --json`, the self-assessment
report (DOCX, PDF) and the improvement plan's preview.

    .venv/bin/python bench/par.py                       # 60 departments
    .venv/bin/python bench/par.py --agencies 200 --repeat 3
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import datetime
from decimal import Decimal
from io import StringIO
from typing import Any

from common import measure, print_figures, print_header, throwaway_database

STEP = Decimal("0.25")


def build(agencies: int, year: int) -> dict[str, Any]:
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Agency, AgencyKind, Membership, Role, Unit, User
    from indices import criteria
    from indices.models import Assessment, AssessmentStatus, Criterion, Evidence, Method, Score
    from plans.models import Plan

    rng = random.Random(7)
    zone = timezone.get_current_timezone()
    with transaction.atomic():
        province = Agency.objects.create(
            code="tinh",
            kind=AgencyKind.PROVINCE,
            name="UBND tỉnh",
            short_name="Tỉnh",
            abbreviation="UBND",
            place_name="X",
        )
        home = Agency.objects.create(
            code="snv", parent=province, name="Sở Nội vụ", short_name="SNV", abbreviation="SNV", place_name="X"
        )
        overseer = User.objects.create_user(username="overseer", full_name="Thẩm định viên", password="x")
        Membership.objects.create(user=overseer, agency=home, role=Role.OVERSEER)
        departments = [
            Agency.objects.create(
                code=f"so-{n}",
                parent=province,
                name=f"Sở số {n}",
                short_name=f"Sở {n}",
                abbreviation=f"S{n}",
                place_name="X",
            )
            for n in range(1, agencies + 1)
        ]
        office = Unit.objects.create(agency=departments[0], name="Văn phòng", abbreviation="VP", is_coordinator=True)
        coordinator = User.objects.create_user(username="coordinator", full_name="Chánh Văn phòng", password="x")
        Membership.objects.create(user=coordinator, agency=departments[0], role=Role.COORDINATOR, unit=office)
        plan = Plan.objects.create(agency=departments[0], year=year, title="Kế hoạch CCHC")
        sets = {y: criteria.load_example(province, y) for y in (year - 1, year)}
        moment = datetime(year + 1, 3, 31, 9, tzinfo=zone)
        current = None
        for y, criteria_set in sets.items():
            parents = set(criteria_set.criteria.exclude(parent=None).values_list("parent_id", flat=True))
            leaves = [c for c in Criterion.objects.filter(criteria_set=criteria_set) if c.pk not in parents]
            for agency in departments:
                final = not (y == year and agency == departments[0])
                assessment = Assessment.objects.create(
                    criteria_set=criteria_set,
                    agency=agency,
                    year=y,
                    status=AssessmentStatus.FINAL if final else AssessmentStatus.SELF,
                    finalised_at=moment if final else None,
                )
                scores = []
                for leaf in leaves:
                    top = int(leaf.max_points / STEP)
                    value = STEP * rng.randint(top // 2, top) if top else Decimal(0)
                    if leaf.method == Method.SURVEY:
                        scores.append(
                            Score(assessment=assessment, criterion=leaf, survey_score=value if final else None)
                        )
                        continue
                    appraised = max(Decimal(0), value - STEP * rng.randint(0, 2))
                    scores.append(
                        Score(
                            assessment=assessment,
                            criterion=leaf,
                            self_score=value,
                            round1_score=appraised if final else None,
                            round2_score=appraised if final else None,
                            self_note="Tự chấm theo hướng dẫn.",
                        )
                    )
                Score.objects.bulk_create(scores)
                if not final:
                    current = assessment
        assert current is not None
        Evidence.objects.bulk_create(
            Evidence(score=score, plan=plan, locator="mục II") for score in current.scores.exclude(self_score=None)
        )
    last = Assessment.objects.get(agency=departments[0], year=year - 1)
    scored = current.scores.exclude(self_score=None).first()
    assert scored is not None
    return {
        "overseer": overseer.pk,
        "coordinator": coordinator.pk,
        "province": province.pk,
        "agency": departments[0],
        "current": current,
        "last": last,
        "score": scored.pk,
        "leaves": len(leaves),
    }


def timed(label: str, fn: Any, repeat: int) -> None:
    fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    print(f"  {label:<40} median {sorted(times)[len(times) // 2]:>8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agencies", type=int, default=60)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with throwaway_database():
        from django.core.management import call_command

        from indices import improvement, report
        from lib.nd30 import docx, pdf

        started = time.perf_counter()
        built = build(args.agencies, args.year)
        print(
            f"{args.agencies} departments x 2 years x {built['leaves']} items "
            f"built in {time.perf_counter() - started:.1f} s"
        )
        year, current, last = args.year, built["current"], built["last"]
        overseer = [
            ("ranking (final)", f"/par/ranking/?province={built['province']}&year={year - 1}&kind=department"),
            (
                "ranking (self, provisional)",
                f"/par/ranking/?province={built['province']}&year={year}&kind=department&stage=self",
            ),
            ("appraisal inbox", "/par/appraisals/"),
            ("results of one", f"/par/assessments/{last.pk}/results/"),
            ("appraisal table", f"/par/assessments/{last.pk}/appraise/"),
        ]
        coordinator = [
            ("PAR home", "/par/"),
            ("assessment tree", f"/par/assessments/{current.pk}/"),
            ("one item", f"/par/scores/{built['score']}/"),
            ("improvement preview", f"/par/assessments/{last.pk}/improvement/"),
        ]
        print_header(28)
        print_figures(measure("overseer", built["overseer"], overseer, args.repeat), 28)
        print_figures(measure("coordinator", built["coordinator"], coordinator, args.repeat), 28)
        print()
        agency = built["agency"]
        timed(
            "par_index --json",
            lambda: call_command("par_index", agency=agency.code, year=year - 1, json=True, stdout=StringIO()),
            args.repeat,
        )
        timed("self-assessment report DOCX", lambda: docx.render(report.document(current)), args.repeat)
        timed("self-assessment report PDF", lambda: pdf.render(report.document(current)), args.repeat)
        timed("improvement preview (function)", lambda: improvement.preview(last), args.repeat)


if __name__ == "__main__":
    main()
