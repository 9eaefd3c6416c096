"""Rows, and the rows their foreign keys point to, without the ORM's query compiler.

Every API call looks up its token and then the caller's membership. Through a QuerySet
each lookup spends most of its time composing SQL (a third to two thirds of a millisecond,
more than the database takes), the same SQL every time. Here the statement is written
once per process from the models' metadata and only the values change; the rows still
come from the database on every call, through Django's own converters and `from_db`, so
the instances are what the ORM would have made and nothing is cached but the SQL text.
Only for the few reads every call (or the hottest calls) make: the token and membership,
one objective, the page of key results with its forecasts, and the plan snapshot that
detection loads after every write; everything else queries through the ORM.
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
    only: tuple[str, ...] | None = None,
) -> tuple[str, list[Loader]]:
    """The SELECT and, for the model and each joined one, its field names and converters;
    of the model itself, `only` those fields (and its primary key) when given."""
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
        if only is not None and table_model is model:
            wanted = {_field(model, name).attname for name in ("pk", *only)}
            fields = [f for f in fields if f.attname in wanted]
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
    only: Sequence[str] | None = None,
) -> list[M]:
    sql, loaders = _statement(
        model, tuple(joins), tuple(where), order, using, None if only is None else tuple(only)
    )
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
    only: Sequence[str] | None = None,
    using: str = "default",
) -> list[M]:
    """Every instance whose fields equal `where`, in the model's own ordering (a field of
    its own, or several), each with `joins` loaded as for `one_row`. With `only`, the
    instances hold those fields alone (as QuerySet.only: reading another one queries)."""
    ordering = model._meta.ordering or ()
    order = tuple(name for name in ordering if isinstance(name, str))
    assert len(order) == len(ordering), "an ordering by expression"
    return _fetch(model, joins, where, order, using, only)


# ---------------------------------------------------------------- plain values
#
# For a list that serializes its rows without model instances (the API's key results):
# chosen columns, following foreign keys by dotted paths ("objective.cycle.state"), as
# tuples in the order asked. Conditions name columns the same way, with an optional lookup
# after "__": "in" (a sequence), "lte", "gte", "isnull" (a bool). The statement is written
# once per shape (an "in" of another length is another shape). A decimal column wanted as
# a float for arithmetic (`floats`) skips the Decimal: the database's own number, as a
# Cast(FloatField()) would give it.

LOOKUPS = {"": "= %s", "lte": "<= %s", "gte": ">= %s"}
PLAIN = {int, str, bool, float, type(None)}


# Keyed by the conditions' shape, a list's length included: bounded, as lengths vary.
@functools.lru_cache(maxsize=1024)
def _values_statement(
    model: type[models.Model],
    columns: tuple[str, ...],
    where: tuple[tuple[str, str, int], ...],
    order: bool,
    window: bool,
    floats: tuple[str, ...],
    alias: str,
) -> tuple[str, list[tuple[Any, Col, list[Converter]]], list[tuple[int, Any]]]:
    """The SELECT (COUNT(*) when no column is asked for), each column's converters, and
    each condition's field (to prepare its value) by position."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    tables: dict[str, tuple[type[models.Model], str]] = {"": (model, "t0")}
    joined: list[str] = []

    def column_of(path: str) -> tuple[Any, str]:
        """The field at `path` and its qualified column, joining the tables on the way."""
        *hops, name = path.split(".")
        prefix = ""
        for hop in hops:
            owner, table = tables[prefix]
            prefix = f"{prefix}.{hop}" if prefix else hop
            if prefix not in tables:
                field = owner._meta.get_field(hop)
                assert isinstance(field, models.ForeignKey) and not field.null, path
                related = field.related_model
                assert isinstance(related, type)
                tables[prefix] = (related, f"t{len(tables)}")
                joined.append(
                    f"INNER JOIN {quote(related._meta.db_table)} {tables[prefix][1]} ON "
                    f"{tables[prefix][1]}.{quote(_column(field.target_field))} = "
                    f"{table}.{quote(_column(field))}"
                )
        owner, table = tables[prefix]
        field = _field(owner, name)
        return field, f"{table}.{quote(_column(field))}"

    selected = []
    converters: list[tuple[Any, Col, list[Converter]]] = []
    for index, path in enumerate(columns):
        field, column = column_of(path)
        selected.append(column)
        col = Col(column.partition(".")[0], field)
        if path in floats:
            converters.append((index, col, [_as_float]))
            continue
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if found:
            converters.append((index, col, found))
    conditions = []
    prepared: list[tuple[int, Any]] = []
    for path, lookup, size in where:
        field, column = column_of(path)
        if lookup == "isnull":
            conditions.append(f"{column} IS {'' if size else 'NOT '}NULL")
        elif lookup == "in":
            conditions.append(f"{column} IN ({', '.join(['%s'] * size)})" if size else "1 = 0")
            prepared += [(len(prepared), field)] * size
        else:
            conditions.append(f"{column} {LOOKUPS[lookup]}")
            prepared.append((len(prepared), field))
    sql = (
        f"SELECT {', '.join(selected) or 'COUNT(*)'} FROM {quote(model._meta.db_table)} t0 "
        f"{' '.join(joined)} WHERE {' AND '.join(conditions) or '1 = 1'}"
    )
    if order and model._meta.ordering:
        ordering = model._meta.ordering or ()
        assert all(isinstance(name, str) for name in ordering), "an ordering by expression"
        sorts = [
            f"t0.{quote(_column(_field(model, name.lstrip('-'))))}"
            + (" DESC" if name.startswith("-") else " ASC")
            for name in ordering
            if isinstance(name, str)
        ]
        sql += f" ORDER BY {', '.join(sorts)}"
    if window:
        sql += " LIMIT %s OFFSET %s"
    return sql, converters, prepared


