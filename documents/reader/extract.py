"""Uploaded bytes → `Source`: the text of a .docx, .pdf, .txt or .md file as a person reads it.

The kind is decided by the content (a DOCX is a ZIP holding word/document.xml, a PDF
starts with %PDF), the extension only breaks ties and names what was expected. Every
way a file can be bad ends in `Unreadable` with a message for the person who uploaded
it; what the third-party libraries raised is logged. Errors in this module's own code
are not caught, so the fuzz test finds them.

DOCX: the body in document order, one paragraph a line followed by a blank line, list
labels as Word prints them (computed from numbering.xml). The two-column header and
signature tables are flattened into lines; other tables (appendices) go to
`Source.tables`. PDF: the text layer page by page (pypdf's layout mode, which keeps
the two header columns on one line), the signature fields (pyHanko) and the text
stamped in their appearances.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import docx
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pypdf import PageObject, PasswordType, PdfReader
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, StreamObject

from documents.reader import pdftables
from documents.reader.pdftables import PAGE_BREAK, PAGE_NUMBER
from documents.reader.source import Source, Unreadable
from lib.text import fold

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# A DOCX unpacks to many times its size; refuse ZIP bombs before python-docx inflates them.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
TEXT_EXTENSIONS = {"txt": "txt", "text": "txt", "md": "md", "markdown": "md", "": "txt"}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")


def max_bytes() -> int:
    return int(getattr(settings, "PLAN_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def extract(name: str, data: bytes) -> Source:
    """Read a file into a `Source`; raises `Unreadable` with a message for the user."""
    limit = max_bytes()
    if len(data) > limit:
        raise Unreadable(
            _("The file is larger than %(limit)s MB. Upload a smaller file (the DOCX version is usually smaller).")
            % {"limit": _megabytes(limit)}
        )
    if not data.strip():
        raise Unreadable(_("The file is empty."))
    extension = name.rsplit(".", 1)[-1].casefold() if "." in name else ""
    kind = _kind(extension, data)
    if kind == "pdf":
        source = _pdf(data)
    elif kind == "docx":
        source = _docx(data)
    else:
        source = Source(text=_text_file(data), kind=kind)
    if not source.text.strip() and not source.tables:
        raise Unreadable(_("The file contains no text."))
    return source


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value >= 10 or value.is_integer() else f"{value:.1f}"


def _damaged_docx() -> str:
    return _("The DOCX file is damaged and cannot be read. Open it in Word, save it again and retry.")


def _only_kinds() -> str:
    return _("The importer reads only .docx, .pdf, .txt and .md files.")


def _kind(extension: str, data: bytes) -> str:
    """The kind of file ("pdf", "docx", "txt" or "md") by its content; Unreadable for any other."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(extension, data)
    if data.startswith(OLE_MAGIC):
        raise Unreadable(
            _(
                "This is an old Word document (.doc) or a password-protected Word file. "
                "Open it in Word, remove any password and save it as .docx, then upload the .docx."
            )
        )
    if head.lstrip().startswith(b"{\\rtf"):
        raise Unreadable(_("This is an RTF file. Open it in Word and save it as .docx.") + " " + _only_kinds())
    if data.startswith(IMAGE_MAGIC):
        raise Unreadable(_("This file is an image. Upload the DOCX version or a PDF where the text can be selected."))
    if extension == "pdf":
        raise Unreadable(_("This file is not a valid PDF (it may be damaged or only named .pdf)."))
    if extension == "docx":
        raise Unreadable(_damaged_docx())
    if extension == "doc":
        raise Unreadable(_("Old Word documents (.doc) cannot be read. Open the file in Word and save it as .docx."))
    if extension in TEXT_EXTENSIONS:
        return TEXT_EXTENSIONS[extension]
    raise Unreadable(_only_kinds())


def _zip_kind(extension: str, data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:100]:
                raise Unreadable(
                    _("This is an OpenDocument file. Save it as .docx (Word) first.") + " " + _only_kinds()
                )
    except Unreadable:
        raise
    except Exception as error:  # zipfile raises many kinds on damaged archives
        logger.warning("Unreadable ZIP (%s): %r", extension, error)
        raise Unreadable(_damaged_docx()) from error
    if "word/document.xml" in names:
        return "docx"
    if extension == "docx":
        raise Unreadable(_damaged_docx())
    raise Unreadable(_only_kinds())


