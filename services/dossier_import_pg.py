"""The PostgreSQL fast path of the dossier import: COPY the CSV, check and type it in SQL, one upsert.

`dossier_import` checks each row in Python and upserts through the ORM
(≈ 340 µs a row). Here the file goes through COPY into a temp table of text
columns, and a few set-wise statements do what `RowReader.read` and `Writer`
do, with the same rules:

- values that take few distinct values (agency code, channel, status, counts,
  fee, booleans) are parsed by the very Python parsers of `dossier_import`,
  once per DISTINCT value, into a lookup table the rows join: the same rules by
  construction, for the price of a hash join;
- dates, nearly all distinct, are parsed in SQL for the usual shapes (ISO 8601,
  dd/mm/yyyy [HH:MM[:SS]], dd-mm-yyyy [HH:MM]), validated by regexes and range
  checks before any cast so a bad value never raises; any other non-empty text
  is handed to `parse_moment` (once per distinct value): SQL only accepts what
  Python accepts the same way, Python decides the rest;
- the first 1000 rejected lines get their reasons from `RowReader.read` itself
  on their raw cells, so the texts are the Python path's.

The path applies to plain CSV files only: a file with a double quote (PG and
Python's csv differ on stray quotes, and quoted newlines shift line numbers), a
NUL, a `\\.` line, a first line that is blank or not UTF-8, or a shape COPY
refuses (ragged rows, blank lines, bad UTF-8) falls back to the Python path,
which then answers as it always did.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from typing import IO, Any

import psycopg
from django.db import DatabaseError, connection, transaction
from django.db.models import Field
from django.utils import timezone

from accounts.models import Agency
from services import calendar, dossier_import, rollups
from services.dossier_import import (
    MAX_ERRORS,
    UPDATED_FIELDS,
    ZONE,
    Result,
    RowReader,
    Writer,
    resolve_columns,
)
from services.models import ColumnMapping, Dossier, Procedure

CHUNK_BYTES = 1 << 20
# Python's str.strip() removes exactly these characters: btrim with this set is the same strip.
WHITESPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
# Above this many working days (limit + supplement days) a due date is computed in Python: the
# SQL table of working days stays a few years long.
MAX_SQL_WORKING_DAYS = 1000
TABLES = (
    "dossier_stage",
    "dossier_text",
    "dossier_lookup",
    "dossier_typed",
    "dossier_good",
    "dossier_final",
    "dossier_days",
    "dossier_workdays",
)
DATES = ("received_at", "due_at", "finished_at", "returned_at")
COUNTS = ("supplement_requests", "supplement_days")
FLAGS = ("paid_online", "digitised", "electronic_result")

# No capture groups: PostgreSQL matches these without its slow capturing engine (≈ 250 µs a value
# with captures); the parts are then cut out at their known places.
ISO = r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?)?$"
DMY = r"^\d{1,2}/\d{1,2}/\d{4}(?: \d{1,2}:\d{2}(?::\d{2})?)?$|^\d{1,2}-\d{1,2}-\d{4}(?: \d{1,2}:\d{2})?$"


class _Unsuitable(Exception):
    """The file is not one the fast path reads exactly as the Python path: use that one."""


def applies(name: str) -> bool:
    return connection.vendor == "postgresql" and name.lower().endswith(".csv")


def import_csv(file: IO[bytes], name: str, agency: Agency, mapping: ColumnMapping | None) -> Result | None:
    """Import a CSV file of dossiers in SQL; None (nothing written, file rewound) when it does not suit."""
    try:
        start = file.tell()
    except (OSError, AttributeError):
        return None
    try:
        with transaction.atomic():  # a savepoint: a refused COPY leaves the transaction usable
            columns, width = _copy(file, mapping)
    except (_Unsuitable, psycopg.Error, DatabaseError):
        file.seek(start)
        return None
    result = _process(agency, columns, width)
    _drop()  # on failure the run's transaction rolls the temp tables back with the rest
    return result


def _drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS " + ", ".join(TABLES))


def _copy(file: IO[bytes], mapping: ColumnMapping | None) -> tuple[dict[str, int], int]:
    """COPY the rows after the header into dossier_stage(n, f0 … fN); the columns of the header."""
    first_bytes = file.readline()
    try:
        first = first_bytes.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Unsuitable from None
    if not first.strip() or '"' in first or "\x00" in first:
        raise _Unsuitable
    # The same choice as dossier_import._csv_rows.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    headers = first.rstrip("\r\n").split(delimiter)
    columns = resolve_columns(headers, mapping)  # FileRejected: the Python path would say the same
    width = len(headers)
    _drop()
    fields = ", ".join(f"f{i} text" for i in range(width))
    names = ", ".join(f"f{i}" for i in range(width))
    with connection.cursor() as cursor:
        # n is the row's rank in the file: its line is n + 1 (no quotes, so one row a line).
        cursor.execute(f"CREATE TEMP TABLE dossier_stage (n bigserial, {fields})")
        sql = f"COPY dossier_stage ({names}) FROM STDIN WITH (FORMAT csv, DELIMITER '{delimiter}', ENCODING 'UTF8')"
        tail = b"\n"
        with cursor.cursor.copy(sql) as copy:
            while chunk := file.read(CHUNK_BYTES):
                seen = tail + chunk
                if b'"' in chunk or b"\x00" in chunk or b"\\." in seen:
                    raise _Unsuitable
                copy.write(chunk)
                tail = chunk[-1:]
    return columns, width


def _text_column(column: str, columns: dict[str, int]) -> str:
    index = columns.get(column)
    return f"btrim(coalesce(f{index}, ''), %(ws)s)" if index is not None else "''::text"


def _moment_sql(column: str) -> str:
    """A LATERAL giving {column}: the SQL parse of the usual shapes, NULL for anything else."""
    return f"""
    LEFT JOIN LATERAL (
      SELECT CASE
        WHEN y BETWEEN 1976 AND 2999 AND mo BETWEEN 1 AND 12 AND h BETWEEN 0 AND 23 AND mi BETWEEN 0 AND 59
             AND s BETWEEN 0 AND 59 AND coalesce(oh, 0) BETWEEN 0 AND 23 AND coalesce(om, 0) BETWEEN 0 AND 59
        THEN CASE WHEN d BETWEEN 1 AND extract(day FROM make_date(y, mo, 1) + interval '1 month - 1 day') THEN
          CASE WHEN oh IS NULL
            THEN (make_timestamp(y, mo, d, h, mi, s) + us * interval '1 microsecond') AT TIME ZONE %(zone)s
            ELSE (make_timestamp(y, mo, d, h, mi, s) + us * interval '1 microsecond'
                  - osign * (oh * 60 + om) * interval '1 minute') AT TIME ZONE 'UTC'
          END
        END
      END AS {column}
      FROM (
        SELECT substr(v, 1, 4)::int AS y, substr(v, 6, 2)::int AS mo, substr(v, 9, 2)::int AS d,
               coalesce(nullif(substr(v, 12, 2), ''), '0')::int AS h,
               coalesce(nullif(substr(v, 15, 2), ''), '0')::int AS mi,
               CASE WHEN substr(v, 17, 1) = ':' THEN substr(v, 18, 2)::int ELSE 0 END AS s,
               CASE WHEN substr(v, 20, 1) = '.' THEN rpad(substr(v, 21, length(v) - 20 - olen), 6, '0')::int
                    ELSE 0 END AS us,
               CASE WHEN olen = 1 THEN 0 WHEN olen = 6 THEN substr(v, length(v) - 4, 2)::int END AS oh,
               CASE WHEN olen = 1 THEN 0 WHEN olen = 6 THEN right(v, 2)::int END AS om,
               CASE WHEN olen = 6 AND substr(v, length(v) - 5, 1) = '-' THEN -1 ELSE 1 END AS osign
        FROM (SELECT t.{column} AS v, CASE WHEN right(t.{column}, 1) = 'Z' THEN 1
                     WHEN length(t.{column}) > 16 AND substr(t.{column}, length(t.{column}) - 5, 1) IN ('+', '-')
                     THEN 6 ELSE 0 END AS olen) m
        WHERE v ~ %(iso)s
        UNION ALL
        SELECT split_part(day, sep, 3)::int, split_part(day, sep, 2)::int, split_part(day, sep, 1)::int,
               coalesce(nullif(split_part(clock, ':', 1), ''), '0')::int,
               coalesce(nullif(split_part(clock, ':', 2), ''), '0')::int,
               coalesce(nullif(split_part(clock, ':', 3), ''), '0')::int, 0, NULL, NULL, 1
        FROM (SELECT split_part(t.{column}, ' ', 1) AS day, split_part(t.{column}, ' ', 2) AS clock,
                     CASE WHEN t.{column} LIKE '%%/%%' THEN '/' ELSE '-' END AS sep) m
        WHERE t.{column} ~ %(dmy)s
      ) parts
    ) p_{column} ON true"""


def _class_sql(reference: str) -> str:
    """deadlines.status as of `reference`, as the codes of rollups.CLASSES."""
    end = f"(CASE WHEN end_day <= {reference} THEN end_day END)"
    return f"""CASE
      WHEN status = 'withdrawn' THEN {rollups.EXCLUDED}
      WHEN supplement_requests > 1 THEN CASE WHEN {end} IS NOT NULL THEN {rollups.LATE} ELSE {rollups.OVER} END
      WHEN {end} IS NOT NULL THEN CASE
        WHEN due_date IS NULL OR {end} = due_date THEN {rollups.ON_TIME}
        WHEN {end} < due_date THEN {rollups.EARLY} ELSE {rollups.LATE} END
      WHEN due_date IS NULL OR {reference} <= due_date THEN {rollups.WITHIN}
      ELSE {rollups.OVER} END"""


REFERENCES = {
    "class_month": "(date_trunc('month', local_day) + interval '1 month - 1 day')::date",
    "class_quarter": "(date_trunc('quarter', local_day) + interval '3 months - 1 day')::date",
    "class_half": "(make_date(extract(year FROM local_day)::int, CASE WHEN extract(month FROM local_day) <= 6 "
    "THEN 1 ELSE 7 END, 1) + interval '6 months - 1 day')::date",
    "class_year": "make_date(extract(year FROM local_day)::int, 12, 31)",
}


def _lookup_value(column: str, text: str, agency_codes: set[str]) -> tuple[str | None, bool]:
    """(typed value as text, accepted) of one distinct cell text, by the Python parsers."""
    try:
        if column == "agency_code":
            return None, text.lower() in agency_codes
        if column == "channel":
            channel = dossier_import.CHANNELS.get(dossier_import.fold(text))
            return channel, channel is not None
        if column == "status":
            status = dossier_import.STATUSES.get(dossier_import._status_key(text))
            return status, status is not None
        if column in COUNTS:
            return str(dossier_import.parse_count(text)), True
        if column == "fee":
            return str(dossier_import.parse_fee(text)), True
        return str(dossier_import.parse_bool(text)).lower(), True
    except ValueError:
        return None, False


def _process(agency: Agency, columns: dict[str, int], width: int) -> Result:
    result = Result()
    zone = timezone.get_current_timezone().key  # what classify / month_of use (the project's zone)
    params: dict[str, Any] = {"ws": WHITESPACE, "zone": str(ZONE), "iso": ISO, "dmy": DMY}
    looked_up = ("agency_code", "channel", "status", *COUNTS, "fee", *FLAGS)
    with connection.cursor() as cursor:
        # 1. The stripped text of each column; rows blank in every cell are skipped as csv rows are.
        texts = ", ".join(f"{_text_column(c, columns)} AS {c}" for c in dossier_import.COLUMNS)
        every = ", ".join(f"f{i}" for i in range(width))
        cursor.execute(
            f"CREATE TEMP TABLE dossier_text AS SELECT n + 1 AS line, {texts} FROM dossier_stage "
            f"WHERE btrim(concat({every}), %(ws)s) <> ''",
            params,
        )
        cursor.execute("SELECT count(*) FROM dossier_text")
        result.rows = cursor.fetchone()[0]

        # 2. The low-cardinality columns: each distinct value through the Python parser.
        agency_codes = {c.lower() for c in (agency.code, agency.abbreviation) if c}
        cursor.execute(
            "CREATE TEMP TABLE dossier_lookup (col text, v text, val text, ok boolean, PRIMARY KEY (col, v))"
        )
        for column in looked_up:
            cursor.execute(f"SELECT DISTINCT {column} FROM dossier_text")
            values = [row[0] for row in cursor.fetchall()]
            parsed = [_lookup_value(column, value, agency_codes) for value in values]
            cursor.execute(
                "INSERT INTO dossier_lookup SELECT %s, * FROM unnest(%s::text[], %s::text[], %s::boolean[])",
                [column, values, [p[0] for p in parsed], [p[1] for p in parsed]],
            )

        # Temp tables have no statistics until analysed: without them the planner joins the lookups blind.
        cursor.execute("ANALYZE dossier_text")
        cursor.execute("ANALYZE dossier_lookup")

        # 3. Typed values and the checks of RowReader.read.
        joins = " ".join(f"JOIN dossier_lookup l_{c} ON l_{c}.col = '{c}' AND l_{c}.v = t.{c}" for c in looked_up)
        moments = " ".join(_moment_sql(c) for c in DATES)
        cursor.execute(
            f"""CREATE TEMP TABLE dossier_typed AS SELECT t.line, t.code, t.procedure_code,
              (t.code = '' OR t.procedure_code = '' OR t.agency_code = '' OR t.channel = ''
               OR t.received_at = '' OR t.status = '') AS missing,
              (char_length(t.code) > 100 OR char_length(t.procedure_code) > 50) AS too_long,
              l_agency_code.ok AS agency_ok, l_channel.val AS channel, l_channel.ok AS channel_ok,
              l_status.val AS status, l_status.ok AS status_ok,
              {", ".join(f"l_{c}.val::int AS {c}, l_{c}.ok AS {c}_ok" for c in COUNTS)},
              l_fee.val::numeric AS fee, l_fee.ok AS fee_ok,
              {", ".join(f"l_{c}.val::boolean AS {c}, l_{c}.ok AS {c}_ok" for c in FLAGS)},
              {", ".join(f"t.{c} AS {c}_text, p_{c}.{c}" for c in DATES)}
            FROM dossier_text t {joins} {moments}""",
            params,
        )
        # Dates of other shapes: Python's parse_moment decides, once per distinct text.
        for column in DATES:
            cursor.execute(
                f"SELECT DISTINCT {column}_text FROM dossier_typed WHERE {column} IS NULL AND {column}_text <> ''"
            )
            texts_found, moments_found = [], []
            for (text,) in cursor.fetchall():
                try:
                    moment = dossier_import.parse_moment(text)
                except (ValueError, OverflowError):
                    continue
                texts_found.append(text)
                moments_found.append(moment)
            if texts_found:
                cursor.execute(
                    f"UPDATE dossier_typed SET {column} = v.m FROM unnest(%s::text[], %s::timestamptz[]) v(t, m) "
                    f"WHERE {column}_text = v.t",
                    [texts_found, moments_found],
                )
        bad = " OR ".join(
            [
                "missing",
                "too_long",
                "NOT agency_ok",
                "NOT channel_ok",
                "NOT status_ok",
                *(f"({c}_text <> '' AND {c} IS NULL)" for c in DATES),
                "coalesce(finished_at < received_at, false)",
                *(f"NOT {c}_ok" for c in (*COUNTS, "fee", *FLAGS)),
            ]
        )
        # A code seen on an earlier ACCEPTED row is a repeat (RowReader.seen keeps accepted rows only).
        cursor.execute(
            f"""CREATE TEMP TABLE dossier_good AS SELECT *, min(line) OVER w AS first_line,
              row_number() OVER w AS nth FROM dossier_typed WHERE NOT ({bad})
            WINDOW w AS (PARTITION BY code ORDER BY line)"""
        )
        rejected = f"""SELECT line, NULL::bigint AS first_line FROM dossier_typed WHERE {bad}
            UNION ALL SELECT line, first_line FROM dossier_good WHERE nth > 1"""
        cursor.execute(f"SELECT count(*) FROM ({rejected}) r")
        result.rejected = cursor.fetchone()[0]
        cursor.execute(f"{rejected} ORDER BY 1 LIMIT {MAX_ERRORS}")
        _reject(cursor, result, cursor.fetchall(), agency, columns, width)
        cursor.execute("DELETE FROM dossier_good WHERE nth > 1")

        # 4. Unknown procedures: created as the Python path does (few; through the ORM, audited alike).
        cursor.execute("SELECT DISTINCT procedure_code FROM dossier_good")
        Writer(agency, result, calendar.current()).procedures_for({row[0] for row in cursor.fetchall()})

        # 5. Due dates, classes and the upsert.
        _due_dates(cursor, zone)
        months = _months(cursor, agency)
        counts = _upsert(cursor, agency)
    result.created, result.updated = counts[0], counts[1] - counts[0]
    rollups.refresh(months)
    return result


def _reject(
    cursor: Any,
    result: Result,
    rejected: list[tuple[int, int | None]],
    agency: Agency,
    columns: dict[str, int],
    width: int,
) -> None:
    """Word the reasons of the first MAX_ERRORS rejected rows with the Python reader."""
    first = rejected
    names = ", ".join(f"f{i}" for i in range(width))
    cursor.execute(f"SELECT n + 1, {names} FROM dossier_stage WHERE n + 1 = ANY(%s)", [[line for line, _ in first]])
    cells = {row[0]: ["" if v is None else v for v in row[1:]] for row in cursor.fetchall()}
    reader = RowReader(agency, columns)
    for line, first_line in first:
        if first_line is not None:
            reason = dossier_import.repeated(first_line)
        else:
            read = reader.read(line, cells[line])
            if not isinstance(read, list):  # SQL and Python disagree: a bug, never a silent import
                raise RuntimeError(f"line {line}: rejected in SQL, accepted by RowReader")
            reason = " ".join(read)
        result.errors.append({"line": line, "reason": reason})


def _due_dates(cursor: Any, zone: str) -> None:
    """dossier_final: the good rows with procedure, due date (given or computed) and local days."""
    procedure = Procedure._meta.db_table
    cursor.execute(
        f"""CREATE TEMP TABLE dossier_final AS SELECT g.*, p.id AS procedure_id, p.time_limit, p.time_unit,
          (g.received_at AT TIME ZONE %(zone)s)::date AS received_day,
          (g.received_at AT TIME ZONE %(local)s)::date AS local_day,
          (coalesce(g.finished_at, g.returned_at) AT TIME ZONE %(local)s)::date AS end_day,
          (g.due_at AT TIME ZONE %(zone)s)::date AS due_date,
          (g.due_at IS NULL AND p.time_limit IS NOT NULL) AS due_computed,
          CASE WHEN g.due_at IS NULL AND p.time_unit = 'working_days' AND p.time_limit >= 0
               AND p.time_limit = trunc(p.time_limit) AND p.time_limit + g.supplement_days <= %(most)s
               THEN (p.time_limit + g.supplement_days)::int END AS working_days
        FROM dossier_good g JOIN {procedure} p ON p.code = g.procedure_code""",
        {"zone": str(ZONE), "local": zone, "most": MAX_SQL_WORKING_DAYS},
    )
    workdays = calendar.current()
    # Whole working days: the N-th working day after the day received, from a table of working days
    # numbered in order (cum = working days up to a day) built in Python for the span needed.
    cursor.execute(
        "SELECT min(received_day), max(received_day), max(working_days) FROM dossier_final WHERE working_days > 0"
    )
    low, high, most = cursor.fetchone()
    days: list[date] = []
    cums: list[int] = []
    if low is not None:
        day, cum, target = low, 0, None
        while target is None or cum < target:
            if workdays.is_working_day(day):
                cum += 1
            days.append(day)
            cums.append(cum)
            if day == high:
                target = cum + most
            day += timedelta(days=1)
    cursor.execute(
        "CREATE TEMP TABLE dossier_days AS SELECT * FROM unnest(%s::date[], %s::int[]) d(day, cum)", [days, cums]
    )
    cursor.execute(
        "CREATE TEMP TABLE dossier_workdays AS SELECT cum AS ord, min(day) AS day FROM dossier_days "
        "WHERE cum > 0 GROUP BY cum"
    )
    cursor.execute("UPDATE dossier_final SET due_date = received_day WHERE working_days = 0")
    cursor.execute(
        """UPDATE dossier_final f SET due_date = w.day FROM dossier_days c, dossier_workdays w
        WHERE f.working_days > 0 AND c.day = f.received_day AND w.ord = c.cum + f.working_days"""
    )
    # Other units (hours, days, months, fractions, long limits): Writer's own computation.
    cursor.execute(
        "SELECT line, received_at, time_limit, time_unit, supplement_days FROM dossier_final "
        "WHERE due_computed AND working_days IS NULL"
    )
    lines, dues = [], []
    for line, received, limit, unit, extra in cursor.fetchall():
        lines.append(line)
        dues.append(workdays.due(timezone.localtime(received, ZONE), limit, unit, extra_working_days=extra))
    if lines:
        cursor.execute(
            "UPDATE dossier_final f SET due_date = v.d FROM unnest(%s::bigint[], %s::date[]) v(line, d) "
            "WHERE f.line = v.line",
            [lines, dues],
        )


def _months(cursor: Any, agency: Agency) -> set[tuple[int, date]]:
    """The (agency, month) pairs to refresh: the new months and the old ones of updated dossiers."""
    zone = timezone.get_current_timezone().key
    cursor.execute(
        f"""SELECT date_trunc('month', d.received_at AT TIME ZONE %(zone)s)::date FROM {Dossier._meta.db_table} d
        JOIN dossier_final f ON f.code = d.code WHERE d.agency_id = %(agency)s
        UNION SELECT date_trunc('month', local_day)::date FROM dossier_final""",
        {"zone": zone, "agency": agency.pk},
    )
    return {(agency.pk, row[0]) for row in cursor.fetchall()}


def _upsert(cursor: Any, agency: Agency) -> tuple[int, int]:
    """INSERT … ON CONFLICT DO UPDATE of the good rows; (created, written)."""
    fields: dict[str, str] = {}
    for name in UPDATED_FIELDS:
        field = Dossier._meta.get_field(name)
        assert isinstance(field, Field)
        fields[name] = field.column
    values: dict[str, str] = {column: column for column in fields.values()}
    values |= {name: _class_sql(reference) for name, reference in REFERENCES.items()}
    values["updated"] = "%(now)s::timestamptz"
    names = ["agency_id", "code", *fields.values()]
    selects = ["%(agency)s", "code", *(values[c] for c in fields.values())]
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in fields.values())
    cursor.execute(
        f"""WITH up AS (
          INSERT INTO {Dossier._meta.db_table} ({", ".join(names)})
          SELECT {", ".join(selects)} FROM dossier_final ORDER BY line
          ON CONFLICT (agency_id, code) DO UPDATE SET {updates}
          RETURNING (xmax = 0) AS created)
        SELECT count(*) FILTER (WHERE created), count(*) FROM up""",
        {"agency": agency.pk, "now": timezone.now()},
    )
    created, written = cursor.fetchone()
    return created, written
