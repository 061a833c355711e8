"""File names people see: safe to show and to send back, never used on disk."""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 150
_RESERVED = re.compile(r'[<>:"|?*]')


def extension(name: str) -> str:
    """The lower-case extension without its dot ("" when there is none)."""
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem and ext and " " not in ext else ""


def display_name(name: str, max_length: int = MAX_LENGTH, fallback: str = "file") -> str:
    """The last path part, without control or direction-override characters, trimmed.

    Vietnamese letters stay (normalised to their composed form, as Windows and
    macOS may send either form).
    """
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[/\\]", name)[-1]
    # Category C: control, format (e.g. U+202E, which makes "gpj.exe" read backwards), unassigned.
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = _RESERVED.sub("_", name)
    name = " ".join(name.split()).strip(" .")
    if not name:
        return fallback
    if len(name) <= max_length:
        return name
    ext = extension(name)
    if ext and len(ext) < 10:
        stem = name[: -(len(ext) + 1)][: max_length - len(ext) - 1].rstrip(" .")
        return f"{stem}.{ext}"
    return name[:max_length].rstrip(" .")


def with_extension(name: str, ext: str) -> str:
    """The name ending in `.ext`, added when the name has another or none."""
    return name if extension(name) == ext else f"{name}.{ext}"
