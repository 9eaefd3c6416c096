from django.contrib import admin

from tandem.core.models import IdempotencyKey


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
