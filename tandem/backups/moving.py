"""`tandem dump` / `tandem load`: a whole instance as database-neutral JSON Lines, to move it
between SQLite and PostgreSQL.

A dump is one header line (format, source database, migrations, the checksum of every
table) and then one line per row, table after table, written from one consistent snapshot
and streamed, so memory does not grow with the instance. Content types and permissions are
named by natural key, because `migrate` numbers them on each database; every other row
keeps its id, so links, URLs and API ids stay the same after the move.

A load goes into a freshly migrated, empty database in one transaction, resets the
PostgreSQL sequences so new rows get fresh ids, and compares the checksums of what it
wrote with the dump's before committing: a move either arrives whole and identical, or
changes nothing.
"""

import contextlib
import datetime
import gzip
import itertools
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers import jsonl
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from tandem.backups import checksum
from tandem.backups.files import DUMP_MARK, BackupError, Kind, kind_of

FORMAT = 1
BATCH = 500


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a move must keep every microsecond."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class _RowSerializer(jsonl.Serializer):
    """Django's JSON Lines, with natural keys for references to content types and
    permissions only, and many-to-many links left to their own tables' rows."""

    natural: dict[type[models.Model], dict[Any, list[Any]]]

    def handle_fk_field(self, obj: models.Model, field: models.Field[Any, Any]) -> None:
        related = field.related_model
        natural = self.natural.get(related) if isinstance(related, type) else None
        if natural is None:
            super().handle_fk_field(obj, field)
        else:
            # Django's serializers gather a row's fields in `_current` (not in its stubs).
            current: dict[str, Any] = getattr(self, "_current")  # noqa: B009
            current[field.name] = natural.get(getattr(obj, field.attname))

    def handle_m2m_field(self, obj: models.Model, field: models.Field[Any, Any]) -> None:
        # An auto-created many-to-many table is dumped as a table, ids and all.
        return


def dump(*, target: Path, using: str = "default") -> dict[str, int]:
    """Write the dump; returns the row count per table."""
    partial = target.with_name(f".{target.name}.partial")
    connection = connections[using]
    try:
        with (
            _snapshot(using),
            _text_file(partial, "w", gzipped=target.name.endswith(".gz")) as out,
        ):
            sums = checksum.table_checksums(using)
            header = {
                "tandem_dump": FORMAT,
                "vendor": connection.vendor,
                "created": datetime.datetime.now(datetime.UTC).isoformat(),
                "migrations": sorted(applied_migrations(using)),
                "checksums": checksum.as_json(sums),
            }
            out.write(json.dumps(header) + "\n")
            serializer = _RowSerializer()
            serializer.natural = checksum.natural_keys(using)
            for model in _dumped_models():
                rows = (
                    model._default_manager.db_manager(using)
                    .order_by("pk")
                    .iterator(chunk_size=2000)
                )
                serializer.serialize(rows, stream=out, cls=_ExactEncoder)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _fsync(partial)
    os.replace(partial, target)
    dumped = {model._meta.db_table for model in _dumped_models()}
    return {table: c.rows for table, c in sums.items() if table in dumped}


def load(*, source: Path, using: str = "default") -> int:
    """Load the dump into this empty, migrated database; returns the number of rows."""
    kind = kind_of(source)
    if kind in {Kind.UNKNOWN, Kind.POSTGRES_OTHER}:
        raise BackupError(f"{source} is not a Tandem dump")
    if kind is not Kind.DUMP:
        raise BackupError(
            f"{source} is {kind.value}, not a Tandem dump: put it back with tandem restore"
        )
    with _text_file(source, "r", gzipped=_is_gzipped(source)) as lines:
        header = _header(next(lines, ""), source)
        _check_target(header, using)
        try:
            with transaction.atomic(using=using):
                count = _insert(lines, using)
                _reset_sequences(using)
                found = checksum.differences(
                    checksum.from_json(header["checksums"]), checksum.table_checksums(using)
                )
                if found:
                    raise BackupError(
                        f"load of {source} refused, nothing changed: the loaded data differs "
                        f"from the dump ({'; '.join(found[:3])})"
                    )
        except (DeserializationError, UnicodeDecodeError, EOFError, gzip.BadGzipFile) as error:
            raise BackupError(f"load of {source} failed, nothing changed: {_line(error)}") from None
    return count


