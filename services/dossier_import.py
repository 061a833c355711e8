"""The dossier import: the canonical CSV/XLSX of ../shared/domain/one-stop.md, or a mapped export.

The file is read row by row (csv over a text wrapper, openpyxl in read-only
mode), never whole, and written in chunks with one upsert each, so memory
stays flat whatever its size. A row that breaks a rule is rejected with its
line number and reason and the others land; the writes of a run are one
transaction, so an interrupted run leaves no partial batch. The
`DossierImport` row is saved before and after that transaction: it records
the failure too.

Dossiers are unique by agency and code: a re-import updates them. A procedure
code the catalogue does not know is created once as "unclassified" and
reported. A missing due date is computed from the procedure's time limit with
the working-day calendar.
"""

from __future__ import annotations

import csv
import io
import itertools
import logging
import re
import sys
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Agency, User
from lib import xlsx
from lib.text import fold
from lib.workdays import Calendar
from services import calendar, rollups
from services.models import (
    Channel,
    ColumnMapping,
    Dossier,
    DossierImport,
    DossierStatus,
    ImportStatus,
    Procedure,
)

logger = logging.getLogger(__name__)
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
CHUNK = 2000
MAX_ERRORS = 1000
# A header row further down than this is not a header row.
HEADER_SEARCH_ROWS = 20

COLUMNS = (
    "code",
    "procedure_code",
    "agency_code",
    "channel",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "status",
    "supplement_requests",
    "supplement_days",
    "fee",
    "paid_online",
    "digitised",
    "electronic_result",
)
REQUIRED = ("code", "procedure_code", "agency_code", "channel", "received_at", "status")
# Headers of the provincial one-stop-shop exports, suggested when a mapping is made.
ALIASES = {
    "mahoso": "code",
    "matthc": "procedure_code",
    "macoquan": "agency_code",
    "kenhthuchien": "channel",
    "ngaytiepnhan": "received_at",
    "ngayhentra": "due_at",
    "ngayketthucxuly": "finished_at",
    "ngaytraketqua": "returned_at",
    "trangthai": "status",
    "solanbosung": "supplement_requests",
    "songaybosung": "supplement_days",
    "philephi": "fee",
    "thanhtoantructuyen": "paid_online",
    "sohoa": "digitised",
    "ketquadientu": "electronic_result",
}
# The fields an update rewrites (the unit, set by hand, is kept).
UPDATED_FIELDS = [
    "procedure",
    "channel",
    "received_at",
    "due_date",
    "due_computed",
    "finished_at",
    "returned_at",
    "status",
    "supplement_requests",
    "supplement_days",
    "fee",
    "paid_online",
    "digitised",
    "electronic_result",
    "class_month",
    "class_quarter",
    "class_half",
    "class_year",
    "updated",
]

CHANNELS = {
    "direct": Channel.DIRECT,
    "1": Channel.DIRECT,
    "truc tiep": Channel.DIRECT,
    "online": Channel.ONLINE,
    "2": Channel.ONLINE,
    "truc tuyen": Channel.ONLINE,
    "postal": Channel.POSTAL,
    "3": Channel.POSTAL,
    "buu chinh": Channel.POSTAL,
    "buu dien": Channel.POSTAL,
}
STATUSES: dict[str, str] = {value: value for value in DossierStatus.values} | {
    "da tiep nhan": DossierStatus.RECEIVED,
    "tiep nhan": DossierStatus.RECEIVED,
    "yeu cau bo sung": DossierStatus.SUPPLEMENT_REQUESTED,
    "cho bo sung": DossierStatus.SUPPLEMENT_REQUESTED,
    "dang xu ly": DossierStatus.IN_PROCESS,
    "dang giai quyet": DossierStatus.IN_PROCESS,
    "da xu ly": DossierStatus.PROCESSED,
    "da giai quyet": DossierStatus.PROCESSED,
    "da tra ket qua": DossierStatus.RETURNED,
    "tu choi": DossierStatus.REFUSED,
    "dung xu ly": DossierStatus.STOPPED,
    "rut ho so": DossierStatus.WITHDRAWN,
    "cong dan rut ho so": DossierStatus.WITHDRAWN,
}
TRUE = {"true", "1", "co", "yes", "x"}
FALSE = {"false", "0", "khong", "no", ""}
_GROUPED = re.compile(r"^\d{1,3}([.,\s])\d{3}(\1\d{3})*$")
_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d-%m-%Y", "%d-%m-%Y %H:%M")
MAX_SMALL = 32767
MAX_FEE = Decimal(10) ** 14


