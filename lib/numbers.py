"""Numbers as people type them and as Vietnamese documents print them.

`decimal` reads a number from a form field or a spreadsheet cell: a comma is a
decimal separator ("3,5"), a blank is no number, anything else raises
ValueError (so callers word their own message). `vn` writes one with a fixed
number of decimals and the Vietnamese decimal comma ("85,50"), for documents
that are Vietnamese whatever the reader's interface language.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any


def decimal(value: Any) -> Decimal | None:
    """The number in value; None when it is blank; ValueError when it is not a finite number."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    # str() of a float is its shortest form: Excel's 0.1 reads "0.1", not 0.1000000000000000055….
    text = str(value) if isinstance(value, int | float | Decimal) else str(value).strip().replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    return number


def vn(value: Decimal | None, places: int = 2, empty: str = "") -> str:
    """ "85,50": `places` decimals with the Vietnamese decimal comma; `empty` when there is no value."""
    return empty if value is None else f"{value:.{places}f}".replace(".", ",")
