"""The procedure catalogue from a CSV or XLSX export: reading, mapping, checking, saving.

`read_table` turns an upload into a header row and text rows (a whole-file
problem raises `Rejected` with a message for the person). A mapping says
which header holds each canonical column (`suggest` guesses it from the
canonical names and the usual Vietnamese headers). `import_rows` checks every
row and upserts the good ones by national code in one transaction: rows that
break a rule are reported with their line number and reason, the others land.

Only the mapped columns are written to an existing procedure, so a file
without fees leaves the fees alone. A coordinator's import touches only the
procedures of the agencies they manage.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Agency, User
from lib import xlsx
from lib.text import fold
from services.models import ColumnMapping, MappingTarget, OnlineLevel, Procedure, TimeUnit

Rejected = xlsx.Rejected


@dataclass(frozen=True)
class Column:
    key: str
    required: bool
    aliases: tuple[str, ...]  # headers people use, folded


COLUMNS = (
    Column("code", True, ("matthc", "ma tthc", "ma thu tuc", "ma so", "ma")),
    Column("name", True, ("tentthc", "ten tthc", "ten thu tuc", "ten thu tuc hanh chinh")),
    Column("field", False, ("linhvuc", "linh vuc")),
    Column("agency", False, ("coquan", "co quan", "co quan thuc hien", "co quan giai quyet", "agency_code")),
    Column("online_level", False, ("mucdo", "muc do", "muc do dvc", "muc do dich vu cong", "dvc truc tuyen")),
    Column("time_limit", False, ("thoihan", "thoi han", "thoi han giai quyet", "thoi gian giai quyet")),
    Column("time_unit", False, ("donvi", "don vi", "don vi thoi han", "don vi tinh")),
    Column("fee", False, ("philephi", "phi, le phi", "phi le phi", "phi", "le phi")),
    Column("published_on", False, ("ngaycongbo", "ngay cong bo", "ngay ban hanh")),
)
KEYS = tuple(column.key for column in COLUMNS)
REQUIRED = tuple(column.key for column in COLUMNS if column.required)
MAX_ROWS = 20000
PREVIEW_ROWS = 5

_ONLINE = {
    "full": OnlineLevel.FULL,
    "toan trinh": OnlineLevel.FULL,
    "truc tuyen toan trinh": OnlineLevel.FULL,
    "dvc truc tuyen toan trinh": OnlineLevel.FULL,
    "muc do 4": OnlineLevel.FULL,
    "4": OnlineLevel.FULL,
    "fully online": OnlineLevel.FULL,
    "partial": OnlineLevel.PARTIAL,
    "mot phan": OnlineLevel.PARTIAL,
    "truc tuyen mot phan": OnlineLevel.PARTIAL,
    "dvc truc tuyen mot phan": OnlineLevel.PARTIAL,
    "muc do 3": OnlineLevel.PARTIAL,
    "3": OnlineLevel.PARTIAL,
    "partly online": OnlineLevel.PARTIAL,
    "none": OnlineLevel.NONE,
    "khong": OnlineLevel.NONE,
    "not online": OnlineLevel.NONE,
    "muc do 2": OnlineLevel.NONE,
    "muc do 1": OnlineLevel.NONE,
    "2": OnlineLevel.NONE,
    "1": OnlineLevel.NONE,
    "": OnlineLevel.NONE,
}
# Written after the number ("05 ngày làm việc") or alone in the unit column.
_UNITS = {
    "working_days": TimeUnit.WORKING_DAYS,
    "ngay lam viec": TimeUnit.WORKING_DAYS,
    "working days": TimeUnit.WORKING_DAYS,
    "days": TimeUnit.DAYS,
    "ngay": TimeUnit.DAYS,
    "ngay (lich)": TimeUnit.DAYS,
    "hours": TimeUnit.HOURS,
    "gio": TimeUnit.HOURS,
    "gio lam viec": TimeUnit.HOURS,
    "working hours": TimeUnit.HOURS,
    "months": TimeUnit.MONTHS,
    "thang": TimeUnit.MONTHS,
}
_NUMBER_FIRST = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(.*)$")
_AMOUNT = re.compile(r"^(?:\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*|\d+)$")
_CURRENCY = re.compile(r"\s*(?:vnd|dong|d)\.?$")
_NO_FEE = {"", "0", "khong", "mien phi", "khong thu phi", "khong co", "none"}
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
MAX_TIME_LIMIT = Decimal("999999")
MAX_FEE = Decimal("99999999999999")


# Reading -------------------------------------------------------------------


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line number, cells as text)

    def to_json(self) -> dict[str, Any]:
        return {"headers": self.headers, "rows": [[line, cells] for line, cells in self.rows]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Table:
        rows = [(int(line), [str(c) for c in cells]) for line, cells in data["rows"]]
        return cls([str(h) for h in data["headers"]], rows)


def max_bytes() -> int:
    return int(settings.PLAN_IMPORT_MAX_BYTES)


def read_table(file: IO[bytes], name: str, size: int | None = None) -> Table:
    """The file's header row and its non-empty rows, every cell as text (dates as ISO)."""
    lower = name.lower()
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
    if size > max_bytes():
        raise Rejected(
            _("The file is larger than %(limit)s MB. Split it into smaller files.")
            % {"limit": max_bytes() // (1024 * 1024)}
        )
    if lower.endswith(".xlsx"):
        return _read_xlsx(file, name, size)
    if lower.endswith(".csv"):
        file.seek(0)
        return _read_csv(file.read(), name)
    raise Rejected(
        _("The file “%(name)s” is not a table: upload an Excel workbook (.xlsx) or a CSV file (.csv).") % {"name": name}
    )


def _read_csv(data: bytes, name: str) -> Table:
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise Rejected(
            _("The file “%(name)s” is not UTF-8 or UTF-16 text. Save it as “CSV UTF-8” and try again.") % {"name": name}
        ) from exc
    if "\x00" in text:
        raise Rejected(
            _("The file “%(name)s” is not a table: upload an Excel workbook (.xlsx) or a CSV file (.csv).")
            % {"name": name}
        )
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            cells = [cell.strip() for cell in record]
            if headers is None:
                headers = cells
                continue
            if any(cells):
                rows.append((start, cells))
                _check_rows(rows)
    except csv.Error as exc:
        raise Rejected(
            _("The file “%(name)s” could not be read as CSV near line %(line)s.") % {"name": name, "line": line}
        ) from exc
    return _table(headers, rows, name)


def _read_xlsx(file: IO[bytes], name: str, size: int) -> Table:
    # Not read-only: merged header cells are seen (their top-left cell keeps the value).
    workbook = xlsx.open_workbook(file, name, size, read_only=False, max_bytes=max_bytes())
    sheet = workbook.worksheets[0]
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_text(value) for value in values]
        if headers is None:
            if any(cells):
                headers = cells
            continue
        if any(cells):
            rows.append((number, cells))
            _check_rows(rows)
    return _table(headers, rows, name)


