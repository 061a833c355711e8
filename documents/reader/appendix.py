"""Appendix tables (Phụ lục) → task dicts of ../shared/contracts/plan-import.md.

A plan's appendix is a table with the columns STT, Nội dung/Nhiệm vụ, Cơ quan/Đơn vị
chủ trì, phối hợp, Thời gian hoàn thành, Sản phẩm/Kết quả, Ghi chú (any order, any
subset with a content column). Columns are recognised by their header text, folded
(no accents, lower case); the header may take two rows ("Đơn vị thực hiện" over
"Chủ trì" | "Phối hợp"). Group rows ("I. CẢI CÁCH THỂ CHẾ" across the table, or STT
"II"/"A" with no unit and no deadline) name the group of the rows below it and its
reform area. The parser appends the rows: `result["tasks"] += appendix_tasks(...)`.
"""

from __future__ import annotations

import re
from typing import Any

from documents.reader.areas import AreaMatcher
from documents.reader.text import recurs, tidy
from lib.periods import parse_due
from lib.text import fold

OTHER = "other"
HEADER_SEARCH_ROWS = 6

# (column key, folded phrases), tried in this order on the folded header text.
_COLUMN_PHRASES: list[tuple[str, tuple[str, ...]]] = [
    ("note", ("ghi chu",)),
    ("budget", ("kinh phi", "nguon von", "du toan")),
    ("area", ("linh vuc",)),
    ("people", ("nguoi thuc hien", "nguoi phu trach", "can bo thuc hien", "can bo phu trach")),
    ("coordinating", ("phoi hop",)),
    ("lead", ("chu tri",)),
    ("due", ("thoi gian", "thoi han", "hoan thanh", "tien do", "moc thoi")),
    ("output", ("san pham", "ket qua", "du kien")),
    ("lead", ("ten don vi", "ten co quan")),
    ("content", ("noi dung", "nhiem vu", "cong viec", "hoat dong", "giai phap", "ten ")),
    ("lead", ("thuc hien", "don vi", "co quan", "bo phan", "trach nhiem")),
]
_LABEL_HEADERS = {"stt", "tt", "so tt", "so thu tu", "thu tu"}
_TASK_CELLS = ("lead", "coordinating", "due", "output")
_GROUP_LABEL = re.compile(r"^\s*((?:[IVXLC]+|[A-ZĐ]|\d+(?:\.\d+)*))\s*[.)/:-]\s*(\S.*)$", re.S)
_ROMAN_OR_CAPITAL = re.compile(r"^(?:[IVXLC]+|[A-ZĐ])$")
_COLUMN_NUMBERS = re.compile(r"^\(?\d{1,2}\)?$")
_BULLET = re.compile(r"^[-+•–*]\s+")
_LIST_OF_BODIES = re.compile(r"^(?:cac\s+)?(so|phong|ban|nganh|bo)\s*:")
_UNIT_STARTS = (
    "phong",
    "so",
    "van phong",
    "ubnd",
    "uy ban",
    "ban",
    "trung tam",
    "chi cuc",
    "cuc",
    "bo",
    "cong an",
    "thanh tra",
    "kho bac",
    "bao",
    "dai",
    "hoi",
    "doan",
    "vien",
    "truong",
    "tinh",
    "huyen",
    "xa",
)
_BODY_NOUNS = {"so": "Sở", "phong": "Phòng", "ban": "Ban", "nganh": "Ngành", "bo": "Bộ"}


def header_key(text: str) -> str | None:
    """The column a header cell names ("lead", "due", …), or None."""
    folded = " ".join(fold(text).replace("/", " ").split()).strip(" *:.()")
    if not folded:
        return None
    if folded in _LABEL_HEADERS:
        return "label"
    padded = folded + " "
    for key, phrases in _COLUMN_PHRASES:
        if any(phrase in padded for phrase in phrases):
            return key
    return None


