from django.contrib import admin
from django.http import HttpRequest

from tandem.activity.models import (
    ChangeEvent,
    DigestPreference,
    Notification,
    OutboxEntry,
    Watch,
    Webhook,
    WebhookDelivery,
)


@admin.register(ChangeEvent)
class ChangeEventAdmin(admin.ModelAdmin[ChangeEvent]):
    """Read-only: the history is append-only, even for staff."""

    list_display = ["at", "workspace", "actor", "action", "object_repr"]
    list_filter = ["action", "workspace"]
    search_fields = ["object_repr", "reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["text", "recipient", "created_at", "read_at"]
    list_filter = ["workspace"]


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin[Watch]):
    list_display = ["member", "object_repr", "created_at", "workspace"]


@admin.register(DigestPreference)
class DigestPreferenceAdmin(admin.ModelAdmin[DigestPreference]):
    list_display = ["member", "frequency", "last_sent_at", "workspace"]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin[Webhook]):
    """Staff can rename or pause a webhook. Adding one, or changing where it sends, goes
    through webhooks.webhook_create/update (the page or the API), where the egress guard
    checks the URL and the secret is made."""

    list_display = ["name", "url", "format", "active", "workspace"]
    exclude = ["secret"]
    readonly_fields = ["url"]
    list_filter = ["workspace"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin[WebhookDelivery]):
    list_display = ["webhook", "event", "status", "attempts", "last_error", "created_at"]
    list_filter = ["status"]


@admin.register(OutboxEntry)
class OutboxEntryAdmin(admin.ModelAdmin[OutboxEntry]):
    """Read-only: what the worker still owes; an entry goes when its work is done."""

    list_display = ["subscriber", "workspace", "created_at", "run_after", "attempts", "last_error"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
