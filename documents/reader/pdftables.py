"""Appendix tables out of a PDF's layout text, best effort.

A PDF has no tables, only text placed on the page; pypdf's layout mode keeps the
columns of a table aligned on a grid of characters:

    STT   Nội dung nhiệm vụ     Đơn vị chủ trì   Đơn vị phối   Thời gian
                                                 hợp
    I. CẢI CÁCH THỂ CHẾ
    1     Rà soát, cập nhật     Văn phòng Sở     Thanh tra     Quý II/2026
          quy trình nội bộ                       Sở

A table starts at a header line naming the appendix's columns (see
`appendix.header_key`). Each column's header text lies inside the column, so the
border between two columns lies between their header texts: it is put where the
most lines of the table are blank. A line with something in the STT column starts
a row, the lines below it add to its cells; a line whose text runs across the
borders is a group row ("I. CẢI CÁCH THỂ CHẾ"), or, when it is long, the text after
the table. On the next page the table goes on when its header is printed again
or its lines still fit the columns. Rows come out as `Source.tables` expects them
(a group row's text repeated in every cell); their lines leave the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from documents.reader.appendix import header_key
from lib.text import fold

PAGE_BREAK = "\f"
_SEGMENT = re.compile(r"\S+(?: \S+)*")  # text between runs of two or more spaces
_ROW_LABEL = re.compile(r"^(?:[IVXLC]+|[A-ZĐ]|\d+(?:\.\d+)*)[.)]?$")


@dataclass
class _Table:
    borders: list[int]  # the first character position of each column after the first
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    width: int = 0
    labelled: bool = False  # the first column is STT: a value there starts a row

    def cells(self, line: str) -> list[str]:
        edges = [0, *self.borders, max(len(line), self.borders[-1] + 1)]
        return [line[a:b].strip() for a, b in zip(edges, edges[1:], strict=False)]

    def fits(self, line: str) -> bool:
        """Nothing printed across a border (one character of slack either side)."""
        return all(not _crosses(line, border) for border in self.borders)


def _crosses(line: str, border: int) -> bool:
    return 0 < border < len(line) and line[border - 1] != " " and line[border] != " "


def _segments(line: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _SEGMENT.finditer(line)]


def _header_keys(line: str) -> set[str]:
    return {key for _, _, text in _segments(line) if (key := header_key(text))}


def _is_header(line: str) -> bool:
    keys = _header_keys(line)
    return "content" in keys and len(keys) >= 3 or len(keys) >= 4


def extract_tables(lines: list[str]) -> tuple[list[str], list[list[list[str]]]]:
    """The lines without the tables' lines, and the tables found."""
    out: list[str] = []
    tables: list[list[list[str]]] = []
    index = 0
    while index < len(lines):
        if lines[index] != PAGE_BREAK and _is_header(lines[index]):
            found = _read_table(lines, index)
            if found is not None:
                table, index = found
                tables.append([table.header, *table.rows])
                continue
        out.append(lines[index])
        index += 1
    return out, tables


def _header_band(lines: list[str], start: int) -> int:
    """The end of the header: the lines under the first header line that continue its cells."""
    end = start + 1
    while end < len(lines) and end - start < 4:
        line = lines[end]
        if line == PAGE_BREAK or not line.strip():
            break
        first = _segments(line)[0]
        if first[0] <= 1 and (_ROW_LABEL.match(first[2].split(" ")[0]) or first[2].isupper()):
            break  # the first row, or a group row
        if not (_header_keys(line) or all(len(text) < 20 for _, _, text in _segments(line))):
            break
        end += 1
    return end


def _columns(band: list[str]) -> list[tuple[int, int, str]]:
    """Column spans of the header, a header cell spanning several columns left out of the spans."""
    segments = [(line_index, *segment) for line_index, line in enumerate(band) for segment in _segments(line)]

    def spanning(item: tuple[int, int, int, str]) -> bool:
        _, start, end, _ = item
        under = [s for s in segments if s[0] != item[0] and s[1] < end and s[2] > start]
        return any(a[2] <= b[1] for a in under for b in under if a is not b)

    kept = sorted((s for s in segments if not spanning(s)), key=lambda s: s[1])
    spans: list[list[int]] = []
    for _, start, end, _ in kept:
        if spans and start < spans[-1][1] + 1:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    texts = [
        " ".join(text for _, start, end, text in sorted(segments) if start < span[1] and end > span[0])
        for span in spans
    ]
    return [(span[0], span[1], text) for span, text in zip(spans, texts, strict=True)]


