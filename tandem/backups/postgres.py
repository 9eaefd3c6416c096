"""Backup and restore of a PostgreSQL database with pg_dump and pg_restore.

The connection goes to the client tools in libpq's environment variables, never on their
command line, where every user of the machine could read the password in the process list.
"""

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tandem.backups.files import BackupError, check_migrations

# Connection options Django may carry that libpq also reads from the environment.
_OPTION_VARIABLES = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "application_name": "PGAPPNAME",
}


def client_environment(database: dict[str, Any]) -> dict[str, str]:
    # Variables already set (PGSSLMODE...) apply to Django's connection too: keep them.
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    for option, variable in _OPTION_VARIABLES.items():
        if option in database.get("OPTIONS", {}):
            env[variable] = str(database["OPTIONS"][option])
    return env


def backup(*, database: dict[str, Any], target: Path) -> None:
    partial = target.with_name(f".{target.name}.partial")
    result = _run(
        [
            _tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(partial),
        ],
        database,
    )
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {_first_error(result.stderr)}")
    os.replace(partial, target)


def restore(
    *, backup_file: Path, database: dict[str, Any], live: set[tuple[str, str]]
) -> list[str]:
    """Put the backup into the live database in one transaction; returns the migrations the
    backup predates. `live` is what the database has applied now."""
    applied = _migrations_in(backup_file, database)
    predates = check_migrations(applied, path=backup_file)
    newer = sorted(live - applied)
    if newer:
        # pg_restore --clean drops only what the backup holds: the tables of these migrations
        # would stay behind and stop the next `tandem migrate`.
        names = ", ".join(f"{app}.{name}" for app, name in newer[:3])
        raise BackupError(
            f"this database has migrations {backup_file} predates ({names}): "
            "restore it into a new, empty database (createdb) instead"
        )
    result = _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            "--dbname",
            str(database["NAME"]),
            str(backup_file),
        ],
        database,
    )
    if result.returncode != 0:
        raise BackupError(
            f"restore of {backup_file} failed, nothing changed: {_first_error(result.stderr)}"
        )
    return predates


def _migrations_in(backup_file: Path, database: dict[str, Any]) -> set[tuple[str, str]]:
    result = _run(
        [
            _tool("pg_restore"),
            "--data-only",
            "--table=django_migrations",
            "--file=-",
            str(backup_file),
        ],
        database,
    )
    if result.returncode != 0:
        raise BackupError(f"{backup_file} cannot be read: {_first_error(result.stderr)}")
    rows: set[tuple[str, str]] = set()
    copying = False
    for line in result.stdout.splitlines():
        if line.startswith("COPY ") and "django_migrations" in line:
            copying = True
        elif line == "\\.":
            copying = False
        elif copying:
            _id, app, name, *_ = line.split("\t")
            rows.add((app, name))
    return rows


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return path


def _run(command: list[str], database: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, env=client_environment(database), capture_output=True, text=True, check=False
    )


def _first_error(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    return (errors or lines or ["no message"])[0]
