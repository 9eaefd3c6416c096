"""The few rows shared infrastructure keeps: answers to POSTs sent with an Idempotency-Key,
worker heartbeats and API rate counters, shared by every process."""

from django.conf import settings
from django.db import models


class IdempotencyKey(models.Model):
    """One caller's key: claimed while its request runs (`status` null, `lease` says which
    request holds it), then the first answer, replayed for 24 hours."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body.")
    lease = models.CharField(max_length=32, blank=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    body = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_idempotency_key_per_caller")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status or 'in flight'})"


class WorkerHeartbeat(models.Model):
    """A `tandem worker` saying it is alive; /readyz and stuck-task recovery read it."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=200)
    pid = models.IntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.host}"


class RateCounter(models.Model):
    """Requests one caller made in one fixed window, shared by every app server."""

    key = models.CharField(max_length=80)
    window_start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="rate_counter_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} since {self.window_start}: {self.count}"


class ScheduledJob(models.Model):
    """One scheduled job's slot, shared by every worker on every server. A worker runs the
    job only after moving `due_at` on with a conditional UPDATE (`tandem.core.schedule`),
    so of any number of workers that find it due exactly one does."""

    name = models.CharField(max_length=100, unique=True)
    due_at = models.DateTimeField(db_index=True)
    runs = models.PositiveIntegerField(default=0)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_worker = models.CharField(max_length=64, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"{self.name}, due {self.due_at:%Y-%m-%d %H:%M}"
