"""The PostgreSQL fast path of the dossier import: COPY the CSV, check and type it in SQL, one upsert.

`dossier_import` checks each row in Python and upserts through the ORM
(≈ 340 µs a row). Here the file goes through COPY into a temp table of text
columns; one SELECT types and checks every row into `dossier_rows`, and one
INSERT … ON CONFLICT computes due dates and deadline classes on its way into
the dossier table. The rules are those of `RowReader.read` and `Writer`:

- values that take few distinct values (agency code, channel, status, counts,
  fee, booleans) are parsed by the very Python parsers of `dossier_import`,
  once per DISTINCT value; the distinct combinations of these columns get
  their typed values from that, and each row finds its own with one hash join;
- dates are cut at their first "T" or space into a day ("2024-02-07",
  "7/2/2024") and a rest ("T09:30+07:00", " 9:30"). Days and rests take few
  distinct values, so each distinct one is checked (regexes, ranges) and typed
  once, and a row joins its parts: PostgreSQL's regex engine costs about 1 µs a
  value, too much for millions of cells. SQL accepts only the usual shapes
  (ISO 8601, dd/mm/yyyy [HH:MM[:SS]], dd-mm-yyyy [HH:MM]) with the same values
  as Python; any other non-empty text is handed to `parse_moment` (once per
  distinct value): Python decides the rest;
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
    "dossier_kinds",
    "dossier_lookup",
    "dossier_types",
    "dossier_parts",
    "dossier_rows",
    "dossier_repeats",
    "dossier_procedures",
    "dossier_days",
    "dossier_workdays",
    "dossier_dues",
)
DATES = ("received_at", "due_at", "finished_at", "returned_at")
COUNTS = ("supplement_requests", "supplement_days")
FLAGS = ("paid_online", "digitised", "electronic_result")
# The advisory lock of dossier imports (the agency is the second key).
LOCK_KEY = 0x646F73
LOOKED_UP = ("agency_code", "channel", "status", *COUNTS, "fee", *FLAGS)

# The date shapes SQL reads: ISO 8601 (yyyy-mm-dd [T or space hh:mm[:ss[.ffffff]]] [Z or ±hh:mm]),
# dd/mm/yyyy [hh:mm[:ss]] and dd-mm-yyyy [hh:mm] (day, month and hour of one or two digits), as a
# day and a rest. A day has neither "T" nor a space and a rest starts with one, so cutting before
# the first "T" or space splits every such value where these patterns do. No capture groups
# (PostgreSQL's capturing engine is slow): the parts are cut out at their known places. [0-9],
# not \d: under some collations \d matches other scripts' digits, which ::int would refuse.
ISO_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DMY_DAY = r"^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$|^[0-9]{1,2}-[0-9]{1,2}-[0-9]{4}$"
ISO_REST = r"^(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?(?:Z|[+-][0-9]{2}:[0-9]{2})?)?$"
SLASH_REST = r"^(?: [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?$"
DASH_REST = r"^(?: [0-9]{1,2}:[0-9]{2})?$"


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


def _raw(column: str, columns: dict[str, int], table: str = "s") -> str:
    """The cell of a column as COPY stored it ('' for an empty cell or a column the file lacks)."""
    index = columns.get(column)
    return f"coalesce({table}.f{index}, '')" if index is not None else "''::text"


def _day(text: str) -> str:
    """The part of a date's text before its first "T" or space."""
    return f"split_part(split_part({text}, ' ', 1), 'T', 1)"


def _rest(text: str) -> str:
    """The part of a date's text from its first "T" or space on ('' when it has neither)."""
    return f"substr({text}, char_length({_day(text)}) + 1)"


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


# The end of the month, quarter, half-year and year of the day received (rollups.references), each
# computed once a row and named by the class it is the reference date of.
REFERENCES = {
    "class_month": "(date_trunc('month', f.local_day::timestamp) + interval '1 month - 1 day')::date",
    "class_quarter": "(date_trunc('quarter', f.local_day::timestamp) + interval '3 months - 1 day')::date",
    "class_half": "make_date(date_part('year', f.local_day)::int, CASE WHEN date_part('month', f.local_day) <= 6 "
    "THEN 6 ELSE 12 END, CASE WHEN date_part('month', f.local_day) <= 6 THEN 30 ELSE 31 END)",
    "class_year": "make_date(date_part('year', f.local_day)::int, 12, 31)",
}


