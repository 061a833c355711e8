"""The plan importer: read a .docx, .pdf, .txt or .md file into the structure of
../shared/contracts/plan-import.md (`extract` → `Source`, `parse` → dict)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from documents.reader.areas import AreaMatcher
    from documents.reader.source import Source


def read_document(name: str, data: bytes, areas: AreaMatcher | None = None) -> tuple[dict[str, Any], Source]:
    """Read a file into the contract's structure; raises `Unreadable` with a message for the user."""
    from documents.reader.areas import AreaMatcher
    from documents.reader.extract import extract
    from documents.reader.parse import parse

    source = extract(name, data)
    return parse(source, areas or AreaMatcher.from_database(), document_types()), source


def document_types() -> list[tuple[str, str]] | None:
    """The document types administrators keep (None: the reader's built-in list)."""
    from documents.models import DocumentType

    types = list(
        DocumentType.objects.filter(is_active=True).exclude(abbreviation="").values_list("name", "abbreviation")
    )
    return types or None
