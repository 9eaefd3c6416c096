from django.contrib import admin

from tandem.plans.models import PlanRun


@admin.register(PlanRun)
class PlanRunAdmin(admin.ModelAdmin[PlanRun]):
    list_display = ["created_at", "workspace", "requested_by", "dry_run", "state", "summary"]
    list_filter = ["state", "dry_run", "workspace"]
    readonly_fields = ["document", "counts", "diff", "opened", "closed", "errors"]