def _lookup_value(column: str, text: str, agency_codes: set[str]) -> tuple[str | None, bool]:
    """(typed value as text, accepted) of one distinct stripped cell text, by the Python parsers."""
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
    with connection.cursor() as cursor:
        # Until the end of the run's transaction: the hash tables and the upsert's sort stay in memory, and
        # its commit does not wait for the disk. The run's own record, saved next with the default, does:
        # once it is there, the dossiers are too.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        # One import of an agency's dossiers at a time: the codes found existing stay the ones existing.
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_KEY, agency.pk])
        _types(cursor, agency, columns)
        _parts(cursor, columns)
        result.rows = _rows(cursor, columns, width)
        _other_dates(cursor)

        # A code seen on an earlier ACCEPTED row is a repeat (RowReader.seen keeps accepted rows only).
        cursor.execute(
            f"""CREATE TEMP TABLE dossier_repeats AS SELECT line, first_line FROM (
              SELECT line, min(line) OVER w AS first_line, row_number() OVER w AS nth FROM dossier_rows r
              WHERE NOT ({BAD}) AND code IN (SELECT code FROM dossier_rows r WHERE NOT ({BAD}) GROUP BY code
                                             HAVING count(*) > 1)
              WINDOW w AS (PARTITION BY code ORDER BY line)) r WHERE nth > 1"""
        )
        repeats = cursor.rowcount > 0
        good = f"NOT ({BAD})" + (
            " AND NOT EXISTS (SELECT FROM dossier_repeats x WHERE x.line = r.line)" if repeats else ""
        )
        rejected = f"""SELECT line, NULL::bigint AS first_line FROM dossier_rows r WHERE {BAD}
            UNION ALL SELECT line, first_line FROM dossier_repeats"""
        cursor.execute(f"SELECT count(*) FROM ({rejected}) r")
        result.rejected = cursor.fetchone()[0]
        if result.rejected:
            cursor.execute(f"{rejected} ORDER BY 1 LIMIT {MAX_ERRORS}")
            _reject(cursor, result, cursor.fetchall(), agency, columns, width)

        # Unknown procedures: created as the Python path does (few; through the ORM, audited alike).
        cursor.execute(f"SELECT DISTINCT procedure_code FROM dossier_rows r WHERE {good}")
        Writer(agency, result, calendar.current()).procedures_for({row[0] for row in cursor.fetchall()})

        dues = _due_dates(cursor, good)
        months, existing = _months(cursor, agency, good)
        result.created = _upsert(cursor, agency, good, dues, existing > 0) - existing
        result.updated = existing
    rollups.refresh(months)
    return result


def _types(cursor: Any, agency: Agency, columns: dict[str, int]) -> None:
    """dossier_types: the distinct combinations of the low-cardinality cells, typed by the Python parsers."""
    raws = ", ".join(f"{_raw(c, columns)} AS {c}" for c in LOOKED_UP)
    cursor.execute(f"CREATE TEMP TABLE dossier_kinds AS SELECT DISTINCT {raws} FROM dossier_stage s")
    agency_codes = {c.lower() for c in (agency.code, agency.abbreviation) if c}
    cursor.execute("CREATE TEMP TABLE dossier_lookup (col text, v text, val text, ok boolean, blank boolean)")
    for column in LOOKED_UP:
        cursor.execute(f"SELECT DISTINCT {column} FROM dossier_kinds")
        values = [row[0] for row in cursor.fetchall()]
        parsed = [_lookup_value(column, value.strip(), agency_codes) for value in values]
        cursor.execute(
            "INSERT INTO dossier_lookup SELECT %s, * FROM unnest(%s::text[], %s::text[], %s::boolean[], %s::boolean[])",
            [column, values, [p[0] for p in parsed], [p[1] for p in parsed], [not v.strip() for v in values]],
        )
    joins = " ".join(f"JOIN dossier_lookup l_{c} ON l_{c}.col = '{c}' AND l_{c}.v = k.{c}" for c in LOOKED_UP)
    # One array key: a single hash clause, which the planner handles well without statistics of the rows.
    cursor.execute(
        f"""CREATE TEMP TABLE dossier_types AS SELECT ARRAY[{", ".join(f"k.{c}" for c in LOOKED_UP)}] AS key,
          {" AND ".join(f"l_{c}.ok" for c in LOOKED_UP)} AS ok,
          l_agency_code.blank OR l_channel.blank OR l_status.blank AS blank,
          l_channel.val AS channel, l_status.val AS status,
          {", ".join(f"l_{c}.val::int AS {c}" for c in COUNTS)}, l_fee.val::numeric AS fee,
          {", ".join(f"l_{c}.val::boolean AS {c}" for c in FLAGS)}
        FROM dossier_kinds k {joins}"""
    )
    cursor.execute("ANALYZE dossier_types")


