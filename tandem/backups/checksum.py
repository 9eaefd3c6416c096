"""One checksum per table, equal on SQLite and on PostgreSQL when the data is the same.

Rows are read through the models, so every value arrives as the same Python value whichever
database holds it (an aware datetime, a Decimal, parsed JSON), and is then written out in
one canonical form and hashed in primary-key order. `tandem checksum` prints them, `tandem
load` checks a loaded database against the checksums its dump carries, and the tests
compare an instance before and after a restore or a move.
"""

import datetime
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models

# `migrate` numbers these itself on each database, so the same instance can hold them under
# other ids elsewhere: they are compared (and dumped) by natural key, as are references to them.
NATURAL_MODELS: tuple[type[models.Model], ...] = (ContentType, Permission)


@dataclass(frozen=True)
class TableChecksum:
    rows: int
    sha256: str


def instance_models() -> list[type[models.Model]]:
    """Every table of the instance that has a model, the auto-created many-to-many ones too."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def table_checksums(using: str = "default") -> dict[str, TableChecksum]:
    natural = natural_keys(using)
    return {
        model._meta.db_table: _table_checksum(model, using=using, natural=natural)
        for model in sorted(instance_models(), key=lambda m: m._meta.db_table)
    }


def differences(expected: dict[str, TableChecksum], actual: dict[str, TableChecksum]) -> list[str]:
    """One line per table that differs, saying how, in table order."""
    lines = []
    for table in sorted(expected.keys() | actual.keys()):
        before, after = expected.get(table), actual.get(table)
        if before == after:
            continue
        if before is None or after is None:
            lines.append(f"{table}: only in the {'second' if before is None else 'first'}")
        elif before.rows != after.rows:
            lines.append(f"{table}: {before.rows} rows, now {after.rows}")
        else:
            lines.append(f"{table}: same {after.rows} rows, different values")
    return lines


def natural_keys(using: str) -> dict[type[models.Model], dict[Any, list[Any]]]:
    return {
        model: {
            row.pk: list(row.natural_key())  # type: ignore[attr-defined]  # only models with natural keys are listed here
            for row in model._default_manager.db_manager(using).all()
        }
        for model in NATURAL_MODELS
    }


def _table_checksum(
    model: type[models.Model],
    *,
    using: str,
    natural: dict[type[models.Model], dict[Any, list[Any]]],
) -> TableChecksum:
    fields = list(model._meta.concrete_fields)
    # An auto-created many-to-many table's own id is not data: a dump recreates its rows.
    if model in NATURAL_MODELS or model._meta.auto_created:
        fields = [field for field in fields if not field.primary_key]
    lookups = [natural.get(field.related_model) if field.is_relation else None for field in fields]  # type: ignore[arg-type]  # related_model is a model class for a relation
    queryset = model._default_manager.db_manager(using).values_list(
        *(field.attname for field in fields)
    )
    pk = model._meta.pk
    ordered_by_database = isinstance(pk, models.AutoField | models.IntegerField) and (pk in fields)
    if ordered_by_database:
        rows: Iterable[tuple[Any, ...]] = queryset.order_by("pk").iterator(chunk_size=2000)
        lines: Iterable[str] = (_line(row, lookups) for row in rows)
    else:
        # Text collates differently on each database; Python's order is the same everywhere.
        lines = sorted(_line(row, lookups) for row in queryset.order_by().iterator())
    digest = hashlib.sha256()
    count = 0
    for line in lines:
        digest.update(line.encode())
        count += 1
    return TableChecksum(rows=count, sha256=digest.hexdigest())


def _line(row: tuple[Any, ...], lookups: list[dict[Any, list[Any]] | None]) -> str:
    values = [
        lookup.get(value) if lookup is not None and value is not None else _canonical(value)
        for value, lookup in zip(row, lookups, strict=True)
    ]
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def _canonical(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value // datetime.timedelta(microseconds=1)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    raise TypeError(f"no canonical form for {type(value).__name__}")


def as_json(checksums: dict[str, TableChecksum]) -> dict[str, list[Any]]:
    return {table: [c.rows, c.sha256] for table, c in checksums.items()}


def from_json(data: dict[str, list[Any]]) -> dict[str, TableChecksum]:
    return {
        table: TableChecksum(rows=int(rows), sha256=str(sha)) for table, (rows, sha) in data.items()
    }
