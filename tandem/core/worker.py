"""`tandem worker`: django-tasks-db's worker, made to outlast the database's bad moments.

- A database error (locked, connection lost, read-only, failing over) never ends it: it
  logs, closes the connection, backs off (1 s doubling to 30 s) and goes on.
- A heartbeat thread writes `WorkerHeartbeat` every few seconds, even during a long task;
  /readyz reads it.
- A task left RUNNING by a worker that stopped reporting (kill -9, a lost machine) is put
  back in the queue and runs again, as is one that failed because the database did: work
  on the queue is at-least-once.
- Apps register periodic jobs with `every()` in their `AppConfig.ready()` (the outbox of
  after-commit work): every worker runs them between tasks. Jobs that must fire once per
  slot across all workers (stuck-task recovery, pruning, daily re-detection, data-source
  pulls, digests) are registered with `tandem.core.schedule.scheduled()` instead; the
  worker offers each due one to its scheduler, which claims it in the database.
"""

import contextlib
import datetime
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import (
    DatabaseError,
    InterfaceError,
    InternalError,
    OperationalError,
    close_old_connections,
    connections,
)
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from tandem.core import schedule
from tandem.core.models import RateCounter, WorkerHeartbeat

logger = logging.getLogger("tandem.worker")

HEARTBEAT_EVERY = 10.0
# A RUNNING task whose worker has not reported for this long was left by a dead worker.
STALE_AFTER = datetime.timedelta(minutes=2)
# How often a worker looks for scheduled jobs that are due (one SELECT when none is).
SCHEDULE_EVERY = 5.0
FIRST_BACKOFF = 1.0
MAX_BACKOFF = 30.0
KEEP_FOR = datetime.timedelta(days=1)
# The database failing rather than the task: its work is retried, not recorded as failed.
DATABASE_FAULTS = (OperationalError, InterfaceError, InternalError)


@dataclass(frozen=True)
class _Job:
    func: Callable[[], object]
    seconds: float


_jobs: list[_Job] = []


def every(seconds: float) -> Callable[[Callable[[], object]], Callable[[], object]]:
    """Register `func` to run in every worker at most once per `seconds`."""

    def register(func: Callable[[], object]) -> Callable[[], object]:
        if all(job.func is not func for job in _jobs):
            _jobs.append(_Job(func, seconds))
        return func

    return register


def beat(worker_id: str, started_at: datetime.datetime) -> None:
    now = timezone.now()
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now):
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            host=socket.gethostname()[:200],
            pid=os.getpid(),
            started_at=started_at,
            seen_at=now,
        )


def recover_stuck_tasks() -> int:
    """Queue again the RUNNING tasks whose worker has stopped reporting."""
    since = timezone.now() - STALE_AFTER
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=since).values_list("worker_id", flat=True)
    )
    stuck = [
        task.pk
        for task in DBTaskResult.objects.running().only("id", "worker_ids", "started_at")
        if (task.worker_ids[-1] if task.worker_ids else None) not in alive
        and (task.started_at is None or task.started_at < since)
    ]
    return _requeue(stuck)


def _requeue(task_ids: list[uuid.UUID]) -> int:
    if not task_ids:
        return 0
    count = DBTaskResult.objects.filter(pk__in=task_ids, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )
    if count:
        logger.warning("Queued %d task(s) again that a worker left running", count)
    return count


def prune() -> None:
    since = timezone.now() - KEEP_FOR
    WorkerHeartbeat.objects.filter(seen_at__lt=since).delete()
    RateCounter.objects.filter(window_start__lt=since).delete()


class _Heartbeat(threading.Thread):
    def __init__(self, worker_id: str, started_at: datetime.datetime) -> None:
        super().__init__(name="heartbeat", daemon=True)
        self.worker_id = worker_id
        self.started_at = started_at
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(HEARTBEAT_EVERY):
            try:
                beat(self.worker_id, self.started_at)
            except DatabaseError as error:
                logger.warning("Heartbeat not written: %s", error)
            finally:
                connections.close_all()  # this thread's own; a fresh one each beat


class Worker(db_worker.Worker):
    """The library's worker (signals, claiming, running a task, recording its outcome)
    with a loop that survives database errors and runs the registered periodic jobs."""

    def run(self) -> None:
        logger.info("Starting worker %s", self.worker_id)
        self._last_runs: dict[_Job, float] = {}
        self._last_schedule: float | None = None
        heartbeat = _Heartbeat(self.worker_id, timezone.now())
        try:
            beat(heartbeat.worker_id, heartbeat.started_at)  # the first, before any task
        except DatabaseError as error:
            logger.warning("Heartbeat not written: %s", error)
        heartbeat.start()
        try:
            self._loop()
        finally:
            heartbeat.stopped.set()
            heartbeat.join(HEARTBEAT_EVERY)

    def _loop(self) -> None:
        backoff = FIRST_BACKOFF
        orphans: list[uuid.UUID] = []  # tasks we claimed but could not record the end of
        while self.running:
            claimed: DBTaskResult[..., Any] | None = None
            try:
                close_old_connections()
                _requeue(orphans)
                orphans = []
                self._run_due_jobs()
                claimed = self._claim()
                if claimed is not None:
                    self.run_task(claimed)
            except DatabaseError as error:
                if claimed is not None:
                    orphans.append(claimed.pk)
                logger.warning("Database unavailable (%s); retrying in %.0f s", error, backoff)
                _close_connections()
                time.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            backoff = FIRST_BACKOFF
            if claimed is None and self.batch:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if self.running and claimed is None:
                time.sleep(self.interval)

    def run_task(self, db_task_result: DBTaskResult[..., Any]) -> None:
        """As the library's, but a task that failed because the database did (locked,
        connection lost, read-only) is not recorded as failed: the error reaches the loop,
        which backs off and queues the task again."""
        record_failure = db_task_result.set_failed

        def set_failed(error: BaseException) -> None:
            if isinstance(error, DATABASE_FAULTS):
                raise error
            record_failure(error)

        db_task_result.set_failed = set_failed
        super().run_task(db_task_result)

    def _claim(self) -> DBTaskResult[..., Any] | None:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task = tasks.get_locked()
            if task is not None:
                task.claim(self.worker_id)
        return task

    def _run_due_jobs(self) -> None:
        now = time.monotonic()
        for job in _jobs:
            if job in self._last_runs and now - self._last_runs[job] < job.seconds:
                continue
            try:
                job.func()
            except DatabaseError:
                raise
            except Exception:
                logger.exception("Periodic job %s failed", job.func.__qualname__)
            self._last_runs[job] = now
        if self._last_schedule is None or now - self._last_schedule >= SCHEDULE_EVERY:
            schedule.run_due(self.worker_id)
            self._last_schedule = now


def _close_connections() -> None:
    for connection in connections.all(initialized_only=True):
        # Already gone is fine: the next query opens a new one.
        with contextlib.suppress(DatabaseError):
            connection.close()