def _dumped_models() -> list[type[models.Model]]:
    return [m for m in checksum.instance_models() if m not in checksum.NATURAL_MODELS]


def applied_migrations(using: str) -> set[tuple[str, str]]:
    recorder = MigrationRecorder(connections[using])
    return set(recorder.applied_migrations()) if recorder.has_table() else set()


@contextlib.contextmanager
def _snapshot(using: str) -> Iterator[None]:
    """Every table read as of one instant, without stopping writers."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    # Django opens SQLite transactions IMMEDIATE, which would hold the write lock for the whole
    # dump; a deferred one only reads, and WAL keeps its snapshot while others write.
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            cursor.execute("ROLLBACK")


def _text_file(path: Path, mode: str, *, gzipped: bool) -> IO[str]:
    if gzipped:
        return cast(IO[str], gzip.open(path, f"{mode}t", encoding="utf-8"))
    return path.open(mode, encoding="utf-8")


def _is_gzipped(path: Path) -> bool:
    with path.open("rb") as probe:
        return probe.read(2) == b"\x1f\x8b"


def _header(line: str, source: Path) -> dict[str, Any]:
    try:
        header = json.loads(line)
    except ValueError:
        header = None
    if not isinstance(header, dict) or not line.startswith(DUMP_MARK.decode()):
        raise BackupError(f"{source} is not a Tandem dump")
    if header.get("tandem_dump") != FORMAT:
        raise BackupError(
            f"{source} is a dump of format {header.get('tandem_dump')}; "
            f"this Tandem reads format {FORMAT}"
        )
    return header


def _check_target(header: dict[str, Any], using: str) -> None:
    dumped = {(app, name) for app, name in header["migrations"]}
    here = applied_migrations(using)
    if dumped != here:
        missing, extra = sorted(dumped - here), sorted(here - dumped)
        first = (missing or extra)[0]
        raise BackupError(
            f"the dump was made at other migrations than this database has "
            f"({len(missing)} missing here, {len(extra)} more here, e.g. {first[0]}.{first[1]}): "
            "load it into a database migrated by the same Tandem version (tandem migrate)"
        )
    for model in _dumped_models():
        rows = model._default_manager.db_manager(using).count()
        if rows:
            raise BackupError(
                f"this database is not empty ({rows} rows in {model._meta.db_table}): "
                "load needs a new database with only `tandem migrate` run on it"
            )


def _insert(lines: Iterator[str], using: str) -> int:
    objects = (
        item.object
        for item in serializers.deserialize("jsonl", lines, using=using, ignorenonexistent=False)
    )
    count = 0
    for model, group in itertools.groupby(objects, key=type):
        while batch := list(itertools.islice(group, BATCH)):
            _insert_batch(model, batch, using)
            count += len(batch)
    return count


def _insert_batch(model: type[models.Model], batch: list[models.Model], using: str) -> None:
    manager = model._default_manager.db_manager(using)
    try:
        with transaction.atomic(using=using):
            manager.bulk_create(batch)
        return
    except DatabaseError:
        pass
    # Find the row the database refused, so the message can name it.
    for row in batch:
        try:
            with transaction.atomic(using=using):
                manager.bulk_create([row])
        except DatabaseError as error:
            raise BackupError(
                f"load failed, nothing changed: {model._meta.db_table} row {row.pk} was refused "
                f"by {connections[using].vendor}: {_line(error)}"
            ) from None
    raise BackupError(
        f"load failed, nothing changed: {model._meta.db_table} was refused as a whole"
    )


def _reset_sequences(using: str) -> None:
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), checksum.instance_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
