"""Optimistic concurrency: every editable row carries a version, bumped by each write.

A writer that says which version it read (`expected_version`, from the API's If-Match or
an edit form's hidden field) is refused with StaleVersion when the row has moved on, so
a second tab or a concurrent script never silently overwrites another's change. The bump
is a conditional UPDATE (`... WHERE id = ? AND version = ?`): of any number of writers
that read the same version exactly one succeeds, on SQLite (IMMEDIATE transactions) as
on PostgreSQL (the row lock makes the losers re-check the version after the winner
commits).
"""

from typing import Any

from django.db import models
from django.db.models import F
from ninja import Field


class Versioned(models.Model):
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped by every change; see If-Match."
    )

    class Meta:
        abstract = True


class StaleVersion(Exception):
    """The object changed since the writer read it; nothing was written."""

    def __init__(self, obj: models.Model, expected: int, current: int | None) -> None:
        self.obj = obj
        self.expected = expected
        self.current = current
        name = obj._meta.verbose_name
        super().__init__(
            f"This {name} changed since you read it (you read version {expected}, it is now "
            f"at version {current}). Nothing was saved: read it again and redo your change."
        )


def _current(obj: Versioned) -> int | None:
    rows = type(obj)._base_manager.filter(pk=obj.pk).values_list("version", flat=True)
    return next(iter(rows), None)


def check_version(obj: models.Model, expected: int | None) -> None:
    """Refuse early, before any validation, when the loaded row is already newer."""
    if expected is None or not isinstance(obj, Versioned):
        return
    if obj.version != expected:
        raise StaleVersion(obj, expected, obj.version)


def bump_version(obj: models.Model, expected: int | None = None) -> None:
    """Claim the next version of `obj` inside the caller's transaction.

    With `expected` the bump only happens when the row still holds that version, else
    StaleVersion; without it the write is last-write-wins and simply takes the next one.
    Call it before writing the row's fields so the row is locked for the rest of the
    transaction."""
    if not isinstance(obj, Versioned):
        return
    rows = type(obj)._base_manager.filter(pk=obj.pk)
    seen = obj.version if expected is None else expected
    if rows.filter(version=seen).update(version=F("version") + 1):
        obj.version = seen + 1
        return
    if expected is not None:
        raise StaleVersion(obj, expected, _current(obj))
    rows.update(version=F("version") + 1)
    obj.version = _current(obj) or obj.version + 1


def save_versioned(obj: models.Model, names: list[str], expected: int | None = None) -> None:
    """Write the named fields of `obj` and claim its next version in one UPDATE, as
    `bump_version` then `save(update_fields=names)` would in two. StaleVersion, with nothing
    written, when `expected` is given and the row has moved on."""
    if not isinstance(obj, Versioned):
        obj.save(update_fields=names)
        return
    fields = [obj._meta.get_field(name) for name in names]
    values = {field.attname: field.pre_save(obj, add=False) for field in fields}  # type: ignore[union-attr]  # names are columns, never reverse relations
    rows = type(obj)._base_manager.filter(pk=obj.pk)
    seen = obj.version if expected is None else expected
    if rows.filter(version=seen).update(version=F("version") + 1, **values):
        obj.version = seen + 1
        return
    if expected is not None:
        raise StaleVersion(obj, expected, _current(obj))
    rows.update(version=F("version") + 1, **values)
    obj.version = _current(obj) or obj.version + 1


def etag(version: int) -> str:
    return f'"{version}"'


def version_of(data: Any) -> int | None:
    """The version in a serialised object (an API body), if it has one."""
    if isinstance(data, dict):
        version = data.get("version")
        if isinstance(version, int) and not isinstance(version, bool):
            return version
    return None


VERSION = Field(
    description="Bumped by every change. Also the ETag; send it back as If-Match to be told "
    "(412) rather than overwrite someone else's change."
)


def unless_bumped(obj: models.Model, expected: int | None) -> int | None:
    """What a second write to `obj` in the same transaction should expect: nothing more
    once the first has bumped (and so locked) the row, else still `expected`."""
    if expected is None or getattr(obj, "version", expected) != expected:
        return None
    return expected
