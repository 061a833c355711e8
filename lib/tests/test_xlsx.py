from __future__ import annotations

import io
import zipfile

import openpyxl
from django.test import SimpleTestCase
from django.utils import translation

from lib import xlsx


def book(merge: str = "") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["STT", "Nội dung"])
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class OpenWorkbookTestCase(SimpleTestCase):
    def setUp(self) -> None:
        self.enterContext(translation.override("en"))

    def rejected(self, data: bytes, name: str = "a.xlsx", max_unpacked_bytes: int = xlsx.MAX_UNPACKED_BYTES) -> str:
        with self.assertRaises(xlsx.Rejected) as caught:
            xlsx.open_workbook(io.BytesIO(data), name, max_unpacked_bytes=max_unpacked_bytes)
        return str(caught.exception)

    def test_it_opens_a_workbook_read_only_or_with_its_merged_cells(self) -> None:
        workbook = xlsx.open_workbook(io.BytesIO(book()), "Phụ lục.XLSX")
        self.assertEqual(next(workbook.active.iter_rows(values_only=True)), ("STT", "Nội dung"))
        workbook = xlsx.open_workbook(io.BytesIO(book("A2:B2")), "a.xlsx", read_only=False)
        self.assertEqual([str(r) for r in workbook.active.merged_cells.ranges], ["A2:B2"])

    def test_it_wants_the_xlsx_extension(self) -> None:
        self.assertEqual(
            self.rejected(book(), "a.xls"),
            "The file “a.xls” is not an Excel workbook (.xlsx). Save it as .xlsx and try again.",
        )

    def test_it_refuses_large_files_and_zip_bombs(self) -> None:
        self.assertIn("larger than 5 MB", self.rejected(book() + b"\0" * (5 * 1024 * 1024)))
        self.assertEqual(
            self.rejected(book(), max_unpacked_bytes=100),
            "The workbook holds too much data for one import. Split it into smaller files.",
        )

    def test_it_refuses_damaged_files(self) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "hello")
        damaged = bytearray(book())
        damaged[len(damaged) // 2 : len(damaged) // 2 + 100] = b"\0" * 100
        for data in (b"not a zip", buffer.getvalue(), bytes(damaged)):
            self.assertIn("could not be read as an Excel workbook: it may be damaged.", self.rejected(data))
