"""What a Decree 30 document says, independent of the file format.

The dataclasses describe one administrative document (văn bản hành chính):
the header block (parent body, issuer, number and symbol, place and date), the
type name and summary, the body (headings with their printed labels,
paragraphs, dash lists, tables), the signature block, the recipients and the
appendices. Both writers (`lib.nd30.docx`, `lib.nd30.pdf`) read it, and the
layout figures they share live here too (Decree 30, Phụ lục I).

Text is kept as it is printed: headings carry the plan's own labels ("II",
"1", "a"), recipients are plain lines that the writers punctuate.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import date
from typing import Literal, TypeVar

_T = TypeVar("_T")

# Page set-up (Phụ lục I, Phần I, mục I; checklist of the research note §12): A4,
# margins inside the allowed ranges (top 20-25, bottom 20-25, left 30-35, right 15-20 mm).
PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
MARGIN_TOP_MM = 20.0
MARGIN_BOTTOM_MM = 20.0
MARGIN_LEFT_MM = 30.0
MARGIN_RIGHT_MM = 15.0
HEADER_DISTANCE_MM = 10.0
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 165
LANDSCAPE_TEXT_WIDTH_MM = PAGE_HEIGHT_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 252
# The header table: about 1/3 : 2/3 of the width (the decree's sample: 54 and 104 mm).
HEADER_LEFT_MM = 62.0
HEADER_RIGHT_MM = TEXT_WIDTH_MM - HEADER_LEFT_MM
# The footer table: recipients on the left, the signature on the right.
FOOTER_LEFT_MM = 78.0
FOOTER_RIGHT_MM = TEXT_WIDTH_MM - FOOTER_LEFT_MM
CELL_PADDING_MM = 1.9  # Word's default left and right cell margin (108 twips)
FIRST_LINE_INDENT_MM = 12.7
FONT_FAMILY = "Times New Roman"

# Sizes in points per element (Phụ lục I, sections II-V).
SIZE_BODY = 14
SIZE_PARENT = 12
SIZE_ISSUER = 12
SIZE_NATIONAL = 12
SIZE_MOTTO = 13
SIZE_NUMBER = 13
SIZE_DATE = 14
SIZE_TYPE = 14
SIZE_SUMMARY = 14
SIZE_SIGNER = 14
SIZE_RECIPIENTS_LABEL = 12
SIZE_RECIPIENTS = 11
SIZE_PAGE_NUMBER = 13
SIZE_DRAFT = 13
SIZE_TABLE = 12
SIZE_APPENDIX = 14

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DRAFT_MARK = "DỰ THẢO"
RECIPIENTS_LABEL = "Nơi nhận:"
# Room left for a number or a day stamped at signing (Decree 30 allows the blank on e-documents).
BLANK = " " * 6

AUTHORITIES = ("KT.", "TM.", "TL.", "TUQ.", "Q.")


def number_text(number: int) -> str:
    """ "05": numbers below 10 get a leading zero (Phụ lục I, II.3)."""
    return f"{number:02d}"


def vietnamese_date(day: date | None, year: int | None = None) -> str:
    """ "ngày 05 tháng 01 năm 2020", "ngày 29 tháng 6 năm 2019" (Phụ lục I, II.4).

    Days below 10 and the months 1 and 2 get a leading zero. Without a day the
    day and month are left blank to be filled at signing, with the year when known.
    """
    if day is None:
        return f"ngày{BLANK}tháng{BLANK}năm {year}" if year else f"ngày{BLANK}tháng{BLANK}năm{BLANK}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def short_date(day: date) -> str:
    """ "28/12/2021", as dates are cited inside a text."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def upper(text: str) -> str:
    return unicodedata.normalize("NFC", text).upper()


def strip_end(text: str) -> str:
    """The text without the final punctuation a writer adds itself (".", ";", ":", ",", "./.")."""
    text = " ".join(text.split())
    if text.endswith("..."):
        return text
    return re.sub(r"(\s*(\./\.|[.;:,]))+$", "", text)


