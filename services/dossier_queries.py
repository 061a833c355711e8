"""The deadline status of `services.deadlines.status` in SQL, to filter and count lists of dossiers.

`with_end(queryset)` annotates `deadline_end`, the local date the dossier ended
(finished, else result returned); `status_q(name, reference)` is the condition
of one status as of `reference` on that annotation. Tests hold the two versions
of the rules together.
"""

from __future__ import annotations

from datetime import date

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from services.deadlines import DeadlineStatus
from services.models import Dossier, DossierStatus


def with_end(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return queryset.annotate(
        deadline_end=TruncDate(Coalesce("finished_at", "returned_at"), tzinfo=timezone.get_current_timezone())
    )


def status_q(name: str, reference: date) -> Q:
    """The dossiers of status `name` as of `reference` (on a queryset passed through `with_end`)."""
    counted = ~Q(status=DossierStatus.WITHDRAWN)
    ended = Q(deadline_end__lte=reference)
    running = Q(deadline_end__isnull=True) | Q(deadline_end__gt=reference)
    supplemented = Q(supplement_requests__gt=1)  # late whatever the dates (the 766 rule)
    plain = Q(supplement_requests__lte=1)
    no_due = Q(due_date__isnull=True)
    conditions = {
        DeadlineStatus.EXCLUDED: Q(status=DossierStatus.WITHDRAWN),
        DeadlineStatus.EARLY: counted & ended & plain & Q(deadline_end__lt=F("due_date")),
        DeadlineStatus.ON_TIME: counted & ended & plain & (no_due | Q(deadline_end=F("due_date"))),
        DeadlineStatus.LATE: counted & ended & (supplemented | Q(deadline_end__gt=F("due_date"))),
        DeadlineStatus.IN_PROCESS_WITHIN: counted & running & plain & (no_due | Q(due_date__gte=reference)),
        DeadlineStatus.IN_PROCESS_LATE: counted & running & (supplemented | Q(due_date__lt=reference)),
    }
    return conditions[DeadlineStatus(name)]


def with_status(queryset: QuerySet[Dossier], name: str, reference: date | None = None) -> QuerySet[Dossier]:
    return with_end(queryset).filter(status_q(name, reference or timezone.localdate()))
