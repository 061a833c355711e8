"""Excel workbooks: the ones people download (one header row, wrapped text, frozen
header) and the safe opening of the ones they upload."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO, Any

import openpyxl
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="DDE6F1")


def add_table_sheet(
    workbook: Any,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int] | None = None,
) -> Any:
    """A sheet with a bold header row, wrapped cells and the given column widths (in characters)."""
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        sheet.append(list(row))
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
            if hasattr(cell.value, "year") and hasattr(cell.value, "day"):
                cell.number_format = "DD/MM/YYYY"
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def table_workbook(
    title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], widths: Sequence[int] | None = None
) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    add_table_sheet(workbook, title, headers, rows, widths)
    return save(workbook)


def save(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def response(content: bytes, filename: str) -> HttpResponse:
    """The workbook as a download; `filename` may hold Vietnamese letters."""
    reply = HttpResponse(content, content_type=XLSX_TYPE)
    reply["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename) or ""
    return reply


# Reading uploads ---------------------------------------------------------

MAX_BYTES = 5 * 1024 * 1024
# Thousands of rows unpack to a few megabytes; far more is a damaged or hostile file.
MAX_UNPACKED_BYTES = 60 * 1024 * 1024


class Rejected(Exception):
    """The uploaded file as a whole cannot be read; the message says why, for the person."""


def open_workbook(
    file: IO[bytes],
    name: str,
    size: int | None = None,
    *,
    read_only: bool = True,
    max_bytes: int = MAX_BYTES,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
) -> Any:
    """The uploaded workbook, opened with `data_only` (cached formula values).

    Checked before openpyxl sees it: the .xlsx extension, the size, the size
    once unpacked (a zip bomb) and that it is a workbook at all. A damaged file
    raises `Rejected`, never whatever zipfile or openpyxl happen to raise. Open
    with `read_only=False` to see merged cells; the unpacked limit then also
    bounds the memory openpyxl takes.
    """
    if not name.lower().endswith(".xlsx"):
        raise Rejected(
            gettext("The file “%(name)s” is not an Excel workbook (.xlsx). Save it as .xlsx and try again.")
            % {"name": name}
        )
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
    if size > max_bytes:
        raise Rejected(
            gettext("The file is larger than %(limit)s MB. Split it into smaller files.")
            % {"limit": max_bytes // (1024 * 1024)}
        )
    damaged = gettext(
        "The file “%(name)s” could not be read as an Excel workbook: it may be damaged. "
        "Open it in Excel, save it as .xlsx and try again."
    ) % {"name": name}
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            if "xl/workbook.xml" not in {entry.filename for entry in entries}:
                raise Rejected(damaged)
            if sum(entry.file_size for entry in entries) > max_unpacked_bytes:
                raise Rejected(gettext("The workbook holds too much data for one import. Split it into smaller files."))
        file.seek(0)
        return openpyxl.load_workbook(file, read_only=read_only, data_only=True)
    except Rejected:
        raise
    except Exception as exc:  # a damaged workbook makes zipfile or openpyxl raise almost anything
        raise Rejected(damaged) from exc
