"""Request-body field types whose OpenAPI schema repeats what the model accepts.

The bounds live in the model (`tandem.core.bounds`, field definitions, constraints); these
helpers read them from the model field and return pydantic metadata for `Annotated`
(`Title = Annotated[str, text(Objective, "title")]`, a type mypy can check), so the
document a client generates code from says exactly what the server takes: a schema-valid
body is not refused for its shape, and a body the schema forbids is refused. The model
still does the refusing, with its messages.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Annotated, Any

import annotated_types
from django.core.validators import RegexValidator
from django.db import models
from pydantic import BeforeValidator, Field, WithJsonSchema

from tandem.core import bounds

# An object's id in a path, a query or a body: a positive 64-bit integer, so a larger one is
# a 422 naming it rather than an overflow in the database.
Id = Annotated[int, Field(ge=1, le=bounds.INT64[1])]

_CONTROL = r"\u0000-\u001f\u007f-\u009f"
_LINE_CONTROL = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
_YEAR = "(19[7-9][0-9]|2[01][0-9][0-9]|2200)"


def text(model: type[models.Model], name: str, *, blank: bool | None = None) -> WithJsonSchema:
    """A text field: its length, its choices, one line or several, and whether it may be
    empty (a name of spaces is empty once stripped). `blank=True` where the API fills in
    an empty value itself (a review's title defaults to its kind)."""
    field = _field(model, name)
    schema: dict[str, Any] = {"type": "string"}
    if field.choices:
        values = [value for value, _ in field.flatchoices]
        schema["enum"] = [value for value in values if value or field.blank]
        return WithJsonSchema(schema)
    empty_ok = field.blank if blank is None else blank
    for validator in field.validators:
        if isinstance(validator, RegexValidator) and not validator.inverse_match:
            # Python's end-of-text \Z is $ in the ECMA dialect of JSON Schema.
            pattern = re.compile(validator.regex).pattern.replace(r"\Z", "$")
            schema["pattern"] = f"^$|{pattern}" if empty_ok else pattern
            schema["maxLength"] = getattr(field, "max_length", None) or bounds.TEXT_MAX_LENGTH
            return WithJsonSchema(schema)
    multi_line = isinstance(field, models.TextField)
    control = _LINE_CONTROL if multi_line else _CONTROL
    schema["maxLength"] = getattr(field, "max_length", None) or bounds.TEXT_MAX_LENGTH
    if empty_ok:
        schema["pattern"] = f"^[^{control}]*$"
    else:
        schema["minLength"] = 1
        schema["pattern"] = rf"^[^{control}]*[^\s{_CONTROL}][^{control}]*$"
    return WithJsonSchema(schema)


def integer(model: type[models.Model], name: str, **limits: int) -> annotated_types.Interval:
    """A whole number within its column (PostgreSQL's width), narrowed by `ge`/`le`."""
    low, high = bounds.integer_range(_field(model, name))
    return annotated_types.Interval(ge=limits.get("ge", low), le=limits.get("le", high))


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # a request field maps to a column, not a relation
    return field


def _iso_date(value: Any) -> Any:
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("Use a date as YYYY-MM-DD.")
    return value


# The range itself is the model's to refuse (bounds.DATE_MESSAGE); the pattern tells clients.
Date = Annotated[
    datetime.date,
    BeforeValidator(_iso_date),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": f"^{_YEAR}-[0-9]{{2}}-[0-9]{{2}}$",
            "description": "1970-01-01 to 2200-12-31.",
        }
    ),
]
DateTime = Annotated[
    datetime.datetime,
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "pattern": f"^{_YEAR}-",
            "description": "From 1970 to 2200.",
        }
    ),
]


def amount(
    model: type[models.Model],
    name: str,
    *,
    least: str = "any",
    most: int | None = None,
) -> "Metadata":
    """A decimal field as a JSON number or a decimal string: finite, within what the
    column keeps on every database (`bounds.decimal_limit`), and within the model's own
    constraints: `least` "zero" or "positive", `most` a small whole maximum. A number's binary
    rounding (0.1 * 3) is rounded to the column's places; a string must have no more."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.DecimalField)
    places = field.decimal_places or 0
    limit = bounds.decimal_limit(field)
    whole = len(str(int(limit)))
    fraction = rf"(\.[0-9]{{1,{places}}})?" if places else ""
    positive = least == "positive"
    low = -limit if least == "any" and most is None else Decimal(0)
    high = Decimal(most) if most is not None else limit
    if most is not None:
        zeros = rf"(\.0{{1,{places}}})?" if places else ""
        below = f"[0-{most - 1}]" if most > 1 else "0"
        pattern = f"^({below}{fraction}|{most}{zeros})$"
    elif positive:
        pattern = rf"^(?=[0-9.]*[1-9])[0-9]{{1,{whole}}}{fraction}$"
    else:
        sign = "-?" if low < 0 else ""
        pattern = rf"^{sign}[0-9]{{1,{whole}}}{fraction}$"
    quantum = Decimal(1).scaleb(-places)
    number: dict[str, Any] = {"type": "number", "maximum": float(high)}
    # A number is rounded to the column's places, so the least positive one is one step up:
    # anything smaller would round to zero and be refused.
    number["minimum"] = float(quantum) if positive else float(low)

    def parse(value: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            raise ValueError("Use a number.")
        if isinstance(value, str):
            if not re.fullmatch(pattern.strip("^$"), value):
                raise ValueError(f"Use a number from {low} to {high}, {places} decimals at most.")
            return Decimal(value)
        try:
            rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_EVEN)
        except InvalidOperation:
            raise ValueError(f"Use a number from {low} to {high}.") from None
        if not low <= rounded <= high or (positive and rounded <= 0):
            raise ValueError(f"Use a number from {low} to {high}.")
        return rounded

    schema = {"anyOf": [number, {"type": "string", "pattern": pattern}]}
    return Metadata((BeforeValidator(parse), WithJsonSchema(schema)))


@dataclass(frozen=True)
class Metadata(annotated_types.GroupedMetadata):
    """Several pieces of pydantic metadata as one `Annotated` argument."""

    items: tuple[Any, ...]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)


# The default of a PATCH body's field: left out, the field is not changed. The field keeps
# its own type (null is refused, the schema does not offer it) and handlers read only the
# fields sent (`exclude_unset=True`), so this None is never seen as the field's value.
OMITTED: Any = None

# Why a change was made, for the history (ChangeEvent.reason, multi-line text).
Reason = Annotated[
    str,
    WithJsonSchema(
        {
            "type": "string",
            "maxLength": bounds.TEXT_MAX_LENGTH,
            "pattern": f"^[^{_LINE_CONTROL}]*$",
            "description": "Why, for the history; optional.",
        }
    ),
]
