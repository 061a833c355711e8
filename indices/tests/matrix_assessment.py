"""Access matrix rows of the self-assessment (merged into front/tests/test_access_matrix.py)."""

from __future__ import annotations

from front.tests.matrix import EVERYONE, READ, Row, statuses

# Coordinators and unit heads self-assess; leaders submit.
SELF = statuses(403, admin=200, coordinator=200, unit_head=200, outsider=404)
SELF_POST = statuses(403, admin=302, coordinator=302, unit_head=302, outsider=404)

ROWS = {
    "par:index": Row(EVERYONE),
    "par:assessment_open": Row(statuses(403, admin=200, coordinator=200, outsider=200)),
    "par:assessment_detail": Row(READ, args=lambda t: [t.assessment.pk]),
    "par:assessment_edit": Row(SELF, args=lambda t: [t.assessment.pk]),
    "par:assessment_submit": Row(
        statuses(403, admin=302, leader=302, outsider=404), args=lambda t: [t.assessment.pk], method="post"
    ),
    "par:assessment_report": Row(READ, args=lambda t: [t.assessment.pk, "docx"]),
    "par:score_edit": Row(READ, args=lambda t: [t.score.pk]),
    "par:evidence_add": Row(
        SELF_POST,
        args=lambda t: [t.score.pk],
        method="post",
        data=lambda t: {"kind": "document", "document": t.outgoing.pk, "locator": "tr. 5"},
    ),
    "par:evidence_delete": Row(SELF_POST, args=lambda t: [t.evidence.pk], method="post"),
}
