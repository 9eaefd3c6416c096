"""The one access path to tenant data: every domain row belongs to a Workspace.

Views and API handlers never query a tenant model without `in_workspace()`; a row of
another workspace is therefore simply not found (404), never forbidden (403).
"""

import contextlib
import contextvars
from collections.abc import Collection, Iterable, Iterator
from typing import Any, Self, TypeGuard, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db import models, router
from django.http import Http404

from tandem.core.bounds import Bounded
from tandem.core.checks import Unsupported, holds

M = TypeVar("M", bound=models.Model)
_MISSING = object()
# (model, constraint name) -> the values of its fields that rows already hold.
Indexes = dict[tuple[type, str], set[tuple[Any, ...]]]
_unique_indexes: contextvars.ContextVar[Indexes | None] = contextvars.ContextVar(
    "unique_indexes", default=None
)


@contextlib.contextmanager
def unique_indexes(workspace: Any, tenant_models: Iterable[type[models.Model]]) -> Iterator[None]:
    """Within the block, new rows of `tenant_models` are checked against their unique
    constraints in memory: each constraint's values in the workspace are read once (one
    query each) and every row validated adds its own, so rows created in the block are
    checked against each other too. The same constraints, declared once on the model, with
    one query each instead of one per row: for writers of thousands of rows in one
    transaction (a plan apply). The database constraint remains the backstop."""
    indexes = dict(_unique_indexes.get() or {})
    for model in tenant_models:
        for constraint in model._meta.constraints:
            if not _indexable(constraint, model):
                continue
            rows = model._default_manager.filter(workspace=workspace)
            if constraint.condition is not None:
                rows = rows.filter(constraint.condition)
            names = [_attname(model, f) for f in constraint.fields]
            indexes[(model, constraint.name)] = set(rows.values_list(*names))
    token = _unique_indexes.set(indexes)
    try:
        yield
    finally:
        _unique_indexes.reset(token)


