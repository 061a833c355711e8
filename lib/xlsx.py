"""Excel workbooks people download: one header row, wrapped text, frozen header."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

import openpyxl
from django.http import HttpResponse
from django.utils.http import content_disposition_header
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
