from django.contrib import admin

from tandem.integrations.models import TrackerDelivery, TrackerEndpoint


@admin.register(TrackerEndpoint)
class TrackerEndpointAdmin(admin.ModelAdmin[TrackerEndpoint]):
    list_display = ["name", "kind", "workspace", "created_at"]
    list_filter = ["kind"]
    exclude = ["secret"]
    readonly_fields = ["workspace", "kind", "token", "acts_for", "created_at"]


@admin.register(TrackerDelivery)
class TrackerDeliveryAdmin(admin.ModelAdmin[TrackerDelivery]):
    list_display = ["received_at", "endpoint", "event", "outcome"]
    list_filter = ["outcome"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: object) -> bool:
        return False
