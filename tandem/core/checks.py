"""Evaluating a CheckConstraint's condition in Python, with SQL's three-valued logic.

Django validates a check constraint by asking the database (a savepoint and a query per
constraint, per save). Our conditions only compare fields with values and other fields,
so they can be evaluated on the instance: None plays SQL's NULL, and as in a CHECK
constraint an unknown result passes.
"""

import operator
from collections.abc import Callable
from typing import Any

from django.db.models import F, Q
from django.db.models.expressions import BaseExpression


class Unsupported(Exception):
    """The condition uses something this evaluator does not know; ask the database."""


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def holds(condition: Q | BaseExpression, instance: Any) -> bool | None:
    """True, False, or None (unknown) for `condition` on `instance`; Unsupported for a
    condition that is an expression rather than a Q."""
    if not isinstance(condition, Q):
        raise Unsupported(repr(condition))
    results = [_child(child, instance) for child in condition.children]
    if condition.connector == Q.AND:
        result = False if False in results else (None if None in results else True)
    else:
        result = True if True in results else (None if None in results else False)
    if condition.negated:
        return None if result is None else not result
    return result


def _child(child: Any, instance: Any) -> bool | None:
    if isinstance(child, Q):
        return holds(child, instance)
    lookup, expected = child
    name, _, kind = lookup.partition("__")
    kind = kind or "exact"
    actual = _value(instance, name)
    if kind == "isnull":
        return (actual is None) == bool(expected)
    if kind == "in":
        return None if actual is None else actual in [_resolve(v, instance) for v in expected]
    if kind not in _COMPARE or "__" in kind:
        raise Unsupported(lookup)
    other = _resolve(expected, instance)
    if actual is None or other is None:
        return None
    return _COMPARE[kind](actual, other)


def _resolve(value: Any, instance: Any) -> Any:
    if isinstance(value, F):
        return _value(instance, value.name)  # type: ignore[attr-defined]  # django-stubs lacks F.name
    if hasattr(value, "resolve_expression"):
        raise Unsupported(repr(value))
    return value


def _value(instance: Any, name: str) -> Any:
    field = instance._meta.get_field(name)
    return getattr(instance, field.attname)
