from django.contrib import admin

from tandem.okrs.models import CheckIn, Cycle, KeyResult, Objective


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "start", "end", "state"]
    list_filter = ["state", "workspace"]


class KeyResultInline(admin.TabularInline):
    model = KeyResult
    extra = 0
    fields = ["title", "kind", "unit", "start_value", "target_value", "current_value", "weight"]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["title", "cycle", "team", "commitment", "status"]
    list_filter = ["status", "commitment", "workspace"]
    search_fields = ["title"]
    inlines = [KeyResultInline]


@admin.register(KeyResult)
class KeyResultAdmin(admin.ModelAdmin):
    list_display = ["title", "objective", "kind", "current_value", "target_value", "status"]
    list_filter = ["kind", "status", "workspace"]
    search_fields = ["title"]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["key_result", "date", "value", "confidence", "author"]
    list_filter = ["workspace"]