def _borders(columns: list[tuple[int, int, str]], lines: list[str]) -> list[int]:
    """Between each two header texts, the position blank in most lines (the middle of the best run)."""
    first_end = columns[0][1]
    # Group rows ("I. CẢI CÁCH THỂ CHẾ") run across the borders: they do not tell where the borders are.
    lines = [line for line in lines if not _spans_from_left(line, first_end)]
    borders = []
    for (_, left_end, _), (right_start, _, _) in zip(columns, columns[1:], strict=False):
        candidates = range(left_end, right_start + 1)
        blank = {x: sum(1 for line in lines if x >= len(line) or line[x] == " ") for x in candidates}
        best = max(blank.values())
        run = [x for x in candidates if blank[x] == best]
        borders.append(run[len(run) // 2] if run else right_start)
    return borders


def _spans_from_left(line: str, first_end: int) -> bool:
    segments = _segments(line)
    return len(segments) == 1 and segments[0][0] <= 1 and segments[0][1] > first_end + 2


def _body_lines(lines: list[str], start: int) -> list[str]:
    """The lines that may belong to the table on this page: up to the page's end."""
    body = []
    for line in lines[start:]:
        if line == PAGE_BREAK:
            break
        body.append(line)
    return body


def _read_table(lines: list[str], start: int) -> tuple[_Table, int] | None:
    band_end = _header_band(lines, start)
    band = lines[start:band_end]
    columns = _columns(band)
    if len(columns) < 3:
        return None
    table = _Table(
        borders=_borders(columns, band + _body_lines(lines, band_end)),
        header=[text for _, _, text in columns],
        width=max(len(line) for line in band),
    )
    table.labelled = header_key(table.header[0]) == "label"
    index = _read_rows(table, lines, band_end)
    return (table, index) if table.rows else None


def _read_rows(table: _Table, lines: list[str], index: int) -> int:
    """Rows from `index` on, over page breaks; the index of the first line after the table."""
    current: list[str] | None = None
    group = False
    header_words = {fold(text) for text in table.header}
    while index < len(lines):
        line = lines[index]
        if line == PAGE_BREAK:
            following = next((i for i in range(index + 1, len(lines)) if lines[i].strip()), None)
            if following is None or lines[following] == PAGE_BREAK:
                return index
            if _is_header(lines[following]):  # the header printed again: columns measured again
                band_end = _header_band(lines, following)
                columns = _columns(lines[following:band_end])
                if len(columns) == len(table.header):
                    table.borders = _borders(columns, lines[following:band_end] + _body_lines(lines, band_end))
                    index = band_end
                    current, group = None, False
                    continue
                return index
            if not _shift_to_fit(table, _body_lines(lines, following)):
                return index
            index = following
            continue
        if not line.strip():
            index += 1
            continue
        if fold(" ".join(line.split())) in header_words or _is_header(line):
            index += 1  # a header line repeated inside the page
            continue
        segments = _segments(line)
        if not table.fits(line) or (len(segments) == 1 and segments[0][0] < table.borders[0] < segments[0][1]):
            text = " ".join(line.split())
            if len(segments) != 1 or len(text) > 0.75 * max(table.width, 1) or fold(text).startswith("noi nhan"):
                return index  # the text after the table
            if group and current is not None:
                current[:] = [f"{current[0]} {text}"] * len(current)  # a group title on two lines
            else:
                current = [text] * (len(table.borders) + 1)
                table.rows.append(current)
            group = True
            index += 1
            continue
        cells = table.cells(line)
        starts = current is None or group or _starts_row(table, cells, current)
        if starts:
            current = cells
            table.rows.append(current)
        else:
            assert current is not None
            for position, cell in enumerate(cells):
                if cell:  # a cell's text wrapped: its lines are one text (units are separated by ";")
                    current[position] = f"{current[position]} {cell}" if current[position] else cell
        group = False
        index += 1
    return index


def _starts_row(table: _Table, cells: list[str], current: list[str]) -> bool:
    if table.labelled:
        return bool(cells[0])
    # No STT column: a new row where the first column starts a sentence after one that ended.
    first = cells[0]
    return bool(first) and first[:1].isupper() and current[0][-1:] in ".;:"


def _shift_to_fit(table: _Table, lines: list[str]) -> bool:
    """On a page without the header, move the borders by the page's own margin; False when nothing fits."""
    sample = [line for line in lines if line.strip()][:15]
    if not sample:
        return False
    best_shift, best_score = 0, -1
    for shift in range(-4, 5):
        moved = _Table([b + shift for b in table.borders], table.header)
        score = sum(1 for line in sample if moved.fits(line))
        if score > best_score:
            best_shift, best_score = shift, score
    if best_score < len(sample) / 2:
        return False
    table.borders = [b + best_shift for b in table.borders]
    return True
