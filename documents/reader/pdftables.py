"""Appendix tables out of a PDF, best effort.

A PDF has no tables, only pieces of text placed on the page. `read_page` goes over a
page's content once with pypdf's layout machinery and keeps both the layout text and
the pieces with their positions, grouped into lines of chunks: pieces closer than
about half a letter's height are one chunk, farther apart they are different cells.
From the first page whose layout text shows an appendix header (a line naming STT,
Nội dung, chủ trì, Thời gian … see `appendix.header_key`) the tables are read from
the chunks.

Each column's header text lies inside the column, so the border between two columns
lies between their header texts: it is put where the fewest chunks below cross.
A line with something in the STT column starts a row, the lines below it add to its
cells; a chunk across a border is a group row ("I. CẢI CÁCH THỂ CHẾ"), or, when it is
long, the text after the table. On the next pages the table goes on while its lines
fit the columns (a repeated header is skipped). Rows come out as `Source.tables`
expects them (a group row's text repeated in every cell); their lines leave the text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from documents.reader.appendix import header_key
from lib.text import fold

PAGE_BREAK = "\f"
PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,4}(?:\s*-)?\s*$|^\s*(?:trang|page)\s+\d{1,4}(?:\s*/\s*\d{1,4})?\s*$", re.I)
_SEGMENT = re.compile(r"\S+(?: \S+)*")  # layout text between runs of two or more spaces
_ROW_LABEL = re.compile(r"^(?:[IVXLC]+|[A-ZĐ]|\d+(?:\.\d+)*)[.)]?$")


@dataclass(frozen=True)
class Chunk:
    x0: float
    x1: float
    text: str


@dataclass
class Line:
    chunks: list[Chunk]
    size: float  # font height, the unit of the distances below
    y: float = 0.0  # from the top of the page

    @property
    def text(self) -> str:
        return " ".join(chunk.text for chunk in self.chunks)

    @property
    def x0(self) -> float:
        return self.chunks[0].x0

    @property
    def x1(self) -> float:
        return self.chunks[-1].x1


# Pieces of text with positions --------------------------------------------------------


def text_lines(text: str, char_width: float = 6.0, size: float = 12.0) -> list[Line]:
    """Lines of chunks from layout text (a character is `char_width` wide): for tests."""
    lines = []
    for number, raw in enumerate(text.split("\n")):
        chunks = [Chunk(m.start() * char_width, m.end() * char_width, m.group()) for m in _SEGMENT.finditer(raw)]
        lines.append(Line(chunks, size, number * size * 1.2))
    return [line for line in lines if line.chunks]


def read_page(page: Any) -> tuple[str, list[Line]]:
    """The page's layout text (pypdf's layout mode) and its pieces of text as lines of chunks, top to bottom.

    One pass over the content stream gives both, with the text state pypdf's layout mode keeps.
    """
    from pypdf._text_extraction._layout_mode._fixed_width_page import (
        fixed_char_width,
        fixed_width_page,
        recurse_to_target_op,
        set_font_operation,
        y_coordinate_groups,
    )
    from pypdf._text_extraction._layout_mode._text_state_manager import TextStateManager
    from pypdf.generic import ArrayObject, ContentStream, StreamObject

    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    if not isinstance(contents, ArrayObject | StreamObject):
        return "", []
    fonts = page._layout_mode_fonts()
    ops = iter(ContentStream(contents, page.pdf, "bytes").operations)
    state = TextStateManager()
    groups: list[Any] = []
    pieces: list[Any] = []
    for operands, op in ops:
        if op in (b"BT", b"q"):
            shown_groups, shown = recurse_to_target_op(ops, state, b"ET" if op == b"BT" else b"Q", fonts, True)
            groups.extend(shown_groups)
            pieces.extend(shown)
        elif op == b"Tf":
            set_font_operation(state, fonts, operands)
        else:
            state.set_state_param(op, operands)
    text = ""
    if groups:  # as pypdf's text_show_operations and _layout_mode_text
        left = min(group["tx"] for group in groups)
        ordered = sorted(groups, key=lambda group: (group["ty"] * group["flip_sort"], -group["tx"]), reverse=True)
        groups = [dict(g, tx=g["tx"] - left, displaced_tx=g["displaced_tx"] - left) for g in ordered]
        text = fixed_width_page(y_coordinate_groups(groups), fixed_char_width(groups, 1.25), True, 1)
    # y grows downwards on pages drawn with a flipped matrix (WeasyPrint's): lines are sorted top to bottom.
    found = [
        (
            float(p.ty) * (-1 if p.flip_vertical else 1),
            float(p.tx),
            float(p.displaced_tx),
            str(p.text),
            float(p.font_height) or 10.0,
        )
        for p in pieces
        if str(p.text).strip() and not p.rotated
    ]
    return str(text), _group_lines(found)


def _group_lines(pieces: list[tuple[float, float, float, str, float]]) -> list[Line]:
    pieces.sort(key=lambda piece: (-piece[0], piece[1]))
    rows: list[list[tuple[float, float, float, str, float]]] = []
    for piece in pieces:
        if rows and abs(rows[-1][0][0] - piece[0]) < 0.4 * piece[4]:
            rows[-1].append(piece)
        else:
            rows.append([piece])
    lines = []
    for row in rows:
        row.sort(key=lambda piece: piece[1])
        size = max(piece[4] for piece in row)
        chunks: list[list[Any]] = []
        for _, x0, x1, text, _ in row:
            gap = x0 - chunks[-1][1] if chunks else 0.0
            if chunks and gap < 0.6 * size:
                spaced = gap > 0.15 * size and not chunks[-1][2].endswith(" ") and not text.startswith(" ")
                chunks[-1][1] = max(chunks[-1][1], x1)
                chunks[-1][2] += (" " if spaced else "") + text
            else:
                chunks.append([x0, x1, text])
        texts = [Chunk(x0, x1, " ".join(text.split())) for x0, x1, text in chunks if text.strip()]
        lines.append(Line(texts, size, -row[0][0]))
    return [line for line in lines if line.chunks]


def line_text(line: Line) -> str:
    """A line outside the tables as text: chunks far apart (columns) three spaces apart."""
    parts = [line.chunks[0].text]
    for before, chunk in zip(line.chunks, line.chunks[1:], strict=False):
        parts.append(("   " if chunk.x0 - before.x1 > 2 * line.size else " ") + chunk.text)
    return "".join(parts)


# Tables ----------------------------------------------------------------------------------


def layout_has_header(text: str) -> bool:
    """The layout text of a page holds an appendix header line."""
    return any(_is_header([m.group() for m in _SEGMENT.finditer(line)]) for line in text.split("\n"))


def _keys(texts: Sequence[str]) -> set[str]:
    return {key for text in texts if (key := header_key(text))}


def _is_header(texts: Sequence[str]) -> bool:
    keys = _keys(texts)
    return ("content" in keys and len(keys) >= 3) or len(keys) >= 4


@dataclass
class Table:
    borders: list[float]  # x where each column after the first starts
    header: list[str]
    left: float
    right: float
    rows: list[list[str]] = field(default_factory=list)
    labelled: bool = False  # the first column is STT: a value there starts a row
    group: bool = False  # the last row is a group row

    def crossing(self, line: Line) -> bool:
        return any(chunk.x0 < border - 1 and chunk.x1 > border + 1 for chunk in line.chunks for border in self.borders)

    def add(self, line: Line) -> bool:
        """Take the line into the table; False when it is the text after the table."""
        if self.crossing(line):
            text = line.text
            width = self.right - self.left
            long = line.x1 - line.x0 > 0.75 * width and text.upper() != text  # group titles are in capitals
            if len(line.chunks) != 1 or long or fold(text).startswith("noi nhan"):
                return False
            if self.group and self.rows:
                self.rows[-1][:] = [f"{self.rows[-1][0]} {text}"] * len(self.rows[-1])  # a title on two lines
            else:
                self.rows.append([text] * (len(self.borders) + 1))
            self.group = True
            return True
        cells = [""] * (len(self.borders) + 1)
        for chunk in line.chunks:
            column = bisect_right(self.borders, (chunk.x0 + chunk.x1) / 2)
            cells[column] = f"{cells[column]} {chunk.text}".strip()
        if not self.rows or self.group or self._starts_row(cells):
            self.rows.append(cells)
        else:  # a cell's text wrapped: its lines are one text (units are separated by ";")
            current = self.rows[-1]
            for column, cell in enumerate(cells):
                if cell:
                    current[column] = f"{current[column]} {cell}".strip()
        self.group = False
        return True

    def _starts_row(self, cells: list[str]) -> bool:
        if self.labelled:
            return bool(cells[0])
        # No STT column: a new row where the first column starts a sentence after one that ended.
        return bool(cells[0]) and cells[0][:1].isupper() and self.rows[-1][0][-1:] in ".;:"


def _header_band(lines: list[Line], keyword: int) -> int:
    """The end of the header: the lines under its keyword line that continue its cells."""
    left = lines[keyword].x0
    end = keyword + 1
    while end < len(lines) and end - keyword < 4:
        line = lines[end]
        first = line.chunks[0]
        if first.x0 <= left + line.size and (_ROW_LABEL.match(first.text.split(" ")[0]) or first.text.isupper()):
            break  # the first row, or a group row
        if not (_keys([c.text for c in line.chunks]) or all(len(c.text) < 20 for c in line.chunks)):
            break
        end += 1
    return end


def _columns(band: list[Line]) -> list[tuple[float, float, str]]:
    """Column spans of the header; a header cell over several columns is left out of the spans."""
    chunks = [(index, chunk) for index, line in enumerate(band) for chunk in line.chunks]

    def spanning(item: tuple[int, Chunk]) -> bool:
        index, chunk = item
        under = [c for i, c in chunks if i != index and c.x0 < chunk.x1 and c.x1 > chunk.x0]
        return any(a.x1 <= b.x0 for a in under for b in under)

    spans: list[list[float]] = []
    for _, chunk in sorted((item for item in chunks if not spanning(item)), key=lambda item: item[1].x0):
        if spans and chunk.x0 < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], chunk.x1)
        else:
            spans.append([chunk.x0, chunk.x1])
    texts = [
        " ".join(c.text for _, c in sorted(chunks, key=lambda item: (item[0], item[1].x0)) if c.x0 < b and c.x1 > a)
        for a, b in spans
    ]
    return [(a, b, text) for (a, b), text in zip(spans, texts, strict=True)]


def _borders(columns: list[tuple[float, float, str]], lines: list[Line]) -> list[float]:
    """Between each two header texts, the x that the fewest chunks below cross (the middle of the best stretch)."""
    width = columns[-1][1] - columns[0][0]
    # Group rows and paragraphs run across the borders: they do not tell where the borders are.
    counted = [line for line in lines if not any(c.x1 - c.x0 > 0.4 * width for c in line.chunks)]
    borders = []
    for (_, left_end, _), (right_start, _, _) in zip(columns, columns[1:], strict=False):
        steps = max(int(right_start - left_end), 0) + 1
        xs = [left_end + step for step in range(steps)]
        crossed = [sum(1 for line in counted for c in line.chunks if c.x0 < x < c.x1) for x in xs]
        best = min(crossed)
        stretch = [x for x, count in zip(xs, crossed, strict=True) if count == best]
        borders.append(stretch[len(stretch) // 2])
    return borders


def _header_above(lines: list[Line], start: int) -> int:
    """The first line of the header.

    A header cell of several lines is centred on the others, so it may begin above the
    line with the keywords: such a line holds text only where the keyword line has none
    and the line below it goes on.
    """
    keyword = lines[start]
    below = lines[start + 1].chunks if start + 1 < len(lines) else []

    def overlaps(chunk: Chunk, others: list[Chunk]) -> bool:
        return any(chunk.x0 < other.x1 and chunk.x1 > other.x0 for other in others)

    first = start
    while first > 0 and start - first < 3:
        line = lines[first - 1]
        close = 0 < lines[first].y - line.y < 1.6 * max(line.size, lines[first].size)
        fits = all(len(c.text) < 25 and not overlaps(c, keyword.chunks) and overlaps(c, below) for c in line.chunks)
        if not (close and fits):
            break
        first -= 1
    return first


def _start_table(lines: list[Line], first: int, keyword: int) -> tuple[Table, int] | None:
    band_end = _header_band(lines, keyword)
    columns = _columns(lines[first:band_end])
    if len(columns) < 3 or not _is_header([text for _, _, text in columns]):
        return None
    table = Table(
        borders=_borders(columns, lines[first:]),
        header=[text for _, _, text in columns],
        left=columns[0][0],
        right=columns[-1][1],
    )
    table.labelled = header_key(table.header[0]) == "label"
    return table, band_end


def _header_at(lines: list[Line], index: int) -> int | None:
    """The keyword line of a header whose first line is this one, if any."""
    for keyword in range(index, min(index + 3, len(lines))):
        if _is_header([chunk.text for chunk in lines[keyword].chunks]) and _header_above(lines, keyword) <= index:
            return keyword
    return None


def read_tables(pages: list[list[Line]]) -> tuple[list[list[str]], list[bool], list[list[list[str]]]]:
    """Per page, the lines outside the tables (as text) and whether a table was on it; the tables found."""
    texts: list[list[str]] = []
    touched: list[bool] = []
    tables: list[list[list[str]]] = []
    table: Table | None = None

    def finish() -> None:
        if table is not None and table.rows:
            tables.append([table.header, *table.rows])

    for page in pages:
        lines = list(page)
        # the running page number, above or below the table
        if lines and PAGE_NUMBER.match(lines[-1].text):
            lines.pop()
        if lines and PAGE_NUMBER.match(lines[0].text):
            lines.pop(0)
        out: list[str] = []
        hit = False
        index = 0
        while index < len(lines):
            line = lines[index]
            keyword = _header_at(lines, index)
            if keyword is not None:
                started = _start_table(lines, index, keyword)
                if started is not None:
                    again, band_end = started
                    hit = True
                    if table is not None and len(again.header) == len(table.header):
                        table.borders = again.borders  # the header printed again on the next page
                    else:
                        finish()
                        table = again
                    index = band_end
                    continue
            folded = fold(line.text)
            if table is not None and not folded.startswith(("phu luc", "noi nhan")) and table.add(line):
                hit = True
                index += 1
                continue
            if table is not None:
                finish()
                table = None
            out.append(line_text(line))
            index += 1
        texts.append(out)
        touched.append(hit)
    finish()
    return texts, touched, tables
