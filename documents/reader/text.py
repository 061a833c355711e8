"""Small text helpers for reading Vietnamese administrative documents."""

from __future__ import annotations

import re
from datetime import date

from lib.text import fold

SPACES = re.compile(r"[\s\u200b]+")
ADMIN_LEVELS = ("tỉnh", "huyện", "xã", "phường", "quận", "thị xã", "thành phố", "thị trấn")
ACRONYMS = {"UBND", "HĐND", "MTTQ", "TP", "TW", "CP", "BCĐ", "CCHC", "TTHC", "VP", "TTr", "BNV"}


# "Thường xuyên", "Định kỳ", "Hằng quý", "hàng năm", "liên tục": work that repeats (accents folded).
_RECURRING = re.compile(r"thuong xuyen|dinh ky|lien tuc|hang (?:nam|quy|thang|tuan)")


def recurs(text: str) -> bool:
    """The text says the work repeats (a task's content or its printed deadline)."""
    return bool(_RECURRING.search(" ".join(fold(text).split())))


def collapse(text: str) -> str:
    return SPACES.sub(" ", text).strip()


def tidy(text: str) -> str:
    """Trimmed, spaces collapsed, the final ".", ";", ":" or "/." dropped ("..." kept)."""
    text = collapse(text)
    while text and not text.endswith("...") and text[-1] in ".;:,":
        text = text[:-1].rstrip()
        if text.endswith("/"):
            text = text[:-1].rstrip()
    return text


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def sentence_case(text: str) -> str:
    """ "GIÁM ĐỐC" → "Giám đốc"; "PHÓ GIÁM ĐỐC" → "Phó Giám đốc"; "CHÁNH VĂN PHÒNG" → "Chánh Văn phòng"."""
    words = collapse(text).lower().split(" ")
    out: list[str] = []
    for i, word in enumerate(words):
        if i == 0 or (i == 1 and out[0].lower() in ("phó", "chánh", "quyền")) or word.upper() in ACRONYMS:
            word = word.upper() if word.upper() in ACRONYMS else capitalise(word)
        out.append(word)
    if len(out) > 1 and out[0].lower() in ("phó", "chánh", "quyền"):
        out[0] = capitalise(out[0])
    return " ".join(out)


def name_case(text: str) -> str:
    """An organisation name printed in capitals, in the usual case.

    "UBND TỈNH BÌNH PHƯỚC" → "UBND tỉnh Bình Phước", "SỞ NGOẠI VỤ" → "Sở Ngoại vụ",
    "SỞ KHOA HỌC VÀ CÔNG NGHỆ" → "Sở Khoa học và Công nghệ".
    """
    text = collapse(text)
    if text != text.upper():
        return text  # already in mixed case: as printed
    words = text.split(" ")
    out: list[str] = []
    place = False
    capital_next = True
    i = 0
    while i < len(words):
        word = words[i]
        lower = word.lower()
        pair = f"{lower} {words[i + 1].lower()}" if i + 1 < len(words) else ""
        if word in ACRONYMS:
            out.append(word)
            capital_next = True
        elif pair in ADMIN_LEVELS:
            out += pair.split(" ")
            place, capital_next = True, False
            i += 2
            continue
        elif lower in ADMIN_LEVELS and out:
            out.append(lower)
            place, capital_next = True, False
        elif place:
            out.append(capitalise(lower))
        elif lower in ("và", "-", "&"):
            out.append(lower)
            capital_next = True
        elif capital_next:
            out.append(capitalise(lower))
            capital_next = False
        else:
            out.append(lower)
        # Sở, Bộ, Ban, Phòng... are followed by the capitalised name.
        if lower in ("sở", "bộ", "ban", "phòng", "cục", "vụ", "chi", "văn", "tổng", "trung", "ủy", "uỷ"):
            capital_next = lower in ("sở", "bộ", "ban", "phòng", "cục", "vụ")
        i += 1
    result = " ".join(out)
    return re.sub(r"^(?:Ủy|Uỷ) ban nhân dân", "Ủy ban nhân dân", result, flags=re.IGNORECASE)


DATE_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)


def make_date(day: str, month: str, year: str) -> str | None:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def find_date(text: str) -> str | None:
    """The first date written as 26/12/2019 or "ngày 26 tháng 12 năm 2019", ISO."""
    found = [m for m in (DATE_WORDS.search(text), DATE_NUMERIC.search(text)) if m]
    if not found:
        return None
    first = min(found, key=lambda m: m.start())
    return make_date(*first.groups())
