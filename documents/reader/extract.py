"""Placeholder while the extractor is being written: text files only."""

from __future__ import annotations

from documents.reader.source import Source


def extract(name: str, data: bytes) -> Source:
    return Source(text=data.decode("utf-8", errors="replace"), kind="txt")