def header_columns(row: list[str]) -> dict[str, int]:
    """Column index of each column named in a header row (the first one wins)."""
    found: dict[str, int] = {}
    for index, text in enumerate(row):
        key = header_key(text)
        if key and key not in found:
            found[key] = index
    return found


def _is_header(columns: dict[str, int]) -> bool:
    return "content" in columns and len(columns) >= 3


def _find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """Index of the last header row and the columns, for a one- or two-row header."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = header_columns(row)
        if index + 1 < len(rows):
            below = rows[index + 1]
            combined = [
                f"{a} {b}" if b and b != a else a
                for a, b in zip(row, below + [""] * (len(row) - len(below)), strict=False)
            ]
            both = header_columns(combined)
            if _is_header(both) and _continues_header(row, below) and len(both) >= len(columns):
                return index + 1, both
        if _is_header(columns):
            return index, columns
    return None


def _continues_header(row: list[str], below: list[str]) -> bool:
    """The row under a header row is its second line: only header words (or repeats of the first)."""
    cells = [b for a, b in zip(row, below, strict=False) if b.strip() and b != a]
    return bool(cells) and all(header_key(cell) for cell in cells)


def _cell(row: list[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    return row[index] if index is not None and index < len(row) else ""


def clean_text(text: str) -> str:
    """Lines joined with one space, trimmed, a final "." ";" ":" or "/." dropped ("..." kept)."""
    return tidy(text)


def split_units(text: str) -> list[str]:
    """Named units of a cell, without "các cơ quan liên quan" style phrases."""
    units: list[str] = []
    for part in re.split(r"[;\n]+", text):
        part = clean_text(part.strip(" ,-+•"))
        if not part:
            continue
        listed = _LIST_OF_BODIES.match(fold(part))
        pieces = [piece.strip(" .") for piece in part.split(",") if piece.strip(" .")]
        if listed is not None and ":" in part:  # "Các Sở: Nội vụ, Tài chính" → Sở Nội vụ, Sở Tài chính
            noun = _BODY_NOUNS[listed.group(1)]
            names = part.split(":", 1)[1]
            units.extend(f"{noun} {name.strip(' .')}" for name in names.split(",") if name.strip(" ."))
        elif len(pieces) > 1 and all(_starts_like_unit(piece) for piece in pieces):
            units.extend(piece for piece in pieces if _named(piece))
        elif _named(part):
            units.append(part)
    return list(dict.fromkeys(units))


def _starts_like_unit(piece: str) -> bool:
    folded = fold(piece)
    return piece[:1].isupper() or any(folded == start or folded.startswith(start + " ") for start in _UNIT_STARTS)


def _named(part: str) -> bool:
    """False for phrases that name no unit: "Các cơ quan liên quan", "các đơn vị khác"."""
    folded = fold(part)
    if "lien quan" in folded or folded.endswith(" khac"):
        return False
    return folded not in {"cac co quan", "cac don vi", "cac co quan, don vi", "cac so, nganh", "cac dia phuong"}


def _group(row: list[str], columns: dict[str, int]) -> tuple[str, str] | None:
    """(label, title) when the row is a group row, else None."""
    filled = [cell.strip() for cell in row if cell.strip()]
    if not filled:
        return None
    label_at = columns.get("label")
    label = _cell(row, columns, "label").strip().rstrip(".)").strip()
    content = _cell(row, columns, "content").strip()
    task_cells = any(_cell(row, columns, key).strip() for key in _TASK_CELLS)
    others = [cell.strip() for index, cell in enumerate(row) if index != label_at and cell.strip()]
    if len(set(filled)) == 1 and len(filled) > 1 or (len(filled) == 1 and not label and not content):
        # one text across the row (merged cells), or in a cell outside the content column
        return _labelled(filled[0])
    if label and len(others) > 1 and len(set(others)) == 1:
        return label, clean_text(others[0])  # STT, then one text merged over the other cells
    if task_cells:
        return None
    if label and _ROMAN_OR_CAPITAL.match(label) and content:
        return label, clean_text(content)
    letters = [c for c in content if c.isalpha()]
    if not label and letters and content.upper() == content:
        return _labelled(content)
    return None


def _labelled(text: str) -> tuple[str, str]:
    """ "II. CẢI CÁCH THỦ TỤC" → ("II", "CẢI CÁCH THỦ TỤC"); a text without a label keeps it whole."""
    text = " ".join(text.split())
    match = _GROUP_LABEL.match(text)
    return (match.group(1), clean_text(match.group(2))) if match else ("", clean_text(text))


def _due(text: str, year: int | None) -> tuple[str | None, bool]:
    """ISO date named by a printed deadline (or one of its lines), and whether it recurs.

    A recurring deadline ("Thường xuyên", "Hằng quý") names no one date: None, as in the text parser.
    """
    candidates = [text, *re.split(r"[\n;,()]+|\s+-\s+", text)]
    recurring = recurs(text)
    for candidate in candidates:
        due = parse_due(" ".join(candidate.split()), year)
        if due.recurrence:
            recurring = True
        if due.date is not None and not recurring:
            return due.date.isoformat(), recurring
    return None, recurring


def table_tasks(rows: list[list[str]], areas: AreaMatcher, year: int | None = None) -> list[dict[str, Any]]:
    """The task rows of one table; [] when it is not an appendix of tasks."""
    rows = [[cell if isinstance(cell, str) else "" for cell in row] for row in rows if isinstance(row, list)]
    header = _find_header(rows)
    if header is None:
        return []
    last_header, columns = header
    header_texts = [fold(" ".join(" ".join(row).split())) for row in rows[: last_header + 1]]
    groups: list[tuple[str, str | None]] = []  # (label, area) of the group rows above, outermost first
    tasks: list[dict[str, Any]] = []
    for row in rows[last_header + 1 :]:
        filled = [cell.strip() for cell in row if cell.strip()]
        if not filled:
            continue
        if fold(" ".join(" ".join(row).split())) in header_texts or all(_COLUMN_NUMBERS.match(c) for c in filled):
            continue  # the header again (a table split over pages) or the column numbers (1) (2) …
        if sum(1 for key in header_columns(row)) >= 3 and _is_header(header_columns(row)):
            continue
        group = _group(row, columns)
        if group is not None:
            label, title = group
            area = areas.heading(title) if title else None
            if _ROMAN_OR_CAPITAL.match(label) or not groups:
                groups = [(label or title, area)]
            else:  # "1. Công tác chỉ đạo" under "I. …": a group inside the group
                groups = [groups[0], (label or title, area or groups[0][1])]
            continue
        content = clean_text(_BULLET.sub("", _cell(row, columns, "content").strip()))
        if not content:
            continue
        label = _cell(row, columns, "label").strip().rstrip(".)").strip()
        section = [*(group for group, _ in groups), *([" ".join(label.split())] if label else [])]
        group_area = groups[-1][1] if groups else None
        lead = clean_text(_cell(row, columns, "lead"))
        due_cell = _cell(row, columns, "due")
        due_text = clean_text(due_cell)
        due_date, recurring = _due(due_cell, year) if due_text else (None, False)
        recurring = recurring or recurs(content)
        output = clean_text(_cell(row, columns, "output"))
        tasks.append(
            {
                "section": section,
                "content": content,
                "area": areas.heading(_cell(row, columns, "area")) or group_area or areas.content(content) or OTHER,
                "lead_unit": lead or None,
                "coordinating_units": split_units(_cell(row, columns, "coordinating")),
                "due": due_text or None,
                "due_date": due_date,
                "recurring": recurring,
                "output": output or None,
            }
        )
    return tasks


def appendix_tasks(tables: list[list[list[str]]], areas: AreaMatcher, year: int | None = None) -> list[dict[str, Any]]:
    """Task dicts of every appendix table, in document order; `year` fills deadlines without one."""
    tasks: list[dict[str, Any]] = []
    for table in tables:
        if isinstance(table, list):
            tasks.extend(table_tasks(table, areas, year))
    return tasks
