"""Print an agency's service indicators for a period (../shared/contracts/service-indicators.md).

    manage.py service_indicators --agency SNgV --period 2024-Q1 --json   # the contract's object
    manage.py service_indicators --agency sngv-bp --period 2024          # a readable table

An unknown agency or a period that cannot be read stops with exit status 2 and
one line on standard error.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from accounts.models import Agency
from services import indicators, periods

USAGE = 2


class Command(BaseCommand):
    help = "Print an agency's one-stop-shop indicators for a year, half, quarter or month."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="The agency's code or abbreviation (any case).")
        parser.add_argument("--period", required=True, help="2024, 2024-H1, 2024-Q1 or 2024-03.")
        parser.add_argument("--json", action="store_true", help="Print the JSON object of the contract.")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = find_agency(options["agency"])
        try:
            period = periods.parse(options["period"])
        except periods.PeriodError as error:
            raise CommandError(str(error), returncode=USAGE) from error
        result = {
            "agency": agency.abbreviation or agency.code,
            "period": period.as_dict(),
            **indicators.compute(agency.pk, period.start, period.end),
        }
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(table(agency, period, result))


def find_agency(value: str) -> Agency:
    """The agency with this code or abbreviation, preferring one in force and an exact code."""
    value = value.strip()
    found = list(Agency.objects.filter(Q(code__iexact=value) | Q(abbreviation__iexact=value)).order_by("pk")[:10])
    if not found:
        raise CommandError(f"No agency has the code or abbreviation “{value}”.", returncode=USAGE)
    by_code = [agency for agency in found if agency.code.lower() == value.lower()]
    if by_code:
        return by_code[0]
    current = set(Agency.objects.current().filter(pk__in=[agency.pk for agency in found]).values_list("pk", flat=True))
    candidates = [agency for agency in found if agency.pk in current] or found
    if len(candidates) > 1:
        message = f"Several agencies use the abbreviation “{value}”: give the agency's code."
        raise CommandError(message, returncode=USAGE)
    return candidates[0]


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.2f}%"


def table(agency: Agency, period: periods.Period, result: dict[str, Any]) -> str:
    channels = result["received_by_channel"]
    catalogue = result["procedures_online"]
    lines = [
        f"{agency.short_name} ({result['agency']}), {period.label}: {period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}",
        "",
        f"{'Received':<34}{result['received']:>10}",
        f"{'  at the counter / online / post':<34}"
        f"{channels['direct']:>10} / {channels['online']} / {channels['postal']}",
        f"{'Withdrawn (not counted)':<34}{result['withdrawn']:>10}",
        f"{'Counted':<34}{result['counted']:>10}",
        f"{'Early':<34}{result['early']:>10}",
        f"{'On time':<34}{result['on_time']:>10}",
        f"{'Late':<34}{result['late']:>10}",
        f"{'In process, within the deadline':<34}{result['in_process_within_deadline']:>10}",
        f"{'In process, late':<34}{result['in_process_late']:>10}",
        "",
        f"{'On-time rate':<34}{percent(result['on_time_rate']):>10}",
        f"{'Online rate':<34}{percent(result['online_rate']):>10}",
        f"{'Online payment rate':<34}{percent(result['online_payment_rate']):>10}",
        f"{'Digitised rate':<34}{percent(result['digitised_rate']):>10}",
        f"{'Electronic result rate':<34}{percent(result['electronic_result_rate']):>10}",
        f"{'Procedures fully / partly online':<34}"
        f"{catalogue['full']:>10} / {catalogue['partial']} of {catalogue['total']}",
        "",
    ]
    for code, points in result["points_766"].items():
        lines.append(f"{'766 indicator ' + code + ' (points)':<34}{'-' if points is None else points:>10}")
    return "\n".join(lines)
