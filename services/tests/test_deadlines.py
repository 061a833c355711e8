"""Hand-worked deadline statuses (../shared/domain/one-stop.md, "Status of a dossier")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase

from services.deadlines import DeadlineStatus, end_date, status

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = date(2024, 2, 19)


@dataclass
class D:
    status: str = "processed"
    due_date: date | None = DUE
    finished_at: datetime | None = None
    returned_at: datetime | None = None
    supplement_requests: int = 0


def on(day: int, month: int = 2, hour: int = 10) -> datetime:
    return datetime(2024, month, day, hour, tzinfo=ZONE)


class DeadlineStatusTestCase(SimpleTestCase):
    def test_finished_dossiers_compare_dates_not_times(self) -> None:
        reference = date(2024, 3, 31)
        self.assertEqual(status(D(finished_at=on(16)), reference), DeadlineStatus.EARLY)
        self.assertEqual(status(D(finished_at=on(19, hour=23)), reference), DeadlineStatus.ON_TIME)
        self.assertEqual(status(D(finished_at=on(20, hour=7)), reference), DeadlineStatus.LATE)

    def test_the_end_is_the_finish_else_the_return(self) -> None:
        self.assertEqual(status(D(returned_at=on(21)), date(2024, 3, 31)), DeadlineStatus.LATE)
        self.assertEqual(end_date(D(finished_at=on(16), returned_at=on(21))), date(2024, 2, 16))
        # 23:30 UTC on 18/02 is 06:30 on 19/02 in Vietnam: on time, by the local date.
        utc_evening = datetime(2024, 2, 18, 23, 30, tzinfo=ZoneInfo("UTC"))
        self.assertEqual(status(D(finished_at=utc_evening), date(2024, 3, 31)), DeadlineStatus.ON_TIME)

    def test_in_process_against_the_reference_date(self) -> None:
        self.assertEqual(status(D(status="in_process"), date(2024, 2, 19)), DeadlineStatus.IN_PROCESS_WITHIN)
        self.assertEqual(status(D(status="in_process"), date(2024, 2, 20)), DeadlineStatus.IN_PROCESS_LATE)

    def test_a_dossier_finished_after_the_reference_was_in_process_then(self) -> None:
        dossier = D(finished_at=on(16, month=3))
        self.assertEqual(status(dossier, date(2024, 2, 29)), DeadlineStatus.IN_PROCESS_LATE)
        self.assertEqual(status(dossier, date(2024, 2, 18)), DeadlineStatus.IN_PROCESS_WITHIN)
        self.assertEqual(status(dossier, date(2024, 3, 31)), DeadlineStatus.LATE)

    def test_more_than_one_supplement_request_is_late_whatever_the_dates(self) -> None:
        self.assertEqual(status(D(finished_at=on(10), supplement_requests=2), date(2024, 3, 31)), DeadlineStatus.LATE)
        self.assertEqual(
            status(D(status="supplement_requested", supplement_requests=2), date(2024, 2, 10)),
            DeadlineStatus.IN_PROCESS_LATE,
        )
        self.assertEqual(status(D(finished_at=on(10), supplement_requests=1), date(2024, 3, 31)), DeadlineStatus.EARLY)

    def test_withdrawn_dossiers_are_not_counted(self) -> None:
        self.assertEqual(status(D(status="withdrawn", finished_at=on(25)), date(2024, 3, 31)), DeadlineStatus.EXCLUDED)

    def test_without_a_due_date_nothing_is_late(self) -> None:
        self.assertEqual(status(D(due_date=None, finished_at=on(25)), date(2024, 3, 31)), DeadlineStatus.ON_TIME)
        self.assertEqual(
            status(D(due_date=None, status="in_process"), date(2025, 1, 1)), DeadlineStatus.IN_PROCESS_WITHIN
        )
