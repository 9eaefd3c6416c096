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
from tandem.core.versioning import Versioned, check_version, save_versioned

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
    if by is not None:
        workspace = by.workspace
    assert workspace is not None, "Tandem's own writes name the workspace"
    event = ChangeEvent.objects.create(
        batch=outbox.batch(),
        workspace=workspace,
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


class _Bulk:
    """The writes of a `writing_in_bulk` block that wait for its next flush: rows created in
    the block (inserted in batches) and later changes to them (updated in batches), with
    their ChangeEvents."""

    def __init__(self) -> None:
        self.inserts: list[models.Model] = []
        self.updates: dict[int, tuple[models.Model, set[str]]] = {}
        self.events: list[tuple[models.Model, ChangeEvent]] = []
        self.mine: set[int] = set()  # id() of the rows created in the block

    def event(self, by: Member, obj: models.Model, **fields: Any) -> None:
        _check_reason(fields.get("reason", ""))
        self.events.append((obj, ChangeEvent(workspace=by.workspace, actor=by.user, **fields)))

    def flush(self) -> None:
        inserts, self.inserts = self.inserts, []
        updates, self.updates = self.updates, {}
        events, self.events = self.events, []
        by_model: dict[type[models.Model], list[models.Model]] = {}
        for obj in inserts:
            by_model.setdefault(type(obj), []).append(obj)
        for model, objs in by_model.items():
            model._default_manager.bulk_create(objs, batch_size=BULK_BATCH)
            for obj in objs:
                obj.__dict__.pop("_insert_pending", None)
        by_fields: dict[tuple[type[models.Model], tuple[str, ...]], list[models.Model]] = {}
        for obj, names in updates.values():
            written = {*names, "version"} if isinstance(obj, Versioned) else names
            by_fields.setdefault((type(obj), tuple(sorted(written))), []).append(obj)
        for (model, columns), objs in by_fields.items():
            model._default_manager.bulk_update(objs, columns, batch_size=BULK_BATCH)
        if not events:
            return
        batch = outbox.batch()
        for obj, event in events:
            event.batch = batch
            event.content_type = ContentType.objects.get_for_model(obj)
            event.object_id = str(obj.pk)
            event.object_repr = str(obj)[:200]
        recorded = ChangeEvent.objects.bulk_create([e for _obj, e in events], batch_size=BULK_BATCH)
        for collected in _collectors.get():
            collected.extend(recorded)
        outbox.publish(recorded)


BULK_BATCH = 500
_bulk: contextvars.ContextVar[_Bulk | None] = contextvars.ContextVar("bulk_writes", default=None)


@contextlib.contextmanager
def writing_in_bulk() -> Iterator[Callable[[], None]]:
    """Within the block `tracked_create` validates each row as usual but inserts it, and
    records its ChangeEvent, at the next flush (the function yielded, and the block's end),
    many rows per query; `tracked_update` of a row created in the block is written the same
    way. For writers of thousands of rows in one transaction (a plan apply): the same rules
    and events, a few queries instead of two per row. A row gets its id at the flush; rows
    created in the block may refer to each other (models are inserted in the order their
    first row was created)."""
    bulk = _Bulk()
    token = _bulk.set(bulk)
    try:
        yield bulk.flush
        bulk.flush()
    finally:
        _bulk.reset(token)


def created_in_bulk(obj: models.Model) -> bool:
    """Whether `obj` was created in the current `writing_in_bulk` block (so no other
    transaction can have seen or changed it)."""
    bulk = _bulk.get()
    return bulk is not None and id(obj) in bulk.mine


# The helpers validate first and write last, so a refusal leaves the caller's transaction
# usable without a savepoint; the writes then need no rollback point of their own.


def tracked_create(model: type[M], *, by: Member, role: str, reason: str = "", **fields: Any) -> M:
    require_role(by, role)
    _check_reason(reason)
    obj = model(workspace=by.workspace, **fields)
    obj.full_clean()
    bulk = _bulk.get()
    if bulk is not None:
        bulk.inserts.append(obj)
        bulk.mine.add(id(obj))
        # Rows of the block may refer to it: it is inserted first, in the order of creation.
        obj.__dict__["_insert_pending"] = True
        bulk.event(by, obj, action="created", after=snapshot(obj), reason=reason)
        return obj
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
    bulk = _bulk.get()
    if bulk is not None and expected_version is None and id(obj) in bulk.mine:
        if not obj._state.adding:  # else the insert, still to come, writes the new values
            bulk.updates.setdefault(id(obj), (obj, set()))[1].update(changed)
        if isinstance(obj, Versioned):
            obj.version += 1
        bulk.event(
            by,
            obj,
            action=action,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
            reason=reason,
        )
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
