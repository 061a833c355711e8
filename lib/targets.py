"""Targets as plans print them, read into a goal; numbers as people type them.

"Tối thiểu 50% hồ sơ …" is at least 50 %, "03-05 sáng kiến" between 3 and 5
initiatives, "100% …" exactly 100 %, "từ 30% trở lên" at least 30 %,
"450 triệu đồng" an amount of money. A bare figure is a floor (doing better
meets it) except 100 %, which is exact. The first figure that names a quantity
wins; dates, document numbers, years and "mức độ 3" are skipped. Nothing else
is guessed: a sentence without such a figure gives None.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from lib.text import fold

# Shared with plans.models.MetricKind and Comparator.
PERCENT = "percent"
COUNT = "count"
MONEY = "money"
BOOLEAN = "boolean"
GTE = "gte"
LTE = "lte"
EQ = "eq"
RANGE = "range"


@dataclass(frozen=True)
class Goal:
    metric_kind: str
    comparator: str
    value: Decimal
    value_max: Decimal | None = None
    unit_of_measure: str = ""


_NUMBER_TEXT = re.compile(r"[+-]?\d[\d.,]*")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|%|[^\W\d_]+|[^\s\w]")
_DASHES = {"-", "–", "—"}
# Words before a figure that make it something other than a goal: "số 52", "năm 2026", "mức độ 3".
_NOT_A_GOAL_BEFORE = {"so", "nam", "ngay", "thang", "quy", "iso", "do", "doan", "dieu", "khoan", "tcvn", "thu", "lan"}
_FLOOR = re.compile(r"\b(?:toi thieu|it nhat|khong duoi|khong it hon|tren|hon|vuot)$")
_CEILING = re.compile(r"\b(?:toi da|khong qua|khong vuot qua|khong vuot|duoi|it hon|khong nhieu hon|khong hon)$")
# Words that end a unit of measure: "sáng kiến được công nhận" → "sáng kiến".
_STOP = {
    "duoc",
    "cua",
    "tai",
    "ve",
    "trong",
    "tren",
    "cho",
    "va",
    "co",
    "da",
    "se",
    "theo",
    "thuoc",
    "tro",
    "nam",
    "o",
    "de",
    "den",
    "voi",
    "tu",
    "la",
    "dat",
}
_MONEY_SCALE = {"trieu", "ty", "ti", "nghin", "ngan"}


def parse_number(text: str | None, *, grouping: bool = False) -> Decimal | None:
    """ "55", "55,5", "55.5", "1.000.000", "1,234.5" → a Decimal; None when it is not a number.

    A lone separator followed by exactly three digits is ambiguous ("1.500"):
    with `grouping` (counts, money) it separates thousands, otherwise it is
    the decimal point.
    """
    if text is None:
        return None
    s = re.sub(r"[\s\u00a0]", "", str(text))
    if not _NUMBER_TEXT.fullmatch(s):
        return None
    sign = ""
    if s[0] in "+-":
        sign, s = ("-" if s[0] == "-" else ""), s[1:]
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        decimal_sep = "." if s.rfind(".") > s.rfind(",") else ","
        thousands = "," if decimal_sep == "." else "."
        whole, _, fraction = s.rpartition(decimal_sep)
        if decimal_sep in whole or not _grouped(whole, thousands) or not fraction:
            return None
        s = whole.replace(thousands, "") + "." + fraction
    elif dots > 1 or commas > 1:
        sep = "." if dots else ","
        if not _grouped(s, sep):
            return None
        s = s.replace(sep, "")
    elif dots or commas:
        sep = "." if dots else ","
        whole, _, fraction = s.partition(sep)
        if not whole or not fraction:
            return None
        s = whole + fraction if grouping and len(fraction) == 3 else whole + "." + fraction
    try:
        return Decimal(sign + s)
    except InvalidOperation:
        return None


def _grouped(text: str, sep: str) -> bool:
    groups = text.split(sep)
    return bool(groups[0]) and len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def parse_goal(statement: str | None) -> Goal | None:
    """The goal a target's sentence states, or None when it states no figure."""
    originals = _TOKEN.findall(unicodedata.normalize("NFC", statement or ""))
    folded = [fold(t) for t in originals]
    count = len(folded)

    def is_percent(k: int) -> bool:
        return k < count and folded[k] == "%"

    for i, token in enumerate(folded):
        if not token[0].isdigit() or _not_a_goal(folded, i):
            continue
        value = parse_number(originals[i], grouping=True)
        if value is None:
            continue
        percent = is_percent(i + 1)
        after = i + 2 if percent else i + 1
        upper: Decimal | None = None
        # "03-05 sáng kiến", "từ 3 đến 5 lớp", "30% - 50%"
        if (
            after + 1 < count
            and (originals[after] in _DASHES or folded[after] in ("den", "toi"))
            and folded[after + 1][0].isdigit()
            and not _not_a_goal(folded, after + 1)
        ):
            upper = parse_number(originals[after + 1], grouping=True)
            if upper is not None:
                after += 2
                if is_percent(after):
                    percent, after = True, after + 1
        if percent:
            kind, unit = PERCENT, "%"
        else:
            found = _unit(originals, folded, after)
            if found is None:
                continue  # a bare number names nothing we can measure
            kind, unit, after = found
        if upper is not None:
            low, high = sorted((value, upper))
            return Goal(kind, RANGE, low, high, unit)
        return Goal(kind, _comparator(folded, i, after, value, kind), value, None, unit)
    return None


def _not_a_goal(folded: list[str], i: int) -> bool:
    token = folded[i]
    before = folded[i - 1] if i > 0 else ""
    after = folded[i + 1] if i + 1 < len(folded) else ""
    if before in _NOT_A_GOAL_BEFORE or before == "/" or after in ("/", ":"):
        return True
    # A year ("năm 2025", "giai đoạn 2021-2025"), unless it is followed by a unit.
    return len(token) == 4 and token.isdigit() and 1900 <= int(token) <= 2100 and after != "%"


def _unit(originals: list[str], folded: list[str], start: int) -> tuple[str, str, int] | None:
    """(kind, unit of measure, index after it) for the words after a figure."""
    words: list[int] = []
    for k in range(start, min(start + 2, len(folded))):
        if not folded[k].isalpha() or folded[k] in _STOP:
            break
        words.append(k)
    if not words:
        return None
    first = folded[words[0]]
    if first == "dong":
        return MONEY, originals[words[0]], words[0] + 1
    if first in _MONEY_SCALE and len(words) == 2 and folded[words[1]] == "dong":
        return MONEY, f"{originals[words[0]]} {originals[words[1]]}", words[1] + 1
    return COUNT, " ".join(originals[k] for k in words), words[-1] + 1


def _comparator(folded: list[str], i: int, after: int, value: Decimal, kind: str) -> str:
    before = " ".join(t for t in folded[max(0, i - 4) : i] if t.isalpha())
    if _CEILING.search(before):
        return LTE
    if _FLOOR.search(before):
        return GTE
    following = " ".join(folded[after : after + 3])
    if following.startswith("tro xuong"):
        return LTE
    if following.startswith("tro len"):
        return GTE
    if kind == PERCENT and value == 100:
        return EQ
    return GTE
