from django.contrib import admin
from django.http import HttpRequest

from tandem.core.models import IdempotencyKey, WorkerHeartbeat


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "status", "created"]
    search_fields = ["key", "user__email"]
    readonly_fields = [
        "user",
        "key",
        "fingerprint",
        "lease",
        "status",
        "body",
        "headers",
        "created",
    ]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """Read-only: which workers run, and when each last reported."""

    list_display = ["worker_id", "host", "pid", "started_at", "seen_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
