"""Accent-insensitive matching of Vietnamese text.

People type "cai cach" for "cải cách" and "dang" for "Đảng". Search columns
hold the folded text (lower case, no diacritics, đ → d) and queries are folded
the same way, so one `icontains` works alike on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher

_SPACES = re.compile(r"\s+")


def fold(value: str | None) -> str:
    """Lower case, without diacritics, spaces collapsed: "Sở  Ngoại vụ" → "so ngoai vu"."""
    if not value:
        return ""
    text = value.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return _SPACES.sub(" ", text.casefold()).strip()


def search_text(*parts: str | None) -> str:
    """The folded text of several fields, stored in a search column."""
    return " ".join(fold(p) for p in parts if p)


def closest(value: str, candidates: Iterable[str], *, limit: int = 3, cutoff: float = 0.6) -> list[str]:
    """Candidates that look like `value` once folded, best first (for "did you mean …")."""
    wanted = fold(value)
    scored = []
    for candidate in candidates:
        folded = fold(candidate)
        if not folded:
            continue
        ratio = SequenceMatcher(None, wanted, folded).ratio()
        if wanted and (wanted in folded or folded in wanted):
            ratio = max(ratio, 0.8)
        if ratio >= cutoff:
            scored.append((ratio, candidate))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [candidate for _, candidate in scored[:limit]]
