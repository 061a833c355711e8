"""`manage.py service_indicators`: the contract's JSON, the readable table, and bad input."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError

from services.tests.test_indicators import EXAMPLE, IndicatorFixtures


def run(*args: str) -> str:
    out = StringIO()
    call_command("service_indicators", *args, stdout=out)
    return out.getvalue()


class ServiceIndicatorsCommandTest(IndicatorFixtures):
    def test_it_prints_the_contract_object(self) -> None:
        printed = json.loads(run("--agency", "SNgV", "--period", "2024-Q1", "--json"))
        expected: dict[str, Any] = {
            "agency": "SNgV",
            "period": {"label": "2024-Q1", "start": "2024-01-01", "end": "2024-03-31"},
            **EXAMPLE,
        }
        self.assertEqual(printed, expected)

    def test_it_finds_the_agency_by_code_or_abbreviation_in_any_case(self) -> None:
        for value in ("sngv", "SNGV", "sngv-bp", "SNGV-BP"):
            printed = json.loads(run("--agency", value, "--period", "2024-q1", "--json"))
            self.assertEqual((printed["agency"], printed["received"]), ("SNgV", 12), value)

    def test_it_reads_every_period_form(self) -> None:
        # The year and the first half also hold X2 (received 01/04); February: base and T2 (X3 is another agency's).
        cases = {"2024": (13, "2024-12-31"), "2024-H1": (13, "2024-06-30"), "2024-02": (2, "2024-02-29")}
        for label, (received, end) in cases.items():
            printed = json.loads(run("--agency", "SNgV", "--period", label, "--json"))
            self.assertEqual((printed["received"], printed["period"]["end"]), (received, end), label)
        # X2 was received at 00:10 on 01/04 (local time), after the first quarter.
        self.assertEqual(json.loads(run("--agency", "SNgV", "--period", "2024-04", "--json"))["received"], 1)

    def test_it_prints_a_table_without_json(self) -> None:
        printed = run("--agency", "SNgV", "--period", "2024-Q1")
        self.assertIn("Sở Ngoại vụ (SNgV), 2024-Q1: 01/01/2024 – 31/03/2024", printed)
        self.assertRegex(printed, r"Received\s+12\n")
        self.assertRegex(printed, r"On-time rate\s+54\.55%")
        self.assertRegex(printed, r"766 indicator 2\.1 \(points\)\s+10\.91")

    def test_it_refuses_an_unknown_agency_with_status_2(self) -> None:
        with self.assertRaises(CommandError) as caught:
            run("--agency", "nowhere", "--period", "2024-Q1", "--json")
        self.assertEqual(caught.exception.returncode, 2)
        self.assertEqual(str(caught.exception), "No agency has the code or abbreviation “nowhere”.")

    def test_it_refuses_a_bad_period_with_status_2(self) -> None:
        for value in ("2024-Q5", "2024-13", "last year"):
            with self.assertRaises(CommandError) as caught:
                run("--agency", "SNgV", "--period", value, "--json")
            self.assertEqual(caught.exception.returncode, 2, value)
            self.assertIn(value, str(caught.exception))