# Text -----------------------------------------------------------------------

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = {ord(c): " " for c in "\u00a0\u202f\u2007\u2009\u200a\u3000"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """NFC, one kind of line end, no-break spaces as spaces, no zero-width or other control characters."""
    text = text.replace("\r\n", "\n")
    for separator in "\r\f\v\u2028\u2029\x85":  # other line and page separators (pdftotext marks pages with \f)
        text = text.replace(separator, "\n")
    text = text.translate(_ZERO_WIDTH).translate(_SPACES)
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def _text_file(data: bytes) -> str:
    for bom, encoding in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return _checked_text(data[len(bom) :].decode(encoding))
            except UnicodeDecodeError as error:
                raise Unreadable(
                    _("The text file is damaged: it does not decode as %(encoding)s.") % {"encoding": encoding.upper()}
                ) from error
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise Unreadable(
                _(
                    "The text file is not in UTF-8 (it may be Windows-1258 or TCVN3). "
                    "Save it again with the UTF-8 encoding (Notepad: Save as, Encoding: UTF-8) and retry."
                )
            ) from error
        text = utf16
    return _checked_text(text)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without its byte order mark: Latin letters leave every other byte zero."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    for encoding, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
        if zeros > half * 0.3:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _checked_text(text: str) -> str:
    """The text, unless it is binary data that happens to decode."""
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 100):
        raise Unreadable(_only_kinds())
    return clean(text)


# DOCX -----------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Inline content Word does not print in the body's flow: deletions, text boxes, drawings, notes.
_SKIPPED = {
    W + name
    for name in (
        "pPr",
        "rPr",
        "del",
        "moveFrom",
        "drawing",
        "pict",
        "object",
        "footnoteReference",
        "endnoteReference",
        "commentReference",
        "instrText",
        "delText",
        "fldData",
    )
} | {MC + "AlternateContent"}
_DECORATION = re.compile(r"^[\s_\-–—=*.~·•]*$")


def _attr(element: Any, name: str = "val") -> str | None:
    if element is None:
        return None
    value = element.get(W + name)
    return value if isinstance(value, str) else None


def _int(value: str | None, default: int, low: int = 0, high: int = 10_000) -> int:
    try:
        number = int(value) if value is not None else default
    except ValueError:
        return default
    return min(max(number, low), high)


def _is_on(element: Any) -> bool:
    """A Word on/off property (w:vanish, w:isLgl): present and not switched off."""
    return element is not None and _attr(element) not in ("0", "false", "off")


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None  # None: after any higher level; 0: never
    legal: bool = False


