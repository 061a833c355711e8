"""Text of a plan-like document → the structure of ../shared/contracts/plan-import.md."""

from __future__ import annotations

from typing import Any

from documents.reader.areas import AreaMatcher
from documents.reader.source import Source


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


def parse(source: Source, areas: AreaMatcher) -> dict[str, Any]:
    """Placeholder while the parser is being written: the empty structure."""
    return empty_result()
