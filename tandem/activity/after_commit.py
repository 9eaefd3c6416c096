"""Work that follows a write: run once per transaction and workspace, after the commit.

A transaction may record hundreds of ChangeEvents (the demo records thousands); what
reacts to them (conflict detection, notifying watchers, queuing webhooks) should run once,
with all of them, and only if the transaction commits.
"""

from collections.abc import Callable

from django.db import transaction

from tandem.activity.models import ChangeEvent

Handler = Callable[..., object]


class _Batch:
    def __init__(self, handler: Handler, workspace_id: int, event_ids: list[int]) -> None:
        # Django names a failing robust callback by its __qualname__.
        self.__qualname__ = handler.__qualname__
        self.handler = handler
        self.workspace_id = workspace_id
        self.event_ids = event_ids

    def __call__(self) -> None:
        self.handler(workspace_id=self.workspace_id, event_ids=self.event_ids)


def once_after_commit(handler: Handler, event: ChangeEvent) -> None:
    """Call `handler(workspace_id=..., event_ids=[...])` after the current transaction
    commits, once for all the events of that workspace it recorded."""
    for _savepoints, callback, _robust in transaction.get_connection().run_on_commit:
        if (
            isinstance(callback, _Batch)
            and callback.handler is handler
            and callback.workspace_id == event.workspace_id
        ):
            callback.event_ids.append(event.pk)
            return
    transaction.on_commit(_Batch(handler, event.workspace_id, [event.pk]), robust=True)
