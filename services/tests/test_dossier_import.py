from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import openpyxl

from services import dossier_import, rollups
from services.models import (
    Channel,
    ColumnMapping,
    Dossier,
    DossierImport,
    DossierStatus,
    ImportStatus,
    MappingTarget,
    Procedure,
)
from services.tests.base import ServicesTestCase

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
HEADER = "code,procedure_code,agency_code,channel,received_at,due_at,finished_at,status,supplement_days,fee,paid_online"


def csv_file(*lines: str) -> io.BytesIO:
    return io.BytesIO("\n".join(lines).encode("utf-8"))


def xlsx_file(rows: list[list[Any]], merge: str | None = None) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


class DossierImportTestCase(ServicesTestCase):
    def run_csv(self, *lines: str, **kwargs: Any) -> DossierImport:
        return dossier_import.run_import(csv_file(*lines), "ho-so.csv", self.agency, user=self.coordinator, **kwargs)

    def reasons(self, run: DossierImport) -> dict[int, str]:
        return {error["line"]: error["reason"] for error in run.errors}

    def test_it_imports_the_canonical_csv(self) -> None:
        run = self.run_csv(
            HEADER,
            "HS-1,1.001234,sngv-bp,online,2024-02-07 09:30,,2024-02-16 15:00,processed,0,50.000,có",
            "HS-2,1.001234,SNGV,1,07/02/2024 10:00,20/02/2024,,Đang xử lý,2,0,0",
            "HS-3,1.001234,sngv-bp,postal,2024-02-07T02:30:00Z,,,received,2,,",
        )
        self.assertEqual(run.status, ImportStatus.DONE)
        self.assertEqual((run.rows, run.created_count, run.updated_count, run.rejected_count), (3, 3, 0, 0))
        self.assertIsNotNone(run.finished_at)
        first = Dossier.objects.get(agency=self.agency, code="HS-1")
        self.assertEqual(first.procedure, self.procedure)
        self.assertEqual(first.channel, Channel.ONLINE)
        self.assertEqual(first.received_at, datetime(2024, 2, 7, 9, 30, tzinfo=ZONE))
        self.assertEqual(first.finished_at, datetime(2024, 2, 16, 15, 0, tzinfo=ZONE))
        # 5 working days after Wed 07/02/2024, Tết 08–14/02 off: 15, 16, 19, 20, 21/02.
        self.assertEqual(first.due_date, date(2024, 2, 21))
        self.assertTrue(first.due_computed)
        self.assertEqual(first.fee, Decimal(50000))
        self.assertTrue(first.paid_online)
        self.assertEqual(first.status, DossierStatus.PROCESSED)
        second = Dossier.objects.get(agency=self.agency, code="HS-2")
        self.assertEqual(second.channel, Channel.DIRECT)
        self.assertEqual(second.status, DossierStatus.IN_PROCESS)
        # A given appointment date is taken as is, whatever the supplement days.
        self.assertEqual(second.due_date, date(2024, 2, 20))
        self.assertFalse(second.due_computed)
        self.assertEqual(second.supplement_days, 2)
        third = Dossier.objects.get(agency=self.agency, code="HS-3")
        self.assertEqual(third.received_at, datetime(2024, 2, 7, 9, 30, tzinfo=ZONE))
        # Computed due dates add the applicant's supplement days: 22 and 23/02.
        self.assertEqual(third.due_date, date(2024, 2, 23))
        self.assertEqual(third.channel, Channel.POSTAL)
        self.assertFalse(third.paid_online)

    def test_it_updates_on_reimport_and_never_duplicates(self) -> None:
        code = self.dossier.code
        first = self.run_csv(HEADER, f"{code},1.001234,sngv-bp,online,2024-02-07 09:30,19/02/2024,,in_process,0,,")
        self.assertEqual((first.created_count, first.updated_count), (0, 1))
        again = self.run_csv(
            HEADER,
            f"{code},1.001234,sngv-bp,online,2024-02-07 09:30,19/02/2024,2024-02-20 08:00,processed,0,,",
            "HS-NEW,1.001234,sngv-bp,online,2024-02-07 09:30,19/02/2024,,received,0,,",
        )
        self.assertEqual((again.created_count, again.updated_count), (1, 1))
        self.assertEqual(Dossier.objects.filter(agency=self.agency, code=code).count(), 1)
        self.dossier.refresh_from_db()
        self.assertEqual(self.dossier.status, DossierStatus.PROCESSED)
        self.assertEqual(self.dossier.finished_at, datetime(2024, 2, 20, 8, 0, tzinfo=ZONE))
        self.assertEqual(Dossier.objects.filter(agency=self.agency).count(), 2)

    def test_it_rejects_bad_rows_with_line_and_reason_and_keeps_the_good_ones(self) -> None:
        ok = "1.001234,sngv-bp,online,2024-02-07 09:30"
        run = self.run_csv(
            HEADER,
            f"A1,{ok},,,processed,0,,",  # line 2: good
            f",{ok},,,processed,0,,",  # 3: no code
            "A3,1.001234,stp-bp,online,2024-02-07 09:30,,,processed,0,,",  # 4: another agency
            "A4,1.001234,sngv-bp,fax,2024-02-07 09:30,,,processed,0,,",  # 5: channel
            f"A5,{ok},,,lost,0,,",  # 6: status
            "A6,1.001234,sngv-bp,online,31/02/2024,,,processed,0,,",  # 7: date
            f"A7,{ok},,2024-02-06 08:00,processed,0,,",  # 8: finished before received
            f"A8,{ok},,,processed,-1,,",  # 9: negative integer
            f"A9,{ok},,,processed,0,năm mươi,",  # 10: fee
            f"A10,{ok},,,processed,0,,maybe",  # 11: boolean
            f"A1,{ok},,,processed,0,,",  # 12: repeated code
        )
        self.assertEqual(run.status, ImportStatus.DONE)
        self.assertEqual((run.rows, run.created_count, run.rejected_count), (11, 1, 10))
        reasons = self.reasons(run)
        self.assertIn("Required values are missing: code.", reasons[3])
        self.assertIn("This row belongs to another agency (stp-bp)", reasons[4])
        self.assertIn("Unknown channel “fax”", reasons[5])
        self.assertIn("Unknown status “lost”", reasons[6])
        self.assertIn("The date “31/02/2024” in received_at is not a date", reasons[7])
        self.assertIn("finished (finished_at) before it was received", reasons[8])
        self.assertIn("“-1” in supplement_days is not a whole number", reasons[9])
        self.assertIn("The fee “năm mươi”", reasons[10])
        self.assertIn("“maybe” in paid_online is not true/false", reasons[11])
        self.assertEqual(reasons[12], "Dossier code repeated in this file (first at line 2).")
        self.assertEqual(
            set(Dossier.objects.filter(agency=self.agency).values_list("code", flat=True)),
            {
                self.dossier.code,
                "A1",
            },
        )

    def test_it_keeps_the_first_thousand_errors_and_counts_them_all(self) -> None:
        bad = [f"B{n},1.001234,sngv-bp,fax,2024-02-07 09:30,,,processed,0,," for n in range(1005)]
        run = self.run_csv(HEADER, *bad)
        self.assertEqual(run.rejected_count, 1005)
        self.assertEqual(len(run.errors), 1000)
        self.assertEqual(run.errors[0]["line"], 2)

    def test_it_creates_unknown_procedures_once_as_unclassified(self) -> None:
        run = self.run_csv(
            HEADER,
            "C1,9.999001,sngv-bp,online,2024-02-07 09:30,,,received,0,,",
            "C2,9.999001,sngv-bp,online,2024-02-08 09:30,,,received,0,,",
            "C3,2.000999,sngv-bp,online,2024-02-08 09:30,,,received,0,,",
        )
        self.assertEqual(run.created_count, 3)
        self.assertEqual(run.new_procedures, ["9.999001"])
        created = Procedure.objects.get(code="9.999001")
        self.assertTrue(created.unclassified)
        self.assertEqual(created.agency, self.agency)
        self.assertEqual(created.name, "9.999001")
        # No time limit: no due date.
        self.assertIsNone(Dossier.objects.get(code="C1").due_date)
        self.assertEqual(Procedure.objects.filter(code="9.999001").count(), 1)

    def test_it_reads_semicolon_csv_with_a_bom(self) -> None:
        data = ("\ufeff" + HEADER.replace(",", ";") + "\nD1;1.001234;SNgV;direct;07/02/2024;;;received;0;;\n").encode()
        run = dossier_import.run_import(io.BytesIO(data), "ho-so.csv", self.agency)
        self.assertEqual(run.created_count, 1, run.errors)

    def test_it_imports_xlsx_with_date_cells_and_formulas(self) -> None:
        header = HEADER.split(",")
        rows: list[list[Any]] = [
            header,
            ["X1", "1.001234", "sngv-bp", "online", datetime(2024, 2, 7, 9, 30), date(2024, 2, 19), None,
             "processed", 0, 50000, True],
            ["=CONCAT(\"X\",\"2\")", "1.001234", "sngv-bp", "online", datetime(2024, 2, 7, 9, 30), None, None,
             "received", 0, 0, False],
        ]  # fmt: skip
        run = dossier_import.run_import(xlsx_file(rows), "ho-so.xlsx", self.agency)
        self.assertEqual(run.status, ImportStatus.DONE)
        self.assertEqual((run.created_count, run.rejected_count), (1, 1))
        dossier = Dossier.objects.get(code="X1")
        self.assertEqual(dossier.received_at, datetime(2024, 2, 7, 9, 30, tzinfo=ZONE))
        self.assertEqual(dossier.due_date, date(2024, 2, 19))
        self.assertTrue(dossier.paid_online)
        # A formula without a saved value (data_only) reads as empty.
        self.assertEqual(self.reasons(run)[3], "Required values are missing: code.")

    def test_it_refuses_merged_header_cells(self) -> None:
        header: list[Any] = ["Hồ sơ", None, *HEADER.split(",")]
        run = dossier_import.run_import(xlsx_file([header], merge="A1:B1"), "ho-so.xlsx", self.agency)
        self.assertEqual(run.status, ImportStatus.FAILED)
        self.assertIn("empty or merged cell in column 2", run.message)

    def test_it_fails_clearly_on_bad_files(self) -> None:
        cases = {
            ("empty.csv", b""): "The file is empty",
            ("ho-so.pdf", b"%PDF-1.4"): "neither a CSV file (.csv) nor an Excel workbook (.xlsx)",
            ("latin.csv", "code;mã\nhồ sơ".encode("utf-16")): "not text encoded as UTF-8",
            ("bad.xlsx", b"not a zip"): "could not be read as an Excel workbook",
            ("ho-so.csv", b"MaHoSo,Ngay\nA,B"): "Required columns are missing: code, procedure_code",
        }
        for (name, data), message in cases.items():
            with self.subTest(name=name):
                run = dossier_import.run_import(io.BytesIO(data), name, self.agency)
                self.assertEqual(run.status, ImportStatus.FAILED)
                self.assertIn(message, run.message)
        run = DossierImport.objects.filter(original_name="ho-so.csv").latest("pk")
        self.assertIn("Headers found: MaHoSo, Ngay", run.message)
        self.assertEqual(Dossier.objects.count(), 1)

    def test_it_refuses_a_file_too_large_for_the_page(self) -> None:
        data = csv_file(HEADER, "E1,1.001234,sngv-bp,online,2024-02-07 09:30,,,received,0,,")
        run = dossier_import.run_import(data, "ho-so.csv", self.agency, size=2048, max_bytes=1024 * 1024 // 2)
        self.assertEqual(run.status, ImportStatus.DONE)
        run = dossier_import.run_import(data, "ho-so.csv", self.agency, size=2 * 1024 * 1024, max_bytes=1024 * 1024)
        self.assertEqual(run.status, ImportStatus.FAILED)
        self.assertIn("larger than 1 MB", run.message)

    def test_it_reads_a_mapped_export(self) -> None:
        mapping = ColumnMapping.objects.create(
            name="Cổng DVC",
            target=MappingTarget.DOSSIERS,
            columns={
                "code": "MaHoSo",
                "procedure_code": "MaTTHC",
                "agency_code": "MaCoQuan",
                "channel": "KenhThucHien",
                "received_at": "NgayTiepNhan",
                "status": "TrangThai",
            },
        )
        data = csv_file(
            "MaHoSo,MaTTHC,MaCoQuan,KenhThucHien,NgayTiepNhan,TrangThai", "M1,1.001234,SNgV,2,07/02/2024 09:30,4"
        )
        run = dossier_import.run_import(data, "export.csv", self.agency, mapping=mapping)
        self.assertEqual(run.rejected_count, 1)
        self.assertIn("Unknown status “4”", run.errors[0]["reason"])
        data = csv_file(
            "MaHoSo,MaTTHC,MaCoQuan,KenhThucHien,NgayTiepNhan,TrangThai", "M1,1.001234,SNgV,2,07/02/2024 09:30,Đã xử lý"
        )
        run = dossier_import.run_import(data, "export.csv", self.agency, mapping=mapping)
        self.assertEqual(run.created_count, 1)
        self.assertEqual(run.mapping, mapping)
        self.assertEqual(Dossier.objects.get(code="M1").status, DossierStatus.PROCESSED)

    def test_it_refuses_a_mapping_that_names_headers_not_in_the_file(self) -> None:
        mapping = ColumnMapping.objects.create(
            name="Sai", target=MappingTarget.DOSSIERS, columns={"code": "SoHoSo", "status": "TinhTrang"}
        )
        run = dossier_import.run_import(csv_file(HEADER), "ho-so.csv", self.agency, mapping=mapping)
        self.assertEqual(run.status, ImportStatus.FAILED)
        self.assertIn("The mapping “Sai” names headers that are not in the file: SoHoSo, TinhTrang.", run.message)

    def test_it_suggests_columns_from_known_aliases(self) -> None:
        found = dossier_import.suggest(["MaHoSo", "MaTTHC", "NgayTiepNhan", "Ngày hẹn trả", "status", "Khác"])
        self.assertEqual(
            found,
            {
                "code": "MaHoSo",
                "procedure_code": "MaTTHC",
                "received_at": "NgayTiepNhan",
                "due_at": "Ngày hẹn trả",
                "status": "status",
            },
        )

    def test_it_leaves_no_partial_batch_when_interrupted(self) -> None:
        calls = 0
        real = dossier_import._write_chunk

        def failing(writer: dossier_import.Writer, rows: list[dossier_import.Row]) -> None:
            nonlocal calls
            calls += 1
            if calls == 2:
                raise OSError("disk full")
            real(writer, rows)

        lines = [f"I{n},9.888001,sngv-bp,online,2024-02-07 09:30,,,received,0,," for n in range(5)]
        with mock.patch.object(dossier_import, "_write_chunk", failing), self.assertLogs("services", "ERROR"):
            run = self.run_csv(HEADER, *lines, chunk_size=2)
        self.assertEqual(calls, 2)
        self.assertEqual(run.status, ImportStatus.FAILED)
        self.assertIn("nothing of this file was stored: disk full", run.message)
        self.assertFalse(Dossier.objects.filter(code__startswith="I").exists())
        self.assertFalse(Procedure.objects.filter(code="9.888001").exists())
        self.assertEqual(run.created_count, 0)

    def test_it_parses_values_as_the_rules_say(self) -> None:
        self.assertEqual(dossier_import.parse_fee("1.250.000"), Decimal(1250000))
        self.assertEqual(dossier_import.parse_fee("50,000"), Decimal(50000))
        self.assertEqual(dossier_import.parse_fee(50000.0), Decimal(50000))
        self.assertEqual(dossier_import.parse_fee("50000 đ"), Decimal(50000))
        for bad in ("-5", "12.5", "abc"):
            with self.subTest(fee=bad), self.assertRaises(ValueError):
                dossier_import.parse_fee(bad)
        self.assertTrue(dossier_import.parse_bool("Có"))
        self.assertFalse(dossier_import.parse_bool("không"))
        self.assertFalse(dossier_import.parse_bool(None))
        self.assertEqual(
            dossier_import.parse_moment("2024-02-07T09:30:00+08:00"), datetime(2024, 2, 7, 8, 30, tzinfo=ZONE)
        )
        self.assertEqual(dossier_import.parse_moment("2024-02-07"), datetime(2024, 2, 7, tzinfo=ZONE))
        self.assertEqual(dossier_import.parse_count("3"), 3)
        with self.assertRaises(ValueError):
            dossier_import.parse_count("1.5")

    def test_it_keeps_deadline_classes_and_rollups_of_the_months_it_touched(self) -> None:
        code = self.dossier.code
        run = self.run_csv(
            HEADER,
            # The fixture's dossier moves from February to March: both months are rebuilt.
            f"{code},1.001234,sngv-bp,online,2024-03-04 09:00,2024-03-06,2024-03-08 10:00,processed,0,,",
            "R1,1.001234,sngv-bp,direct,2024-02-07 09:30,2024-02-19,,received,0,,",
        )
        self.assertEqual((run.created_count, run.updated_count), (1, 1))
        moved = Dossier.objects.get(agency=self.agency, code=code)
        self.assertEqual(moved.class_month, rollups.LATE)
        late = Dossier.objects.get(code="R1")
        self.assertEqual(late.class_year, rollups.OVER)
        february = rollups.totals([self.agency.pk], date(2024, 2, 1), date(2024, 2, 1), "m")
        march = rollups.totals([self.agency.pk], date(2024, 3, 1), date(2024, 3, 1), "m")
        self.assertEqual((february["received"], february["over"], february["early"]), (1, 1, 0))
        self.assertEqual((march["received"], march["late"]), (1, 1))
