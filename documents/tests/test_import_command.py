"""`manage.py import_plan`: print what a document says, or save it as a draft plan."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any
from unittest.mock import patch

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from accounts.models import Agency, AgencyKind
from documents.management.commands.import_plan import Command
from documents.models import PlanImport
from documents.reader.source import Source, Unreadable
from documents.tests.base import DocumentsTestCase
from plans.models import Plan, PlanStatus

DATA = Path(__file__).parent / "data"
SEED = DATA / "002_b069dd2d47730896.txt"


def example(stem: str = SEED.stem) -> dict[str, Any]:
    return json.loads((DATA / f"{stem}.json").read_text(encoding="utf-8"))


def reading(result: dict[str, Any] | None = None) -> Any:
    source = Source(text=SEED.read_text(encoding="utf-8"), kind="txt")
    return patch("documents.reader.read_document", return_value=(result or example(), source))


class ImportCommandTestCase(DocumentsTestCase):
    def run_command(self, *args: str) -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        call_command("import_plan", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_it_prints_only_the_json_of_what_was_read(self) -> None:
        plans, imports = Plan.objects.count(), PlanImport.objects.count()
        with reading() as read:
            out, err = self.run_command(str(SEED), "--dry-run", "--json")
        read.assert_called_once_with(SEED.name, SEED.read_bytes())
        self.assertEqual(json.loads(out), example())
        self.assertIn("Phạm Thị Anh Thư", out)  # not \u escapes
        self.assertTrue(out.startswith('{\n  "document": {'))
        self.assertEqual(err, "")
        self.assertEqual((Plan.objects.count(), PlanImport.objects.count()), (plans, imports))

    def test_it_prints_a_summary_without_json(self) -> None:
        with reading():
            out, _err = self.run_command(str(SEED), "--dry-run")
        self.assertIn("Number: 41/KH-SNgV", out)
        self.assertIn("Tasks: 39   Targets: 3", out)
        self.assertIn("Sections: 20", out)

    def test_it_saves_a_draft_plan_and_prints_its_id(self) -> None:
        with reading():
            out, _err = self.run_command(str(SEED), "--agency", "SNgV", "--user", "coordinator", "--json")
        printed = json.loads(out)
        plan = Plan.objects.get(pk=printed.pop("plan_id"))
        self.assertEqual(printed, example())
        self.assertEqual((plan.agency, plan.status, plan.created_by), (self.agency, PlanStatus.DRAFT, self.coordinator))
        self.assertEqual(plan.tasks.count(), 39)
        plan_import = PlanImport.objects.get(plan=plan)
        self.assertEqual((plan_import.original_name, plan_import.created_by), (SEED.name, self.coordinator))
        self.assertEqual(plan_import.unit_map["Văn phòng Sở"], self.office.pk)

    def test_it_finds_the_agency_by_its_code(self) -> None:
        with reading():
            out, _err = self.run_command(str(SEED), "--agency", "sngv-bp")
        self.assertIn("Saved draft plan", out)
        self.assertTrue(Plan.objects.filter(agency=self.agency, title=example()["document"]["title"]).exists())

    def test_it_titles_a_plan_without_one_after_its_file(self) -> None:
        data = example()
        data["document"]["title"] = None
        with reading(data):
            out, err = self.run_command(str(SEED), "--agency", "SNgV", "--json")
        plan = Plan.objects.get(pk=json.loads(out)["plan_id"])
        self.assertEqual(plan.title, SEED.stem)
        self.assertIn("No title was read", err)
        self.assertIsNone(json.loads(out)["document"]["title"])

    def test_it_needs_an_agency_to_save(self) -> None:
        with reading(), self.assertRaisesMessage(CommandError, "Give --agency"):
            self.run_command(str(SEED))
        with reading(), self.assertRaisesMessage(CommandError, "No agency in force"):
            self.run_command(str(SEED), "--agency", "XYZ")
        with reading(), self.assertRaisesMessage(CommandError, "No active user"):
            self.run_command(str(SEED), "--agency", "SNgV", "--user", "nobody")

    def test_it_asks_for_the_code_when_an_abbreviation_is_shared(self) -> None:
        Agency.objects.create(
            code="sngv-other",
            kind=AgencyKind.DEPARTMENT,
            name="Sở Ngoại vụ khác",
            short_name="Sở NgV",
            abbreviation="SNGV",
        )
        with reading(), self.assertRaisesMessage(CommandError, "give the agency's code"):
            self.run_command(str(SEED), "--agency", "sngv")

    def test_it_stops_on_a_file_it_cannot_read_and_saves_nothing(self) -> None:
        imports = PlanImport.objects.count()
        unreadable = patch("documents.reader.read_document", side_effect=Unreadable("PDF này không có lớp văn bản"))
        with unreadable, self.assertRaisesMessage(CommandError, f"{SEED.name}: PDF này không có lớp văn bản"):
            self.run_command(str(SEED), "--dry-run", "--json")
        with unreadable, self.assertRaisesMessage(CommandError, f"{SEED.name}: PDF này không có lớp văn bản"):
            self.run_command(str(SEED), "--agency", "SNgV")
        self.assertEqual(PlanImport.objects.count(), imports)

    def test_it_exits_with_one_line_on_standard_error(self) -> None:
        out, err = StringIO(), StringIO()
        broken = patch("documents.reader.read_document", side_effect=KeyError("bug"))
        # run_from_argv closes every database connection when it ends: keep the test's own open.
        keep_connection = patch("django.core.management.base.connections.close_all")
        with broken, keep_connection, self.assertRaises(SystemExit) as exit:
            Command(stdout=out, stderr=err).run_from_argv(
                ["manage.py", "import_plan", str(SEED), "--dry-run", "--json"]
            )
        self.assertEqual(exit.exception.code, 1)
        self.assertEqual(out.getvalue(), "")
        self.assertEqual(len(err.getvalue().strip().splitlines()), 1)
        self.assertIn("could not be read", err.getvalue())

    def test_it_does_not_read_a_file_too_large(self) -> None:
        with (
            override_settings(PLAN_IMPORT_MAX_BYTES=1024),
            patch("documents.reader.read_document") as read,
            self.assertRaisesMessage(CommandError, "(PLAN_IMPORT_MAX_MB), not read"),
        ):
            self.run_command(str(SEED), "--dry-run")
        read.assert_not_called()

    def test_it_says_when_the_file_is_missing(self) -> None:
        with self.assertRaisesMessage(CommandError, "no such file"):
            self.run_command(str(DATA / "missing.docx"), "--dry-run")
        with self.assertRaisesMessage(CommandError, "is a folder"):
            self.run_command(str(DATA), "--dry-run")

    def test_it_saves_nothing_when_the_plan_cannot_be_saved(self) -> None:
        empty = Agency.objects.create(
            code="moi", kind=AgencyKind.DEPARTMENT, name="Sở mới", short_name="Sở mới", abbreviation="SM"
        )
        with reading(), self.assertRaisesMessage(CommandError, "no units yet"):
            self.run_command(str(SEED), "--agency", "moi")
        self.assertFalse(PlanImport.objects.filter(agency=empty).exists())
        self.assertFalse(Plan.objects.filter(agency=empty).exists())
