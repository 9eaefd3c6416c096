"""Database constraints that report their violation against a named field.

Django reports a violated CheckConstraint or multi-column UniqueConstraint as a
non-field error. Users and API clients need to know which field to fix, so these
subclasses re-raise the error under `field`. One declaration gives both the database
backstop and the message a form or API client sees.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models


class _FieldNamed:
    field: str

    def validate(self, model: Any, instance: Any, exclude: Any = None, using: Any = None) -> None:
        if exclude and self.field in exclude:
            return
        try:
            super().validate(model, instance, exclude=exclude, using=using)  # type: ignore[misc]  # a mixin: the constraint after it in the MRO has validate()
        except ValidationError as error:
            raise ValidationError({self.field: error.error_list}) from None

    def deconstruct(self) -> Any:
        path, args, kwargs = super().deconstruct()  # type: ignore[misc]  # a mixin, as above
        kwargs["field"] = self.field
        return path, args, kwargs

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and self.field == getattr(other, "field", None)

    __hash__ = None  # type: ignore[assignment]  # unhashable, as Django's constraints are


class FieldCheck(_FieldNamed, models.CheckConstraint):
    def __init__(self, *, field: str, **kwargs: Any) -> None:
        self.field = field
        super().__init__(**kwargs)


class FieldUnique(_FieldNamed, models.UniqueConstraint):
    def __init__(self, *, field: str, **kwargs: Any) -> None:
        self.field = field
        super().__init__(**kwargs)
