"""The few rows shared infrastructure keeps: answers to POSTs sent with an Idempotency-Key."""

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
