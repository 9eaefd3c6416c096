"""The bounds every stored value keeps, whichever door it came through.

Pages, the API, the CLI and imports all save through `full_clean()`, so the model is the
one place to refuse what would break a page, a feed or a database later: dates outside
1970-2200 (calendar feeds and the timeline do arithmetic on them), integers beyond what
every supported database stores (SQLite takes 64 bits where PostgreSQL's integer takes 32,
so an instance could not move), NaN and infinities, and control characters in text (NUL
is refused by PostgreSQL; the others corrupt titles, CSV and iCalendar lines). Newlines and
tabs are text only where text is multi-line: a TextField, never a CharField.

`tandem.core.api` repeats these bounds in the OpenAPI document so clients know them.
"""

import datetime
import re
from decimal import Decimal
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import models

EARLIEST = datetime.date(1970, 1, 1)
LATEST = datetime.date(2200, 12, 31)

INT16 = (-(2**15), 2**15 - 1)
INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)

# SQLite stores decimals as 64-bit floats and reads them back to 15 significant digits; a
# 16-digit amount would come back rounded past its column's width and fail every read.
DECIMAL_DIGITS = 15


class DecimalSize(TypedDict):
    """A DecimalField's size, shared by the columns of one kind of amount."""

    max_digits: int
    decimal_places: int


# Markdown notes and minutes are long; a megabyte of them is not a note.
TEXT_MAX_LENGTH = 100_000

# Control characters (C0, DEL and C1); multi-line text keeps tab, newline and return.
SINGLE_LINE_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MULTI_LINE_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The same sets as JSON Schema patterns (ECMA-262), for the OpenAPI document.
SINGLE_LINE_PATTERN = r"^[^\u0000-\u001f\u007f-\u009f]*$"
MULTI_LINE_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$"

DATE_MESSAGE = "Use a date between 1970-01-01 and 2200-12-31."


def integer_range(field: models.Field[Any, Any]) -> tuple[int, int]:
    """What every supported database stores in this column: PostgreSQL's widths."""
    if isinstance(field, models.ForeignKey | models.OneToOneField):
        return integer_range(field.target_field)
    if isinstance(field, models.SmallIntegerField | models.PositiveSmallIntegerField):
        return (0 if _positive(field) else INT16[0], INT16[1])
    if isinstance(field, models.BigIntegerField | models.PositiveBigIntegerField):
        return (0 if _positive(field) else INT64[0], INT64[1])
    return (0 if _positive(field) else INT32[0], INT32[1])


def _positive(field: models.Field[Any, Any]) -> bool:
    return isinstance(
        field,
        models.PositiveIntegerField
        | models.PositiveSmallIntegerField
        | models.PositiveBigIntegerField,
    )


def refusal(field: models.Field[Any, Any], value: Any) -> str | None:
    """Why `value` may not be stored in `field`, or None. Values of another type are left
    to the field's own conversion, which names them."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return None if EARLIEST <= value <= LATEST else DATE_MESSAGE
    if isinstance(value, Decimal | float):
        return _number_refusal(field, Decimal(value))
    if isinstance(value, int) and isinstance(field, models.IntegerField | models.ForeignKey):
        low, high = integer_range(field)
        return None if low <= value <= high else f"Use a whole number from {low} to {high}."
    if isinstance(value, str):
        return _text_refusal(field, value)
    return None


def decimal_limit(field: models.DecimalField[Any, Any]) -> Decimal:
    """The largest magnitude a decimal column keeps on every database."""
    places = field.decimal_places or 0
    whole = min(field.max_digits or DECIMAL_DIGITS, DECIMAL_DIGITS) - places
    return Decimal(10) ** whole - Decimal(10) ** -places


def _number_refusal(field: models.Field[Any, Any], value: Decimal) -> str | None:
    if not value.is_finite():
        return "Use a finite number."
    if isinstance(field, models.DecimalField):
        limit = decimal_limit(field)
        if abs(value) > limit:
            return f"Use a number from -{limit} to {limit}."
    return None


def _text_refusal(field: models.Field[Any, Any], value: str) -> str | None:
    if isinstance(field, models.TextField):
        if len(value) > TEXT_MAX_LENGTH:
            return f"Use at most {TEXT_MAX_LENGTH:,} characters."
        if MULTI_LINE_FORBIDDEN.search(value):
            return "Remove the control characters; only tabs and line breaks are allowed."
        return None
    if isinstance(field, models.CharField) and SINGLE_LINE_FORBIDDEN.search(value):
        return "Remove the line breaks, tabs and control characters."
    return None


class Bounded(models.Model):
    """Refuses out-of-bounds values before Django converts or looks anything up (a foreign
    key of 2**63 would otherwise reach the database and fail there)."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Any = None) -> None:
        errors: dict[str, list[ValidationError]] = {}
        skipped = set(exclude or ())
        for field in self._meta.concrete_fields:
            if field.name in skipped or field.primary_key:
                continue
            message = refusal(field, getattr(self, field.attname))
            if message is not None:
                errors[field.name] = [ValidationError(message)]
        try:
            super().clean_fields(exclude={*skipped, *errors})
        except ValidationError as error:
            error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
