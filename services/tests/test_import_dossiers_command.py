from __future__ import annotations

import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

from services.models import ColumnMapping, Dossier, DossierImport, ImportStatus, MappingTarget
from services.tests.base import ServicesTestCase

HEADER = "code,procedure_code,agency_code,channel,received_at,status"


class ImportDossiersCommandTestCase(ServicesTestCase):
    def setUp(self) -> None:
        super().setUp()
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.directory = Path(directory.name)

    def write(self, name: str, *lines: str) -> str:
        path = self.directory / name
        path.write_text("\n".join(lines), encoding="utf-8")
        return str(path)

    def call(self, *args: str) -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        call_command("import_dossiers", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_it_imports_a_file_and_reports_the_counts(self) -> None:
        path = self.write(
            "ho-so.csv",
            HEADER,
            "K1,1.001234,sngv-bp,online,2024-02-07 09:30,received",
            "K2,7.000001,sngv-bp,direct,2024-02-07 09:30,received",
        )
        out, err = self.call(path, "--agency", "SNgV", "--user", "coordinator")
        self.assertIn("2 rows read: 2 created, 0 updated, 0 rejected", out)
        self.assertIn("Unknown procedure codes, created as unclassified: 7.000001", out)
        self.assertEqual(err, "")
        run = DossierImport.objects.latest("pk")
        self.assertEqual((run.status, run.created_by, run.agency), (ImportStatus.DONE, self.coordinator, self.agency))
        self.assertEqual(Dossier.objects.filter(code__in=["K1", "K2"]).count(), 2)

    def test_it_lists_rejected_rows_and_exits_with_1(self) -> None:
        path = self.write(
            "ho-so.csv",
            HEADER,
            "K1,1.001234,sngv-bp,online,2024-02-07 09:30,received",
            "K3,1.001234,stp-bp,online,2024-02-07 09:30,received",
        )
        err = StringIO()
        with self.assertRaises(CommandError) as raised:
            call_command("import_dossiers", path, "--agency", "sngv-bp", stdout=StringIO(), stderr=err)
        self.assertEqual(raised.exception.returncode, 1)
        self.assertIn("1 rows rejected", str(raised.exception))
        self.assertIn("line 3: This row belongs to another agency (stp-bp)", err.getvalue())
        self.assertTrue(Dossier.objects.filter(code="K1").exists())
        self.assertFalse(Dossier.objects.filter(code="K3").exists())

    def test_it_uses_a_saved_mapping_by_name(self) -> None:
        ColumnMapping.objects.create(
            name="Cổng DVC",
            target=MappingTarget.DOSSIERS,
            columns={"code": "MaHoSo", "procedure_code": "MaTTHC", "agency_code": "MaCoQuan"},
        )
        path = self.write(
            "export.csv",
            "MaHoSo,MaTTHC,MaCoQuan,channel,received_at,status",
            "K4,1.001234,SNgV,2,07/02/2024,received",
        )
        out, _err = self.call(path, "--agency", "sngv-bp", "--mapping", "Cổng DVC")
        self.assertIn("1 created", out)
        self.assertEqual(DossierImport.objects.latest("pk").mapping.name, "Cổng DVC")  # type: ignore[union-attr]

    def test_it_exits_with_2_when_nothing_can_be_imported(self) -> None:
        path = self.write("ho-so.csv", "MaHoSo,Ngay", "A,B")
        cases = {
            (path, "--agency", "sngv-bp"): "Nothing imported: Required columns are missing",
            (path, "--agency", "nowhere"): "No single agency",
            (path, "--agency", "sngv-bp", "--mapping", "Không có"): "No dossier mapping named",
            (path, "--agency", "sngv-bp", "--user", "ghost"): "No user named",
            (str(self.directory / "missing.csv"), "--agency", "sngv-bp"): "No such file",
            (path,): "Name the agency with --agency CODE.",
        }
        for args, message in cases.items():
            with self.subTest(args=args), self.assertRaises(CommandError) as raised:
                self.call(*args)
            self.assertEqual(raised.exception.returncode, 2)
            self.assertIn(message, str(raised.exception))
        self.assertEqual(DossierImport.objects.filter(status=ImportStatus.FAILED).count(), 1)
        self.assertEqual(Dossier.objects.count(), 1)
