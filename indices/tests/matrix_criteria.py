"""Access matrix rows of the criteria sets (merged into front/tests/test_access_matrix.py)."""

from __future__ import annotations

from front.tests.matrix import EVERYONE, Row, statuses

KEEPERS = statuses(403, admin=200, overseer=200)
KEEPERS_POST = statuses(403, admin=302, overseer=302)

ROWS = {
    "par:set_list": Row(EVERYONE),
    "par:set_create": Row(KEEPERS),
    "par:set_import": Row(KEEPERS),
    "par:set_template": Row(KEEPERS),
    "par:set_detail": Row(EVERYONE, args=lambda t: [t.criteria_set.pk]),
    "par:set_edit": Row(KEEPERS, args=lambda t: [t.draft_set.pk]),
    "par:set_copy": Row(KEEPERS_POST, args=lambda t: [t.criteria_set.pk], method="post"),
    "par:set_publish": Row(KEEPERS_POST, args=lambda t: [t.draft_set.pk], method="post"),
    "par:set_export": Row(EVERYONE, args=lambda t: [t.criteria_set.pk]),
    "par:criterion_create": Row(KEEPERS, args=lambda t: [t.draft_set.pk]),
    "par:criterion_edit": Row(KEEPERS, args=lambda t: [t.draft_set.criteria.get(code="1.1").pk]),
    "par:criterion_delete": Row(KEEPERS_POST, args=lambda t: [t.draft_set.criteria.get(code="4.2").pk], method="post"),
}
