"""Access matrix rows of the improvement plan and of PAPI / PCI (merged into the access matrix)."""

from __future__ import annotations

from front.tests.matrix import EVERYONE, Row, statuses

ROWS = {
    "par:improvement_plan": Row(
        statuses(403, admin=200, coordinator=200, outsider=404), args=lambda t: [t.assessment.pk]
    ),
    "par:governance": Row(EVERYONE),
    "par:governance_record": Row(statuses(403, admin=200, overseer=200), args=lambda t: ["papi"]),
    "par:dimension_detail": Row(EVERYONE, args=lambda t: [t.dimension.pk]),
}