def _parts(cursor: Any, columns: dict[str, int]) -> None:
    """dossier_parts: each distinct day and rest of the date cells, checked and typed once.

    day: the date of a day part in range (ISO, or dd/mm/yyyy and dd-mm-yyyy: kind i, s or d);
    clock and shift: the time of day and the offset (NULL: none, the local time) of a rest part,
    with the shapes it is valid in (iso, slash, dash).
    """
    keys = []
    for column in DATES:
        if column in columns:
            keys += [_day(_raw(column, columns)), _rest(_raw(column, columns))]
    sets = ", ".join(f"(k{i})" for i in range(len(keys)))
    cursor.execute(
        f"""CREATE TEMP TABLE dossier_parts AS SELECT v, d.kind, d.day, t.iso, t.slash, t.dash, t.clock, t.shift
        FROM (SELECT DISTINCT coalesce({", ".join(f"k{i}" for i in range(len(keys)))}) AS v FROM (
                SELECT {", ".join(f"k{i}" for i in range(len(keys)))} FROM (
                  SELECT {", ".join(f"{key} AS k{i}" for i, key in enumerate(keys))} FROM dossier_stage s) s
                GROUP BY GROUPING SETS ({sets})) g) p
        LEFT JOIN LATERAL (
          SELECT kind, CASE WHEN y BETWEEN 1976 AND 2999 AND mo BETWEEN 1 AND 12 THEN
            CASE WHEN dd BETWEEN 1 AND extract(day FROM make_date(y, mo, 1) + interval '1 month - 1 day')
            THEN make_date(y, mo, dd) END END AS day
          FROM (
            SELECT 'i' AS kind, substr(p.v, 1, 4)::int AS y, substr(p.v, 6, 2)::int AS mo,
                   substr(p.v, 9, 2)::int AS dd
            WHERE p.v ~ %(iso_day)s
            UNION ALL
            SELECT CASE sep WHEN '/' THEN 's' ELSE 'd' END, split_part(p.v, sep, 3)::int,
                   split_part(p.v, sep, 2)::int, split_part(p.v, sep, 1)::int
            FROM (SELECT CASE WHEN p.v LIKE '%%/%%' THEN '/' ELSE '-' END AS sep) m
            WHERE p.v ~ %(dmy_day)s
          ) parts
        ) d ON true
        LEFT JOIN LATERAL (
          SELECT iso AND ok AS iso, slash AND ok AS slash, dash AND ok AS dash,
                 CASE WHEN ok THEN h * interval '1 hour' + mi * interval '1 minute' + s * interval '1 second'
                                   + us * interval '1 microsecond' END AS clock,
                 CASE WHEN ok THEN osign * (oh * 60 + om) * interval '1 minute' END AS shift
          FROM (
            SELECT *, h BETWEEN 0 AND 23 AND mi BETWEEN 0 AND 59 AND s BETWEEN 0 AND 59
                      AND coalesce(oh, 0) BETWEEN 0 AND 23 AND coalesce(om, 0) BETWEEN 0 AND 59 AS ok
            FROM (
              -- Cut out at the places of '0000-00-00' || rest, as ISO 8601 puts them.
              SELECT true AS iso, p.v ~ %(slash)s AS slash, p.v ~ %(dash)s AS dash,
                     coalesce(nullif(substr(w, 12, 2), ''), '0')::int AS h,
                     coalesce(nullif(substr(w, 15, 2), ''), '0')::int AS mi,
                     CASE WHEN substr(w, 17, 1) = ':' THEN substr(w, 18, 2)::int ELSE 0 END AS s,
                     CASE WHEN substr(w, 20, 1) = '.' THEN rpad(substr(w, 21, length(w) - 20 - olen), 6, '0')::int
                          ELSE 0 END AS us,
                     CASE WHEN olen = 1 THEN 0 WHEN olen = 6 THEN substr(w, length(w) - 4, 2)::int END AS oh,
                     CASE WHEN olen = 1 THEN 0 WHEN olen = 6 THEN right(w, 2)::int END AS om,
                     CASE WHEN olen = 6 AND substr(w, length(w) - 5, 1) = '-' THEN -1 ELSE 1 END AS osign
              FROM (SELECT w, CASE WHEN right(w, 1) = 'Z' THEN 1
                                   WHEN length(w) > 16 AND substr(w, length(w) - 5, 1) IN ('+', '-') THEN 6
                                   ELSE 0 END AS olen
                    FROM (SELECT '0000-00-00' || p.v AS w) w) m
              WHERE p.v ~ %(iso_rest)s
              UNION ALL
              SELECT false, true, p.v ~ %(dash)s,
                     coalesce(nullif(split_part(substr(p.v, 2), ':', 1), ''), '0')::int,
                     coalesce(nullif(split_part(substr(p.v, 2), ':', 2), ''), '0')::int,
                     coalesce(nullif(split_part(substr(p.v, 2), ':', 3), ''), '0')::int, 0, NULL, NULL, 1
              WHERE p.v ~ %(slash)s AND NOT p.v ~ %(iso_rest)s
            ) cut
          ) checked
        ) t ON true
        WHERE v IS NOT NULL""",
        {"iso_day": ISO_DAY, "dmy_day": DMY_DAY, "iso_rest": ISO_REST, "slash": SLASH_REST, "dash": DASH_REST},
    )
    cursor.execute("ANALYZE dossier_parts")