class FileRejected(Exception):
    """The file as a whole cannot be imported; the message says why, for the person."""


class MissingColumns(FileRejected):
    """Required canonical columns are not in the file: a column mapping may help."""


@dataclass
class Result:
    rows: int = 0
    created: int = 0
    updated: int = 0
    rejected: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    new_procedures: list[str] = field(default_factory=list)

    def reject(self, line: int, reason: str) -> None:
        self.rejected += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"line": line, "reason": reason})


# Reading the file ------------------------------------------------------------


def read_rows(
    file: IO[bytes], name: str, *, size: int | None = None, max_bytes: int | None = None
) -> Generator[tuple[int, list[Any]]]:
    """(line number, cell values) of every row of a .csv or .xlsx file, header first, blank rows skipped."""
    lower = name.lower()
    if lower.endswith(".csv"):
        if max_bytes is not None and size is not None and size > max_bytes:
            raise FileRejected(_too_large(max_bytes))
        return _csv_rows(file)
    if lower.endswith(".xlsx"):
        return _xlsx_rows(file, name, size, max_bytes)
    raise FileRejected(
        _("The file “%(name)s” is neither a CSV file (.csv) nor an Excel workbook (.xlsx).") % {"name": name}
    )


def _too_large(max_bytes: int) -> str:
    return _("The file is larger than %(limit)s MB. Import it with the import_dossiers command.") % {
        "limit": max_bytes // (1024 * 1024)
    }


def _csv_rows(file: IO[bytes]) -> Generator[tuple[int, list[Any]]]:
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    try:
        first = text.readline()
        # Excel saves "CSV" with semicolons where the decimal mark is a comma.
        delimiter = ";" if first.count(";") > first.count(",") else ","
        reader = csv.reader(itertools.chain([first], text), delimiter=delimiter)
        for values in reader:
            if any(value.strip() for value in values):
                yield reader.line_num, values
    except UnicodeDecodeError as exc:
        raise FileRejected(
            _("The file is not text encoded as UTF-8. In Excel, save it as “CSV UTF-8” and try again.")
        ) from exc
    except csv.Error as exc:
        raise FileRejected(_("The CSV file could not be read: %(error)s") % {"error": exc}) from exc
    finally:
        text.detach()


def _xlsx_rows(file: IO[bytes], name: str, size: int | None, max_bytes: int | None) -> Generator[tuple[int, list[Any]]]:
    try:
        workbook = xlsx.open_workbook(
            file,
            name,
            size,
            read_only=True,
            max_bytes=max_bytes or sys.maxsize,
            # Read-only openpyxl streams the sheet: only a page's upload needs a bound against zip bombs.
            max_unpacked_bytes=(max_bytes * 20) if max_bytes else sys.maxsize,
        )
    except xlsx.Rejected as rejected:
        raise FileRejected(str(rejected)) from rejected
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise FileRejected(_("The workbook has no sheet to import."))
        for line, values in enumerate(sheets[0].iter_rows(values_only=True), start=1):
            if any(value is not None and str(value).strip() for value in values):
                yield line, list(values)
    finally:
        workbook.close()


def _header_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def resolve_columns(headers: Sequence[Any], mapping: ColumnMapping | None) -> dict[str, int]:
    """The position of each canonical column in the file (required ones all present), by the mapping if any."""
    names = [_header_text(h) for h in headers]
    last = max((i for i, n in enumerate(names) if n), default=-1)
    blanks = [i for i in range(last) if not names[i]]
    if blanks:
        raise FileRejected(
            _(
                "The header row has an empty or merged cell in column %(column)s. Unmerge the header cells and "
                "give every column its own name."
            )
            % {"column": blanks[0] + 1}
        )
    position = {n.lower(): i for i, n in reversed(list(enumerate(names))) if n}
    columns: dict[str, int] = {}
    if mapping is not None:
        absent = [str(h) for h in mapping.columns.values() if h and str(h).strip().lower() not in position]
        if absent:
            raise FileRejected(
                _(
                    "The mapping “%(mapping)s” names headers that are not in the file: %(absent)s. "
                    "Headers found: %(found)s."
                )
                % {"mapping": mapping.name, "absent": ", ".join(absent), "found": ", ".join(n for n in names if n)}
            )
        for column, header in mapping.columns.items():
            if column in COLUMNS and header:
                columns[column] = position[str(header).strip().lower()]
    for column in COLUMNS:
        if column not in columns and column in position:
            columns[column] = position[column]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise MissingColumns(
            _(
                "Required columns are missing: %(missing)s. Headers found: %(found)s. Rename the headers or "
                "choose a column mapping."
            )
            % {"missing": ", ".join(missing), "found": ", ".join(n for n in names if n) or "—"}
        )
    return columns


