from __future__ import annotations

import datetime as dt
import io
import unittest
from decimal import Decimal
from typing import Any
from unittest import mock

import time_machine
from django.db import connection, transaction

from services import dossier_import, dossier_import_pg
from services.models import Dossier, DossierImport, ImportStatus, Procedure, TimeUnit
from services.tests.base import ServicesTestCase

FULL = (
    "code,procedure_code,agency_code,channel,received_at,due_at,finished_at,returned_at,status,"
    "supplement_requests,supplement_days,fee,paid_online,digitised,electronic_result,note"
)
OK = "1.001234,sngv-bp,online,2024-02-07 09:30"
# Every rule of RowReader.read, and the date shapes of the SQL parser and of the Python fallback.
LINES = [
    f"G1,{OK},,2024-02-16 15:00,,processed,0,0,50.000,có,1,x,a",
    "G2,1.001234,SNGV,1,07/02/2024 10:00,20/02/2024,,,Đang xử lý,0,2,0,0,khong,no,b",
    "G3,1.001234,sngv-bp,postal,2024-02-07T02:30:00Z,,,,received,0,2,,,,,",
    "G4,1.001234,sngv-bp,Trực tuyến,2024-03-29T08:00:00.5+07:00,,2024-04-02 08:00,,Đã giải quyết,2,0,"
    "1.250.000 đ,true,,,",
    "G5,9.000001,sngv-bp,buu dien,7/2/2024,,,2024-12-31 16:00,da tra ket qua,0,0,50000,false,,,",
    "G6,9.000002,sngv-bp,3,20240610T0830,,,,in_process,0,0,,,,,",
    "G7,9.000003,sngv-bp,2,10-06-2024 08:30,,2024-06-20 08:00,,refused,0,1,,,,,",
    "G8,9.000004,sngv-bp,direct,2024-06-28 16:30,,,,withdrawn,0,0,,,,,",
    "G9,1.001234,sngv-bp,direct,2024-12-30,,,,supplement_requested,3,0,,,,,",
    # Due and ended on the last days of the half-year: the classes' reference dates are those days.
    "G11,1.001234,sngv-bp,online,2024-06-10 08:00,2024-06-29,,,in_process,0,0,,,,,",
    "G12,1.001234,sngv-bp,online,2024-06-10 08:00,2024-06-25,2024-06-30 16:00,,processed,0,0,,,,,",
    ",,,,,,,,,,,,,,,",
    f" G10 ,{OK},  ,, ,processed,, ,,Có,X,,",
    f",{OK},,,,processed,0,0,,,,,",
    "A3,1.001234,stp-bp,online,2024-02-07 09:30,,,,processed,0,0,,,,,",
    "A4,1.001234,sngv-bp,fax,2024-02-07 09:30,,,,processed,0,0,,,,,",
    f"A5,{OK},,,,lost,0,0,,,,,",
    "A6,1.001234,sngv-bp,online,31/02/2024,,,,processed,0,0,,,,,",
    "A6b,1.001234,sngv-bp,online,2024-02-07 24:00,2024-13-01,07/02/2024 9:5,2024-02-07T08:30+24:00,processed,0,0,,,,,",
    f"A7,{OK},,2024-02-06 08:00,,processed,0,0,,,,,",
    f"A8,{OK},,,,processed,-1,40000,,,,,",
    f"A9,{OK},,,,processed,0,0,năm mươi,,,,",
    f"A10,{OK},,,,processed,0,0,,maybe,,,",
    "A11,1.001234,sngv-bp,online,31/02/2024,,,,processed,0,0,,,,,",
    f"G1,{OK},,,,processed,0,0,,,,,",
    f"A11,{OK},,,,processed,0,0,,,,,",
    f"A11,{OK},,,,received,0,0,,,,,",
    f"{'X' * 101},{OK},,,,processed,0,0,,,,,",
]


