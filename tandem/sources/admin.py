from django.contrib import admin

from tandem.sources.models import DataSource, SourceRun


@admin.register(DataSource)
class DataSourceAdmin(admin.ModelAdmin[DataSource]):
    list_display = ["key_result", "kind", "every", "last_run_at", "last_error", "workspace"]
    list_filter = ["kind", "workspace"]
    exclude = ["secret_hash"]
    readonly_fields = ["push_id"]


@admin.register(SourceRun)
class SourceRunAdmin(admin.ModelAdmin[SourceRun]):
    list_display = ["source", "at", "trigger", "value", "error"]
    list_filter = ["trigger"]
