"""Recording ChangeEvents, and the create/update/delete helpers every service builds on.

Each helper validates (field-named errors), writes and records the event in one
transaction, so no domain write can happen without its history.
"""

import contextlib
import contextvars
import datetime
import decimal
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from tandem.accounts.access import require_role
from tandem.accounts.models import Member, Workspace
from tandem.activity import outbox
from tandem.activity.models import ChangeEvent
from tandem.core.bounds import refusal
from tandem.core.versioning import check_version, save_versioned

M = TypeVar("M", bound=models.Model)


def _jsonable(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def snapshot(obj: models.Model, names: Iterable[str] | None = None) -> dict[str, Any]:
    """The named (default: all concrete) fields of obj as JSON; relations by id."""
    fields = obj._meta.concrete_fields
    wanted = set(names) if names is not None else None
    return {
        field.name: _jsonable(getattr(obj, field.attname))
        for field in fields
        if field.name not in {"id", "workspace"} and (wanted is None or field.name in wanted)
    }


_collectors: contextvars.ContextVar[tuple[list[ChangeEvent], ...]] = contextvars.ContextVar(
    "change_collectors", default=()
)


@contextlib.contextmanager
def collecting_changes() -> Iterator[list[ChangeEvent]]:
    """Collect the ChangeEvents recorded inside the block, e.g. the edits that fix a conflict."""
    events: list[ChangeEvent] = []
    token = _collectors.set((*_collectors.get(), events))
    try:
        yield events
    finally:
        _collectors.reset(token)


def record_change(
    *,
    by: Member | None,
    obj: models.Model,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    workspace: Workspace | None = None,
) -> ChangeEvent:
    """Record one write. `by` is None for Tandem's own writes (detection), which then name
    the workspace."""
    _check_reason(reason)
    event = ChangeEvent.objects.create(
        batch=outbox.batch(),
        workspace=by.workspace if by is not None else workspace,
        actor=by.user if by is not None else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before=before or {},
        after=after or {},
        reason=reason,
    )
    for events in _collectors.get():
        events.append(event)
    outbox.publish([event])
    return event


def record_changes_in_bulk(
    *,
    workspace: Workspace,
    objs: Sequence[models.Model],
    action: str,
    after: Callable[[Any], dict[str, Any]],
) -> list[ChangeEvent]:
    """Tandem's own writes of many rows at once (detection opening conflicts): one insert."""
    if not objs:
        return []
    content_type = ContentType.objects.get_for_model(objs[0])
    batch = outbox.batch()
    events = ChangeEvent.objects.bulk_create(
        (
            ChangeEvent(
                batch=batch,
                workspace=workspace,
                action=action,
                content_type=content_type,
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                after=after(obj),
            )
            for obj in objs
        ),
        batch_size=500,
    )
    for collected in _collectors.get():
        collected.extend(events)
    outbox.publish(events)
    return events


# The helpers validate first and write last, so a refusal leaves the caller's transaction
# usable without a savepoint; the writes then need no rollback point of their own.


def tracked_create(model: type[M], *, by: Member, role: str, reason: str = "", **fields: Any) -> M:
    require_role(by, role)
    _check_reason(reason)
    obj = model(workspace=by.workspace, **fields)
    obj.full_clean()
    with transaction.atomic(savepoint=False):
        obj.save()
        record_change(by=by, obj=obj, action="created", after=snapshot(obj), reason=reason)
    return obj


def tracked_update(
    obj: M,
    *,
    by: Member,
    role: str,
    changes: dict[str, Any],
    action: str = "updated",
    reason: str = "",
    expected_version: int | None = None,
) -> M:
    """Apply `changes` (field name -> value); record only what really changed.

    `expected_version` is the version the writer read: if the row has changed since,
    StaleVersion is raised and nothing is written (see tandem.core.versioning)."""
    require_role(by, role)
    _refuse_other_workspace(obj, by)
    check_version(obj, expected_version)
    _check_reason(reason)
    before = snapshot(obj, changes)
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.full_clean()
    after = snapshot(obj, changes)
    changed = [name for name in changes if before.get(name) != after.get(name)]
    if not changed:
        return obj
    with transaction.atomic(savepoint=False):
        # Version and fields in one UPDATE; a stale version writes nothing.
        save_versioned(obj, changed, expected_version)
        record_change(
            by=by,
            obj=obj,
            action=action,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
            reason=reason,
        )
    return obj


def tracked_delete(obj: models.Model, *, by: Member, role: str, reason: str = "") -> None:
    require_role(by, role)
    _refuse_other_workspace(obj, by)
    _check_reason(reason)
    with transaction.atomic(savepoint=False):
        record_change(by=by, obj=obj, action="deleted", before=snapshot(obj), reason=reason)
        obj.delete()


def _check_reason(reason: str) -> None:
    # The reason is the one field of the event a caller types; it is bounded like any text.
    refused = refusal(ChangeEvent._meta.get_field("reason"), reason)
    if refused is not None:
        raise ValidationError({"reason": refused})


def _refuse_other_workspace(obj: models.Model, by: Member) -> None:
    if getattr(obj, "workspace_id", by.workspace_id) != by.workspace_id:
        # Callers look objects up within the workspace; reaching here is a programming error.
        raise LookupError("Object belongs to another workspace.")
