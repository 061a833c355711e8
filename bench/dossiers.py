"""The one-stop-shop data at a province's scale, on PostgreSQL.

Builds, in a throwaway PostgreSQL database (created and dropped by this script),
a province of A agencies with P procedures, and writes N seeded synthetic dossiers
(services.synthetic, one CSV file per agency). Then it times, each against its floor:

(a) importing the files with `manage.py import_dossiers` (one process per file,
    as an administrator would) against a raw `COPY` of the same files into an
    unindexed table of text columns; with the importer's peak memory (maxrss);
(b) recomputing every rollup (`services.rollups.recompute`) against one
    hand-written GROUP BY over the dossier table computing the same counts;
(c) reading the dashboard's numbers of one agency-year (the year's totals and
    the 12 months', from the rollups) against that same GROUP BY.

    .venv/bin/python bench/dossiers.py                      # 1,000,000 dossiers
    .venv/bin/python bench/dossiers.py --rows 100000        # a quicker look
    PG_URL=postgres://user@host:5432/postgres .venv/bin/python bench/dossiers.py
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DB = "cchc_bench_dossiers"

GROUP_BY = """
SELECT agency_id, unit_id, procedure_id, date_trunc('month', received_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS month,
       channel, count(*),
       count(*) FILTER (WHERE status = 'withdrawn'),
       count(*) FILTER (WHERE status <> 'withdrawn' AND fee > 0),
       count(*) FILTER (WHERE status <> 'withdrawn' AND fee > 0 AND paid_online),
       count(*) FILTER (WHERE status <> 'withdrawn' AND digitised),
       {classes}
FROM services_dossier GROUP BY 1, 2, 3, 4, 5
"""


def classes_sql() -> str:
    parts = []
    for column in ("class_month", "class_quarter", "class_half", "class_year"):
        for code in range(1, 6):
            parts.append(f"count(*) FILTER (WHERE {column} = {code})")
        parts.append(f"count(*) FILTER (WHERE {column} IN (1, 2, 3) AND electronic_result)")
    return ",\n       ".join(parts)


def admin_url(base: str, name: str) -> str:
    return base.rsplit("/", 1)[0] + "/" + name


def timed(label: str, fn: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    print(f"  {label}: {seconds:.2f} s", flush=True)
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=4)
    parser.add_argument("--procedures", type=int, default=60)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import psycopg

    base = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB}")
        admin.execute(f"CREATE DATABASE {DB}")
    url = admin_url(base, DB)
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "cchc.settings"}
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    try:
        run(args, url, env)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB}")


def run(args: argparse.Namespace, url: str, env: dict[str, str]) -> None:
    import django

    django.setup()
    import psycopg
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import Agency, AgencyKind
    from services import rollups
    from services.models import Dossier, OnlineLevel, Procedure
    from services.synthetic import ProcedureSpec, rows, write_csv

    call_command("migrate", verbosity=0)
    province = Agency.objects.create(
        code="tinh", kind=AgencyKind.PROVINCE, name="Tỉnh", short_name="Tỉnh", abbreviation="UBND", place_name="X"
    )
    agencies = [
        Agency.objects.create(
            code=f"so-{n}",
            parent=province,
            name=f"Sở {n}",
            short_name=f"Sở {n}",
            abbreviation=f"S{n}",
            place_name="X",
        )
        for n in range(1, args.agencies + 1)
    ]
    specs = []
    for n in range(args.procedures):
        spec = ProcedureSpec(f"1.{n:06d}", Decimal(3 + n % 13), 50000 if n % 3 == 0 else 0, n % 2 == 0)
        specs.append(spec)
        Procedure.objects.create(
            code=spec.code,
            name=f"Thủ tục {n}",
            agency=agencies[n % len(agencies)],
            online_level=OnlineLevel.FULL if spec.online else OnlineLevel.NONE,
            time_limit=spec.limit,
            fee=spec.fee,
        )
    print(f"{args.rows:,} dossiers of {args.year}, {args.agencies} agencies, {args.procedures} procedures", flush=True)
    with tempfile.TemporaryDirectory(prefix="cchc-dossiers-") as tmp:
        files = []
        started = time.perf_counter()
        for index, agency in enumerate(agencies):
            path = Path(tmp) / f"{agency.abbreviation}.csv"
            write_csv(
                path,
                rows(
                    seed=index,
                    count=args.rows // len(agencies),
                    agencies=[agency.abbreviation],
                    procedures=specs,
                    start=date(args.year, 1, 1),
                    end=date(args.year, 12, 31),
                ),
            )
            files.append((agency, path))
        size = sum(p.stat().st_size for _, p in files)
        print(f"  generated {size / 2**20:.0f} MiB of CSV in {time.perf_counter() - started:.0f} s (not timed)")

        # (a) COPY into an unindexed table of text columns: the floor of any import.
        with files[0][1].open(encoding="utf-8") as first:
            columns = first.readline().strip().split(",")
        with psycopg.connect(url, autocommit=True) as raw:
            raw.execute(
                "CREATE UNLOGGED TABLE IF NOT EXISTS bench_raw (" + ", ".join(f"{c} text" for c in columns) + ")"
            )

            def copy() -> None:
                for _agency, path in files:
                    with (
                        raw.cursor().copy("COPY bench_raw FROM STDIN WITH (FORMAT csv, HEADER true)") as copier,
                        open(path, "rb") as f,
                    ):
                        while chunk := f.read(1 << 20):
                            copier.write(chunk)

            _none, copy_s = timed("COPY (floor)", copy)
            raw.execute("DROP TABLE bench_raw")

        def import_all() -> None:
            for agency, path in files:
                subprocess.run(
                    [sys.executable, "manage.py", "import_dossiers", str(path), "--agency", agency.code],
                    cwd=ROOT,
                    env=env,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )

        _none, import_s = timed("import_dossiers", import_all)
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

        # The same processes doing nothing (a file that does not exist: exit code 2 before any reading):
        # Python, Django and the command's system checks, paid once per file; and without the checks.
        def start_up(*options: str) -> None:
            for agency, path in files:
                subprocess.run(
                    [sys.executable, "manage.py", "import_dossiers", f"{path}.none", "--agency", agency.code, *options],
                    cwd=ROOT,
                    env=env,
                    check=False,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )

        _none, start_s = timed(f"start-up of {len(files)} processes (no-op runs)", start_up)
        _none, bare_s = timed(
            f"start-up of {len(files)} processes with --skip-checks", lambda: start_up("--skip-checks")
        )
    count = Dossier.objects.count()
    print(f"  {count:,} dossiers stored, peak memory of an import process {peak_mib:.0f} MiB")

    # What the imports spent refreshing their months' rollups (the last step of each), done again.
    months = {(agency.pk, date(args.year, month, 1)) for agency in agencies for month in range(1, 13)}
    _none, refresh_s = timed(
        "rollups.refresh of the imported months (inside the import)", lambda: rollups.refresh(months)
    )

    # (b) recompute every rollup against the same counts in one hand-written GROUP BY.
    sql = GROUP_BY.format(classes=classes_sql())

    def group_by() -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return len(cursor.fetchall())

    connection.cursor().execute("ANALYZE")
    group_by()  # warm the cache
    groups, group_s = timed("hand-written GROUP BY (floor)", group_by)
    made, recompute_s = timed("rollups.recompute", rollups.recompute)

    # (c) the dashboard's numbers of one agency-year: the year and its 12 months.
    agency = agencies[0]

    def dashboard() -> None:
        rollups.totals([agency.pk], date(args.year, 1, 1), date(args.year, 12, 1), "y")
        for month in range(1, 13):
            first = date(args.year, month, 1)
            rollups.totals([agency.pk], first, first, "m")

    dashboard()
    times = []
    for _ in range(args.repeat):
        _none, seconds = timed("dashboard read (one agency-year)", dashboard)
        times.append(seconds)
    read_s = sorted(times)[len(times) // 2]

    print()
    lines = [
        ("measure", "seconds", "floor", "ratio", "goal"),
        (f"(a) import {count:,} rows", f"{import_s:.1f}", f"{copy_s:.2f}", f"{import_s / copy_s:.2f}", "<= 3"),
        ("    of which start-up", f"{start_s:.1f}", "", f"{start_s / import_s:.0%}", ""),
        ("      of which system checks", f"{start_s - bare_s:.1f}", "", f"{(start_s - bare_s) / import_s:.0%}", ""),
        (
            "    import without start-up",
            f"{import_s - start_s:.1f}",
            f"{copy_s:.2f}",
            f"{(import_s - start_s) / copy_s:.2f}",
            "",
        ),
        ("    of which rollups.refresh", f"{refresh_s:.1f}", "", f"{refresh_s / import_s:.0%}", ""),
        (
            f"(b) recompute {made:,} rollups",
            f"{recompute_s:.2f}",
            f"{group_s:.2f}",
            f"{recompute_s / group_s:.2f}",
            "<= 2",
        ),
        ("(c) dashboard read, agency-year", f"{read_s:.3f}", f"{group_s:.2f}", f"{read_s / group_s:.3f}", "<= 0.1"),
        ("import peak memory (MiB)", f"{peak_mib:.0f}", "", "", "< 300"),
    ]
    for line in lines:
        print(f"{line[0]:<36} {line[1]:>9} {line[2]:>9} {line[3]:>7} {line[4]:>7}")
    print(f"({groups:,} groups in the GROUP BY)")


if __name__ == "__main__":
    main()