def _moment(column: str) -> str:
    """The date-time of a date cell from its two parts; NULL when SQL does not read it."""
    day, rest = f"d_{column}", f"r_{column}"
    return f"""CASE WHEN ({day}.kind = 'i' AND {rest}.iso) OR ({day}.kind = 's' AND {rest}.slash)
                        OR ({day}.kind = 'd' AND {rest}.dash) THEN
          CASE WHEN {rest}.shift IS NULL THEN ({day}.day + {rest}.clock) AT TIME ZONE %(zone)s
               ELSE ({day}.day + {rest}.clock - {rest}.shift) AT TIME ZONE 'UTC' END END"""


RECEIVED_DAY = "(r.received_at AT TIME ZONE %(zone)s)::date"
# A row RowReader.read rejects (repeated codes aside): its static flaws, and dates neither SQL
# nor parse_moment could read.
BAD = " OR ".join(
    [
        "r.flawed",
        "(r.received_at IS NULL AND btrim(r.received_at_text, %(ws)s) = '')",
        *(f"(r.{c} IS NULL AND btrim(r.{c}_text, %(ws)s) <> '')" for c in DATES),
        "coalesce(r.finished_at < r.received_at, false)",
    ]
).replace("%(ws)s", "'" + WHITESPACE.replace("'", "''") + "'")


def _rows(cursor: Any, columns: dict[str, int], width: int) -> int:
    """dossier_rows: every non-blank row typed and checked; how many."""
    text = {c: f"btrim({_raw(c, columns)}, %(ws)s)" for c in ("code", "procedure_code")}
    key = ", ".join(_raw(c, columns) for c in LOOKED_UP)
    dated = [c for c in DATES if c in columns]
    days = "".join(f", {_day(_raw(c, columns))} AS {c}_day" for c in dated)
    parts = " ".join(
        f"LEFT JOIN dossier_parts d_{c} ON d_{c}.v = s.{c}_day "
        f"LEFT JOIN dossier_parts r_{c} ON r_{c}.v = substr({_raw(c, columns)}, char_length(s.{c}_day) + 1)"
        for c in dated
    )
    moments = ", ".join(
        f"{_raw(c, columns)} AS {c}_text, {_moment(c) if c in columns else 'NULL::timestamptz'} AS {c}" for c in DATES
    )
    every = ", ".join(f"f{i}" for i in range(width))
    cursor.execute(
        f"""CREATE TEMP TABLE dossier_rows AS SELECT n + 1 AS line, code, procedure_code,
          code = '' OR procedure_code = '' OR k.blank OR NOT k.ok
            OR char_length(code) > 100 OR char_length(procedure_code) > 50 AS flawed,
          k.channel, k.status, {", ".join(f"k.{c}" for c in (*COUNTS, "fee", *FLAGS))}, {moments}
        FROM (SELECT s.*, {text["code"]} AS code, {text["procedure_code"]} AS procedure_code{days}
              FROM dossier_stage s OFFSET 0) s
        JOIN dossier_types k ON k.key = ARRAY[{key}] {parts}
        WHERE code <> '' OR btrim(concat({every}), %(ws)s) <> ''""",
        {"ws": WHITESPACE, "zone": str(ZONE)},
    )
    return max(cursor.rowcount, 0)


