from __future__ import annotations

import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from services.models import Procedure
from services.tests.base import ServicesTestCase


class ImportProceduresCommandTestCase(ServicesTestCase):
    def write(self, text: str) -> Path:
        directory = Path(tempfile.mkdtemp())
        path = directory / "tthc.csv"
        path.write_text(text, encoding="utf-8")
        self.addCleanup(path.unlink)
        return path

    def test_it_imports_with_a_saved_mapping(self) -> None:
        path = self.write("MaTTHC,TenTTHC,LinhVuc\n1.001234,Tên qua lệnh,Lãnh sự\n1.5,Mới,Hộ tịch\n")
        out = StringIO()
        call_command("import_procedures", str(path), "--mapping", "Cổng DVC tỉnh", "--agency", "STP", stdout=out)
        self.assertIn("1 created, 1 updated, 0 unchanged, 0 rejected.", out.getvalue())
        self.assertEqual(Procedure.objects.get(code="1.5").agency, self.other_agency)
        self.procedure.refresh_from_db()
        self.assertEqual((self.procedure.name, self.procedure.agency), ("Tên qua lệnh", self.other_agency))

    def test_it_prints_rejected_rows_and_exits_with_1(self) -> None:
        path = self.write("code,name,fee\n1.6,Tốt,0\n,Không mã,0\n1.7,Phí sai,abc\n")
        out = StringIO()
        with self.assertRaises(SystemExit) as exit:
            call_command("import_procedures", str(path), stdout=out)
        self.assertEqual(exit.exception.code, 1)
        self.assertIn("1 created, 0 updated, 0 unchanged, 2 rejected.", out.getvalue())
        self.assertIn("line 3: —: Mã TTHC is empty.", out.getvalue())
        self.assertIn("line 4: 1.7: Phí “abc” is not an amount in VND", out.getvalue())
        self.assertTrue(Procedure.objects.filter(code="1.6").exists())

    def test_it_stops_on_an_unknown_mapping_or_agency(self) -> None:
        path = self.write("code,name\n1.8,X\n")
        with self.assertRaisesMessage(CommandError, "No saved procedure mapping"):
            call_command("import_procedures", str(path), "--mapping", "Không có")
        with self.assertRaisesMessage(CommandError, "is not an agency in force"):
            call_command("import_procedures", str(path), "--agency", "XYZ")
        self.assertFalse(Procedure.objects.filter(code="1.8").exists())