def _as_float(value: Any, expression: Any, connection: Any) -> float | None:
    return None if value is None else float(value)


def _shape(where: dict[str, Any]) -> tuple[tuple[tuple[str, str, int], ...], list[Any]]:
    shape = []
    params: list[Any] = []
    for key, value in where.items():
        path, _, lookup = key.partition("__")
        if lookup == "isnull":
            shape.append((path, lookup, int(bool(value))))
        elif lookup == "in":
            shape.append((path, lookup, len(value)))
            params += value
        else:
            shape.append((path, lookup, 0))
            params.append(value)
    return tuple(shape), params


def _run(
    model: type[models.Model],
    columns: tuple[str, ...],
    where: dict[str, Any],
    window: tuple[int, int] | None,
    floats: tuple[str, ...],
    using: str,
    ordered: bool = False,
) -> list[tuple[Any, ...]]:
    shape, params = _shape(where)
    sql, converters, prepared = _values_statement(
        model, columns, shape, ordered or window is not None, window is not None, floats, using
    )
    connection = connections[using]
    for index, field in prepared:
        # Ids and choices go as they are; a date (or any other value) as the field sends it.
        if type(params[index]) not in PLAIN:
            params[index] = field.get_db_prep_value(params[index], connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params + list(window or ()))
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    if not converters:
        return rows
    found = []
    for values in rows:
        row = list(values)
        for index, col, functions in converters:
            for convert in functions:
                row[index] = convert(row[index], col, connection)
        found.append(tuple(row))
    return found


def values_rows(
    model: type[models.Model],
    *,
    columns: Sequence[str],
    where: dict[str, Any],
    limit: int | None = None,
    offset: int = 0,
    floats: Sequence[str] = (),
    ordered: bool = False,
    using: str = "default",
) -> list[tuple[Any, ...]]:
    """The `columns` of the rows `where` keeps, as tuples, values converted as the ORM
    converts them (`floats` as floats). With a `limit`, the window of rows from `offset` in
    the model's own ordering; without, every row, in that ordering when `ordered` (as a
    QuerySet's values_list gives them), else in no particular order."""
    window = None if limit is None else (limit, offset)
    return _run(model, tuple(columns), where, window, tuple(floats), using, ordered)


def count_rows(model: type[models.Model], *, where: dict[str, Any], using: str = "default") -> int:
    """How many rows `where` keeps (conditions as for `values_rows`)."""
    count = _run(model, (), where, None, (), using)[0][0]
    assert isinstance(count, int)
    return count