def _other_dates(cursor: Any) -> None:
    """Dates of other shapes: Python's parse_moment decides, once per distinct text."""
    for column in DATES:
        cursor.execute(
            f"SELECT DISTINCT {column}_text FROM dossier_rows WHERE {column} IS NULL AND {column}_text <> ''"
        )
        texts, moments = [], []
        for (text,) in cursor.fetchall():
            try:
                moment = dossier_import.parse_moment(text)
            except (ValueError, OverflowError):
                continue
            if moment is not None:
                texts.append(text)
                moments.append(moment)
        if texts:
            cursor.execute(
                f"UPDATE dossier_rows SET {column} = v.m FROM unnest(%s::text[], %s::timestamptz[]) v(t, m) "
                f"WHERE {column}_text = v.t",
                [texts, moments],
            )


def _reject(
    cursor: Any,
    result: Result,
    rejected: list[tuple[int, int | None]],
    agency: Agency,
    columns: dict[str, int],
    width: int,
) -> None:
    """Word the reasons of the first MAX_ERRORS rejected rows with the Python reader."""
    names = ", ".join(f"f{i}" for i in range(width))
    lines = [line for line, _ in rejected]
    cursor.execute(f"SELECT n + 1, {names} FROM dossier_stage WHERE n + 1 = ANY(%s)", [lines])
    cells = {row[0]: ["" if v is None else v for v in row[1:]] for row in cursor.fetchall()}
    reader = RowReader(agency, columns)
    for line, first_line in rejected:
        if first_line is not None:
            reason = dossier_import.repeated(first_line)
        else:
            read = reader.read(line, cells[line])
            if not isinstance(read, list):  # SQL and Python disagree: a bug, never a silent import
                raise RuntimeError(f"line {line}: rejected in SQL, accepted by RowReader")
            reason = " ".join(read)
        result.errors.append({"line": line, "reason": reason})


# The number of whole working days to add to the day received, when SQL computes the due date.
WORKING_DAYS = f"""CASE WHEN r.due_at IS NULL AND p.whole_days + r.supplement_days <= {MAX_SQL_WORKING_DAYS}
  THEN p.whole_days + r.supplement_days END"""


