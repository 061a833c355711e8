"""What the extractor hands to the parser: text as a person reads it, plus tables and signatures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class Unreadable(Exception):
    """The file cannot be read as a document; the message is for the user (translated)."""


@dataclass
class Source:
    # Plain text in reading order. Paragraphs are separated by blank lines, or wrapped
    # over several lines as in the seeds; a two-column header row is one line with the
    # left and right cells separated by three or more spaces.
    text: str
    kind: str  # "docx", "pdf", "txt" or "md"
    # Tables other than the two-column header (appendices): rows of cell texts, a
    # merged cell repeated in every cell it covers.
    tables: list[list[list[str]]] = field(default_factory=list)
    # Signatures found in PDF signature fields, in the contract's shape
    # ({"signer", "email", "signed_at"}), plus text stamped in their appearances.
    signatures: list[dict[str, Any]] = field(default_factory=list)
    stamped_text: str = ""
