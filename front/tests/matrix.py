"""What the access matrix is made of: personas, expected statuses, rows.

Rows live in `front/tests/test_access_matrix.py` and, for later apps, in their
own `tests/matrix_*.py` modules (merged into the matrix), so each app keeps its
rows beside its tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PERSONAS = ("anonymous", "admin", "leader", "coordinator", "unit_head", "staff", "overseer", "outsider")
INSIDERS = ("admin", "leader", "coordinator", "unit_head", "staff", "overseer")


def statuses(default: int, anonymous: int = 302, **overrides: int) -> dict[str, int]:
    result = {persona: default for persona in PERSONAS}
    result["anonymous"] = anonymous
    result.update(overrides)
    return result


# Readable by the agency's people, the province's overseer and administrators.
READ = statuses(200, outsider=404)
# Changeable by the agency's coordinator and administrators; others who can see
# it are refused (403); whoever cannot see it gets 404 like a missing object.
MANAGE = statuses(403, admin=200, coordinator=200, outsider=404)
MANAGE_POST = statuses(403, admin=302, coordinator=302, outsider=404)
EVERYONE = statuses(200)
ADMIN_ONLY = statuses(404, admin=200)
# Coordinators read their own agency's trail; the outsider's list shows only theirs.
AUDIT = statuses(404, admin=200, coordinator=200, outsider=200)


@dataclass
class Row:
    expect: dict[str, int]
    args: Callable[[Any], list[Any]] = lambda t: []
    method: str = "get"
    data: Callable[[Any], dict[str, Any]] = field(default=lambda t: {})