# Date texts of the shapes SQL reads and of their near misses (Python decides those): every one is
# tried in each date column of a row, so SQL's day and rest lookups meet them all.
DATE_SHAPES = [
    "2024-02-07",
    "2024-02-07T09:30",
    "2024-02-07 09:30",
    "2024-02-07T09:30:15",
    "2024-02-07T09:30:15.123456",
    "2024-02-07T09:30:15.1234567",
    "2024-02-07T09:30Z",
    "2024-02-07T09:30z",
    "2024-02-07T09:30+14:00",
    "2024-02-07T09:30-00:30",
    "2024-02-07T09:30+07",
    "2024-02-07T09:30+24:00",
    "2024-02-07t09:30",
    "2024-02-07T0930",
    "2024-02-07 T09:30",
    "2024-02-07 24:00",
    "2024-02-07T09:60",
    "2024-02-07T09:30:60",
    "2024-02-29 08:00",
    "2023-02-29",
    "2024-04-31",
    "1975-12-31 23:00",
    "2999-12-31",
    "3000-01-01",
    " 2024-02-07 ",
    "2024-02-07 09:30 ",
    "07/02/2024",
    "7/2/2024 9:05",
    "7/2/2024 9:05:07",
    "07/02/2024 10:00",
    "07/02/2024  10:00",
    "07/02/2024T10:00",
    "07-02-2024",
    "7-2-2024 9:05",
    "07-02-2024 09:05:07",
    "31/04/2024",
    "29/02/2023",
    "07/13/2024",
    "\u0662\u0660\u0662\u0664-\u0660\u0662-\u0660\u0667",
    "\uff12\uff10\uff12\uff14-02-07",
    "T09:30",
    "x",
    "  ",
]


