"""Backup and restore of the embedded SQLite database with SQLite's online backup API.

Both copy every page in one step, inside one read transaction on the side being read: in
WAL mode the server and the worker go on reading and writing meanwhile, and the copy is the
database as it was at one instant. A restore writes into the live file through SQLite, so
open connections see the old or the new database, never a half-copied file.
"""

import os
import sqlite3
from pathlib import Path

from tandem.backups.files import BackupError, check_migrations

BUSY_TIMEOUT_SECONDS = 60


def backup(*, database: Path, target: Path) -> None:
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        source = sqlite3.connect(database, timeout=BUSY_TIMEOUT_SECONDS)
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy, pages=-1)
            # One self-contained file: no -wal beside it to forget when copying it away.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
            source.close()
        _fsync(partial)
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"backup to {target} failed: {error}") from None


def restore(*, backup_file: Path, database: Path) -> list[str]:
    """Put the backup into the live database; returns the migrations the backup predates."""
    try:
        source = sqlite3.connect(f"{backup_file.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupError(f"{backup_file} cannot be opened: {error}") from None
    try:
        predates = check_migrations(_applied(source, backup_file), path=backup_file)
        live = sqlite3.connect(database, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            source.backup(live, pages=-1)
        except sqlite3.Error as error:
            raise BackupError(
                f"restore of {backup_file} failed, nothing changed: {error}"
            ) from None
        finally:
            live.close()
    finally:
        source.close()
    return predates


def _applied(source: sqlite3.Connection, path: Path) -> set[tuple[str, str]]:
    try:
        if source.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise BackupError(f"{path} is a damaged SQLite file (quick_check failed)")
        rows = source.execute("SELECT app, name FROM django_migrations").fetchall()
    except sqlite3.DatabaseError as error:
        if "no such table" in str(error):
            raise BackupError(f"{path} is a SQLite database but not a Tandem one") from None
        raise BackupError(f"{path} cannot be read: {error}") from None
    return {(str(app), str(name)) for app, name in rows}


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