def _attname(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # a constraint names concrete fields
    return field.attname


def _indexable(
    constraint: models.BaseConstraint, model: type[models.Model]
) -> TypeGuard[models.UniqueConstraint]:
    """Plain fields, one of them the workspace or a row of it (links across workspaces are
    refused), so a clash can only be with a row of the same workspace."""
    if not isinstance(constraint, models.UniqueConstraint) or not constraint.fields:
        return False
    if (
        constraint.expressions
        or constraint.include  # type: ignore[attr-defined]  # django-stubs lacks UniqueConstraint.include
        or constraint.nulls_distinct is False
    ):
        return False
    fields = [model._meta.get_field(name) for name in constraint.fields]
    return any(
        f.name == "workspace"
        or (
            f.is_relation
            and isinstance(f.related_model, type)
            and issubclass(f.related_model, TenantModel)
        )
        for f in fields
    )


class TenantQuerySet(models.QuerySet[M]):
    def in_workspace(self, workspace: Any) -> Self:
        return self.filter(workspace=workspace)


class TenantModel(Bounded):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")

    objects = TenantQuerySet.as_manager()
    _loaded: dict[str, Any]

    class Meta:
        abstract = True

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any
    ) -> Self:
        instance = super().from_db(db, field_names, values, **kwargs)
        # What the row held when loaded: relations that still hold it need no re-checking.
        instance._loaded = dict(zip(field_names, values, strict=True))
        return instance

    def _changed_relations(self) -> list[Any]:
        loaded = getattr(self, "_loaded", {})
        return [
            field
            for field in self._meta.concrete_fields
            if field.is_relation
            and loaded.get(field.attname, _MISSING) != getattr(self, field.attname)
        ]

    def clean_fields(self, exclude: Any = None) -> None:
        # Django checks that each related row exists, a query per relation per save. Skip
        # relations unchanged since the row was loaded, and those set to an object that
        # came from the database: the foreign key itself still guards against a race.
        unchecked = {
            field.name for field in self._changed_relations() if not _saved_object(self, field)
        }
        trusted = {
            field.name
            for field in self._meta.concrete_fields
            if field.is_relation and field.name not in unchecked
        }
        super().clean_fields(exclude={*(exclude or ()), *trusted})

    def clean(self) -> None:
        super().clean()
        self._refuse_links_to_other_workspaces()

    def validate_constraints(self, exclude: Any = None) -> None:
        errors: dict[str, list[ValidationError]] = {}
        asked_database = []
        indexes = _unique_indexes.get() or {}
        for model, constraints in self.get_constraints():
            for constraint in constraints:
                index = indexes.get((model, constraint.name))
                if index is not None and self._indexed_as(constraint):
                    continue  # checked in the block, and its values are still those checked
                if index is not None and not self._state.adding:
                    index = None  # a row changed since: the database is asked
                if index is not None:
                    with contextlib.suppress(Unsupported):
                        self._check_in_index(constraint, index, errors)
                        continue
                if not isinstance(constraint, models.CheckConstraint):
                    # A unique constraint whose condition does not hold (an empty external
                    # id) cannot be violated: no need to ask the database.
                    condition = getattr(constraint, "condition", None)
                    with contextlib.suppress(Unsupported):
                        if condition is not None and holds(condition, self) is False:
                            continue
                    asked_database.append((model, constraint))
                    continue
                try:
                    if holds(constraint.condition, self) is not False:
                        continue
                except Unsupported:
                    asked_database.append((model, constraint))
                    continue
                error = ValidationError(constraint.get_violation_error_message())
                field = getattr(constraint, "field", NON_FIELD_ERRORS)
                errors.setdefault(field, []).append(error)
        for model, constraint in asked_database:
            try:
                # A conditional unique constraint asks the database through `using`.
                constraint.validate(
                    model, self, exclude=exclude, using=router.db_for_write(model, instance=self)
                )
            except ValidationError as error:
                error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _check_in_index(
        self, constraint: Any, index: set[tuple[Any, ...]], errors: dict[str, list[Any]]
    ) -> None:
        """A new row against the in-memory index of `unique_indexes`; Unsupported when its
        condition cannot be evaluated here (then the database is asked as usual)."""
        if constraint.condition is not None and holds(constraint.condition, self) is False:
            return
        key = tuple(getattr(self, _attname(type(self), f)) for f in constraint.fields)
        if any(value is None for value in key):
            return  # NULLs never clash
        if key in index:
            field = getattr(constraint, "field", NON_FIELD_ERRORS)
            message = constraint.get_violation_error_message()
            errors.setdefault(field, []).append(ValidationError(message))
        else:
            index.add(key)
            self.__dict__.setdefault("_indexed", {})[(type(self), constraint.name)] = key

    def _indexed_as(self, constraint: Any) -> bool:
        indexed = self.__dict__.get("_indexed", {}).get((type(self), constraint.name))
        if indexed is None:
            return False
        key = tuple(getattr(self, _attname(type(self), f)) for f in constraint.fields)
        return bool(key == indexed)

    def _refuse_links_to_other_workspaces(self) -> None:
        errors = {}
        for field in self._changed_relations():
            if field.name == "workspace":
                continue
            related_model = field.related_model
            if not (isinstance(related_model, type) and issubclass(related_model, TenantModel)):
                continue
            if getattr(self, field.attname) is None:
                continue
            related = getattr(self, field.name)
            if related.workspace_id != self.workspace_id:
                errors[field.name] = "must belong to this workspace."
        if errors:
            raise ValidationError(errors)


def _saved_object(instance: models.Model, field: Any) -> bool:
    related = field.get_cached_value(instance, default=None)
    if related is not None and getattr(related, "_insert_pending", False):
        return True  # validated, and inserted before this row (activity's writing_in_bulk)
    return related is not None and related.pk is not None and not related._state.adding


def get_in_workspace_or_404(
    queryset: models.QuerySet[M] | models.Manager[M], workspace: Any, **lookup: Any
) -> M:
    try:
        return queryset.filter(workspace=workspace).get(**lookup)
    # OverflowError: SQLite cannot even compare an id beyond 64 bits.
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError, ValidationError):
        raise Http404(f"No {queryset.model._meta.verbose_name} here.") from None
