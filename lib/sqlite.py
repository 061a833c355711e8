"""Unicode-aware case folding for SQLite, the default database.

SQLite's LIKE and lower() fold ASCII letters only, so searching "sở" would miss
"Sở" and a unique constraint on Lower("abbreviation") would let "ĐTN" and "đtn"
live side by side. PostgreSQL folds Unicode already; on SQLite we replace those
functions with Python's, on every new connection.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=256)
def _like_regex(pattern: str, escape: str | None) -> re.Pattern[str]:
    parts: list[str] = []
    chars = iter(pattern.casefold())
    for char in chars:
        if escape and char == escape:
            parts.append(re.escape(next(chars, "")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL)


def like(pattern: str | None, value: str | None, escape: str | None = None) -> bool | None:
    # SQLite calls like(pattern, value[, escape]) for "value LIKE pattern [ESCAPE escape]".
    if pattern is None or value is None:
        return None
    return _like_regex(pattern, escape).fullmatch(str(value).casefold()) is not None


def lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


def install(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver: register the functions on SQLite connections."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("like", 2, like, deterministic=True)
    raw.create_function("like", 3, like, deterministic=True)
    raw.create_function("lower", 1, lower, deterministic=True)
    raw.create_function("upper", 1, upper, deterministic=True)
