"""For load balancers and orchestrators: /healthz (alive) and /readyz (able to serve)."""

import contextlib
import datetime
import logging
from collections.abc import Iterator

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tandem.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# A worker beats every 10 s; a minute of silence means none is running.
WORKER_SILENT_AFTER = datetime.timedelta(minutes=1)
# The row /readyz writes: a real write proves the database takes one.
PROBE = "readyz"
PROBE_WAIT = 2  # seconds


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: 200 when this server can reach its database, 503 when not. Cheap: one read."""
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "database unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 only when the database takes a write, every migration is applied and a
    worker reported within the last minute; otherwise 503 naming the part that failed."""
    parts = {"database": _database(), "migrations": _migrations(), "worker": _worker()}
    ready = all(state == "ok" for state in parts.values())
    return JsonResponse(parts, status=200 if ready else 503)


def _database() -> str:
    try:
        with _short_waits(), transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = %s", [f"{PROBE_WAIT}s"])
            now = timezone.now()
            if not WorkerHeartbeat.objects.filter(worker_id=PROBE).update(seen_at=now):
                WorkerHeartbeat.objects.create(
                    worker_id=PROBE, host="", pid=0, started_at=now, seen_at=now
                )
    except DatabaseError as error:
        logger.warning("/readyz: the database refused a write: %s", error)
        return f"refuses writes: {_first_line(error)}"
    return "ok"


@contextlib.contextmanager
def _short_waits() -> Iterator[None]:
    """A probe answers within seconds: a locked database is the answer, not a reason to
    wait the 20 s requests do. SQLite takes its write lock at BEGIN, so its wait is set
    for the connection around the transaction."""
    if connection.vendor != "sqlite":
        yield
        return
    usual = int(float(connection.settings_dict["OPTIONS"].get("timeout", 5)) * 1000)
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {PROBE_WAIT * 1000}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {usual}")


def _migrations() -> str:
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return f"unknown: {_first_line(error)}"
    return f"{len(unapplied)} unapplied" if unapplied else "ok"


def _worker() -> str:
    try:
        last = (
            WorkerHeartbeat.objects.exclude(worker_id=PROBE)
            .order_by("-seen_at")
            .values_list("seen_at", flat=True)
            .first()
        )
    except DatabaseError as error:
        return f"unknown: {_first_line(error)}"
    if last is None:
        return "no worker has reported"
    silent = timezone.now() - last
    if silent <= WORKER_SILENT_AFTER:
        return "ok"
    return f"no heartbeat for {_duration(silent)}"


def _duration(delta: datetime.timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0][:200]
