"""Changes committed: the work that follows a write, published once per transaction and
kept durably until it is done (a transactional outbox).

The app that writes records ChangeEvents; this module announces them. Subscribers (conflict
detection, notifications and webhooks, baselines) register in their `AppConfig.ready()` with
`subscribe()`, so the writer never imports them.

For each transaction, workspace and interested subscriber one `OutboxEntry` row is written in
the same transaction as the events (the events carry the transaction's `batch`), so a
crash or a dropped connection right after the commit loses nothing. Right after the commit
the request processes its entries, so the page it answers already shows the outcome; the
worker (`tandem worker`) processes whatever was left. An entry is deleted in the transaction
that does its work: it runs once in the common case and at least once always.
"""

import contextvars
import copy
import datetime
import json
import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from tandem.activity.models import ChangeEvent, OutboxEntry

logger = logging.getLogger(__name__)

Handler = Callable[..., object]

# The worker leaves a fresh entry to the request that wrote it, which processes it right
# after its commit; after this long it is presumed lost (crash, dropped connection).
GRACE = datetime.timedelta(seconds=10)
RETRY_CAP = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Subscriber:
    name: str
    handler: Handler
    about: Callable[[ChangeEvent], bool]


_subscribers: dict[str, Subscriber] = {}


def subscribe(
    name: str, handler: Handler, *, about: Callable[[ChangeEvent], bool] = lambda event: True
) -> None:
    """Call `handler(workspace_id=..., event_ids=[...])` once per committed transaction with
    the events of one workspace that `about(event)` selects. `name` is stored in the outbox:
    keep it stable."""
    _subscribers[name] = Subscriber(name, handler, about)


def app_label_of(event: ChangeEvent) -> str:
    return ContentType.objects.get_for_id(event.content_type_id).app_label


class _Pending:
    """One entry's after-commit run, registered with `on_commit` when its row is written, so
    a rolled-back savepoint drops both together."""

    def __init__(self, entry: OutboxEntry) -> None:
        # Django names a failing callback by its __qualname__.
        self.__qualname__ = f"outbox:{entry.subscriber}"
        self.entry = entry
        self.events: list[ChangeEvent] = []

    def __call__(self) -> None:
        try:
            process(self.entry, events=self.events)
        except Exception as error:
            # The write is committed and so is this entry: the worker will do it.
            logger.warning("Left %s for the worker: %r", self.entry, error)


def _pending() -> list[_Pending]:
    return [
        callback
        for _savepoints, callback, _robust in transaction.get_connection().run_on_commit
        if isinstance(callback, _Pending)
    ]


def batch() -> uuid.UUID:
    """The current transaction's batch, which the ChangeEvents it records carry."""
    pending = _pending()
    return pending[0].entry.batch if pending else uuid.uuid4()


def publish(events: Sequence[ChangeEvent]) -> None:
    """Announce events just recorded (all of one batch) to the subscribers they concern."""
    if not events:
        return
    pending = {(p.entry.workspace_id, p.entry.subscriber): p for p in _pending()}
    new: list[OutboxEntry] = []
    wanted: list[tuple[ChangeEvent, str]] = []
    for event in events:
        assert event.batch is not None  # activity_record gives every event its transaction's
        for subscriber in _subscribers.values():
            if not subscriber.about(event):
                continue
            key = (event.workspace_id, subscriber.name)
            if key not in pending and all((e.workspace_id, e.subscriber) != key for e in new):
                new.append(
                    OutboxEntry(
                        workspace_id=event.workspace_id,
                        subscriber=subscriber.name,
                        batch=event.batch,
                        first_event_id=event.pk,
                        run_after=timezone.now() + GRACE,
                    )
                )
            wanted.append((event, subscriber.name))
    created = [_Pending(entry) for entry in OutboxEntry.objects.bulk_create(new)]
    pending |= {(p.entry.workspace_id, p.entry.subscriber): p for p in created}
    for event, name in wanted:
        pending[(event.workspace_id, name)].events.append(event)
    # Registered once the ids are in: outside a transaction on_commit runs at once.
    for callback in created:
        transaction.on_commit(callback)


# The events the request that recorded them hands to its subscribers right after its
# commit, by id, so that they need not read them back (see `events_of`).
_recorded: contextvars.ContextVar[dict[int, ChangeEvent] | None] = contextvars.ContextVar(
    "outbox_recorded", default=None
)


_JSON_SCALARS = (str, int, float, bool, type(None))


def _as_stored(event: ChangeEvent) -> ChangeEvent:
    """The event as a read from the database would give it: before and after as JSON."""
    if all(
        isinstance(value, _JSON_SCALARS)
        for values in (event.before, event.after)
        for value in values.values()
    ):
        return event  # as JSON already (a snapshot's values): a plan apply records 30,000
    stored = copy.copy(event)
    stored.before = json.loads(json.dumps(event.before))
    stored.after = json.loads(json.dumps(event.after))
    return stored


def events_of(event_ids: Iterable[int]) -> list[ChangeEvent]:
    """The events a subscriber was handed, with their actor, content type and workspace:
    from memory when the request that recorded them runs it, otherwise from the database."""
    ids = list(event_ids)
    recorded = _recorded.get() or {}
    if ids and all(pk in recorded for pk in ids):
        return [recorded[pk] for pk in ids]
    return list(
        ChangeEvent.objects.filter(pk__in=ids).select_related("actor", "content_type", "workspace")
    )


def process(
    entry: OutboxEntry,
    *,
    event_ids: Iterable[int] | None = None,
    events: Sequence[ChangeEvent] = (),
) -> bool:
    """Do one entry's work and delete it, in one transaction. False when there was nothing
    to do (another process did it). Without `event_ids` or `events` (those just recorded,
    held in memory) the events are read back by batch."""
    if events:
        event_ids = [event.pk for event in events]
    with transaction.atomic():
        # The delete takes the row lock: a concurrent run waits, then finds it gone.
        if not OutboxEntry.objects.filter(pk=entry.pk).delete()[0]:
            return False
        subscriber = _subscribers.get(entry.subscriber)
        if subscriber is None:
            logger.error("No subscriber %r for %s; dropped", entry.subscriber, entry)
            return True
        if event_ids is None:
            event_ids = [
                event.pk
                for event in ChangeEvent.objects.filter(
                    workspace_id=entry.workspace_id,
                    batch=entry.batch,
                    pk__gte=entry.first_event_id,
                )
                if subscriber.about(event)
            ]
        token = _recorded.set({event.pk: _as_stored(event) for event in events})
        try:
            subscriber.handler(workspace_id=entry.workspace_id, event_ids=list(event_ids))
        finally:
            _recorded.reset(token)
    return True


def drain(*, batch: int = 100) -> int:
    """Process the entries their requests did not (the worker calls this). Returns how many
    were done; a failing one is retried later, backing off."""
    done = 0
    while True:
        due = list(
            OutboxEntry.objects.filter(run_after__lte=timezone.now()).order_by("run_after", "id")[
                :batch
            ]
        )
        for entry in due:
            try:
                done += process(entry)
            except (OperationalError, InterfaceError):
                raise  # the database itself is failing: the worker backs off and comes back
            except Exception as error:
                logger.exception("%s failed", entry)
                _postpone(entry, error)
        if len(due) < batch:
            return done


def _postpone(entry: OutboxEntry, error: Exception) -> None:
    entry.attempts += 1
    delay = min(GRACE * 2**entry.attempts, RETRY_CAP)
    entry.run_after = timezone.now() + delay
    entry.last_error = f"{type(error).__name__}: {error}"[:300]
    entry.save(update_fields=["attempts", "run_after", "last_error"])
