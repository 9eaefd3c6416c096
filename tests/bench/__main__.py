"""Run with `make bench`. Uses a throwaway database: a temporary SQLite file by default,
or a fresh database (dropped after) on the PostgreSQL server of TANDEM_DATABASE_URL."""

import os
import sys
import tempfile
from urllib.parse import urlsplit, urlunsplit

# One of its own per run: several people may bench on one PostgreSQL server.
BENCH_DATABASE = f"tandem_bench_{os.getpid()}"


def _admin_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def _throwaway_postgres(url: str) -> str:
    import psycopg

    with psycopg.connect(_admin_url(url), autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    return urlunsplit(urlsplit(url)._replace(path=f"/{BENCH_DATABASE}"))


def _drop_postgres(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(_admin_url(url), autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")


def main() -> None:
    os.environ["TANDEM_DATA_DIR"] = tempfile.mkdtemp(prefix="tandem-bench-")
    if url := os.environ.get("TANDEM_DATABASE_URL"):
        os.environ["TANDEM_DATABASE_URL"] = _throwaway_postgres(url)
    # Page timings go through Django's test client, which calls itself "testserver".
    os.environ["TANDEM_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"Tandem benchmarks on {connection.vendor}, {os.cpu_count()} cores\n", flush=True)

    from tests.bench import (
        calibration,
        conflicts,
        feed,
        http,
        large,
        plans,
        roadmap,
        search,
        twoservers,
    )

    sections = {
        "http": http,
        "twoservers": twoservers,
        "conflicts": conflicts,
        "roadmap": roadmap,
        "large": large,
        "feed": feed,
        "plans": plans,
        "search": search,
        "calibrate": calibration,
    }
    # `python -m tests.bench http conflicts` runs those sections alone (`make calibrate`:
    # the forecast's).
    unknown = [name for name in sys.argv[1:] if name not in sections]
    if unknown:
        raise SystemExit(f"unknown bench sections {unknown}; choose from {list(sections)}")
    try:
        for section in [sections[name] for name in sys.argv[1:]] or sections.values():
            section.run()
            print(flush=True)
    finally:
        if url := os.environ.get("TANDEM_DATABASE_URL"):
            _drop_postgres(url)


if __name__ == "__main__":
    sys.exit(main())
