"""Which reform area a heading or a task belongs to, from the areas' keywords (data)."""

from __future__ import annotations

import re
from collections.abc import Iterable

DIRECTION = "direction"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


class AreaMatcher:
    def __init__(self, areas: Iterable[tuple[str, str]]):
        """`areas`: (code, keywords one per line), in display order."""
        self.areas: list[tuple[str, list[re.Pattern[str]]]] = []
        for code, keywords in areas:
            patterns = [
                re.compile(r"(?<!\w)" + re.escape(_norm(k)) + r"(?!\w)") for k in keywords.splitlines() if k.strip()
            ]
            if patterns:
                self.areas.append((code, patterns))

    @classmethod
    def from_database(cls) -> AreaMatcher:
        from plans.models import ReformArea

        return cls(ReformArea.objects.filter(is_active=True).values_list("code", "keywords"))

    def scores(self, text: str) -> dict[str, int]:
        text = _norm(text)
        return {code: sum(len(p.findall(text)) for p in patterns) for code, patterns in self.areas}

    def heading(self, title: str) -> str | None:
        """The area a section heading names, or None (a heading names one area at most)."""
        scores = self.scores(title)
        best = max(scores.values(), default=0)
        return next((code for code, score in scores.items() if score == best), None) if best else None

    def content(self, text: str) -> str | None:
        """The area a task's text is mostly about, counting keyword occurrences; None when none."""
        return self.heading(text)
