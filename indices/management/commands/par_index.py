"""Print an agency's PAR Index for a year: by area and overall, with rank and group, at every stage.

    manage.py par_index --agency sngv-bp --year 2024 --json   # one JSON object
    manage.py par_index --agency SNgV --year 2024              # a readable table

Stages: `self` (the agency's own scores), `appraised` (round 2, else round 1,
else the agency's) and `final` (the council's, else the appraised). The rank
is among the province's agencies of the same kind assessed that year, at the
same stage; `provisional` says the council has not finalised the assessment.
An unknown agency, or a year the agency was not assessed, stops with exit
status 2 and one line on standard error.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from accounts.models import Agency
from indices import ranking
from indices.models import Assessment, AssessmentStatus
from indices.scoring import STAGES

USAGE = 2


class Command(BaseCommand):
    help = "Print an agency's PAR Index for a year by area and overall, with rank and group, for each stage."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="The agency's code or abbreviation (any case).")
        parser.add_argument("--year", required=True, type=int, help="The year assessed, e.g. 2024.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = find_agency(options["agency"])
        year = options["year"]
        assessment = (
            Assessment.objects.filter(agency=agency, year=year).select_related("agency", "criteria_set").first()
        )
        if assessment is None:
            years = sorted(Assessment.objects.filter(agency=agency).values_list("year", flat=True))
            known = f" It was assessed in {', '.join(map(str, years))}." if years else " It has no assessment yet."
            raise CommandError(f"{agency.code} has no PAR Index assessment for {year}.{known}", returncode=USAGE)
        data = report(assessment)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(table(data))


def find_agency(value: str) -> Agency:
    """The agency with this code or abbreviation, preferring an exact code and one in force."""
    value = value.strip()
    found = list(Agency.objects.filter(Q(code__iexact=value) | Q(abbreviation__iexact=value)).order_by("pk")[:10])
    if not found:
        raise CommandError(f"No agency has the code or abbreviation “{value}”.", returncode=USAGE)
    by_code = [agency for agency in found if agency.code.lower() == value.lower()]
    if by_code:
        return by_code[0]
    current = set(Agency.objects.current().filter(pk__in=[a.pk for a in found]).values_list("pk", flat=True))
    candidates = [agency for agency in found if agency.pk in current] or found
    if len(candidates) > 1:
        raise CommandError(
            f"Several agencies use the abbreviation “{value}”: give the agency's code.", returncode=USAGE
        )
    return candidates[0]


def report(assessment: Assessment) -> dict[str, Any]:
    agency, criteria_set = assessment.agency, assessment.criteria_set
    province = agency.province or agency
    by_stage = ranking.rankings(province, assessment.year, agency.kind)
    data: dict[str, Any] = {
        "agency": agency.code,
        "agency_name": agency.name,
        "year": assessment.year,
        "status": assessment.status,
        "provisional": assessment.status != AssessmentStatus.FINAL,
        "criteria_set": {
            "id": criteria_set.pk,
            "name": criteria_set.name,
            "year": criteria_set.year,
            "version": criteria_set.version,
            "agency_kind": criteria_set.agency_kind,
            "decision": criteria_set.decision,
            "is_example": criteria_set.is_example,
            "decimals": criteria_set.decimals,
            "cap_at_100": criteria_set.cap_at_100,
            "bands": criteria_set.bands,
        },
    }
    for stage in STAGES:
        ranked = by_stage[stage]
        mine = next(r for r in ranked if r.assessment.pk == assessment.pk)
        data[stage] = {
            **mine.result.as_dict(),
            "rank": mine.rank,
            "ranked_of": sum(1 for r in ranked if r.rank is not None),
            "group": mine.group,
        }
    return data


def _number(value: float | None) -> str:
    return "-" if value is None else f"{Decimal(str(value)):.2f}"


def table(data: dict[str, Any]) -> str:
    status = "provisional" if data["provisional"] else "final"
    lines = [
        f"{data['agency_name']} ({data['agency']}), PAR Index {data['year']} ({status})",
        f"Criteria: {data['criteria_set']['name']} v{data['criteria_set']['version']}",
        "",
        f"{'':<44}{'Self':>12}{'Appraised':>12}{'Final':>12}",
    ]
    codes: dict[str, str] = {}
    for stage in STAGES:
        for area in data[stage]["areas"]:
            codes.setdefault(area["code"], area["name"])

    def area_index(stage: str, code: str) -> str:
        found = next((a for a in data[stage]["areas"] if a["code"] == code), None)
        return _number(found["index"]) if found else "-"

    for code, name in codes.items():
        label = f"{code}. {name}"
        label = label if len(label) <= 42 else label[:41] + "…"
        lines.append(f"{label:<44}" + "".join(f"{area_index(stage, code):>12}" for stage in STAGES))
    lines.append("")
    for label, key in (("Points", "total"), ("Of applicable maximum", "max_points"), ("Bonus", "bonus")):
        lines.append(f"{label:<44}" + "".join(f"{_number(data[s][key]):>12}" for s in STAGES))
    lines.append(f"{'Penalty':<44}" + "".join(f"{_number(data[s]['penalty']):>12}" for s in STAGES))
    lines.append(f"{'Index':<44}" + "".join(f"{_number(data[s]['index']):>12}" for s in STAGES))

    def rank(stage: str) -> str:
        found = data[stage]
        return "-" if found["rank"] is None else f"{found['rank']}/{found['ranked_of']}"

    lines.append(f"{'Rank':<44}" + "".join(f"{rank(s):>12}" for s in STAGES))
    lines.append(f"{'Group':<44}" + "".join(f"{data[s]['group'] or '-':>12}" for s in STAGES))
    return "\n".join(lines) + "\n"