# Blocks of the body -------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """An outline heading with its printed label: "I. MỤC ĐÍCH", "1. Mục đích", "a) Phát triển …"."""

    label: str
    title: str
    level: int = 1  # 1: "I." (bold, upper case as printed), 2: "1." (bold), 3: "a)" (italic)

    @property
    def text(self) -> str:
        return f"{label_prefix(self.label)} {self.title}".strip()


@dataclass(frozen=True)
class Paragraph:
    """A justified body paragraph, optionally led by an outline label ("a)", "1.")."""

    text: str
    label: str = ""
    italic: bool = False
    bold: bool = False

    @property
    def full_text(self) -> str:
        return f"{label_prefix(self.label)} {self.text}".strip()


@dataclass(frozen=True)
class BulletList:
    """Lines led by a dash, as Vietnamese documents list items ("- …;")."""

    items: tuple[str, ...]
    marker: str = "-"


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # relative; the writers scale the columns to the text width
    align: Literal["left", "center", "right"] = "left"


@dataclass(frozen=True)
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Row:
    """A table row. A group row puts its label in the first column and its title across the others."""

    cells: tuple[str, ...]
    kind: Literal["data", "group", "subgroup"] = "data"
    level: int = 0  # indentation of the second cell for sub-items (1.1, 1.1.1)


@dataclass(frozen=True)
class Table:
    """A bordered table; its header rows repeat on every page."""

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    # Several header rows with merged cells; empty: one row of the column headers.
    header_rows: tuple[tuple[HeaderCell, ...], ...] = ()
    size: int = SIZE_TABLE

    @property
    def headers(self) -> tuple[tuple[HeaderCell, ...], ...]:
        return self.header_rows or (tuple(HeaderCell(c.header) for c in self.columns),)

    def widths_mm(self, total: float) -> list[float]:
        weight = sum(c.width for c in self.columns) or 1
        return [total * c.width / weight for c in self.columns]


Block = Heading | Paragraph | BulletList | Table


# The parts around the body --------------------------------------------------


@dataclass(frozen=True)
class Header:
    """The header block of the first page (positions 1-4 of Phụ lục I, IV)."""

    issuer: str  # "Sở Ngoại vụ"; printed in upper case, "\n" breaks long names
    notation: str  # the symbol after the number: "KH-SNgV", "2025/QĐ-UBND"
    place: str  # "Bình Phước"
    parent_body: str = ""  # "UBND tỉnh Bình Phước"; upper case, not bold
    number: str = ""  # "41", "05"; empty leaves the blank that the signature stamps
    issued_on: date | None = None
    year: int | None = None  # printed in a blank date line
    draft: bool = False  # "DỰ THẢO" top right instead of a number given

    @property
    def parent_lines(self) -> list[str]:
        return [upper(line) for line in self.parent_body.splitlines() if line.strip()]

    @property
    def issuer_lines(self) -> list[str]:
        return [upper(line) for line in self.issuer.splitlines() if line.strip()]

    @property
    def number_line(self) -> str:
        """ "Số: 41/KH-SNgV", or "Số:      /KH-SNgV" before a number is given."""
        if self.number:
            return f"Số: {self.number}/{self.notation}"
        return f"Số:{BLANK}/{self.notation}"

    @property
    def number_symbol(self) -> str:
        return f"{self.number}/{self.notation}" if self.number else f"{BLANK}/{self.notation}"

    @property
    def date_line(self) -> str:
        """ "Bình Phước, ngày 28 tháng 12 năm 2021"."""
        when = vietnamese_date(self.issued_on, self.year or (self.issued_on.year if self.issued_on else None))
        return f"{self.place}, {when}" if self.place else when[0].upper() + when[1:]


