"""The catalogue importer and its upload page: CSV and XLSX, mappings, per-row reasons, upserts."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any
from unittest import mock

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from services import procedure_import as importer
from services.models import ColumnMapping, MappingTarget, OnlineLevel, Procedure, TimeUnit
from services.tests.base import ServicesTestCase

URL = reverse("services:procedure_import")
HEADERS = "MaTTHC,TenTTHC,LinhVuc,CoQuan,MucDo,ThoiHan,PhiLePhi,NgayCongBo"


def csv_file(text: str, name: str = "tthc.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows: list[list[object]], name: str = "tthc.xlsx", merge: str = "") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


class ParsersTestCase(ServicesTestCase):
    def test_it_reads_time_limits_with_their_units(self) -> None:
        self.assertEqual(importer.parse_time_limit("5"), (Decimal(5), None))
        self.assertEqual(importer.parse_time_limit("05 ngày làm việc"), (Decimal(5), TimeUnit.WORKING_DAYS))
        self.assertEqual(importer.parse_time_limit("5 ngày"), (Decimal(5), TimeUnit.DAYS))
        self.assertEqual(importer.parse_time_limit("8 giờ"), (Decimal(8), TimeUnit.HOURS))
        self.assertEqual(importer.parse_time_limit("1 tháng"), (Decimal(1), TimeUnit.MONTHS))
        self.assertEqual(importer.parse_time_limit(""), (None, None))
        with self.assertRaises(importer.RowError):
            importer.parse_time_limit("ngay")
        with self.assertRaises(importer.RowError):
            importer.parse_time_limit("5 tuần")

    def test_it_reads_fees_in_vnd(self) -> None:
        self.assertEqual(importer.parse_fee("50.000"), Decimal(50000))
        self.assertEqual(importer.parse_fee("50,000 đồng"), Decimal(50000))
        self.assertEqual(importer.parse_fee("1.200.000 VNĐ"), Decimal(1200000))
        self.assertEqual(importer.parse_fee("50000"), Decimal(50000))
        self.assertEqual(importer.parse_fee("Không"), Decimal(0))
        self.assertEqual(importer.parse_fee(""), Decimal(0))
        for bad in ("Theo quy định", "-5", "50.00"):
            with self.subTest(bad=bad), self.assertRaises(importer.RowError):
                importer.parse_fee(bad)

    def test_it_reads_online_levels_and_dates(self) -> None:
        self.assertEqual(importer.parse_online_level("Toàn trình"), OnlineLevel.FULL)
        self.assertEqual(importer.parse_online_level("một phần"), OnlineLevel.PARTIAL)
        self.assertEqual(importer.parse_online_level("Không"), OnlineLevel.NONE)
        self.assertEqual(importer.parse_online_level(""), OnlineLevel.NONE)
        with self.assertRaises(importer.RowError):
            importer.parse_online_level("nửa")
        self.assertEqual(importer.parse_date("01/06/2023"), date(2023, 6, 1))
        self.assertEqual(importer.parse_date("2023-06-01"), date(2023, 6, 1))
        self.assertIsNone(importer.parse_date(""))
        with self.assertRaises(importer.RowError):
            importer.parse_date("31/02/2023")

    def test_it_suggests_the_canonical_column_of_vietnamese_headers(self) -> None:
        headers = ["Mã TTHC", "Tên thủ tục", "Lĩnh vực", "Cơ quan thực hiện", "Mức độ DVC", "Thời hạn giải quyết"]
        headers += ["DonVi", "Phí, lệ phí", "Ngày công bố", "Ghi chú"]
        self.assertEqual(
            importer.suggest(headers),
            {
                "code": "Mã TTHC",
                "name": "Tên thủ tục",
                "field": "Lĩnh vực",
                "agency": "Cơ quan thực hiện",
                "online_level": "Mức độ DVC",
                "time_limit": "Thời hạn giải quyết",
                "time_unit": "DonVi",
                "fee": "Phí, lệ phí",
                "published_on": "Ngày công bố",
            },
        )


class ImportPageTestCase(ServicesTestCase):
    def upload(self, file: SimpleUploadedFile, **data: object) -> Any:
        return self.client.post(URL, {"file": file, **data})

    def map_all(self, response: Any, **extra: str) -> Any:
        token = response.context["token"]
        form = response.context["form"]
        data = {name: form[name].initial or "" for name in form.fields if name.startswith("col_")}
        data.update(extra)
        return self.client.post(URL, {"token": token, **data})

    def test_it_shows_the_upload_form(self) -> None:
        self.login(self.coordinator)
        response = self.client.get(URL)
        self.assertContains(response, "Import a procedure catalogue")
        self.assertContains(response, "Cổng DVC tỉnh")

    def test_it_is_refused_to_staff(self) -> None:
        self.login(self.staff)
        self.assertEqual(self.client.get(URL).status_code, 403)
        self.assertEqual(self.upload(csv_file(HEADERS + "\n9.9,X,,,,,,\n")).status_code, 403)
        self.assertFalse(Procedure.objects.filter(code="9.9").exists())

    def test_it_imports_a_csv_after_the_column_step_and_reports_bad_rows(self) -> None:
        self.login(self.admin)
        text = (
            "\ufeff" + HEADERS + "\n"
            '1.001234,Cấp công hàm (sửa),Lãnh sự,SNgV,Một phần,05 ngày làm việc,"50.000",01/06/2023\n'
            "1.000001,Thủ tục mới,Hộ tịch,STP,Toàn trình,8 giờ,Không,2024-01-15\n"
            ",Không có mã,,,,,,\n"
            "1.000002,Sai cơ quan,,XYZ,,,,\n"
            "1.000003,Sai phí,,,,,Theo quy định,\n"
            "1.000004,Sai ngày,,,,,,32/01/2024\n"
            "1.000001,Trùng mã,,,,,,\n"
            "1.000005,Sai mức độ,,,nửa,,,\n"
        )
        response = self.upload(csv_file(text))
        self.assertTemplateUsed(response, "services/procedure_import_mapping.html")
        self.assertEqual(Procedure.objects.filter(code="1.000001").count(), 0)  # nothing yet
        response = self.map_all(response)
        result = response.context["result"]
        self.assertEqual((result.created, result.updated, len(result.rejected)), (1, 1, 6))
        reasons = {row.line: row.reason for row in result.rejected}
        self.assertEqual(set(reasons), {4, 5, 6, 7, 8, 9})
        self.assertIn("Mã TTHC is empty", reasons[4])
        self.assertIn("Cơ quan “XYZ” is not an agency in force", reasons[5])
        self.assertIn("Phí “Theo quy định” is not an amount", reasons[6])
        self.assertIn("Ngày công bố “32/01/2024” is not a date", reasons[7])
        self.assertIn("already appears on line 3", reasons[8])
        self.assertIn("Mức độ “nửa”", reasons[9])
        self.assertContains(response, "1.000002")
        self.procedure.refresh_from_db()
        self.assertEqual(self.procedure.name, "Cấp công hàm (sửa)")
        self.assertEqual(self.procedure.online_level, OnlineLevel.PARTIAL)
        new = Procedure.objects.get(code="1.000001")
        self.assertEqual(new.agency, self.other_agency)
        self.assertEqual((new.time_limit, new.time_unit), (Decimal(8), TimeUnit.HOURS))
        self.assertEqual((new.fee, new.published_on), (Decimal(0), date(2024, 1, 15)))
        self.assertEqual(new.name, "Thủ tục mới")
        self.assertFalse(Procedure.objects.filter(code__in=["1.000002", "1.000003", "1.000004", "1.000005"]).exists())

    def test_it_reads_semicolons_and_utf16(self) -> None:
        self.login(self.admin)
        text = "code;name;time_limit;time_unit\n3.000001;Thủ tục UTF-16;10;ngày\n"
        response = self.map_all(self.upload(csv_file(text, encoding="utf-16")))
        procedure = Procedure.objects.get(code="3.000001")
        self.assertEqual((procedure.name, procedure.time_limit, procedure.time_unit), ("Thủ tục UTF-16", 10, "days"))
        self.assertEqual(response.context["result"].created, 1)

    def test_it_saves_a_mapping_and_reuses_it(self) -> None:
        self.login(self.coordinator)
        text = "Ma so,Ten goi,Nhom\n1.001234,Tên mới,Lãnh sự\n"
        response = self.upload(csv_file(text))
        response = self.map_all(response, col_code="Ma so", col_name="Ten goi", col_field="Nhom", save_as="Hệ thống cũ")
        self.assertEqual(response.context["result"].updated, 1)
        mapping = ColumnMapping.objects.get(name="Hệ thống cũ")
        self.assertEqual(mapping.target, MappingTarget.PROCEDURES)
        self.assertEqual(mapping.columns, {"code": "Ma so", "name": "Ten goi", "field": "Nhom"})
        # The next file goes straight through with the saved mapping.
        response = self.upload(csv_file("Ma so,Ten goi,Nhom\n1.001234,Tên mới hơn,Lãnh sự\n"), mapping=mapping.pk)
        self.assertTemplateUsed(response, "services/procedure_import_result.html")
        self.procedure.refresh_from_db()
        self.assertEqual(self.procedure.name, "Tên mới hơn")
        self.assertEqual(self.procedure.fee, Decimal(50000))  # not in the file: left alone

    def test_it_refuses_a_mapping_that_does_not_fit_the_file(self) -> None:
        self.login(self.admin)
        response = self.upload(csv_file("code,name\n1.001234,X\n"), mapping=self.mapping.pk)
        self.assertContains(response, "takes code from “MaTTHC”, which the file does not have.")
        self.procedure.refresh_from_db()
        self.assertNotEqual(self.procedure.name, "X")

    def test_it_requires_the_code_and_name_columns(self) -> None:
        self.login(self.admin)
        response = self.upload(csv_file("a,b\n1,2\n"))
        response = self.map_all(response)
        self.assertFalse(response.context["form"].is_valid())
        self.assertEqual(Procedure.objects.count(), 2)

    def test_it_limits_a_coordinator_to_their_agencies(self) -> None:
        other = Procedure.objects.create(code="4.000001", name="Của Sở Tư pháp", agency=self.other_agency)
        self.login(self.coordinator)
        text = (
            "code,name,agency\n"
            "4.000001,Chiếm,SNgV\n"
            "4.000002,Của người khác,STP\n"
            "4.000003,Không cơ quan,\n"
            "4.000004,Của mình,sngv-bp\n"
        )
        response = self.map_all(self.upload(csv_file(text)))
        result = response.context["result"]
        reasons = {row.line: row.reason for row in result.rejected}
        self.assertIn("handled by another agency", reasons[2])
        self.assertIn("Cơ quan “STP” is not an agency you manage", reasons[3])
        self.assertIn("Cơ quan is empty", reasons[4])
        self.assertEqual(result.created, 1)
        other.refresh_from_db()
        self.assertEqual((other.name, other.agency), ("Của Sở Tư pháp", self.other_agency))
        self.assertEqual(Procedure.objects.get(code="4.000004").agency, self.agency)

    def test_it_gives_rows_without_agency_the_chosen_agency(self) -> None:
        self.login(self.coordinator)
        response = self.map_all(self.upload(csv_file("code,name\n4.000005,Mặc định\n"), agency=self.agency.pk))
        self.assertEqual(response.context["result"].created, 1)
        self.assertEqual(Procedure.objects.get(code="4.000005").agency, self.agency)

    def test_it_classifies_an_unclassified_procedure(self) -> None:
        self.login(self.admin)
        self.map_all(self.upload(csv_file("code,name,agency\n2.000999,Đã rõ,SNgV\n")))
        self.unclassified.refresh_from_db()
        self.assertFalse(self.unclassified.unclassified)
        self.assertEqual((self.unclassified.name, self.unclassified.agency), ("Đã rõ", self.agency))

    def test_it_reads_cached_formula_values_and_merged_headers(self) -> None:
        self.login(self.admin)
        # openpyxl writes no cached value for a formula: the cell reads empty, the row is rejected.
        rows: list[list[object]] = [
            ["Mã TTHC", "Tên thủ tục", None, "Phí, lệ phí", "Ngày công bố"],
            ["5.000001", "Thủ tục XLSX", None, 20000, date(2024, 2, 1)],
            ["5.000002", '=A2&"b"', None, 0, None],
        ]
        response = self.map_all(self.upload(xlsx_file(rows, merge="B1:C1")))
        procedure = Procedure.objects.get(code="5.000001")
        self.assertEqual((procedure.fee, procedure.published_on), (Decimal(20000), date(2024, 2, 1)))
        result = response.context["result"]
        self.assertEqual([(row.line, row.code) for row in result.rejected], [(3, "5.000002")])
        self.assertIn("Tên thủ tục is empty", result.rejected[0].reason)

    def test_it_refuses_files_that_are_not_tables(self) -> None:
        self.login(self.admin)
        response = self.upload(SimpleUploadedFile("scan.pdf", b"%PDF-1.4 ..."))
        self.assertContains(response, "is not a table")
        response = self.upload(SimpleUploadedFile("fake.xlsx", b"not a zip"))
        self.assertContains(response, "could not be read as an Excel workbook")
        response = self.upload(csv_file("", name="empty.csv"))
        self.assertContains(response, "is empty")
        response = self.upload(SimpleUploadedFile("latin.csv", "code,name\n1,Hà\n".encode("latin-1")))
        self.assertContains(response, "is not UTF-8 or UTF-16 text")
        self.assertEqual(Procedure.objects.count(), 2)

    @override_settings(PLAN_IMPORT_MAX_BYTES=1024 * 1024)
    def test_it_refuses_a_file_over_the_size_limit(self) -> None:
        self.login(self.admin)
        big = "code,name\n" + "9.1,x\n" * 200_000
        response = self.upload(csv_file(big))
        self.assertContains(response, "larger than 1 MB")
        self.assertEqual(Procedure.objects.count(), 2)

    def test_it_asks_to_upload_again_when_the_session_lost_the_file(self) -> None:
        self.login(self.admin)
        response = self.client.post(URL, {"token": "stale", "col_code": "code", "col_name": "name"})
        self.assertContains(response, "Upload it again")
        self.assertEqual(Procedure.objects.count(), 2)

    def test_it_leaves_nothing_half_written_on_an_unexpected_error(self) -> None:
        table = importer.Table(["code", "name"], [(2, ["6.000001", "Một"]), (3, ["6.000002", "Hai"])])
        original = Procedure.save
        calls: list[str] = []

        def failing(procedure: Procedure, *args: Any, **kwargs: Any) -> None:
            calls.append(procedure.code)
            if len(calls) == 2:
                raise RuntimeError("disk full")
            original(procedure, *args, **kwargs)

        with mock.patch.object(Procedure, "save", failing), self.assertRaises(RuntimeError):
            importer.import_rows(table, {"code": "code", "name": "name"}, self.admin)
        self.assertFalse(Procedure.objects.filter(code__startswith="6.").exists())