@dataclass
class Numbering:
    """Word's list numbering: labels as printed, counted per list as Word counts them."""

    abstracts: dict[str, dict[int, _Level]] = field(default_factory=dict)
    # numId → (abstractNumId, level overrides, start overrides)
    nums: dict[str, tuple[str, dict[int, _Level], dict[int, int]]] = field(default_factory=dict)
    style_links: dict[str, str] = field(default_factory=dict)  # abstractNumId → numStyleLink style id
    style_nums: dict[str, tuple[str | None, int | None]] = field(default_factory=dict)  # style → (numId, ilvl)
    style_parents: dict[str, str] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, numbering: Any, styles: Any) -> Numbering:
        found = cls()
        if styles is not None:
            for style in styles.iterchildren(W + "style"):
                style_id = _attr(style, "styleId")
                if not style_id:
                    continue
                parent = _attr(style.find(W + "basedOn"))
                if parent:
                    found.style_parents[style_id] = parent
                num_pr = style.find(f"{W}pPr/{W}numPr")
                if num_pr is not None:
                    level = _attr(num_pr.find(W + "ilvl"))
                    found.style_nums[style_id] = (
                        _attr(num_pr.find(W + "numId")),
                        _int(level, 0, 0, 8) if level is not None else None,
                    )
        if numbering is None:
            return found
        for abstract in numbering.iterchildren(W + "abstractNum"):
            abstract_id = _attr(abstract, "abstractNumId")
            if abstract_id is None:
                continue
            found.abstracts[abstract_id] = {
                _int(_attr(lvl, "ilvl"), 0, 0, 8): _read_level(lvl) for lvl in abstract.iterchildren(W + "lvl")
            }
            link = _attr(abstract.find(W + "numStyleLink"))
            if link:
                found.style_links[abstract_id] = link
        for num in numbering.iterchildren(W + "num"):
            num_id = _attr(num, "numId")
            abstract_id = _attr(num.find(W + "abstractNumId"))
            if num_id is None or abstract_id is None:
                continue
            levels: dict[int, _Level] = {}
            starts: dict[int, int] = {}
            for override in num.iterchildren(W + "lvlOverride"):
                ilvl = _int(_attr(override, "ilvl"), 0, 0, 8)
                start = override.find(W + "startOverride")
                if start is not None:
                    starts[ilvl] = _int(_attr(start), 1, 0, 100_000)
                lvl = override.find(W + "lvl")
                if lvl is not None:
                    levels[ilvl] = _read_level(lvl)
            found.nums[num_id] = (abstract_id, levels, starts)
        return found

    def paragraph_numbering(self, p: Any) -> tuple[str, int] | None:
        """(numId, level) of a paragraph, from its own properties or its style's."""
        num_pr = p.find(f"{W}pPr/{W}numPr")
        num_id = level = None
        if num_pr is not None:
            num_id = _attr(num_pr.find(W + "numId"))
            ilvl = _attr(num_pr.find(W + "ilvl"))
            level = _int(ilvl, 0, 0, 8) if ilvl is not None else None
        style = _attr(p.find(f"{W}pPr/{W}pStyle"))
        seen: set[str] = set()
        while (num_id is None or level is None) and style and style not in seen:
            seen.add(style)
            style_num, style_level = self.style_nums.get(style, (None, None))
            num_id = num_id if num_id is not None else style_num
            level = level if level is not None else style_level
            style = self.style_parents.get(style)
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return None
        return num_id, level or 0

    def _abstract(self, num_id: str) -> tuple[str, dict[int, _Level], dict[int, int]]:
        abstract_id, overrides, starts = self.nums[num_id]
        link = self.style_links.get(abstract_id)
        if link:  # the list is defined by a numbering style, which points at another num
            linked = self.style_nums.get(link, (None, None))[0]
            if linked and linked in self.nums and linked != num_id:
                abstract_id = self.nums[linked][0]
        levels = dict(self.abstracts.get(abstract_id, {}))
        levels.update(overrides)
        return abstract_id, levels, starts

    def label(self, num_id: str, level: int) -> str:
        """The label Word prints for the next paragraph of this list at this level ("" for none)."""
        abstract_id, levels, starts = self._abstract(num_id)
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for ilvl, start in starts.items():
                counters[ilvl] = start - 1
                for deeper in [k for k in counters if k > ilvl]:
                    del counters[deeper]
        lvl = levels.get(level, _Level())
        counters[level] = counters.get(level, lvl.start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            restart = levels.get(deeper, _Level()).restart
            if restart is None or (restart != 0 and level < restart):
                del counters[deeper]
        if lvl.fmt == "bullet":
            return "-"

        def number(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            other = levels.get(index, _Level())
            value = counters.get(index, other.start)
            fmt = "decimal" if lvl.legal and other.fmt != "none" else other.fmt
            return format_number(value, fmt)

        return re.sub(r"%([1-9])", number, lvl.text).strip()


def _read_level(lvl: Any) -> _Level:
    restart = lvl.find(W + "lvlRestart")
    return _Level(
        fmt=_attr(lvl.find(W + "numFmt")) or "decimal",
        text=_attr(lvl.find(W + "lvlText")) or "",
        start=_int(_attr(lvl.find(W + "start")), 1, 0, 100_000),
        restart=_int(_attr(restart), 0, 0, 9) if restart is not None else None,
        legal=_is_on(lvl.find(W + "isLgl")),
    )


def format_number(value: int, fmt: str) -> str:
    """A list counter as Word prints it in the given w:numFmt."""
    if fmt == "none":
        return ""
    if fmt in ("lowerLetter", "upperLetter"):
        if value < 1:
            return str(value)
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = to_roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def to_roman(value: int) -> str:
    if not 0 < value < 4000:
        return str(value)
    parts = []
    for number, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        count, value = divmod(value, number)
        parts.append(letters * count)
    return "".join(parts)


def _docx(data: bytes) -> Source:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(max(info.file_size, 0) for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise Unreadable(
                _("The DOCX file unpacks to more than %(limit)s MB; it cannot be read.")
                % {"limit": _megabytes(MAX_UNPACKED_BYTES)}
            )
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        styles = document.part.styles.element
        numbering = document.part.numbering_part.element
    except Unreadable:
        raise
    except Exception as error:  # python-docx, zipfile, zlib and lxml raise many kinds on damaged files
        logger.warning("Unreadable DOCX: %r", error)
        raise Unreadable(_damaged_docx()) from error
    if body is None:  # a document.xml without w:body
        raise Unreadable(_damaged_docx())
    reader = _DocxReader(Numbering.read(numbering, styles))
    reader.read_blocks(body)
    text = "\n\n".join(block for block in reader.blocks if block.strip())
    return Source(text=clean(text) + "\n", kind="docx", tables=reader.tables)


_HEADER_MARKS = re.compile(
    r"cong hoa xa hoi|doc lap\s*-?\s*tu do|^so\s*:|\bso\s*:\s*\S*/|ngay\s+\S*\s*thang\s+\S*\s*nam", re.M
)
_SIGNATURE_MARKS = re.compile(
    r"^noi nhan|^(?:kt|tm|tl|tuq|q)\s*\.\s|^(?:pho\s+)?(?:giam doc|chu tich|truong|thu truong|bo truong|"
    r"chanh|tong giam doc|bi thu|vien truong)\b",
    re.M,
)


@dataclass
class _Cell:
    lines: list[str]  # paragraphs of the cell; "" where empty paragraphs separated text
    span: int
    merge: str | None  # "restart", "continue" or None (vertical merge)


class _DocxReader:
    def __init__(self, numbering: Numbering):
        self.numbering = numbering
        self.blocks: list[str] = []
        self.tables: list[list[list[str]]] = []

    def read_blocks(self, parent: Any) -> None:
        for child in parent.iterchildren():
            tag = child.tag
            if tag == W + "p":
                text = self.paragraph(child)
                if text.strip():
                    self.blocks.append(text)
            elif tag == W + "tbl":
                self.table(child)
            elif tag in (W + "customXml", W + "sdtContent"):
                self.read_blocks(child)
            elif tag == W + "sdt" and (content := child.find(W + "sdtContent")) is not None:
                self.read_blocks(content)  # a content control around paragraphs or tables

    def paragraph(self, p: Any) -> str:
        """A paragraph's printed text with its list label; lines stripped."""
        text = _inline_text(p)
        numbered = self.numbering.paragraph_numbering(p)
        label = self.numbering.label(*numbered) if numbered else ""
        lines = [label_gap(line.strip()) for line in text.split("\n")]
        text = "\n".join(line for line in lines if line)
        if label and text:
            text = f"{label} {text}"
        return text

    def rows(self, tbl: Any) -> list[list[_Cell]]:
        rows = []
        for tr in _children(tbl, W + "tr"):
            before = _int(_attr(tr.find(f"{W}trPr/{W}gridBefore")), 0, 0, 64)
            cells = [_Cell([], before, None)] if before else []
            for tc in _children(tr, W + "tc"):
                props = tc.find(W + "tcPr")
                span = _int(_attr(props.find(W + "gridSpan")) if props is not None else None, 1, 1, 64)
                v_merge = props.find(W + "vMerge") if props is not None else None
                merge = None if v_merge is None else (_attr(v_merge) or "continue")
                cells.append(_Cell(self.cell_lines(tc), span, merge))
            rows.append(cells)
        return rows

    def cell_lines(self, tc: Any) -> list[str]:
        lines: list[str] = []
        for child in _children_any(tc, (W + "p", W + "tbl")):
            if child.tag == W + "p":
                text = self.paragraph(child)
                lines.extend(text.split("\n") if text else [""])
            else:
                for row in self.rows(child):
                    lines.extend(line for cell in row for line in cell.lines if line)
        while lines and not lines[0]:
            lines.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        squeezed: list[str] = []
        for line in lines:
            if line or (squeezed and squeezed[-1]):
                squeezed.append(line)
        return squeezed

    def table(self, tbl: Any) -> None:
        rows = self.rows(tbl)
        grid = _grid(rows)
        if not any(cell.strip() for row in grid for cell in row):
            return
        columns = max(len(row) for row in rows)
        folded = "\n".join(fold(line) for row in rows for cell in row for line in cell.lines)
        if columns == 1:  # a frame around text, not a table
            self.blocks.extend(line for row in rows for cell in row for line in cell.lines if line)
        elif columns <= 3 and _HEADER_MARKS.search(folded) and not _looks_like_appendix(grid):
            self.blocks.append("\n".join(_header_lines(rows)))
        elif columns <= 3 and _SIGNATURE_MARKS.search(folded) and not _looks_like_appendix(grid):
            self.blocks.extend(_signature_blocks(rows))
        else:
            self.tables.append(grid)


def _children(parent: Any, tag: str) -> Iterator[Any]:
    """Children with this tag, looking through content controls and custom XML wrappers."""
    yield from _children_any(parent, (tag,))


def _children_any(parent: Any, tags: tuple[str, ...]) -> Iterator[Any]:
    for child in parent.iterchildren():
        if child.tag in tags:
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from _children_any(content, tags)


def _inline_text(element: Any) -> str:
    parts: list[str] = []
    for child in element.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == W + "t":
            parts.append(child.text or "")
        elif tag == W + "tab" or tag == W + "ptab":
            parts.append("    ")
        elif tag in (W + "br", W + "cr"):
            parts.append("\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
        elif tag == W + "r" and _is_on(child.find(f"{W}rPr/{W}vanish")):
            continue  # hidden text
        elif tag in (W + "p", W + "tbl"):
            continue  # paragraphs inside inline content belong to text boxes
        else:
            parts.append(_inline_text(child))
    return "".join(parts)


def _grid(rows: list[list[_Cell]]) -> list[list[str]]:
    """Rows of cell texts with merged cells repeated in every grid cell they cover."""
    grid: list[list[str]] = []
    for cells in rows:
        row: list[str] = []
        for cell in cells:
            text = "\n".join(line for line in cell.lines if line)
            if cell.merge == "continue":
                column = len(row)
                above = grid[-1] if grid else []
                text = above[column] if column < len(above) else ""
            row.extend([text] * cell.span)
        grid.append(row)
    width = max((len(row) for row in grid), default=0)
    return [row + [""] * (width - len(row)) for row in grid]


def _looks_like_appendix(grid: list[list[str]]) -> bool:
    from documents.reader.appendix import header_columns

    return any(len(header_columns(row)) >= 2 for row in grid[:4])


def _text_lines(cell: _Cell) -> list[str]:
    return [line for line in cell.lines if line and not _DECORATION.match(line)]


def _header_lines(rows: list[list[_Cell]]) -> list[str]:
    """Each row of a two-column header: line i is "<left line i>   <right line i>"."""
    lines = []
    for cells in rows:
        filled = [cell for cell in cells if cell.merge != "continue"]
        if not filled:
            continue
        left = _text_lines(filled[0])
        right = [line for cell in filled[1:] for line in _text_lines(cell)] if len(filled) > 1 else []
        for index in range(max(len(left), len(right))):
            a = left[index] if index < len(left) else ""
            b = right[index] if index < len(right) else ""
            lines.append(f"{a}   {b}".rstrip() if b else a)
    return lines


def _signature_blocks(rows: list[list[_Cell]]) -> list[str]:
    """The "Nơi nhận" column first, then the signer's column, each paragraph on its own."""
    left: list[str] = []
    right: list[str] = []
    for cells in rows:
        filled = [cell for cell in cells if cell.merge != "continue"]
        if not filled:
            continue
        left.extend(_text_lines(filled[0]))
        for cell in filled[1:]:
            right.extend(_text_lines(cell))
    blocks = ["\n".join(left)] if left else []
    return blocks + right


# PDF ------------------------------------------------------------------------

# Fewer letters than this per page: a scan without a text layer.
MIN_LETTERS_PER_PAGE = 30
# A plan with its appendices runs to a few dozen pages; reading stays well under a minute up to this.
MAX_PDF_PAGES = 500


def _pdf(data: bytes) -> Source:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise Unreadable(_("This PDF is password protected; upload a copy without a password or the DOCX version."))
        pages = list(reader.pages)
    except Unreadable:
        raise
    except Exception as error:  # pypdf raises many kinds on damaged or oddly encrypted files
        logger.warning("Unreadable PDF: %r", error)
        message = (
            _("This PDF is password protected; upload a copy without a password or the DOCX version.")
            if "decrypt" in str(error).casefold() or "password" in str(error).casefold()
            else _("This PDF is damaged and cannot be read. Upload the DOCX version or save the PDF again.")
        )
        raise Unreadable(message) from error
    if len(pages) > MAX_PDF_PAGES:
        raise Unreadable(
            ngettext(
                "This PDF has %(count)s page; the importer reads documents of up to %(limit)s pages.",
                "This PDF has %(count)s pages; the importer reads documents of up to %(limit)s pages.",
                len(pages),
            )
            % {"count": len(pages), "limit": MAX_PDF_PAGES}
        )
    read = [_read_page(page) for page in pages]
    page_texts = [text for text, _ in read]
    letters = sum(sum(1 for c in text if c.isalpha()) for text in page_texts)
    if letters < MIN_LETTERS_PER_PAGE * max(len(pages), 1):
        raise Unreadable(
            _("This PDF has no text layer; upload the DOCX version or a PDF where the text can be selected.")
        )
    page_lines = [_page_lines(text) for text in page_texts]
    tables = _tables(page_texts, [positioned for _, positioned in read], page_lines)
    lines: list[str] = []
    for one_page in page_lines:
        if lines:
            lines.append(PAGE_BREAK)
        lines.extend(one_page)
    text = _paragraphs(_signature_columns(lines))
    signatures = _signatures(data)
    stamped = _stamped_text(pages)
    return Source(
        text=clean(text) + "\n", kind="pdf", tables=tables, signatures=signatures, stamped_text=clean(stamped)
    )


def _tables(
    page_texts: list[str], positioned: list[list[pdftables.Line]], page_lines: list[list[str]]
) -> list[list[list[str]]]:
    """Appendix tables, read from the pieces of text and their positions on the pages from the first table on.

    The lines of the pages a table is on are replaced by the lines outside the table.
    """
    first = next((index for index, text in enumerate(page_texts) if pdftables.layout_has_header(text)), None)
    if first is None:
        return []
    texts, touched, tables = pdftables.read_tables(positioned[first:])
    for offset, (text, hit) in enumerate(zip(texts, touched, strict=True)):
        if hit:
            page_lines[first + offset] = _page_lines("\n".join(text))
    return tables


def _read_page(page: Any) -> tuple[str, list[pdftables.Line]]:
    """One page's text in layout mode (columns side by side) with its positioned lines, else in plain mode.

    Layout mode ignores text drawn inside form XObjects and rotated text; a page that
    gives (almost) nothing that way is read in plain mode.
    """
    layout, positioned = "", list[pdftables.Line]()
    try:
        layout, positioned = pdftables.read_page(page)
    except Exception as error:  # pypdf on a damaged content stream
        logger.warning("PDF page layout text: %r", error)
    if _letters(layout) >= MIN_LETTERS_PER_PAGE:
        return layout, positioned
    try:
        plain = str(page.extract_text() or "")
    except Exception as error:
        logger.warning("PDF page text: %r", error)
        return layout, positioned
    return (plain, []) if _letters(plain) > _letters(layout) else (layout, positioned)


def _letters(text: str) -> int:
    return sum(1 for c in text if c.isalnum())


def _page_lines(text: str) -> list[str]:
    """A page's lines, without the running page number, the page's left margin removed."""
    lines = [label_gap(_unjustify(line.rstrip())) for line in clean(text).split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and PAGE_NUMBER.match(lines[0]):
        lines.pop(0)
    if lines and PAGE_NUMBER.match(lines[-1]):
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    filled = [line for line in lines if line.strip()]
    if not filled:
        return []
    margin = min(len(line) - len(line.lstrip()) for line in filled)
    return _rejoin_symbols([line[margin:] for line in lines])


_GAP = re.compile(r"(?<=\S) {3,}(?=\S)")


def _signature_columns(lines: list[str]) -> list[str]:
    """The signature block read column by column, as in a Word table: "Nơi nhận" and its list, then the signer.

    A PDF prints the two columns side by side, so their lines interleave ("- Sở Nội vụ;   PHÓ GIÁM ĐỐC").
    The block may go on over a page break with more list items or the signer's lines.
    """
    start = next((i for i, line in enumerate(lines) if fold(line).startswith("noi nhan")), None)
    if start is None:
        return lines
    end = start + 1
    next_page = open_item = False
    while end < len(lines) and not fold(lines[end]).startswith("phu luc"):
        line = lines[end]
        next_page = next_page or line == PAGE_BREAK
        gap = _GAP.search(line)
        first = line[: gap.start()].strip() if gap else line.strip()
        listed = first.startswith(("-", "+"))
        indent = len(line) - len(line.lstrip())
        continues = not line.strip() or listed or gap or indent >= 20 or open_item
        if next_page and not continues:
            break  # on the next page, only list items and the signer's lines continue the block
        if first:
            open_item = (listed or open_item) and first[-1:] not in ".;"
        end += 1
    block = [line for line in lines[start:end] if line != PAGE_BREAK]
    edges = [gap.end() for line in block if (gap := _GAP.search(line))]
    edges += [len(line) - len(line.lstrip()) for line in block if len(line) - len(line.lstrip()) >= 20]
    if not edges:
        return lines
    boundary = min(edges) - 2
    left: list[str] = []
    right: list[str] = []
    gap_above = blank_above = False
    stop = len(block)
    for index, line in enumerate(block):
        gap = _GAP.search(line)
        indent = len(line) - len(line.lstrip())
        if gap and gap.end() >= boundary:
            left_text, right_text = line[: gap.start()].strip(), line[gap.end() :].strip()
        elif indent >= boundary:
            left_text, right_text = "", line.strip()
        else:
            left_text, right_text = line.strip(), ""
        listed = left_text.startswith(("-", "+"))
        after_item = bool(left) and left[-1].startswith(("-", "+"))
        if left_text and not listed and after_item and not blank_above and left[-1][-1:] not in ".;":
            left[-1] += " " + left_text  # a recipient wrapped in the narrow column
        elif left_text and not listed and left and (blank_above or after_item):
            stop = index  # the text after the block
            break
        elif left_text:
            left.append(left_text)
        if right_text:
            if gap_above and right:
                right.append("")
            right.append(right_text)
            gap_above = False
        else:
            gap_above = True
        blank_above = not line.strip()
    return [*lines[:start], *left, "", *right, "", *block[stop:], *lines[end:]]


_BROKEN_SYMBOL = re.compile(r"[\w)][-/]$")
_FIRST_WORD = re.compile(r"^(\S+)\s*(.*)$")


def _rejoin_symbols(lines: list[str]) -> list[str]:
    """A symbol wrapped after its hyphen or slash ("QĐ-" / "TTg") is put back together on the first line."""
    for index in range(len(lines) - 1):
        line, following = lines[index], lines[index + 1]
        if _BROKEN_SYMBOL.search(line) and following[:1].isalnum():
            match = _FIRST_WORD.match(following)
            if match:
                lines[index] = line + match.group(1)
                lines[index + 1] = match.group(2)
    return lines


# A label and the tab after it ("1.<tab>Mục đích"): one space, not a gap between two columns.
_LABEL_GAP = re.compile(r"^(\s*(?:(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ]|[A-ZĐ])[.):]|[-+•*–]))\s{2,}(?=\S)")


def label_gap(line: str) -> str:
    return _LABEL_GAP.sub(r"\1 ", line)


def _unjustify(line: str) -> str:
    """Justified text spreads every gap of a line alike; a column gap stands out from the others.

    "Phạm   Thị   Anh   Thư" becomes "Phạm Thị Anh Thư"; "SỞ NGOẠI VỤ          Độc lập" keeps its gap.
    """
    body = line.lstrip()
    gaps = [len(gap) for gap in re.findall(r" +", body)]
    if len(gaps) >= 2 and max(gaps) >= 2 and max(gaps) - min(gaps) <= 2:
        return line[: len(line) - len(body)] + " ".join(body.split())
    return line


_COLUMNS = re.compile(r"\S {3,}\S")


def _paragraphs(lines: list[str]) -> str:
    """Blank lines between paragraphs, where the layout shows them.

    Decree 30 paragraphs indent their first line and wrap to the margin, so a line
    indented like a first line starts a paragraph when the line before it is at the
    margin, is indented alike (a one-line paragraph), ended a sentence or fell short of
    the right margin. Rows printed in two columns (the header, the signature block) are
    kept together, apart from the text around them.
    """
    single = sorted(len(line) for line in lines if line.strip() and not _COLUMNS.search(line.strip()))
    width = single[int(len(single) * 0.8)] if single else 0
    out: list[str] = []
    previous = ""
    new_page = False
    for line in lines:
        if line == PAGE_BREAK:
            new_page = True
            continue
        if not line.strip():
            if out and out[-1]:
                out.append("")
            previous = ""
            continue
        ended = previous.rstrip()[-1:] in ".;:!?" or len(previous) < 0.85 * width
        if previous and (_starts_paragraph(previous, line, width) or (new_page and ended)):
            out.append("")
        new_page = False
        out.append(line)
        previous = line
    return "\n".join(out)


def _starts_paragraph(previous: str, line: str, width: int) -> bool:
    columns, previous_columns = bool(_COLUMNS.search(line.strip())), bool(_COLUMNS.search(previous.strip()))
    if columns or previous_columns:
        return columns != previous_columns
    indent = len(line) - len(line.lstrip())
    before = len(previous) - len(previous.lstrip())
    ended = previous.rstrip()[-1:] in '.;:!?)”"' or len(previous) < 0.85 * width
    if indent > 16:  # centred: the type line, a title, a heading
        return before <= 16 and ended
    if indent < 2:
        return False
    if before > 16:  # a first line after a centred line
        return True
    return indent >= before + 4 or (indent >= 5 and abs(indent - before) <= 1) or ended


def _signatures(data: bytes) -> list[dict[str, Any]]:
    """Signer, e-mail and signing time of each signature field, in the contract's shape."""
    # pyHanko is imported when a PDF is read: it brings the whole signature stack.
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            reader.decrypt("")
        embedded = list(reader.embedded_signatures)
    except Exception as error:  # a PDF pypdf reads but pyHanko does not: text without signatures
        logger.warning("PDF signatures: %r", error)
        return []
    found = []
    for signature in embedded:
        try:
            found.append(_signature(signature))
        except Exception as error:  # one malformed signature never fails the import
            logger.warning("PDF signature skipped: %r", error)
    return found


def _signature(signature: Any) -> dict[str, Any]:
    from zoneinfo import ZoneInfo

    from documents.signatures import signer_identity

    signer, email = signer_identity(signature.signer_cert)
    signed_at = signature.self_reported_timestamp
    if signed_at is not None:
        signed_at = signed_at.astimezone(ZoneInfo(settings.TIME_ZONE)).isoformat()
    return {"signer": clean(signer) or None, "email": email or None, "signed_at": signed_at}


def _stamped_text(pages: list[Any]) -> str:
    """Text drawn in the appearances of signature widgets ("Số: 52/KH-SNgV", the signer, the time)."""
    lines: list[str] = []
    for page in pages:
        try:
            annotations = page.get("/Annots")
            annotations = annotations.get_object() if annotations is not None else []
            for annotation in list(annotations)[:200]:
                lines.extend(_appearance_lines(annotation.get_object()))
        except Exception as error:  # stamps are a bonus: a damaged annotation is skipped
            logger.warning("PDF signature appearance: %r", error)
    return "\n".join(lines)


def _appearance_lines(widget: Any) -> list[str]:
    if widget.get("/Subtype") != "/Widget":
        return []
    field_type = widget.get("/FT") or widget.get("/Parent", DictionaryObject()).get_object().get("/FT")
    if field_type != "/Sig":
        return []
    appearance = widget.get("/AP", DictionaryObject()).get_object().get("/N")
    if appearance is None:
        return []
    stream = appearance.get_object()
    if not isinstance(stream, StreamObject):
        return []
    text = _stream_text(stream)
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def _stream_text(stream: Any) -> str:
    """The text a form XObject draws, read as if it were a page's content."""
    box = stream.get("/BBox") or [0, 0, 612, 792]
    width = abs(float(box[2]) - float(box[0])) or 612
    height = abs(float(box[3]) - float(box[1])) or 792
    page = PageObject.create_blank_page(width=width, height=height)
    content = DecodedStreamObject()
    content.set_data(stream.get_data())
    page[NameObject("/Contents")] = content
    resources = stream.get("/Resources")
    if resources is not None:
        page[NameObject("/Resources")] = resources.get_object()
    return str(page.extract_text() or "")
