"""A dossier's status against its deadline, by the rules of ../shared/domain/one-stop.md.

Dates are compared, not times. D is the due date; E the date the dossier ended
(finished, else result returned). Everything is judged as of a reference date
(the last day of the period computed, or today): a dossier that ended after the
reference date was still in process then.

| case                                   | status                      |
|----------------------------------------|-----------------------------|
| withdrawn                              | excluded from the counts    |
| more than one supplement request       | late (in process: late)     |
| E < D / E = D / E > D                  | early / on time / late      |
| no E, reference ≤ D                    | in process, within deadline |
| no E, reference > D                    | in process, late            |

A dossier without a due date (a procedure without a time limit) is never late.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeadlineStatus(models.TextChoices):
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    IN_PROCESS_WITHIN = "in_process_within", _("In process, within the deadline")
    IN_PROCESS_LATE = "in_process_late", _("In process, late")
    EXCLUDED = "excluded", _("Withdrawn (not counted)")


FINISHED = (DeadlineStatus.EARLY, DeadlineStatus.ON_TIME, DeadlineStatus.LATE)
# The on-time rate's numerator (766 indicator 2.1).
COUNTS_ON_TIME = (DeadlineStatus.EARLY, DeadlineStatus.ON_TIME, DeadlineStatus.IN_PROCESS_WITHIN)


class DossierLike(Protocol):
    status: str
    due_date: date | None
    finished_at: datetime | None
    returned_at: datetime | None
    supplement_requests: int


def end_date(dossier: DossierLike) -> date | None:
    moment = dossier.finished_at or dossier.returned_at
    return timezone.localdate(moment) if moment is not None else None


def status(dossier: DossierLike, reference: date | None = None) -> str:
    """The dossier's deadline status as of `reference` (today by default)."""
    if dossier.status == "withdrawn":
        return DeadlineStatus.EXCLUDED
    reference = reference or timezone.localdate()
    end = end_date(dossier)
    if end is not None and end > reference:
        end = None  # it ended after the reference date: still in process then
    due = dossier.due_date
    if dossier.supplement_requests > 1:  # the national 766 rule
        return DeadlineStatus.LATE if end is not None else DeadlineStatus.IN_PROCESS_LATE
    if end is not None:
        if due is None or end == due:
            return DeadlineStatus.ON_TIME
        return DeadlineStatus.EARLY if end < due else DeadlineStatus.LATE
    if due is None or reference <= due:
        return DeadlineStatus.IN_PROCESS_WITHIN
    return DeadlineStatus.IN_PROCESS_LATE
