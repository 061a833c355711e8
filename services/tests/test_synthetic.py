"""The synthetic dossiers are deterministic and obey the file's rules."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from django.test import SimpleTestCase

from services.synthetic import COLUMNS, ProcedureSpec, rows, write_csv

PROCEDURES = [
    ProcedureSpec(f"1.00{i:04d}", Decimal(3 + i % 5), 50000 if i % 3 == 0 else 0, i % 2 == 0) for i in range(8)
]


def make(seed: int = 7, count: int = 500) -> list[dict[str, object]]:
    return list(
        rows(
            seed=seed,
            count=count,
            agencies=["SNgV", "STP"],
            procedures=PROCEDURES,
            start=date(2024, 1, 1),
            end=date(2024, 3, 31),
        )
    )


class SyntheticTestCase(SimpleTestCase):
    def test_the_same_seed_gives_the_same_rows(self) -> None:
        self.assertEqual(make(), make())
        self.assertNotEqual(make(seed=8), make())

    def test_rows_obey_the_rules_of_the_file(self) -> None:
        items = make()
        self.assertEqual(len({r["code"] for r in items}), len(items))
        for item in items:
            received = datetime.fromisoformat(str(item["received_at"]))
            self.assertTrue(date(2024, 1, 1) <= received.date() <= date(2024, 3, 31))
            if item["finished_at"]:
                self.assertGreaterEqual(datetime.fromisoformat(str(item["finished_at"])), received)
            if item["status"] == "withdrawn":
                self.assertEqual(item["finished_at"], "")
            if item["paid_online"] == "true":
                self.assertEqual(item["channel"], "online")
                self.assertGreater(int(str(item["fee"])), 0)
        statuses = {r["status"] for r in items}
        self.assertIn("returned", statuses)
        self.assertIn("online", {r["channel"] for r in items})

    def test_it_writes_the_canonical_csv(self) -> None:
        buffer = io.StringIO()
        self.assertEqual(write_csv(buffer, make(count=20)), 20)
        reader = csv.DictReader(io.StringIO(buffer.getvalue()))
        self.assertEqual(reader.fieldnames, COLUMNS)
        self.assertEqual(len(list(reader)), 20)
