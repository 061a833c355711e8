"""Text of a plan-like document → the structure of ../shared/contracts/plan-import.md.

The reading goes in three passes over the text:

1. lines → paragraphs (wrapped lines joined; page breaks inside a sentence joined;
   Markdown marks removed), each tagged with its outline label if it has one;
2. the document block around the body: the header (before the type line, or
   flattened two-column rows anywhere), type, number and symbol, place and date,
   title, the preamble's legal bases, and after the body the recipients, the
   signer and the e-signature stamps;
3. the body: headings build the outline; paragraphs of the task sections become
   tasks; numbers with % or a count range become targets; the reporting cadence
   and the budget are read from their sentences.

Nothing is guessed: what is not printed stays None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from documents.reader import text as T
from documents.reader.areas import DIRECTION, AreaMatcher
from documents.reader.source import Source

# Document types: (name printed on the type line, abbreviation). The database's
# DocumentType rows replace this list when the caller passes them.
DEFAULT_TYPES = [
    ("Kế hoạch", "KH"), ("Quyết định", "QĐ"), ("Chỉ thị", "CT"), ("Báo cáo", "BC"), ("Công điện", "CĐ"),
    ("Hướng dẫn", "HD"), ("Chương trình", "CTr"), ("Thông báo", "TB"), ("Đề án", "ĐA"), ("Phương án", "PA"),
    ("Quy chế", "QC"), ("Quy định", "QyĐ"), ("Nghị quyết", "NQ"), ("Tờ trình", "TTr"), ("Công văn", "CV"),
]  # fmt: skip
# Legal and Party documents cited as bases (not types an agency issues).
CITED_TYPES = {
    "Nghị định": "NĐ", "Thông tư": "TT", "Luật": "Luật", "Kết luận": "KL", "Công văn": "CV", "Văn bản": "CV",
}  # fmt: skip

CADENCES = ("monthly", "quarterly", "half_yearly", "nine_months", "yearly")

# Upper-case letters of Vietnamese (for "a sentence starts here").
UPPER = "".join(c for c in map(chr, range(0x41, 0x1EFA)) if c.isalpha() and c.isupper())

# Outline labels at the start of a paragraph.
LABELS = [
    ("roman", re.compile(r"^(?P<label>(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3}))\s*[.)]\s*(?=\S)")),
    ("upper", re.compile(r"^(?P<label>[A-Z])\s*\.\s+(?=\S)")),
    ("multi", re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?=\D)")),
    ("arabic", re.compile(r"^(?P<label>\d{1,2})\s*(?:[.)]\s+(?=\S)|[.)](?=[^\d\s/.]))")),
    ("letter", re.compile(r"^(?P<label>[a-zđ])\s*\)\s*(?=\S)")),
    ("dash", re.compile(r"^(?P<label>[-–—+•*▪●○])\s+(?=\S)")),
]
MOTTO = re.compile(r"C[ỘO]NG H[ÒOÓ]A XÃ H[ỘO]I CH[ỦU] NGH[ĨI]A VI[ỆE]T NAM|ĐẢNG CỘNG SẢN VIỆT NAM", re.IGNORECASE)
MOTTO_2 = re.compile(r"Độc lập\s*[-–]\s*Tự do\s*[-–]\s*Hạnh phúc", re.IGNORECASE)
NUMBER_LINE = re.compile(r"^\s*Số\s*:?\s*(?P<rest>(?:\d+\s*)?[/-]?\s*/.*|\d+\s*[/-].*|\s*)$")
SYMBOL = re.compile(
    r"(?P<number>\d+)?\s*(?P<symbol>/\s*(?:\d{4}\s*/\s*)?[A-ZĐ][\wĐđ&.]*(?:\s*-\s*[\wĐđ&.]+)*)"
    r"|(?P<pnumber>\d+)\s*-\s*(?P<ptype>[A-ZĐ][A-Za-zĐđ]*)\s*/\s*(?P<pissuer>[A-ZĐ][\wĐđ]*)"
)
PLACE_DATE = re.compile(
    r"(?P<place>[A-ZĐÀ-Ỹ][^,\d]{1,60}?),\s*ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})?\s*năm\s*(?P<y>\d{4})?",
    re.IGNORECASE,
)
UNIT_START = (
    r"(?:Văn phòng|Thanh tra|Phòng|Sở|Ban|Trung tâm|Chi cục|Cục|Bộ phận|Hội đồng|Công đoàn|Đoàn Thanh niên"
    r"|Chi bộ|Đảng ủy|UBND|Ủy ban|Các phòng|Các đơn vị|Các Sở|Các sở|Các Ban|Các ban|Đơn vị|Các cơ quan)"
)
UNIT_END = re.compile(
    r"\s+(?:có trách nhiệm|chịu trách nhiệm|chủ trì|phối hợp|căn cứ|tổ chức|thực hiện|tham mưu|theo dõi|triển khai"
    r"|xây dựng|rà soát|hướng dẫn|đôn đốc|chỉ đạo|báo cáo|kiểm tra|nghiên cứu|đề xuất|cập nhật|quán triệt"
    r"|tiếp tục|bố trí|đảm bảo|bảo đảm|là đầu mối|nắm|giúp|trình|lập|gửi|có)\b|\s*[:;.(]"
)
LEADER_PREFIX = re.compile(r"^(?:Trưởng|Lãnh đạo|Thủ trưởng|Người đứng đầu|Giám đốc|Chánh)\s+", re.IGNORECASE)
TASK_SECTION_EXCLUDED = re.compile(
    r"mục đích|yêu cầu|mục tiêu|chỉ tiêu|kinh phí|căn cứ|phụ lục|kết quả thực hiện|tình hình|đánh giá", re.IGNORECASE
)
APPENDIX_NOTE = re.compile(r"^\(.*phụ lục.*\)$", re.IGNORECASE)
ORGANISATION = re.compile(r"tổ chức thực hiện", re.IGNORECASE)


@dataclass
class Para:
    text: str  # without the label, joined, spaces collapsed
    kind: str | None = None  # label kind, or None for a plain paragraph
    label: str | None = None
    first_line: int = 0
    raw: str = ""


@dataclass
class Node:
    label: str
    title: str
    kind: str
    children: list[Node] = field(default_factory=list)
    area: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "title": self.title, "children": [c.as_dict() for c in self.children]}


# 1. Lines → paragraphs ------------------------------------------------------


def clean_line(line: str) -> tuple[str, int]:
    """The line without Markdown marks, and its indentation."""
    line = line.replace("\u00a0", " ").replace("\ufeff", "").expandtabs(4).rstrip()
    line = re.sub(r"^(\s*)#{1,6}\s+", r"\1", line)
    line = line.replace("***", "").replace("**", "")
    line = re.sub(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])", r"\1", line)
    line = re.sub(r"(?<![\w_])__?(?=\S)([^_\n]+?)(?<=\S)__?(?![\w_])", r"\1", line)
    stripped = line.lstrip()
    return stripped, len(line) - len(stripped)


def label_of(text: str) -> tuple[str | None, str | None, str]:
    for kind, pattern in LABELS:
        m = pattern.match(text)
        if m:
            return kind, m.group("label"), text[m.end() :]
    return None, None, text


def _ends_sentence(text: str) -> bool:
    return bool(re.search(r"[.;:!?…]\s*$|\./\.$", text))


def paragraphs(text: str, type_words: set[str] | None = None) -> list[Para]:
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [clean_line(line) for line in raw_lines]
    non_blank = [s for s, _ in lines if s]
    blank_ratio = 1 - len(non_blank) / max(len(lines), 1)
    widths = sorted(len(s) for s in non_blank)
    full_width = widths[int(len(widths) * 0.9)] if widths else 0
    paras: list[Para] = []
    current: list[str] = []
    start = 0
    prev_indent = 0
    blank = False

    def flush() -> None:
        if current:
            joined = T.collapse(" ".join(current))
            kind, label, rest = label_of(joined)
            paras.append(Para(text=T.collapse(rest), kind=kind, label=label, first_line=start, raw=joined))
        current.clear()

    for number, (line, indent) in enumerate(lines):
        if not line:
            blank = True
            continue
        kind, _, _ = label_of(line)
        previous = current[-1] if current else ""
        if not current or kind is not None or _is_boundary_line(line) or _is_type_line(previous, type_words):
            new = True
        elif blank:
            # A blank line inside a sentence (a page break) does not end the paragraph.
            new = _ends_sentence(previous) or not (line[0].islower() or line[0].isdigit())
            new = new or _is_boundary_line(previous)
        elif indent > prev_indent and _ends_sentence(previous) and line[0].isupper():
            new = True  # an indented first line with no blank line before it
        elif len(current) == 1 and _heading_line_ends(previous, line, full_width):
            new = True  # "I. MỤC TIÊU" with its text on the next line
        elif blank_ratio < 0.2 and _ends_sentence(previous) and line[0].isupper() and len(previous) < 0.8 * full_width:
            new = True  # wrapped text without blank lines: a short line ending a sentence ends the paragraph
        else:
            new = False
        if new:
            flush()
            start = number
        current.append(line)
        prev_indent = indent
        blank = False
    flush()
    return paras


def _heading_line_ends(previous: str, line: str, full_width: int) -> bool:
    """A short labelled line with no final punctuation, followed by a line starting a sentence."""
    kind, _, rest = label_of(previous)
    if kind in (None, "dash") or _ends_sentence(previous) or not line[0].isupper():
        return False
    first_word = line.split(" ")[0]
    if previous.upper() == previous and first_word.upper() == first_word:
        return False  # a heading in capitals wrapped over two lines
    if re.search(r"\b(?:của|và|về|theo|với|các|trong|cho|để|tại|được|là|số|ngày)$", rest, re.IGNORECASE):
        return False
    return len(previous) < 0.7 * full_width


def _is_type_line(line: str, type_words: set[str] | None) -> bool:
    candidate = T.collapse(line).rstrip(":").strip()
    return bool(type_words) and candidate.upper() == candidate and candidate in (type_words or set())


def _is_boundary_line(line: str) -> bool:
    return bool(
        MOTTO.search(line)
        or MOTTO_2.search(line)
        or NUMBER_LINE.match(line)
        or re.match(r"^(Nơi nhận|Trên đây)", line, re.IGNORECASE)
        or re.match(r"^[-_=*~.]{3,}$", line)
    )


# 2. The document block ------------------------------------------------------


def type_map(types: list[tuple[str, str]]) -> dict[str, str]:
    return {name.upper(): abbreviation for name, abbreviation in types if name}


def find_type_line(paras: list[Para], types: dict[str, str]) -> int | None:
    for i, para in enumerate(paras[:40]):
        candidate = T.collapse(para.raw).rstrip(":").strip()
        if candidate.upper() == candidate and candidate.upper() in types:
            return i
    return None


def split_columns(line: str) -> list[str]:
    return [part.strip() for part in re.split(r"\s{3,}|\t", line.strip()) if part.strip()]


def read_header(lines: list[str], type_line: int | None, type_words: set[str]) -> dict[str, Any]:
    """Issuer, parent body, number/symbol, place and date from the header rows.

    The header is the lines before the type line, or, when the national motto is
    printed elsewhere (a header flattened after the signature), the rows around it.
    """
    result: dict[str, Any] = {"issuer": None, "parent_body": None, "number": None, "symbol": None}
    result.update({"place": None, "date": None, "symbol_type": None})
    motto_rows = [i for i, line in enumerate(lines) if MOTTO.search(line) or MOTTO_2.search(line)]
    zone = set(range(type_line)) if type_line is not None else set()
    if motto_rows:
        zone |= set(range(max(motto_rows[0] - 2, 0), min(motto_rows[-1] + 3, len(lines))))
    left: list[str] = []
    for i in sorted(zone):
        stripped = lines[i].strip()
        if not stripped:
            continue
        motto = MOTTO.search(stripped) or MOTTO_2.search(stripped)
        if motto:
            stripped = stripped[: motto.start()].strip()
        # The number and the place-date line may hold runs of spaces (blanks to fill in).
        number_match = re.search(r"\bSố\s*:?\s*(?:\d+\s*)?(?:/\s*)?[\w/.&-]*[/-][\wĐđ&./-]*", stripped)
        if number_match:
            _read_number(re.sub(r"^Số\s*:?", "", number_match.group(0)), result)
            stripped = (stripped[: number_match.start()] + "   " + stripped[number_match.end() :]).strip()
        place_date = PLACE_DATE.search(T.collapse(stripped))
        if place_date:
            result["place"] = T.collapse(place_date.group("place"))
            if place_date.group("d") and place_date.group("m") and place_date.group("y"):
                result["date"] = T.make_date(place_date.group("d"), place_date.group("m"), place_date.group("y"))
            stripped = (
                re.split(r"\s{3,}(?=[^\s]+(?:\s[^\s]+)*,\s*ngày)", stripped)[0] if "ngày" in stripped else stripped
            )
            if PLACE_DATE.search(T.collapse(stripped)):
                continue
        for part in split_columns(stripped):
            number = NUMBER_LINE.match(part)
            place_date = PLACE_DATE.search(part)
            if number:
                _read_number(number.group("rest"), result)
            elif place_date and place_date.start() == 0:
                result["place"] = T.collapse(place_date.group("place"))
                if place_date.group("d") and place_date.group("m") and place_date.group("y"):
                    result["date"] = T.make_date(place_date.group("d"), place_date.group("m"), place_date.group("y"))
            elif _is_header_name(part):
                left.append(part)
    left = [line for line in left if line.strip().upper() not in type_words]
    names = _header_names(left)
    if len(names) >= 2:
        result["parent_body"], result["issuer"] = T.name_case(names[0]), T.name_case(names[1])
    elif names:
        result["issuer"] = T.name_case(names[0])
    return result


def _is_header_name(part: str) -> bool:
    letters = re.sub(r"[^A-Za-zÀ-ỹĐđ]", "", part)
    return len(letters) >= 2 and part.upper() == part and not re.search(r"\d|@|:", part) and len(part) < 80


def _header_names(left: list[str]) -> list[str]:
    """Join "ỦY BAN NHÂN DÂN" + "TỈNH BÌNH PHƯỚC" into one name; keep parent and issuer apart."""
    names: list[str] = []
    for line in left:
        if names and re.match(r"^(TỈNH|HUYỆN|XÃ|PHƯỜNG|QUẬN|THỊ XÃ|THÀNH PHỐ|THỊ TRẤN)\b", line):
            names[-1] = f"{names[-1]} {line}"
        else:
            names.append(line)
    return names[:2]


def _read_number(rest: str, result: dict[str, Any]) -> None:
    rest = rest.strip()
    m = SYMBOL.search(rest)
    if not m:
        return
    if m.group("pnumber"):
        result["number"] = m.group("pnumber")
        result["symbol"] = f"{m.group('pnumber')}-{m.group('ptype')}/{m.group('pissuer')}"
        result["symbol_type"] = m.group("ptype")
        return
    symbol = re.sub(r"\s+", "", m.group("symbol"))
    number = m.group("number")
    result["number"] = number
    result["symbol"] = f"{number}{symbol}" if number else symbol
    parts = symbol.strip("/").split("/")
    result["symbol_type"] = parts[-1].split("-")[0] if parts else None


def read_title(paras: list[Para], type_index: int) -> tuple[str | None, int]:
    """The summary (trích yếu) after the type line, and the index of the next paragraph."""
    i = type_index + 1
    while i < len(paras) and re.fullmatch(r"[-_=*~.\s]+", paras[i].raw):
        i += 1
    if i >= len(paras) or paras[i].kind in ("roman", "arabic"):
        return None, i
    return T.tidy(paras[i].raw), i + 1


# Legal bases -----------------------------------------------------------------

CITE_NAMES = (
    r"Văn bản Hướng dẫn|Quyết định|Kế hoạch|Công văn|Văn bản|Hướng dẫn|Chỉ thị|Nghị quyết|Nghị định|Thông tư"
    r"|Thông báo|Kết luận|Chương trình|Công điện|Đề án|Thông tri|Quy định|Quy chế"
)
CITE_SYMBOL = (
    r"\d+(?:/\d{4})?/[A-ZĐ][\wĐđ&.]*(?:-[\wĐđ&.]+)*"
    r"|\d+\s*-\s*[A-ZĐ][A-Za-zĐđ]*/[A-ZĐ][\wĐđ]*"
    r"|\d+\s+[A-ZĐ]{2,}/[A-ZĐ][\wĐđ]*"
)
CITE = re.compile(
    rf"(?P<name>{CITE_NAMES})\s+(?:số\s+)?(?P<symbol>{CITE_SYMBOL})"
    r"(?:\s+(?:ngày|ban hành ngày)\s+(?P<date>\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2} tháng \d{1,2} năm \d{4}))?",
)
CITE_START = re.compile(rf"^\s*(?:Căn cứ|Thực hiện|Theo|Xét)?\s*(?:{CITE_NAMES})\b")
ABOUT = re.compile(r"^\s*(?:về việc|V/v|v/v|vv|VV|về)\s+", re.IGNORECASE)
SUMMARY_VERB_WORDS = r"(?:Ban hành|Phê duyệt|Quy định|Hướng dẫn|Triển khai|Sửa đổi|Bổ sung|Tổ chức thực hiện)"
SUMMARY_VERBS = re.compile(rf"\s(?=(?i:{SUMMARY_VERB_WORDS})\b)")
SUMMARY_STOP = re.compile(
    r"\s+và\s+(?:căn cứ\s+)?(?:tình hình|điều kiện|thực tế|thực tiễn|yêu cầu)\b"
    rf"|[,;]\s+[{UPPER}]\S*(?:\s+\S+){{0,8}}?\s+(?:ban hành|xây dựng|chỉ thị|quyết định|yêu cầu)\b"
)


def read_legal_bases(preamble: list[Para], types: dict[str, str]) -> list[dict[str, Any]]:
    bases: list[dict[str, Any]] = []
    for para in preamble:
        text = T.collapse(para.raw)
        position = 0
        while True:
            m = CITE.search(text, position)
            if not m:
                break
            issuer, summary, end = _issuer_and_summary(text, m.end())
            name = m.group("name")
            symbol = re.sub(r"\s*-\s*", "-", m.group("symbol")).replace(" ", "")
            date = T.find_date("ngày " + m.group("date")) if m.group("date") else None
            bases.append(
                {
                    "type": _cited_type(name, symbol, types),
                    "symbol": symbol,
                    "date": date,
                    "issuer": issuer,
                    "summary": summary,
                }
            )
            position = max(end, m.end())
    return bases


def _cited_type(name: str, symbol: str, types: dict[str, str]) -> str | None:
    for known, abbreviation in sorted(types.items(), key=lambda kv: -len(kv[0])):
        if known in name.upper() and abbreviation:
            return abbreviation
    for known, abbreviation in CITED_TYPES.items():
        if name.startswith(known):
            return abbreviation
    return None


def _issuer_and_summary(text: str, start: int) -> tuple[str | None, str | None, int]:
    rest = text[start:]
    issuer: str | None = None
    offset = 0
    m = re.match(r"\s*của\s+", rest)
    if m:
        after = rest[m.end() :]
        found = [re.search(r"\s+(?:về việc|V/v|v/v|vv|về)\s+", after), SUMMARY_VERBS.search(after)]
        found.append(re.search(r"[;,.]", after))
        end = min((x.start() for x in found if x is not None), default=len(after))
        issuer = _issuer_name(after[:end])
        offset = m.end() + end
    rest2 = rest[offset:]
    about = ABOUT.match(rest2)
    if about:
        body_start = offset + about.end()
    elif re.match(rf"\s+(?i:{SUMMARY_VERB_WORDS})\b", rest2):
        body_start = offset + len(rest2) - len(rest2.lstrip())
    else:
        return issuer, None, start + offset
    body = rest[body_start:]
    end = len(body)
    for pattern in (r";\s*(?=(?:Căn cứ|Thực hiện|Theo|Xét|Đồng thời)\b)", rf";\s*(?=(?:{CITE_NAMES})\b)"):
        m2 = re.search(pattern, body)
        if m2:
            end = min(end, m2.start())
    m3 = re.search(rf"\.\s+(?=[{UPPER}])|\.$|;\s*$", body)
    if m3:
        end = min(end, m3.start())
    m4 = SUMMARY_STOP.search(body)
    if m4:
        end = min(end, m4.start())
    summary = T.tidy(body[:end]) or None
    return issuer, summary, start + body_start + end


def _issuer_name(text: str) -> str | None:
    text = T.collapse(text)
    text = re.sub(r"^(?:Ủy|Uỷ) ban nhân dân(?:\s*\(UBND\))?", "UBND", text)
    text = re.sub(r"^Hội đồng nhân dân(?:\s*\(HĐND\))?", "HĐND", text)
    return text or None


# Signature block, recipients, e-signature stamps ------------------------------

AUTHORITY = re.compile(r"^(KT|TM|TL|TUQ|Q)\s*\.\s*(.*)$")
STAMP_LINE = re.compile(r"(?P<name>[^<>\n]{2,80}?)\s*<(?P<email>[^<>\s]+@[^<>\s]+)>\s*đã ký", re.IGNORECASE)
ISO_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})\s*(Z|[+-]\d{2}:?\d{2})?")
VN_TIME = re.compile(
    r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:(?:GMT|UTC)?\s*([+-]\d{2}:?\d{2}))?"
)


def _iso_time(text: str) -> str | None:
    m = ISO_TIME.search(text)
    if m:
        y, mo, d, h, mi, s, tz = m.groups()
        return f"{y}-{mo}-{d}T{h}:{mi}:{s}{_tz(tz)}"
    m = VN_TIME.search(text)
    if m:
        d, mo, y, h, mi, s, tz = m.groups()
        return f"{y}-{int(mo):02d}-{int(d):02d}T{int(h):02d}:{mi}:{s or '00'}{_tz(tz)}"
    return None


def _tz(tz: str | None) -> str:
    if not tz:
        return "+07:00"
    if tz == "Z":
        return "+00:00"
    tz = tz.replace(":", "")
    return f"{tz[:3]}:{tz[3:]}"


def read_stamps(lines: list[str]) -> list[dict[str, Any]]:
    stamps: list[dict[str, Any]] = []
    for i, line in enumerate(lines):
        m = STAMP_LINE.search(line)
        if m:
            signed_at = None
            for j in range(i, max(i - 4, -1), -1):
                signed_at = _iso_time(lines[j])
                if signed_at:
                    break
            stamps.append({"signer": T.collapse(m.group("name")), "email": m.group("email"), "signed_at": signed_at})
            continue
        m2 = re.match(r"^\s*(?:Người ký|Ký bởi|Signed by)\s*:\s*(.+)$", line, re.IGNORECASE)
        if m2:
            window = "\n".join(lines[i : i + 6])
            email = re.search(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", window)
            time_line = re.search(r"(?:Thời gian ký|Ngày ký|Date)\s*:\s*(.+)", window, re.IGNORECASE)
            stamps.append(
                {
                    "signer": T.collapse(m2.group(1)),
                    "email": email.group(0) if email else None,
                    "signed_at": _iso_time(time_line.group(1)) if time_line else None,
                }
            )
    return stamps


def read_closing(lines: list[str], start: int) -> dict[str, Any]:
    """Recipients and the signature block, from the "Nơi nhận" line (or the closing) on."""
    recipients: list[str] = []
    right: list[str] = []
    after: list[str] = []
    in_list = False
    for i in range(start, len(lines)):
        line = lines[i].strip()
        if not line:
            continue
        if MOTTO.search(line) or MOTTO_2.search(line) or STAMP_LINE.search(line) or ISO_TIME.search(line):
            if recipients or right or after:
                break
            continue
        parts = split_columns(line)
        first = parts[0] if parts else line
        if re.match(r"^Nơi nhận\s*:?", first, re.IGNORECASE):
            in_list = True
            remainder = re.sub(r"^Nơi nhận\s*:?\s*", "", first, flags=re.IGNORECASE)
            right += [p for p in ([remainder] if remainder else []) + parts[1:]]
            continue
        if in_list and re.match(r"^[-–+•]\s*", first):
            recipients.append(T.tidy(re.sub(r"^[-–+•]\s*", "", first)))
            right += parts[1:]
            continue
        in_list = False if recipients else in_list
        after += parts
    signer = _signer(right + after)
    return {"recipients": [r for r in recipients if r], "signer": signer}


def _signer(block: list[str]) -> dict[str, Any]:
    signer: dict[str, Any] = {"authority": None, "position": None, "name": None}
    positions: list[str] = []
    for raw in block:
        line = T.collapse(raw)
        if not line or line.isdigit() or re.fullmatch(r"\(?(?:Đã ký|Ký|Ký tên, đóng dấu|Ký, ghi rõ họ tên)\)?", line):
            continue
        m = AUTHORITY.match(line)
        if m:
            signer["authority"] = f"{m.group(1)}."  # the one closest to the signer
            if m.group(2):
                positions.append(m.group(2))
            continue
        letters = re.sub(r"[^\wÀ-ỹ]", "", line)
        if letters and line.upper() == line and not re.search(r"\d", line):
            positions.append(line)
            continue
        if _looks_like_name(line) and positions:
            signer["name"] = line
            break
    if positions:
        signer["position"] = T.sentence_case(positions[-1])
    if signer["authority"] and len(positions) >= 2:
        signer["position"] = T.sentence_case(positions[-1])
    return signer


def _looks_like_name(line: str) -> bool:
    words = line.split(" ")
    return 2 <= len(words) <= 6 and all(w[:1].isupper() for w in words) and not re.search(r"[\d:;,()]", line)


# 3. The body ------------------------------------------------------------------------


PERCENT = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,]\d+)?)\s*%")
RANGE = re.compile(r"(?<![\d/.\-])(\d{1,3})\s*[-–]\s*(\d{1,3})(?![\d/.\-%])\s+(?=[^\W\d])")
OPENER_COMMA = re.compile(r",\s+(?=(?:đảm bảo|bảo đảm|trong (?:số )?đó|phấn đấu|đạt|\d))", re.IGNORECASE)
SENTENCE_END = re.compile(rf"\.\s+(?=[{UPPER}\d])|;\s*")


def read_targets(text: str, section: list[str]) -> list[dict[str, Any]]:
    found = [(m.start(), m.end(), "pct", m) for m in PERCENT.finditer(text)]
    found += [(m.start(), m.end(), "range", m) for m in RANGE.finditer(text)]
    found.sort(key=lambda item: item[0])
    starts: list[int] = []
    for position, _, _, _ in found:
        starts.append(_clause_start(text, position))
    targets: list[dict[str, Any]] = []
    for index, (position, end, kind, m) in enumerate(found):
        start = starts[index]
        stop = _clause_end(text, end)
        if index + 1 < len(found) and starts[index + 1] > start:
            stop = min(stop, starts[index + 1])
        clause = T.tidy(text[start:stop].strip(" ,"))
        before = text[max(start, position - 40) : position].lower()
        after = text[end : end + 20].lower()
        if kind == "pct":
            value = _number(m.group(1))
            if re.search(r"tối thiểu|ít nhất|không dưới|trên\s*$|từ\s*$", before) or "trở lên" in after:
                comparator = ">="
            elif re.search(r"tối đa|không quá|dưới\s*$", before) or "trở xuống" in after:
                comparator = "<="
            elif value == 100:
                comparator = "="
            else:
                comparator = ">="
            targets.append({"text": clause, "comparator": comparator, "value": value, "value_max": None, "unit": "%"})
        else:
            low, high = _number(m.group(1)), _number(m.group(2))
            if high <= low:
                continue
            targets.append({"text": clause, "comparator": "range", "value": low, "value_max": high, "unit": "count"})
        targets[-1]["section"] = list(section)
    return targets


def _clause_start(text: str, position: int) -> int:
    start = 0
    for pattern in (SENTENCE_END, OPENER_COMMA):
        for m in pattern.finditer(text):
            if m.end() > position:
                break
            start = max(start, m.end())
    return start


def _clause_end(text: str, position: int) -> int:
    m = SENTENCE_END.search(text, position)
    return m.start() if m else len(text)


def _number(text: str) -> int | float:
    value = float(text.replace(",", "."))
    return int(value) if value.is_integer() else value


def read_cadence(text: str) -> tuple[list[str], str | None] | None:
    """The cadence of unit reports in a sentence such as "định kỳ hàng tháng, quý, 6 tháng, năm báo cáo … về X"."""
    if not re.search(r"báo cáo", text, re.IGNORECASE):
        return None
    cadences: set[str] = set()
    m = re.search(
        r"định kỳ\s+((?:(?:hàng|hằng|mỗi)?\s*(?:tháng|quý|6 tháng|sáu tháng|9 tháng|năm)(?:\s*,\s*|\s+và\s+|\s+)?)+)",
        text,
        re.IGNORECASE,
    )
    if m:
        for token in re.split(r",|\s+và\s+", m.group(1)):
            token = re.sub(r"^(?:hàng|hằng|mỗi)\s*", "", token.strip().lower())
            cadences |= {
                "tháng": {"monthly"},
                "quý": {"quarterly"},
                "6 tháng": {"half_yearly"},
                "sáu tháng": {"half_yearly"},
                "9 tháng": {"nine_months"},
                "năm": {"yearly"},
            }.get(token, set())
    if (
        not cadences
        and re.search(r"định kỳ", text, re.IGNORECASE)
        and re.search(r"(?:mỗi|hằng|hàng|cuối)\s+(?:cùng\s+của\s+mỗi\s+)?tháng|của mỗi tháng", text, re.IGNORECASE)
    ):
        cadences.add("monthly")
    if not cadences:
        return None
    to = re.search(rf"báo cáo[^.;]*?\s(?:về|gửi|cho)\s+(?P<to>{UNIT_START}[^.;,(]*)", text)
    recipient = T.tidy(to.group("to")) if to else None
    return [c for c in CADENCES if c in cadences], recipient


def read_budget(text: str) -> dict[str, Any] | None:
    m = re.search(r"(\d[\d.,]*)\s*(tỷ|triệu|nghìn|ngàn)?\s*(?:đồng|VNĐ|VND)", text, re.IGNORECASE)
    if not m:
        return None
    digits, scale = m.group(1), (m.group(2) or "").lower()
    multiplier = {"tỷ": 10**9, "triệu": 10**6, "nghìn": 10**3, "ngàn": 10**3}.get(scale, 1)
    if multiplier == 1:
        amount = float(re.sub(r"[.,]", "", digits))
    else:
        amount = float(digits.replace(".", "").replace(",", ".")) if "," in digits else float(digits)
    return {"amount": int(amount * multiplier), "currency": "VND"}


def subject_unit(text: str) -> str | None:
    """The unit that is the subject of a sentence ("Văn phòng Sở có trách nhiệm …")."""
    body = LEADER_PREFIX.sub("", text, count=1)
    prefixed = body != text
    m = re.match(UNIT_START, body, re.IGNORECASE if prefixed else 0)
    if not m:
        return None
    end = UNIT_END.search(body, m.end())
    unit = body[: end.start()] if end else body
    unit = T.tidy(unit)
    if len(unit.split()) > 14 or not unit:
        return None
    return T.capitalise(unit)


def coordinating_units(text: str) -> list[str]:
    units: list[str] = []
    for m in re.finditer(rf"phối hợp(?:\s+với)?\s+(?={UNIT_START})", text, re.IGNORECASE):
        rest = text[m.end() :]
        if not re.match(UNIT_START, rest) or re.match(r"Các cơ quan", rest):
            continue
        end = UNIT_END.search(rest)
        phrase = rest[: end.start()] if end else rest
        for part in re.split(rf",\s*(?={UNIT_START})|\s+và\s+(?={UNIT_START})", phrase):
            part = T.tidy(part)
            if part and "liên quan" not in part and part not in units:
                units.append(part)
    return units


# Putting it together ----------------------------------------------------------


def empty_result() -> dict[str, Any]:
    return {
        "document": {
            "type": None,
            "number": None,
            "symbol": None,
            "issuer": None,
            "parent_body": None,
            "place": None,
            "date": None,
            "title": None,
            "year": None,
            "signer": {"authority": None, "position": None, "name": None},
            "recipients": [],
            "digital_signatures": [],
        },
        "legal_bases": [],
        "sections": [],
        "tasks": [],
        "targets": [],
        "reporting": {"cadences": [], "to": None},
        "budget": None,
    }


def parse(source: Source, areas: AreaMatcher, types: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    result = empty_result()
    known_types = type_map(types or DEFAULT_TYPES)
    lines = [clean_line(line)[0] for line in source.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    paras = paragraphs(source.text, set(known_types))
    document = result["document"]

    type_index = find_type_line(paras, known_types)
    type_line_number = paras[type_index].first_line if type_index is not None else None
    header = read_header(lines, type_line_number, set(known_types))
    for key in ("issuer", "parent_body", "number", "symbol", "place", "date"):
        document[key] = header[key]
    if type_index is not None:
        document["type"] = known_types[T.collapse(paras[type_index].raw).rstrip(":").strip().upper()]
        title, body_from = read_title(paras, type_index)
        document["title"] = title
    else:
        body_from = 0
        document["type"] = header["symbol_type"]
    if source.stamped_text and not document["number"]:
        stamped: dict[str, Any] = {"number": None, "symbol": None, "symbol_type": None}
        number = NUMBER_LINE.search(source.stamped_text) or re.search(r"Số\s*:?\s*(?P<rest>\S+)", source.stamped_text)
        if number:
            _read_number(number.group("rest"), stamped)
            if stamped["number"]:
                document["number"], document["symbol"] = stamped["number"], stamped["symbol"]
        if not document["date"]:
            document["date"] = T.find_date(source.stamped_text)

    # The body runs from the first outline heading to the closing.
    end = _closing_index(paras, body_from)
    start = next((i for i in range(body_from, end) if paras[i].kind in OUTLINE_KINDS), end)
    preamble: list[Para] = []
    for para in paras[body_from:start]:
        if re.match(r"^(?:Điều\s+\d|QUYẾT ĐỊNH\s*:|QUYẾT NGHỊ\s*:)", para.raw):
            break
        if not re.fullmatch(r"[-_=*~.\s]+", para.raw):
            preamble.append(para)
    result["legal_bases"] = read_legal_bases(preamble, known_types)
    body = paras[start:end]
    attached = _attached_plan(paras, end, set(known_types))
    if attached is not None and not any(p.kind in OUTLINE_KINDS for p in body):
        # A decision issuing a plan: the outline is the attached plan's.
        body = paras[attached[0] : attached[1]]
    # Year: the title's, else the body's most frequent.
    document["year"] = _year(document["title"], [p.raw for p in body])
    _read_body(body, areas, result, document["year"])
    for task in result["tasks"]:
        task.pop("_open", None)

    # Reporting: the organisation section and the closing paragraph.
    closing = paras[end].raw if end < len(paras) and paras[end].raw.startswith("Trên đây") else ""
    for text in [*result.pop("_organisation_texts"), closing]:
        cadence = read_cadence(text)
        if cadence:
            result["reporting"] = {"cadences": cadence[0], "to": cadence[1]}
            break

    closing_line = paras[end].first_line if end < len(paras) else len(lines)
    nơi_nhận = next(
        (i for i in range(closing_line, len(lines)) if re.match(r"^\s*Nơi nhận", lines[i], re.IGNORECASE)), None
    )
    if end < len(paras) and nơi_nhận is None:
        # No recipients: the signature block follows the closing paragraph.
        after = paras[end + 1].first_line if end + 1 < len(paras) else len(lines)
        nơi_nhận = after
    closing_block = read_closing(lines, nơi_nhận if nơi_nhận is not None else len(lines))
    document["recipients"] = closing_block["recipients"]
    document["signer"] = closing_block["signer"]
    stamps = read_stamps(lines)
    for signature in source.signatures:
        if not any(
            s["signer"] == signature.get("signer") and s["signed_at"] == signature.get("signed_at") for s in stamps
        ):
            stamps.append({k: signature.get(k) for k in ("signer", "email", "signed_at")})
    document["digital_signatures"] = stamps

    if source.tables:
        from documents.reader.appendix import appendix_tasks

        result["tasks"] += appendix_tasks(source.tables, areas, document["year"])
    return result


OUTLINE_KINDS = ("roman", "upper", "arabic", "multi")


def _closing_index(paras: list[Para], start: int) -> int:
    for i in range(start, len(paras)):
        raw = paras[i].raw
        if re.match(r"^(Trên đây|Nơi nhận)", raw, re.IGNORECASE) or MOTTO.search(raw) or AUTHORITY.match(raw):
            return i
    return len(paras)


def _attached_plan(paras: list[Para], after: int, type_words: set[str]) -> tuple[int, int] | None:
    """Where the plan attached to a decision ("Kèm theo Quyết định số …") has its outline."""
    for i in range(after, len(paras)):
        if _is_type_line(paras[i].raw, type_words):
            start = next((j for j in range(i + 1, len(paras)) if paras[j].kind in OUTLINE_KINDS), None)
            if start is None:
                return None
            return start, _closing_index(paras, start)
    return None


def _year(title: str | None, body: list[str]) -> int | None:
    if title:
        years = re.findall(r"năm\s+(\d{4})", title)
        if years:
            return int(years[-1])
    counts: dict[int, int] = {}
    for text in body:
        for y in re.findall(r"năm\s+(\d{4})|đến\s+(?:ngày\s+)?\d{1,2}/\d{1,2}/(\d{4})", text):
            year = int(y[0] or y[1])
            counts[year] = counts.get(year, 0) + 1
    if not counts:
        return None
    best = max(counts.values())
    return next(year for year, count in counts.items() if count == best)


ATTRIBUTE = re.compile(
    r"(?:^|(?<=[.;,])\s*|\s+[-–]\s+|\s+)"
    r"(?P<key>(?:Cơ quan|Đơn vị|Bộ phận)\s+(?:chủ trì(?: thực hiện)?|thực hiện|phối hợp)|Chủ trì|Phối hợp"
    r"|Thời gian(?: thực hiện| hoàn thành)?|Thời hạn(?: hoàn thành)?"
    r"|Sản phẩm(?: dự kiến| đầu ra)?|Kết quả(?: dự kiến| đầu ra)?)\s*:\s*",
    re.IGNORECASE,
)


def split_attributes(text: str) -> tuple[str, dict[str, str]]:
    """ "Rà soát TTHC. Cơ quan chủ trì: Văn phòng; Thời gian: Quý II/2025" → content and attributes."""
    matches = [m for m in ATTRIBUTE.finditer(text) if m.group("key").strip()]
    if not matches:
        return text, {}
    attributes: dict[str, str] = {}
    for index, m in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        key = m.group("key").strip().lower()
        value = T.tidy(text[m.end() : end])
        if "phối hợp" in key:
            attributes["coordinating"] = value
        elif "chủ trì" in key or "thực hiện" in key and not key.startswith("thời gian"):
            attributes["lead"] = value
        elif key.startswith(("thời gian", "thời hạn")):
            attributes["due"] = value
        else:
            attributes["output"] = value
    return T.tidy(text[: matches[0].start()]), attributes


def _apply_attributes(task: dict[str, Any], attributes: dict[str, str], year: int | None) -> None:
    from lib.periods import parse_due

    if attributes.get("lead"):
        task["lead_unit"] = attributes["lead"]
    if attributes.get("coordinating"):
        parts = re.split(r"\s*[;\n]\s*|,\s*(?=[A-ZĐ])", attributes["coordinating"])
        task["coordinating_units"] = [T.tidy(p) for p in parts if T.tidy(p) and "liên quan" not in p]
    if attributes.get("due"):
        task["due"] = attributes["due"]
        due = parse_due(attributes["due"], year)
        repeats = T.recurs(attributes["due"]) or bool(due.recurrence)
        # A recurring deadline names no one date.
        task["due_date"] = due.date.isoformat() if due.date and not repeats else None
        task["recurring"] = task["recurring"] or repeats
    if attributes.get("output"):
        task["output"] = attributes["output"]


def _read_body(body: list[Para], areas: AreaMatcher, result: dict[str, Any], year: int | None = None) -> None:
    roots: list[Node] = []
    # The outline stack: (kind, label, node or None for a labelled sentence).
    stack: list[tuple[str, str, Node | None, str | None]] = []
    kinds: list[str] = []  # label kinds in nesting order as first met
    organisation_texts: list[str] = []
    item_unit: str | None = None
    for para in body:
        if para.kind and para.kind != "dash":
            assert para.label is not None
            kind = para.kind
            if kind not in kinds:
                kinds.append(kind)
            # Pop to the parent level of this kind.
            while stack and kinds.index(stack[-1][0]) >= kinds.index(kind):
                stack.pop()
            heading = _is_heading(para.text)
            node: Node | None = None
            unit: str | None = None
            if heading:
                node = Node(label=para.label, title=T.tidy(para.text), kind=kind)
                parent = next((entry[2] for entry in reversed(stack) if entry[2] is not None), None)
                (parent.children if parent else roots).append(node)
                node.area = areas.heading(node.title)
            stack.append((kind, para.label, node, unit))
            item_unit = None
            if heading:
                continue
        path = [entry[1] for entry in stack]
        headings = [entry[2] for entry in stack if entry[2] is not None]
        content, attributes = split_attributes(para.text)
        if attributes and headings:
            tasks = result["tasks"]
            if not content and not (tasks and tasks[-1]["section"] == path and tasks[-1].get("_open")):
                # "1. Rà soát …" printed as a heading, its unit and deadline on the lines below.
                content = headings[-1].title if headings[-1] is stack[-1][2] else ""
            if not content and tasks and tasks[-1]["section"] == path:
                _apply_attributes(tasks[-1], attributes, year)
                continue
        result["targets"] += read_targets(content, path)
        if not content:
            continue
        if not roots and stack:
            # No outline headings at all (a directive, a short plan): every numbered item is a task.
            root = None
            in_organisation = True
        else:
            root = headings[0] if headings and stack and stack[0][2] is headings[0] else None
            if root is None or TASK_SECTION_EXCLUDED.search(root.title) or APPENDIX_NOTE.match(para.raw.strip()):
                continue
            in_organisation = bool(ORGANISATION.search(root.title))
        area = next((h.area for h in headings if h.area), None)
        if root is None:
            area = areas.content(content) or "other"
        elif area is None or (in_organisation and area != DIRECTION):
            area = DIRECTION if in_organisation else (areas.content(content) or "other")
        lead: str | None = None
        if in_organisation:
            organisation_texts.append(para.text)
            subject = subject_unit(para.text)
            if para.kind and para.kind != "dash":
                item_unit = subject
            heading_unit = next((u for h in reversed(headings[1:]) if (u := _heading_unit(h.title))), None)
            lead = subject or item_unit or heading_unit
        task = {
            "section": path,
            "content": T.tidy(content),
            "area": area,
            "lead_unit": lead,
            "coordinating_units": coordinating_units(content),
            "due": None,
            "due_date": None,
            "recurring": T.recurs(content),
            "output": None,
            "_open": bool(attributes) or para.kind is not None,
        }
        _apply_attributes(task, attributes, year)
        result["tasks"].append(task)
    result["sections"] = [node.as_dict() for node in roots]
    result["_organisation_texts"] = organisation_texts
    result["budget"] = _budget(body)


def _budget(body: list[Para]) -> dict[str, Any] | None:
    inside = False
    for para in body:
        if para.kind == "roman" or (para.kind in ("upper",) and _is_heading(para.text)):
            inside = bool(re.search(r"kinh phí", para.text, re.IGNORECASE))
            continue
        if inside:
            budget = read_budget(para.text)
            if budget:
                return budget
    return None


def _is_heading(text: str) -> bool:
    """A label plus a title with no closing "." or ";" (a closing ":" is allowed)."""
    text = text.strip()
    return bool(text) and not re.search(r"[.;]$|\./\.$", text) and len(text) < 300


def _heading_unit(title: str) -> str | None:
    unit = subject_unit(title)
    if unit is None:
        return None
    return re.sub(r"\s+(?:có|chịu) trách nhiệm.*$", "", unit)
