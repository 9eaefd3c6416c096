"""Run with `make bench`. Uses a throwaway database: a temporary SQLite file by default,
or a fresh `tandem_bench` database on the PostgreSQL server of TANDEM_DATABASE_URL."""

import os
import sys
import tempfile
from urllib.parse import urlsplit, urlunsplit


def _throwaway_postgres(url: str) -> str:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS tandem_bench WITH (FORCE)")
        connection.execute("CREATE DATABASE tandem_bench")
    return urlunsplit(parts._replace(path="/tandem_bench"))


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

    from tests.bench import calibration, conflicts, feed, http, plans, roadmap

    sections = {
        "http": http,
        "conflicts": conflicts,
        "roadmap": roadmap,
        "feed": feed,
        "plans": plans,
        "calibrate": calibration,
    }
    # `python -m tests.bench http conflicts` runs those sections alone (`make calibrate`:
    # the forecast's).
    unknown = [name for name in sys.argv[1:] if name not in sections]
    if unknown:
        raise SystemExit(f"unknown bench sections {unknown}; choose from {list(sections)}")
    for section in [sections[name] for name in sys.argv[1:]] or sections.values():
        section.run()
        print(flush=True)


if __name__ == "__main__":
    sys.exit(main())
