"""Rows, and the rows their foreign keys point to, without the ORM's query compiler.

Every API call looks up its token and then the caller's membership. Through a QuerySet
each lookup spends most of its time composing SQL (a third to two thirds of a millisecond,
more than the database takes), the same SQL every time. Here the statement is written
once per process from the models' metadata and only the values change; the rows still
come from the database on every call, through Django's own converters and `from_db`, so
the instances are what the ORM would have made and nothing is cached but the SQL text.
Only for the few reads every call (or the hottest calls) make; everything else queries
through the ORM.
"""

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connections, models
from django.db.models.expressions import Col

M = TypeVar("M", bound=models.Model)

Converter = Callable[[Any, Any, Any], Any]
# For the model and each joined one: the model, its field names, and (column index, column,
# converters) for the columns that need converting.
Loader = tuple[type[models.Model], list[str], list[tuple[int, Col, list[Converter]]]]


def _field(model: type[models.Model], name: str) -> Any:
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _column(field: Any) -> str:
    column = field.column
    assert isinstance(column, str), field
    return column


@functools.cache
def _statement(
    model: type[models.Model],
    joins: tuple[str, ...],
    where: tuple[str, ...],
    order: tuple[str, ...] | None,
    alias: str,
) -> tuple[str, list[Loader]]:
    """The SELECT and, for the model and each joined one, its field names and converters."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    tables: list[tuple[type[models.Model], str]] = [(model, "t0")]
    joined = []
    for i, name in enumerate(joins, start=1):
        field = model._meta.get_field(name)
        assert isinstance(field, models.ForeignKey) and not field.null, name
        related = field.related_model
        assert isinstance(related, type)
        tables.append((related, f"t{i}"))
        joined.append(
            f"INNER JOIN {quote(related._meta.db_table)} t{i} "
            f"ON t{i}.{quote(_column(field.target_field))} = t0.{quote(_column(field))}"
        )
    columns: list[str] = []
    loaders: list[Loader] = []
    for table_model, table in tables:
        fields = list(table_model._meta.concrete_fields)
        converters: list[tuple[int, Col, list[Converter]]] = []
        for index, field in enumerate(fields, start=len(columns)):
            col = Col(table, field)
            found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if found:
                converters.append((index, col, found))
        loaders.append((table_model, [f.attname for f in fields], converters))
        columns += [f"{table}.{quote(_column(f))}" for f in fields]
    conditions = []
    for path in where:
        table, _, name = path.rpartition(".")
        owner = tables[joins.index(table) + 1 if table else 0]
        column = _column(owner[0]._meta.get_field(name))
        conditions.append(f"{owner[1]}.{quote(column)} = %s")
    if order is None:
        tail = "LIMIT 2"  # one_row: a second row is an error, not an answer
    else:
        sorts = [
            f"t0.{quote(_column(_field(model, name.lstrip('-'))))}"
            + (" DESC" if name.startswith("-") else " ASC")
            for name in order
        ]
        tail = f"ORDER BY {', '.join(sorts)}"
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(model._meta.db_table)} t0 "
        f"{' '.join(joined)} WHERE {' AND '.join(conditions)} {tail}"
    )
    return sql, loaders


def _fetch(
    model: type[M],
    joins: Sequence[str],
    where: dict[str, Any],
    order: tuple[str, ...] | None,
    using: str,
) -> list[M]:
    sql, loaders = _statement(model, tuple(joins), tuple(where), order, using)
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(sql, list(where.values()))
        rows = cursor.fetchall()
    found = []
    for values in rows:
        row = list(values)
        start = 0
        instances = []
        for table_model, names, converters in loaders:
            for index, col, functions in converters:
                for convert in functions:
                    row[index] = convert(row[index], col, connection)
            instances.append(table_model.from_db(using, names, row[start : start + len(names)]))
            start += len(names)
        instance = instances[0]
        assert isinstance(instance, model)
        for name, related in zip(joins, instances[1:], strict=True):
            field = model._meta.get_field(name)
            assert isinstance(field, models.ForeignKey)
            field.set_cached_value(instance, related)
        found.append(instance)
    return found


def one_row(
    model: type[M],
    *,
    joins: Sequence[str] = (),
    where: dict[str, Any],
    using: str = "default",
) -> M | None:
    """The instance whose fields equal `where` (keys name the model's fields, or a joined
    model's as "join.field"), with each of `joins` (non-null foreign keys) loaded on it;
    None when there is none. At most one row may match: the lookup must be unique."""
    found = _fetch(model, joins, where, None, using)
    assert len(found) <= 1, f"{model.__name__} lookup by {list(where)} is not unique"
    return found[0] if found else None


def all_rows(
    model: type[M],
    *,
    joins: Sequence[str] = (),
    where: dict[str, Any],
    using: str = "default",
) -> list[M]:
    """Every instance whose fields equal `where`, in the model's own ordering (a field of
    its own, or several), each with `joins` loaded as for `one_row`."""
    ordering = model._meta.ordering or ()
    order = tuple(name for name in ordering if isinstance(name, str))
    assert len(order) == len(ordering), "an ordering by expression"
    return _fetch(model, joins, where, order, using)