def suggest(headers: Sequence[Any]) -> dict[str, str]:
    """Canonical column → header of the file, from canonical names and known aliases."""
    found: dict[str, str] = {}
    for header in headers:
        text = _header_text(header)
        key = fold(text).replace(" ", "").replace("_", "")
        column = text.lower() if text.lower() in COLUMNS else ALIASES.get(key)
        if column and column not in found:
            found[column] = text
    return found


def read_headers(file: IO[bytes], name: str, *, size: int | None = None, max_bytes: int | None = None) -> list[str]:
    """The header row of a file (for the mapping step)."""
    rows = read_rows(file, name, size=size, max_bytes=max_bytes)
    try:
        first = next(rows, None)
    finally:
        rows.close()
    return [_header_text(v) for v in first[1] if _header_text(v)] if first else []


# Reading values --------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_moment(value: Any) -> datetime | None:
    """A date-time from an Excel cell or text (ISO 8601, dd/mm/yyyy [HH:MM]); no offset means Vietnam's time."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time.min)
    else:
        text = str(value).strip()
        if not text:
            return None
        moment = _parse_text(text)
    if timezone.is_naive(moment):
        return moment.replace(tzinfo=ZONE)
    return moment


def _parse_text(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise ValueError(text)


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = fold(_text(value))
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError(text)


def parse_count(value: Any) -> int:
    text = _text(value)
    if not text:
        return 0
    if not text.isdigit() or int(text) > MAX_SMALL:
        raise ValueError(text)
    return int(text)


def parse_fee(value: Any) -> Decimal:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        amount = Decimal(str(value))
    else:
        text = re.sub(r"(?i)\s*(vnd|vnđ|đ|d)$", "", _text(value)).strip()
        if not text:
            return Decimal(0)
        if _GROUPED.match(text):
            text = re.sub(r"[.,\s]", "", text)
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(text) from None
    if amount < 0 or amount != amount.to_integral_value() or amount >= MAX_FEE:
        raise ValueError(str(value))
    return amount.to_integral_value()


# Checking rows ---------------------------------------------------------------


@dataclass
class Row:
    line: int
    code: str
    procedure_code: str
    values: dict[str, Any]
    due_given: bool


class RowReader:
    """Turns cell values into the fields of a dossier, or a reason to reject the row."""

    def __init__(self, agency: Agency, columns: dict[str, int]) -> None:
        self.agency = agency
        self.columns = columns
        self.agency_codes = {c.lower() for c in (agency.code, agency.abbreviation) if c}
        self.seen: dict[str, int] = {}

    def cell(self, values: Sequence[Any], column: str) -> Any:
        index = self.columns.get(column)
        if index is None or index >= len(values):
            return None
        return values[index]

    def read(self, line: int, values: Sequence[Any]) -> Row | list[str]:
        reasons: list[str] = []

        def cell(column: str) -> Any:
            return self.cell(values, column)

        missing = [c for c in REQUIRED if not _text(cell(c))]
        if missing:
            return [_("Required values are missing: %(columns)s.") % {"columns": ", ".join(missing)}]
        code = _text(cell("code"))
        procedure_code = _text(cell("procedure_code"))
        if len(code) > 100:
            reasons.append(_("The dossier code is longer than 100 characters."))
        if len(procedure_code) > 50:
            reasons.append(_("The procedure code is longer than 50 characters."))
        if _text(cell("agency_code")).lower() not in self.agency_codes:
            reasons.append(
                _("This row belongs to another agency (%(code)s), not to the agency imported.")
                % {"code": _text(cell("agency_code"))}
            )
        channel = CHANNELS.get(fold(_text(cell("channel"))))
        if channel is None:
            reasons.append(
                _("Unknown channel “%(value)s”: use direct, online or postal (or 1, 2, 3).")
                % {"value": _text(cell("channel"))}
            )
        status = STATUSES.get(_status_key(cell("status")))
        if status is None:
            reasons.append(
                _("Unknown status “%(value)s”: use one of %(statuses)s.")
                % {"value": _text(cell("status")), "statuses": ", ".join(DossierStatus.values)}
            )
        moments: dict[str, datetime | None] = {}
        for column in ("received_at", "due_at", "finished_at", "returned_at"):
            try:
                moments[column] = parse_moment(cell(column))
            except (ValueError, OverflowError):
                moments[column] = None
                reasons.append(
                    _("The date “%(value)s” in %(column)s is not a date: use yyyy-mm-dd [hh:mm] or dd/mm/yyyy [hh:mm].")
                    % {"value": _text(cell(column)), "column": column}
                )
        received, finished = moments["received_at"], moments["finished_at"]
        if received and finished and finished < received:
            reasons.append(_("The dossier finished (finished_at) before it was received (received_at)."))
        counts: dict[str, int] = {}
        for column in ("supplement_requests", "supplement_days"):
            try:
                counts[column] = parse_count(cell(column))
            except ValueError:
                counts[column] = 0
                reasons.append(
                    _("The value “%(value)s” in %(column)s is not a whole number of 0 or more.")
                    % {"value": _text(cell(column)), "column": column}
                )
        try:
            fee = parse_fee(cell("fee"))
        except ValueError:
            fee = Decimal(0)
            reasons.append(
                _("The fee “%(value)s” is not an amount in VND (e.g. 50000 or 50.000).") % {"value": _text(cell("fee"))}
            )
        flags: dict[str, bool] = {}
        for column in ("paid_online", "digitised", "electronic_result"):
            try:
                flags[column] = parse_bool(cell(column))
            except ValueError:
                flags[column] = False
                reasons.append(
                    _("The value “%(value)s” in %(column)s is not true/false (or 1/0, có/không).")
                    % {"value": _text(cell(column)), "column": column}
                )
        if not reasons and code in self.seen:
            reasons.append(repeated(self.seen[code]))
        if reasons:
            return reasons
        self.seen[code] = line
        due = moments["due_at"]
        return Row(
            line=line,
            code=code,
            procedure_code=procedure_code,
            due_given=due is not None,
            values={
                "channel": channel,
                "status": status,
                "received_at": received,
                "due_date": timezone.localdate(due, ZONE) if due else None,
                "finished_at": finished,
                "returned_at": moments["returned_at"],
                "fee": fee,
                **counts,
                **flags,
            },
        )


def repeated(first_line: int) -> str:
    """The reason of a row whose code an earlier accepted row of the file already has."""
    return _("Dossier code repeated in this file (first at line %(line)s).") % {"line": first_line}


def _status_key(value: Any) -> str:
    text = fold(_text(value))
    return text.replace(" ", "_") if text.replace(" ", "_") in DossierStatus.values else text


# Writing ---------------------------------------------------------------------


class Writer:
    """Upserts the checked rows of a run in chunks; makes the unknown procedures on the way."""

    def __init__(self, agency: Agency, result: Result, workdays: Calendar) -> None:
        self.agency = agency
        self.result = result
        self.calendar = workdays
        self.procedures: dict[str, Procedure] = {}
        # The (agency, month of receipt) pairs whose rollups the run changed.
        self.months: set[tuple[int, date]] = set()

    def procedures_for(self, codes: set[str]) -> None:
        wanted = codes - self.procedures.keys()
        if not wanted:
            return
        for procedure in Procedure.objects.filter(code__in=wanted).only("pk", "code", "time_limit", "time_unit"):
            self.procedures[procedure.code] = procedure
        for code in sorted(wanted - self.procedures.keys()):
            self.procedures[code] = Procedure.objects.create(
                code=code, name=code, unclassified=True, agency=self.agency
            )
            self.result.new_procedures.append(code)

    def write(self, rows: list[Row]) -> None:
        if not rows:
            return
        self.procedures_for({row.procedure_code for row in rows})
        codes = [row.code for row in rows]
        existing = dict(Dossier.objects.filter(agency=self.agency, code__in=codes).values_list("code", "received_at"))
        self.months.update((self.agency.pk, rollups.month_of(received)) for received in existing.values())
        now = timezone.now()
        dossiers = []
        for row in rows:
            procedure = self.procedures[row.procedure_code]
            values = dict(row.values)
            values["due_computed"] = False
            if not row.due_given and procedure.time_limit is not None:
                values["due_date"] = self.calendar.due(
                    timezone.localtime(values["received_at"], ZONE),
                    procedure.time_limit,
                    procedure.time_unit,
                    extra_working_days=values["supplement_days"],
                )
                values["due_computed"] = True
            dossier = Dossier(agency=self.agency, code=row.code, procedure=procedure, updated=now, **values)
            # bulk_create skips Dossier.save(): classify here, as it would.
            dossiers.append(rollups.classify(dossier))
            self.months.add((self.agency.pk, rollups.month_of(dossier.received_at)))
        Dossier.objects.bulk_create(
            dossiers, update_conflicts=True, unique_fields=["agency", "code"], update_fields=UPDATED_FIELDS
        )
        self.result.updated += len(existing)
        self.result.created += len(rows) - len(existing)


def _write_chunk(writer: Writer, rows: list[Row]) -> None:
    writer.write(rows)


def import_rows(
    rows: Iterator[tuple[int, list[Any]]], agency: Agency, mapping: ColumnMapping | None, chunk_size: int = CHUNK
) -> Result:
    """Check and write every row; the caller holds the transaction."""
    result = Result()
    header = next(rows, None)
    if header is None:
        raise FileRejected(_("The file is empty: it has no header row."))
    reader = RowReader(agency, resolve_columns(header[1], mapping))
    writer = Writer(agency, result, calendar.current())
    pending: list[Row] = []
    for line, values in rows:
        result.rows += 1
        read = reader.read(line, values)
        if isinstance(read, list):
            result.reject(line, " ".join(read))
            continue
        pending.append(read)
        if len(pending) >= chunk_size:
            _write_chunk(writer, pending)
            pending = []
    _write_chunk(writer, pending)
    rollups.refresh(writer.months)
    return result


def run_import(
    file: IO[bytes],
    name: str,
    agency: Agency,
    *,
    mapping: ColumnMapping | None = None,
    user: User | None = None,
    size: int | None = None,
    max_bytes: int | None = None,
    chunk_size: int | None = None,
    run: DossierImport | None = None,
) -> DossierImport:
    """Import a file of dossiers for `agency`; the run (made here unless a queued one is given) records the
    counts, or the failure and its reason."""
    if run is None:
        run = DossierImport.objects.create(agency=agency, original_name=name[:255], mapping=mapping, created_by=user)
    try:
        with transaction.atomic():
            rows = read_rows(file, name, size=size, max_bytes=max_bytes)
            # PostgreSQL and a plain CSV file: the COPY + SQL path (None when the file does not suit it).
            # A chunk size asks for the chunked Python path.
            from services import dossier_import_pg

            result = None
            if chunk_size is None and dossier_import_pg.applies(name):
                result = dossier_import_pg.import_csv(file, name, agency, mapping)
            if result is None:
                result = import_rows(rows, agency, mapping, chunk_size or CHUNK)
    except FileRejected as rejected:
        return _finish(run, ImportStatus.FAILED, message=str(rejected))
    except Exception as exc:  # an interrupted run: nothing of it was written, and the run says so
        logger.exception("dossier import %s stopped", run.pk)
        return _finish(
            run,
            ImportStatus.FAILED,
            message=_("The import stopped and nothing of this file was stored: %(error)s") % {"error": exc},
        )
    return _finish(run, ImportStatus.DONE, result=result)


def fail(run: DossierImport, reason: str) -> DossierImport:
    """A run that could not start (its stored file is gone): failed, with the reason."""
    return _finish(
        run,
        ImportStatus.FAILED,
        message=_("The import stopped and nothing of this file was stored: %(error)s") % {"error": reason},
    )


def _finish(run: DossierImport, status: str, *, message: str = "", result: Result | None = None) -> DossierImport:
    run.status = status
    run.message = message
    run.finished_at = timezone.now()
    if result is not None:
        run.rows = result.rows
        run.created_count = result.created
        run.updated_count = result.updated
        run.rejected_count = result.rejected
        run.errors = result.errors
        run.new_procedures = result.new_procedures
    run.save()
    return run
