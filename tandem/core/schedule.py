"""Scheduled jobs that fire once per slot however many workers run, on however many servers.

Each job has a row (`ScheduledJob`) holding when it is next due. A worker that finds it due
claims it with one conditional UPDATE (`WHERE name = ? AND due_at <= now`, setting the next
due time); the database lets exactly one such UPDATE match, on SQLite (writes are serial)
and on PostgreSQL (the second UPDATE waits for the first and re-checks `due_at`). Only the
worker whose UPDATE matched runs the job. A job that fails is recorded on its row and runs
again at its next slot: slots are at-most-once, like cron.

Slots are aligned to the clock (a daily job is due at 00:00 UTC plus its offset), so every
server agrees on them without talking to each other. A job registered for the first time is
due at once. `claim()` serves finer-grained slots too: per-workspace re-detection and
per-source pulls claim their own rows or fields the same way.
"""

import datetime
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tandem.core.models import ScheduledJob

logger = logging.getLogger("tandem.schedule")

EPOCH = datetime.datetime(2000, 1, 3, tzinfo=datetime.UTC)  # a Monday: weekly slots start then


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[], object]
    every: datetime.timedelta
    offset: datetime.timedelta
    what: str


_jobs: dict[str, Job] = {}


def scheduled(
    name: str,
    *,
    every: datetime.timedelta,
    offset: datetime.timedelta = datetime.timedelta(0),
    what: str = "",
) -> Callable[[Callable[[], object]], Callable[[], object]]:
    """Register `func` to run once per `every` (at `offset` into each slot) across all
    workers. Apps call it in their AppConfig.ready()."""

    def register(func: Callable[[], object]) -> Callable[[], object]:
        _jobs[name] = Job(name, func, every, offset, what or (func.__doc__ or "").strip())
        return func

    return register


def jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda job: (job.every, job.name))


def next_slot(
    now: datetime.datetime,
    every: datetime.timedelta,
    offset: datetime.timedelta = datetime.timedelta(0),
) -> datetime.datetime:
    """The first slot boundary strictly after `now`."""
    passed = (now - EPOCH - offset) % every
    return now - passed + every


def here() -> str:
    """Who claims a slot, for the record: this process."""
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def due_slots(prefix: str, now: datetime.datetime) -> dict[str, bool]:
    """The known slots named `prefix...`, and whether each is due: one query, so that a job
    over many slots claims (writes) only those that are."""
    rows = ScheduledJob.objects.filter(name__startswith=prefix).values_list("name", "due_at")
    return {name: due_at <= now for name, due_at in rows}


def claim(name: str, *, now: datetime.datetime, next_due: datetime.datetime, by: str) -> bool:
    """Take the slot `name` if it is due; True for exactly one caller per slot. A row seen for
    the first time is due at once."""
    try:
        with transaction.atomic():
            ScheduledJob.objects.get_or_create(name=name, defaults={"due_at": now})
    except IntegrityError:
        pass  # another worker created it this instant; the UPDATE below decides
    return bool(
        ScheduledJob.objects.filter(name=name, due_at__lte=now).update(
            due_at=next_due, last_started_at=now, last_worker=by[:64], runs=F("runs") + 1
        )
    )


def forget(names: list[str]) -> None:
    if names:
        ScheduledJob.objects.filter(name__in=names).delete()


def finish(name: str, *, error: str = "") -> None:
    ScheduledJob.objects.filter(name=name).update(
        last_finished_at=timezone.now(), last_error=error[:500]
    )


def run_due(worker_id: str, now: datetime.datetime | None = None) -> list[str]:
    """Run every registered job whose slot is due and that this worker claims; the names
    of the jobs it ran."""
    ran = []
    known = dict(ScheduledJob.objects.values_list("name", "due_at"))
    for job in jobs():
        moment = now or timezone.now()
        if job.name in known and known[job.name] > moment:
            continue
        if not claim(
            job.name, now=moment, next_due=next_slot(moment, job.every, job.offset), by=worker_id
        ):
            continue
        error = ""
        try:
            job.func()
        except DatabaseError:
            raise
        except Exception as failure:
            logger.exception("Scheduled job %s failed", job.name)
            error = f"{type(failure).__name__}: {failure}"
        finish(job.name, error=error)
        ran.append(job.name)
    return ran
