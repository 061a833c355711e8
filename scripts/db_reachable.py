"""Exit 0 when the PostgreSQL server in argv[1] (a DATABASE_URL) answers."""

import sys

import dj_database_url
import psycopg

cfg = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(
        host=cfg["HOST"],
        port=cfg["PORT"] or 5432,
        user=cfg["USER"],
        password=cfg["PASSWORD"],
        dbname=cfg["NAME"],
        connect_timeout=3,
    ).close()
except psycopg.OperationalError:
    sys.exit(1)