@dataclass(frozen=True)
class Signature:
    """The signature block (Điều 13; Phụ lục I, II.7): authority, position, name.

    `head` is the title of the head of the body (for KT., TL., TUQ.: "Giám đốc"),
    `collective` the collegial body a TM. signs for ("Ủy ban nhân dân").
    An empty name leaves the space for a digital signature.
    """

    position: str = ""
    name: str = ""
    authority: str = ""  # "", "KT.", "TM.", "TL.", "TUQ.", "Q."
    head: str = ""
    collective: str = ""

    @property
    def lines(self) -> list[str]:
        """ "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC"; "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"."""
        position = upper(self.position.strip())
        authority = self.authority.strip().upper()
        if authority and not authority.endswith("."):
            authority += "."
        head = upper(self.head.strip()) or _head_of(position)
        if authority == "TM.":
            lines = [f"TM. {upper(self.collective.strip())}".strip()]
            if head and position and position != head:
                lines.append(f"KT. {head}")
            return [*lines, position] if position else lines
        if authority == "Q.":
            return [f"Q. {position}".strip()]
        if authority in AUTHORITIES:
            return [f"{authority} {head}".strip(), position] if position else [f"{authority} {head}".strip()]
        return [position] if position else []


def _head_of(position: str) -> str:
    """The head's title a deputy signs for: "PHÓ GIÁM ĐỐC" → "GIÁM ĐỐC"."""
    return re.sub(r"^PHÓ\s+", "", position) if position.startswith("PHÓ ") else ""


@dataclass(frozen=True)
class Appendix:
    """An appendix in the same file (Mẫu 2.1): heading, title, reference line, blocks."""

    label: str  # "Phụ lục", "Phụ lục I"
    title: str  # printed in upper case
    reference: str  # "(Kèm theo Kế hoạch số 41/KH-SNgV ngày 28/12/2021 của Sở Ngoại vụ)"
    blocks: tuple[Block, ...]
    landscape: bool = True


@dataclass(frozen=True)
class Document:
    header: Header
    type_name: str  # "Kế hoạch"; printed in upper case ("" for a công văn)
    summary: str  # the trích yếu, printed under the type name
    body: tuple[Block, ...]
    signature: Signature
    recipients: tuple[str, ...] = ()  # "UBND tỉnh (b/c)", …, "Lưu: VT, VP"
    preamble: tuple[str, ...] = ()  # "Thực hiện Quyết định số …;" lines before the body
    preamble_italic: bool = False  # the căn cứ of a decision are italic; a plan's are body text
    addressees: tuple[str, ...] = ()  # "Kính gửi: …" (reports sent upward)
    appendices: tuple[Appendix, ...] = ()
    closing: str = "./."  # ends the body
    author: str = ""  # the issuing body, for the file's properties
    language: str = "vi-VN"

    @property
    def title(self) -> str:
        """The file's title: "Kế hoạch 41/KH-SNgV Cải cách hành chính …"."""
        number = self.header.number_symbol.strip() if self.header.number else ""
        return " ".join(p for p in (self.type_name, number, self.summary) if p)

    @property
    def recipient_lines(self) -> list[str]:
        return recipient_lines(self.recipients)

    @property
    def addressee_lines(self) -> list[tuple[str, float | None]]:
        """The "Kính gửi" block as (text, left indent in mm; None: centred) (Phụ lục I, II.9.a).

        One addressee stays on the line, centred; several go one per line under
        it, each led by "- " and ending with ";", the last with ".".
        """
        items = [strip_end(a) for a in self.addressees if strip_end(a)]
        if not items:
            return []
        if len(items) == 1:
            return [(f"Kính gửi: {items[0]}.", None)]
        lines: list[tuple[str, float | None]] = [("Kính gửi:", 30.0)]
        lines += [(f"- {item}{'.' if i == len(items) - 1 else ';'}", 50.0) for i, item in enumerate(items)]
        return lines

    def body_with_closing(self) -> tuple[Block, ...]:
        """The body whose last paragraph ends with the closing mark "./."."""
        blocks = list(self.body)
        if not self.closing:
            return tuple(blocks)
        for index in range(len(blocks) - 1, -1, -1):
            block = blocks[index]
            if isinstance(block, Paragraph):
                text = block.text if block.text.endswith("...") else strip_end(block.text)
                blocks[index] = Paragraph(text + self.closing, block.label, block.italic, block.bold)
                return tuple(blocks)
            if isinstance(block, BulletList) and block.items:
                items = list(block.items)
                items[-1] = strip_end(items[-1]) + self.closing
                blocks[index] = BulletList(tuple(items), block.marker)
                return tuple(blocks)
            if isinstance(block, Table):
                break
        blocks.append(Paragraph(self.closing))
        return tuple(blocks)


