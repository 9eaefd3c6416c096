from django.contrib import admin
from django.http import HttpRequest

from tandem.activity.models import ChangeEvent, Notification


@admin.register(ChangeEvent)
class ChangeEventAdmin(admin.ModelAdmin):
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
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["text", "recipient", "created_at", "read_at"]
    list_filter = ["workspace"]