@unittest.skipUnless(connection.vendor == "postgresql", "the fast import path is PostgreSQL's (COPY)")
class DossierImportPgTestCase(ServicesTestCase):
    maxDiff = None

    def setUp(self) -> None:
        super().setUp()
        Procedure.objects.create(code="9.000001", name="Giờ", time_limit=Decimal(12), time_unit=TimeUnit.HOURS)
        Procedure.objects.create(code="9.000002", name="Nửa", time_limit=Decimal("2.5"), agency=self.agency)
        Procedure.objects.create(code="9.000003", name="Tháng", time_limit=Decimal(1), time_unit=TimeUnit.MONTHS)

    def run_file(self, data: bytes, *, fast: bool) -> DossierImport:
        """Import through one path; the fast one must not fall back to the Python reader."""
        file = io.BytesIO(data)
        if fast:
            with mock.patch.object(dossier_import, "import_rows", side_effect=AssertionError("fell back")):
                return dossier_import.run_import(file, "ho-so.csv", self.agency)
        with mock.patch.object(dossier_import_pg, "applies", return_value=False):
            return dossier_import.run_import(file, "ho-so.csv", self.agency)

    def state(self, run: DossierImport) -> dict[str, Any]:
        # Ids differ (sequences are not rolled back between the two runs): compare procedures by code.
        fields = [
            f.attname for f in Dossier._meta.concrete_fields if f.attname not in ("id", "updated", "procedure_id")
        ]
        fields.append("procedure__code")
        return {
            "run": (run.status, run.message, run.rows, run.created_count, run.updated_count, run.rejected_count),
            "errors": run.errors,
            "new": run.new_procedures,
            "dossiers": list(Dossier.objects.order_by("agency_id", "code").values(*fields)),
            "procedures": list(Procedure.objects.order_by("code").values("code", "name", "unclassified", "agency")),
        }

    def both(self, data: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
        """The state after each path, from the same starting point."""
        states = []
        for fast in (False, True):
            savepoint = transaction.savepoint()
            states.append(self.state(self.run_file(data, fast=fast)))
            transaction.savepoint_rollback(savepoint)
        return states[0], states[1]

    @time_machine.travel("2025-01-15 10:00 +07:00", tick=False)
    def test_it_gives_the_python_paths_dossiers_and_reasons(self) -> None:
        data = "\n".join([FULL, *LINES]).encode("utf-8")
        python, fast = self.both(data)
        self.assertEqual(python["run"][0], ImportStatus.DONE)
        self.assertGreater(python["run"][5], 10)
        self.assertEqual(len(python["errors"]), python["run"][5])
        self.assertEqual(python["new"], ["9.000004"])
        self.assertEqual(fast, python)

    @time_machine.travel("2025-01-15 10:00 +07:00", tick=False)
    def test_it_reads_every_date_shape_as_python_does(self) -> None:
        lines = []
        for n, text in enumerate(DATE_SHAPES):
            lines.append(f"R{n},1.001234, sngv-bp , Online ,{text},,,,received, 0 ,, 50.000 ,,,,")
            lines.append(f"F{n},1.001234,sngv-bp,online,1980-01-01,{text},{text},{text},processed,0,0,,,,,")
        python, fast = self.both("\n".join([FULL, *lines]).encode("utf-8"))
        self.assertEqual(python["run"][2:6], (86, 50, 0, 36))
        received = {d["code"]: d["received_at"] for d in fast["dossiers"]}
        utc = dt.UTC
        self.assertEqual(received["R4"], dt.datetime(2024, 2, 7, 2, 30, 15, 123456, tzinfo=utc))
        self.assertEqual(received["R8"], dt.datetime(2024, 2, 6, 19, 30, tzinfo=utc))  # +14:00
        self.assertEqual(received["R9"], dt.datetime(2024, 2, 7, 10, 0, tzinfo=utc))  # -00:30
        self.assertEqual(received["R27"], dt.datetime(2024, 2, 7, 2, 5, tzinfo=utc))  # 7/2/2024 9:05
        self.assertEqual(received["R30"], dt.datetime(2024, 2, 7, 3, 0, tzinfo=utc))  # two spaces: Python's
        self.assertNotIn("R15", received)  # 24:00
        self.assertEqual(fast, python)

    def test_it_reads_semicolons_and_a_bom_and_crlf_alike(self) -> None:
        lines = [FULL.replace(",", ";"), *(line.replace(",", ";") for line in LINES[:9])]
        data = b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8")
        python, fast = self.both(data)
        self.assertEqual(python["run"][2:5], (9, 9, 0))
        self.assertEqual(fast, python)

    def test_it_updates_on_reimport(self) -> None:
        code = self.dossier.code
        data = f"{FULL}\n{code},{OK},,2024-02-20 08:00,,processed,0,0,,,,,\nNEW,{OK},,,,received,0,0,,,,,".encode()
        python, fast = self.both(data)
        self.assertEqual(python["run"][3:5], (1, 1))
        self.assertEqual(fast, python)
        self.run_file(data, fast=True)
        again = self.run_file(data, fast=True)
        self.assertEqual((again.created_count, again.updated_count), (0, 2))
        self.assertEqual(Dossier.objects.filter(agency=self.agency, code__in=[code, "NEW"]).count(), 2)

    def test_it_leaves_nothing_when_interrupted(self) -> None:
        data = f"{FULL}\nI1,9.888001,sngv-bp,online,2024-02-07 09:30,,,,received,0,0,,,,,".encode()
        with (
            mock.patch.object(dossier_import_pg, "_upsert", side_effect=OSError("disk full")),
            self.assertLogs("services", "ERROR"),
        ):
            run = self.run_file(data, fast=True)
        self.assertEqual(run.status, ImportStatus.FAILED)
        self.assertIn("disk full", run.message)
        self.assertFalse(Dossier.objects.filter(code="I1").exists())
        self.assertFalse(Procedure.objects.filter(code="9.888001").exists())

    def test_it_falls_back_to_python_for_files_it_cannot_read_alike(self) -> None:
        quoted = f'{FULL}\n"Q1",{OK},,,,processed,0,0,"1,000",,,,'.encode()
        ragged = f"{FULL}\nR1,{OK},,,,processed".encode()
        utf16 = FULL.encode("utf-16")
        for data in (quoted, ragged, utf16):
            with self.subTest(data=data[:40]):
                calls = mock.Mock(wraps=dossier_import.import_rows)
                with mock.patch.object(dossier_import, "import_rows", calls):
                    fast = self.state(dossier_import.run_import(io.BytesIO(data), "ho-so.csv", self.agency))
                self.assertEqual(calls.call_count, 1)
                self.assertEqual(fast["run"][0], ImportStatus.DONE if data != utf16 else ImportStatus.FAILED)
        self.assertTrue(Dossier.objects.filter(code="Q1", fee=1000).exists())