def _check_rows(rows: list[Any]) -> None:
    if len(rows) > MAX_ROWS:
        raise Rejected(
            _("The file has more than %(count)s rows. Split it into smaller files.") % {"count": f"{MAX_ROWS:,}"}
        )


def _table(headers: list[str] | None, rows: list[tuple[int, list[str]]], name: str) -> Table:
    if not headers or not any(headers):
        raise Rejected(_("The file “%(name)s” is empty: its first row must hold the column headers.") % {"name": name})
    width = len(headers)
    return Table(headers, [(line, (cells + [""] * width)[:width]) for line, cells in rows])


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if not value.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# Mapping -------------------------------------------------------------------


def suggest(headers: Sequence[str]) -> dict[str, str]:
    """The header for each canonical column whose name or a usual alias it is."""
    by_fold: dict[str, str] = {}
    for header in headers:
        if header:
            by_fold.setdefault(fold(header), header)
    found: dict[str, str] = {}
    for column in COLUMNS:
        for candidate in (column.key, *column.aliases):
            if candidate in by_fold:
                found[column.key] = by_fold[candidate]
                break
    return found


def check_mapping(columns: dict[str, str], headers: Sequence[str], name: str = "") -> None:
    """Raise `Rejected` when a required column is not mapped or a mapped header is missing."""
    missing = [key for key in REQUIRED if not columns.get(key)]
    if missing:
        raise Rejected(
            _("Choose the file's column that holds each required column: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    present = set(headers)
    for key, header in columns.items():
        if key not in KEYS:
            raise Rejected(_("The mapping names an unknown column “%(column)s”.") % {"column": key})
        if header and header not in present:
            if name:
                raise Rejected(
                    _("The mapping “%(mapping)s” takes %(column)s from “%(header)s”, which the file does not have.")
                    % {"mapping": name, "column": key, "header": header}
                )
            raise Rejected(
                _("The column “%(header)s” chosen for %(column)s is not in the file.")
                % {"column": key, "header": header}
            )


def save_mapping(name: str, columns: dict[str, str], user: User | None) -> ColumnMapping:
    mapping, _created = ColumnMapping.objects.update_or_create(
        target=MappingTarget.PROCEDURES,
        name=name,
        defaults={"columns": {k: v for k, v in columns.items() if v}, "created_by": user},
    )
    return mapping


# Checking one row ----------------------------------------------------------


class RowError(Exception):
    pass


def parse_online_level(value: str) -> str:
    key = fold(value)
    if key in _ONLINE:
        return _ONLINE[key]
    raise RowError(
        _("Mức độ “%(value)s” is not a level of online service: write toàn trình, một phần or không.")
        % {"value": value}
    )


def parse_unit(value: str) -> str:
    key = fold(value).replace("_", " ")
    key = "working_days" if key == "working days" else key
    if key in _UNITS:
        return _UNITS[key]
    if value in TimeUnit.values:
        return value
    raise RowError(
        _("Đơn vị “%(value)s” is not a unit of time: write ngày làm việc, ngày, giờ or tháng.") % {"value": value}
    )


def parse_time_limit(value: str) -> tuple[Decimal | None, str | None]:
    """ "5" → (5, None); "05 ngày làm việc" → (5, working days); "8 giờ" → (8, hours)."""
    if not value.strip():
        return None, None
    match = _NUMBER_FIRST.match(fold(value))
    if not match:
        raise RowError(
            _("Thời hạn “%(value)s” is not a time limit: write a number, e.g. 5 or 05 ngày làm việc.")
            % {"value": value}
        )
    number = Decimal(match.group(1).replace(",", "."))
    if number > MAX_TIME_LIMIT:
        raise RowError(_("Thời hạn “%(value)s” is too long.") % {"value": value})
    unit = parse_unit(match.group(2)) if match.group(2) else None
    return number, unit


def parse_fee(value: str) -> Decimal:
    """ "50.000", "50,000 đồng", "50000đ" → 50000; "Không" or empty → 0."""
    text = fold(value)
    if text in _NO_FEE:
        return Decimal(0)
    amount = _CURRENCY.sub("", text).replace(" ", "")
    try:
        if _AMOUNT.match(amount):
            number = Decimal(re.sub(r"[.,]", "", amount))
        else:
            raise InvalidOperation
    except InvalidOperation as exc:
        raise RowError(
            _("Phí “%(value)s” is not an amount in VND: write e.g. 50.000 or Không.") % {"value": value}
        ) from exc
    if number > MAX_FEE:
        raise RowError(_("Phí “%(value)s” is too large.") % {"value": value})
    return number


def parse_date(value: str) -> date | None:
    text = value.strip()
    if not text:
        return None
    match = _DMY.match(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        return datetime.fromisoformat(text).date() if "T" in text or " " in text else date.fromisoformat(text)
    except ValueError as exc:
        raise RowError(
            _("Ngày công bố “%(value)s” is not a date: write dd/mm/yyyy, e.g. 01/06/2023.") % {"value": value}
        ) from exc


class Agencies:
    """Agencies in force by code and abbreviation (folded), loaded once per import."""

    def __init__(self) -> None:
        self.by_key: dict[str, list[Agency]] = {}
        for agency in Agency.objects.current():
            for key in {agency.code.lower(), agency.abbreviation.lower()} - {""}:
                self.by_key.setdefault(key, []).append(agency)

    def find(self, value: str) -> Agency:
        found = self.by_key.get(value.strip().lower(), [])
        exact = [agency for agency in found if agency.code.lower() == value.strip().lower()]
        if exact:
            return exact[0]
        if len(found) == 1:
            return found[0]
        if found:
            raise RowError(
                _("Several agencies use the abbreviation “%(value)s”: give the agency's code.") % {"value": value}
            )
        raise RowError(
            _("Cơ quan “%(value)s” is not an agency in force: give its code or abbreviation.") % {"value": value}
        )


# Saving --------------------------------------------------------------------


@dataclass(frozen=True)
class RejectedRow:
    line: int
    code: str
    reason: str


@dataclass
class Result:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [[r.line, r.code, r.reason] for r in self.rejected],
        }


def import_rows(
    table: Table,
    columns: dict[str, str],
    user: User | None,
    *,
    default_agency: Agency | None = None,
    mapping_name: str = "",
) -> Result:
    """Upsert the table's procedures by code. `user=None` (the command) may touch every agency."""
    check_mapping(columns, table.headers, mapping_name)
    index = {key: table.headers.index(header) for key, header in columns.items() if header}
    allowed: set[int] | None = None
    if user is not None and not access.is_admin(user):
        allowed = set(access.managed_agencies(user).current().values_list("pk", flat=True))
    agencies = Agencies()
    result = Result()
    seen: dict[str, int] = {}
    with transaction.atomic():
        existing = _existing([cells[index["code"]].strip() for _line, cells in table.rows])
        for line, cells in table.rows:
            values = {key: cells[position] for key, position in index.items()}
            code = values["code"].strip()
            try:
                if code in seen:
                    raise RowError(
                        _("Mã TTHC “%(code)s” already appears on line %(line)s of this file.")
                        % {"code": code, "line": seen[code]}
                    )
                if code:
                    seen[code] = line
                data = _row_data(values, agencies, default_agency)
                procedure = existing.get(code)
                _check_allowed(procedure, data, allowed)
            except RowError as error:
                result.rejected.append(RejectedRow(line, code, str(error)))
                continue
            if procedure is None:
                procedure = Procedure(**data)
                procedure.save()
                existing[code] = procedure
                result.created += 1
                continue
            changed = [name for name, value in data.items() if getattr(procedure, name) != value]
            if procedure.unclassified:
                procedure.unclassified = False
                changed.append("unclassified")
            if not changed:
                result.unchanged += 1
                continue
            for name, value in data.items():
                setattr(procedure, name, value)
            procedure.save()
            result.updated += 1
    return result


def _existing(codes: list[str]) -> dict[str, Procedure]:
    wanted = sorted({code for code in codes if code})
    found: dict[str, Procedure] = {}
    for start in range(0, len(wanted), 500):  # SQLite limits the parameters of one query
        chunk = Procedure.objects.filter(code__in=wanted[start : start + 500]).select_related("agency")
        found.update((procedure.code, procedure) for procedure in chunk)
    return found


def _row_data(values: dict[str, str], agencies: Agencies, default_agency: Agency | None) -> dict[str, Any]:
    code = values["code"].strip()
    name = values["name"].strip()
    if not code:
        raise RowError(_("Mã TTHC is empty."))
    if len(code) > 50:
        raise RowError(_("Mã TTHC “%(code)s” is longer than 50 characters.") % {"code": code[:60]})
    if not name:
        raise RowError(_("Tên thủ tục is empty."))
    data: dict[str, Any] = {"code": code, "name": name}
    if "field" in values:
        if len(values["field"]) > 255:
            raise RowError(_("Lĩnh vực is longer than 255 characters."))
        data["field"] = values["field"].strip()
    if values.get("agency", "").strip():
        data["agency"] = agencies.find(values["agency"])
    elif default_agency is not None:
        data["agency"] = default_agency
    elif "agency" in values:
        data["agency"] = None
    if "online_level" in values:
        data["online_level"] = parse_online_level(values["online_level"])
    unit = parse_unit(values["time_unit"]) if values.get("time_unit", "").strip() else None
    if "time_limit" in values:
        limit, written_unit = parse_time_limit(values["time_limit"])
        data["time_limit"] = limit
        unit = written_unit or unit or TimeUnit.WORKING_DAYS
    if unit:
        data["time_unit"] = unit
    if "fee" in values:
        data["fee"] = parse_fee(values["fee"])
    if "published_on" in values:
        data["published_on"] = parse_date(values["published_on"])
    return data


def _check_allowed(procedure: Procedure | None, data: dict[str, Any], allowed: set[int] | None) -> None:
    if allowed is None:
        return
    if procedure is not None and procedure.agency_id is not None and procedure.agency_id not in allowed:
        raise RowError(_("This procedure is handled by another agency: only its coordinators may change it."))
    agency = data.get("agency", procedure.agency if procedure else None)
    if agency is None:
        raise RowError(_("Cơ quan is empty: give the code or abbreviation of an agency you manage."))
    if agency.pk not in allowed:
        raise RowError(
            _("Cơ quan “%(agency)s” is not an agency you manage.") % {"agency": agency.abbreviation or agency.code}
        )


def saved_mappings() -> Iterable[ColumnMapping]:
    return ColumnMapping.objects.filter(target=MappingTarget.PROCEDURES).order_by("name")


def find_mapping(name: str) -> ColumnMapping | None:
    return ColumnMapping.objects.filter(Q(name=name) | Q(name__iexact=name), target=MappingTarget.PROCEDURES).first()
