"""What a file handed to `tandem restore` or `tandem load` is, read from its first bytes, and
the migrations a backup was made at, checked against the code before anything is written."""

import gzip
from enum import Enum
from pathlib import Path

from django.db.migrations.loader import MigrationLoader

DUMP_MARK = b'{"tandem_dump":'


class Kind(Enum):
    SQLITE = "a SQLite backup"
    POSTGRES = "a PostgreSQL backup"
    POSTGRES_OTHER = "a PostgreSQL dump in another format than pg_dump's custom one"
    DUMP = "a Tandem dump, not a backup (put it back with tandem load)"
    UNKNOWN = "not a Tandem backup"


class BackupError(Exception):
    """The operation was refused or failed; the message is one line for the operator."""


def kind_of(path: Path) -> Kind:
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
        if head.startswith(b"\x1f\x8b"):
            with gzip.open(path, "rb") as handle:
                head = handle.read(len(DUMP_MARK))
    except (OSError, EOFError) as error:
        raise BackupError(f"{path}: cannot be read ({_reason(error)})") from None
    if head.startswith(b"SQLite format 3\x00"):
        return Kind.SQLITE
    if head.startswith(b"PGDMP"):
        return Kind.POSTGRES
    if head.startswith(DUMP_MARK):
        return Kind.DUMP
    if b"PostgreSQL database dump" in head or head[:100].rstrip(b"\x00") == b"toc.dat":
        return Kind.POSTGRES_OTHER
    return Kind.UNKNOWN


def refusal(path: Path, found: Kind, vendor: str) -> BackupError:
    """The one line for a file of the wrong kind handed to `tandem restore`."""
    message = f"{path} is {found.value}"
    if found in {Kind.SQLITE, Kind.POSTGRES}:
        message += (
            f"; this instance runs on {vendor}: move between databases with tandem dump and load"
        )
    return BackupError(message)


def check_migrations(applied: set[tuple[str, str]], *, path: Path) -> list[str]:
    """Refuse a backup made by a newer Tandem; return the migrations it predates."""
    if ("accounts", "0001_initial") not in applied:
        raise BackupError(f"{path} holds a database, but not a Tandem one")
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    unknown = sorted(applied - set(graph.nodes))
    if unknown:
        names = ", ".join(f"{app}.{name}" for app, name in unknown[:3])
        raise BackupError(
            f"{path} was made by a newer Tandem (migrations {names} are unknown here): "
            "upgrade Tandem first"
        )
    return sorted(f"{app}.{name}" for app, name in set(graph.nodes) - applied)


def _reason(error: BaseException) -> str:
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def size(path: Path) -> str:
    amount = path.stat().st_size / 1000
    if amount < 1:
        return f"{path.stat().st_size} bytes"
    unit = "kB"
    for larger in ("MB", "GB"):
        if amount < 1000:
            break
        amount, unit = amount / 1000, larger
    return f"{amount:.1f} {unit}"
