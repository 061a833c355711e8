"""Access matrix rows of the appraisal, survey points and rankings (merged into the access matrix)."""

from __future__ import annotations

from front.tests.matrix import EVERYONE, READ, Row, statuses

APPRAISERS = statuses(403, admin=200, overseer=200, outsider=404)

ROWS = {
    "par:appraisal_list": Row(statuses(403, admin=200, overseer=200)),
    "par:appraise": Row(APPRAISERS, args=lambda t: [t.assessment.pk]),
    "par:advance": Row(
        statuses(403, admin=302, overseer=302, outsider=404), args=lambda t: [t.assessment.pk], method="post"
    ),
    "par:answers": Row(READ, args=lambda t: [t.assessment.pk]),
    "par:survey_entry": Row(APPRAISERS, args=lambda t: [t.assessment.pk]),
    "par:survey_import": Row(statuses(403, admin=200, overseer=200)),
    "par:survey_template": Row(statuses(403, admin=200, overseer=200)),
    "par:results": Row(READ, args=lambda t: [t.assessment.pk]),
    "par:ranking": Row(EVERYONE),
    "par:ranking_export": Row(EVERYONE),
}