def label_prefix(label: str) -> str:
    """How a label is printed: Roman and Arabic numbers with ".", letters with ")"."""
    label = label.strip().rstrip(".)")
    if not label:
        return ""
    if re.fullmatch(r"[a-zđ]", label):
        return f"{label})"
    return f"{label}."


def recipient_lines(recipients: Sequence[str]) -> list[str]:
    """ "- UBND tỉnh (b/c);" … "- Lưu: VT, VP." (Phụ lục I, V: each led by "- ", the last ending ".")."""
    items = [strip_end(re.sub(r"^\s*[-–•+]\s*", "", line)) for line in recipients]
    items = [item for item in items if item]
    return [f"- {item}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items)]


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """The text without the characters XML cannot hold (control characters pasted from other programs)."""
    return _NOT_XML.sub(" ", unicodedata.normalize("NFC", text))


def cleaned(value: _T) -> _T:
    """A copy of a document (or any part of one) whose strings are all `xml_safe`."""
    if isinstance(value, str):
        return xml_safe(value)  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(cleaned(item) for item in value)  # type: ignore[return-value]
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: cleaned(getattr(value, f.name)) for f in fields(value)}
        return replace(value, **changes)
    return value


def paragraph_text(text: str) -> list[str]:
    """A free text as paragraphs: one per non-empty line, spaces collapsed."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


# Text widths ---------------------------------------------------------------

# Advance widths of the printable ASCII characters in Times New Roman (the same
# metrics as Liberation Serif), in 1/2048 em: to size the rules under names.
_REGULAR = (
    "512,682,836,1024,1024,1706,1593,369,682,682,1024,1155,512,682,512,569,1024,1024,1024,1024,1024,1024,1024,"
    "1024,1024,1024,569,569,1155,1155,1155,909,1886,1479,1366,1366,1479,1251,1139,1479,1479,682,797,1479,1251,"
    "1821,1479,1479,1139,1479,1366,1139,1251,1479,1479,1933,1479,1479,1251,682,569,682,961,1024,682,909,1024,909,"
    "1024,909,682,1024,1024,569,569,1024,569,1593,1024,1024,1024,1024,682,797,569,1024,1024,1479,1024,1024,909,983,"
    "410,983,1108"
)
_BOLD = (
    "512,682,1137,1024,1024,2048,1706,569,682,682,1024,1167,512,682,512,569,1024,1024,1024,1024,1024,1024,1024,"
    "1024,1024,1024,682,682,1167,1167,1167,1024,1905,1479,1366,1479,1479,1366,1251,1593,1593,797,1024,1593,1366,"
    "1933,1479,1593,1251,1593,1479,1139,1366,1479,1479,2048,1479,1479,1366,682,569,682,1190,1024,682,1024,1139,909,"
    "1139,909,682,1024,1139,569,682,1139,569,1706,1139,1024,1139,1139,909,797,682,1139,1024,1479,1024,1024,909,807,"
    "451,807,1065"
)
_WIDTHS = {False: [int(w) for w in _REGULAR.split(",")], True: [int(w) for w in _BOLD.split(",")]}
_POINT_MM = 25.4 / 72


def text_width_mm(text: str, size: float, bold: bool = False) -> float:
    """The printed width of one line in Times New Roman; Vietnamese letters count as their base letter."""
    table = _WIDTHS[bold]
    units = 0
    for char in text:
        base = unicodedata.normalize("NFD", char.replace("Đ", "D").replace("đ", "d"))[:1] or " "
        code = ord(base)
        units += table[code - 32] if 32 <= code < 127 else 1024
    return units / 2048 * size * _POINT_MM


def rule_width_mm(lines: Sequence[str], size: float, bold: bool, fraction: float, room: float) -> float:
    """A rule `fraction` as long as the longest line (a wrapped line is at most `room` long)."""
    longest = max((text_width_mm(line, size, bold) for line in lines), default=0.0)
    return round(min(longest, room) * fraction, 1)