def _due_dates(cursor: Any, good: str) -> bool:
    """The tables due dates are computed from; whether Python computed some (dossier_dues)."""
    params = {"zone": str(ZONE)}
    workdays = calendar.current()
    # The procedures of the file, with their limit as whole working days where SQL can count them.
    cursor.execute(
        f"""CREATE TEMP TABLE dossier_procedures AS SELECT id, code, time_limit, time_unit,
          CASE WHEN time_unit = 'working_days' AND time_limit >= 0 AND time_limit = trunc(time_limit)
               AND time_limit <= {MAX_SQL_WORKING_DAYS} THEN time_limit::int END AS whole_days
        FROM {Procedure._meta.db_table}
        WHERE code IN (SELECT DISTINCT procedure_code FROM dossier_rows r WHERE {good})"""
    )
    cursor.execute("ANALYZE dossier_procedures")
    # Whole working days: the N-th working day after the day received, from a table of working days
    # numbered in order (cum = working days up to a day) built in Python for the span needed.
    cursor.execute(
        f"""SELECT min(day), max(day), max(n) FROM (SELECT {RECEIVED_DAY} AS day, {WORKING_DAYS} AS n
        FROM dossier_rows r JOIN dossier_procedures p ON p.code = r.procedure_code WHERE {good}) d WHERE n > 0""",
        params,
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
    cursor.execute("ANALYZE dossier_days")
    cursor.execute("ANALYZE dossier_workdays")
    # Other units (hours, days, months, fractions, long limits): Writer's own computation.
    cursor.execute(
        f"""SELECT r.line, r.received_at, p.time_limit, p.time_unit, r.supplement_days FROM dossier_rows r
        JOIN dossier_procedures p ON p.code = r.procedure_code
        WHERE {good} AND r.due_at IS NULL AND p.time_limit IS NOT NULL AND {WORKING_DAYS} IS NULL""",
        params,
    )
    lines, dues = [], []
    for line, received, limit, unit, extra in cursor.fetchall():
        lines.append(line)
        dues.append(workdays.due(timezone.localtime(received, ZONE), limit, unit, extra_working_days=extra))
    cursor.execute(
        "CREATE TEMP TABLE dossier_dues AS SELECT * FROM unnest(%s::bigint[], %s::date[]) v(line, due)", [lines, dues]
    )
    return bool(lines)


def _months(cursor: Any, agency: Agency, good: str) -> tuple[set[tuple[int, date]], int]:
    """The (agency, month) pairs to refresh (the new months and the old ones of updated dossiers), and
    how many of the rows update a dossier."""
    zone = timezone.get_current_timezone().key
    params = {"zone": zone, "agency": agency.pk}
    cursor.execute(
        f"""SELECT date_trunc('month', d.received_at AT TIME ZONE %(zone)s)::date, count(*)
        FROM {Dossier._meta.db_table} d JOIN dossier_rows r ON r.code = d.code
        WHERE d.agency_id = %(agency)s AND {good} GROUP BY 1""",
        params,
    )
    old = cursor.fetchall()
    cursor.execute(
        f"SELECT DISTINCT date_trunc('month', r.received_at AT TIME ZONE %(zone)s)::date FROM dossier_rows r "
        f"WHERE {good}",
        params,
    )
    months = {row[0] for row in old} | {row[0] for row in cursor.fetchall()}
    return {(agency.pk, month) for month in months}, sum(row[1] for row in old)


def _upsert(cursor: Any, agency: Agency, good: str, dues: bool, updates_some: bool) -> int:
    """INSERT the good rows, with due dates and classes; how many written.

    ON CONFLICT DO UPDATE only when some codes exist already: its speculative insertion costs about
    a fifth of the INSERT of a file of new dossiers.
    """
    fields: dict[str, str] = {}
    for name in UPDATED_FIELDS:
        field = Dossier._meta.get_field(name)
        assert isinstance(field, Field)
        fields[name] = field.column
    values: dict[str, str] = {column: column for column in fields.values()}
    values |= {name: _class_sql(f"{name}_end") for name in REFERENCES}
    values["updated"] = "%(now)s::timestamptz"
    names = ["agency_id", "code", *fields.values()]
    selects = ["%(agency)s", "code", *(values[c] for c in fields.values())]
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in fields.values())
    python_due = "x.due" if dues else "NULL::date"
    python_join = "LEFT JOIN dossier_dues x ON x.line = f.line" if dues else ""
    local = timezone.get_current_timezone().key
    local_day = "received_day" if local == str(ZONE) else "(r.received_at AT TIME ZONE %(local)s)::date"
    # Each level computes its columns once for the next (OFFSET 0 keeps the planner from inlining them
    # into every use).
    cursor.execute(
        f"""INSERT INTO {Dossier._meta.db_table} ({", ".join(names)})
        SELECT {", ".join(selects)} FROM (
          SELECT f.*, CASE WHEN f.due_at IS NOT NULL THEN (f.due_at AT TIME ZONE %(zone)s)::date
                           WHEN f.working_days = 0 THEN f.received_day WHEN f.working_days > 0 THEN w.day
                           ELSE {python_due} END AS due_date,
            {", ".join(f"{reference} AS {name}_end" for name, reference in REFERENCES.items())}
          FROM (
            SELECT r.*, p.id AS procedure_id, r.due_at IS NULL AND p.time_limit IS NOT NULL AS due_computed,
              {WORKING_DAYS} AS working_days, {local_day} AS local_day,
              (coalesce(r.finished_at, r.returned_at) AT TIME ZONE %(local)s)::date AS end_day
            FROM (SELECT r.*, {RECEIVED_DAY} AS received_day FROM dossier_rows r WHERE {good} OFFSET 0) r
            JOIN dossier_procedures p ON p.code = r.procedure_code OFFSET 0
          ) f
          LEFT JOIN dossier_days c ON c.day = f.received_day
          LEFT JOIN dossier_workdays w ON w.ord = c.cum + f.working_days
          {python_join}
          OFFSET 0
        ) f ORDER BY line
        {f"ON CONFLICT (agency_id, code) DO UPDATE SET {updates}" if updates_some else ""}""",
        {"agency": agency.pk, "now": timezone.now(), "zone": str(ZONE), "local": local},
    )
    return max(cursor.rowcount, 0)
