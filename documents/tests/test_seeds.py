"""The importer reads the five seed plans exactly as the worked examples say, field by field,
and reads documents it was not tuned on (documents/tests/data/general/) as reviewed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.test import TestCase

from documents.reader import read_document

DATA = Path(__file__).parent / "data"
SEEDS = sorted(DATA.glob("0*.txt"))
GENERAL = sorted((DATA / "general").glob("*.txt"))


def differences(got: Any, want: Any, path: str = "") -> list[str]:
    if isinstance(want, dict) and isinstance(got, dict):
        return [
            d for key in sorted(set(got) | set(want)) for d in differences(got.get(key), want.get(key), f"{path}.{key}")
        ]
    if isinstance(want, list) and isinstance(got, list):
        found = [f"{path}: {len(got)} items, expected {len(want)}"] if len(got) != len(want) else []
        return found + [
            d for i, (g, w) in enumerate(zip(got, want, strict=False)) for d in differences(g, w, f"{path}[{i}]")
        ]
    return [] if got == want else [f"{path}: {got!r} != {want!r}"]


class SeedTests(TestCase):
    def check(self, file: Path) -> None:
        want = json.loads(file.with_suffix(".json").read_text(encoding="utf-8"))
        got, _ = read_document(file.name, file.read_bytes())
        for group in want:
            with self.subTest(file=file.name, group=group):
                self.assertEqual(differences(got[group], want[group], group), [])
        self.assertEqual(set(got), set(want))

    def test_it_reads_every_seed_as_the_worked_example(self) -> None:
        self.assertEqual(len(SEEDS), 5)
        for file in SEEDS:
            self.check(file)

    def test_it_reads_documents_it_was_not_tuned_on(self) -> None:
        self.assertGreaterEqual(len(GENERAL), 3)
        for file in GENERAL:
            self.check(file)

    def test_the_comparison_reports_a_difference(self) -> None:
        self.assertEqual(differences({"a": [1, 2]}, {"a": [1, 3]}), [".a[1]: 2 != 3"])
