from typing import Generic, TypeVar

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from tandem.core.models import IdempotencyKey, WorkerHeartbeat

M = TypeVar("M", bound=models.Model)


class ReadOnlyAdmin(admin.ModelAdmin[M], Generic[M]):
    """For looking, never writing: the plan is written through its services, which check
    the rules and roles, record the ChangeEvent and trigger detection. Staff edit it in the
    app, the API or a plan file like everyone else."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline[M, models.Model], Generic[M]):
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin[IdempotencyKey]):
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
class WorkerHeartbeatAdmin(admin.ModelAdmin[WorkerHeartbeat]):
    """Read-only: which workers run, and when each last reported."""

    list_display = ["worker_id", "host", "pid", "started_at", "seen_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
