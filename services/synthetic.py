"""Realistic synthetic dossiers, seeded: for the demo province and the benchmark.

`rows(...)` yields dicts with the canonical columns of ../shared/domain/one-stop.md,
in the order received, as a provincial one-stop system would export them: most
dossiers received at the counter or online on working days in office hours, most
finished early or on time, some late, a few withdrawn or still in process, a
share with fees paid online, digitised files and electronic results. The same
seed gives the same rows.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from lib.workdays import WORKING_DAYS, Calendar
from services import dossier_import

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
# The canonical columns of the dossier file, in the importer's order.
COLUMNS = list(dossier_import.COLUMNS)


@dataclass(frozen=True)
class ProcedureSpec:
    code: str
    limit: Decimal  # working days
    fee: int  # VND, 0 when free
    online: bool  # offered online (fully or partly)


def rows(
    *,
    seed: int,
    count: int,
    agencies: list[str],
    procedures: list[ProcedureSpec],
    start: date,
    end: date,
    calendar: Calendar | None = None,
    now: date | None = None,
) -> Iterator[dict[str, Any]]:
    """`count` dossiers received between `start` and `end`, spread over the agencies and procedures.

    `now` (default `end`) is the export day: dossiers due after it may still be in process.
    """
    calendar = calendar or Calendar()
    now = now or end
    rng = random.Random(seed)
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    working = [d for d in days if calendar.is_working_day(d)] or days
    step = max(1, len(working) * 1_000_000 // max(count, 1))
    # A few procedures take most dossiers (a gentle Zipf curve), as in real one-stop data.
    weights = [1 / (k + 1) ** 0.8 for k in range(len(procedures))]
    picks = rng.choices(range(len(procedures)), weights=weights, k=min(count, 65536)) or [0]
    for n in range(count):
        day = working[min(len(working) - 1, n * step // 1_000_000)]
        agency = agencies[rng.randrange(len(agencies))]
        procedure = procedures[picks[n % len(picks)]]
        received = datetime.combine(day, time(7, 30), tzinfo=ZONE) + timedelta(minutes=rng.randrange(0, 570))
        if received.time() > time(11, 30) and received.time() < time(13, 0):
            received += timedelta(minutes=90)
        channel = (
            "online" if procedure.online and rng.random() < 0.45 else ("postal" if rng.random() < 0.05 else "direct")
        )
        supplements = 0 if rng.random() < 0.9 else (1 if rng.random() < 0.7 else 2)
        supplement_days = supplements * rng.randrange(1, 4)
        due = calendar.due(received, procedure.limit, WORKING_DAYS, extra_working_days=supplement_days)
        roll = rng.random()
        finished: datetime | None
        if roll < 0.01:
            status, finished = "withdrawn", None
        else:
            # Most finish a little before the due date; about 4% late.
            shift = -rng.randrange(0, 4) if rng.random() < 0.96 else rng.randrange(1, 6)
            finish_day = calendar.next_working_day(max(day, due + timedelta(days=shift)))
            finished = max(
                received + timedelta(minutes=20),
                datetime.combine(finish_day, time(15, 0), tzinfo=ZONE) + timedelta(minutes=rng.randrange(0, 90)),
            )
            if finish_day > now:
                status, finished = ("in_process" if rng.random() < 0.8 else "supplement_requested"), None
            else:
                status = "returned" if rng.random() < 0.7 else ("refused" if rng.random() < 0.03 else "processed")
        returned = finished + timedelta(days=rng.randrange(0, 3)) if status == "returned" and finished else None
        fee = procedure.fee
        yield {
            "code": f"{agency}-{day:%y%m%d}-{n:07d}",
            "procedure_code": procedure.code,
            "agency_code": agency,
            "channel": channel,
            "received_at": received.isoformat(timespec="minutes"),
            "due_at": due.isoformat() if rng.random() < 0.7 else "",
            "finished_at": finished.isoformat(timespec="minutes") if finished else "",
            "returned_at": returned.isoformat(timespec="minutes") if returned else "",
            "status": status,
            "supplement_requests": supplements,
            "supplement_days": supplement_days,
            "fee": fee,
            "paid_online": "true" if fee and channel == "online" and rng.random() < 0.6 else "false",
            "digitised": "true" if rng.random() < 0.55 else "false",
            "electronic_result": "true" if finished and rng.random() < 0.35 else "false",
        }


def write_csv(target: IO[str] | Path, items: Iterable[dict[str, Any]]) -> int:
    """Write the rows as the canonical CSV (UTF-8, header first); returns how many."""
    if isinstance(target, Path):
        with target.open("w", encoding="utf-8", newline="") as f:
            return write_csv(f, items)
    writer = csv.DictWriter(target, fieldnames=COLUMNS)
    writer.writeheader()
    written = 0
    for item in items:
        writer.writerow(item)
        written += 1
    return written
