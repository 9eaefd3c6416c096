from django.contrib import admin

from tandem.core.admin import ReadOnlyAdmin, ReadOnlyInline
from tandem.okrs.models import CheckIn, Cycle, KeyResult, Objective


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdmin[Cycle]):
    list_display = ["name", "workspace", "start", "end", "state"]
    list_filter = ["state", "workspace"]


class KeyResultInline(ReadOnlyInline[KeyResult]):
    model = KeyResult
    fields = ["title", "kind", "unit", "start_value", "target_value", "current_value", "weight"]


@admin.register(Objective)
class ObjectiveAdmin(ReadOnlyAdmin[Objective]):
    list_display = ["title", "cycle", "team", "commitment", "status"]
    list_filter = ["status", "commitment", "workspace"]
    search_fields = ["title"]
    inlines = [KeyResultInline]


@admin.register(KeyResult)
class KeyResultAdmin(ReadOnlyAdmin[KeyResult]):
    list_display = ["title", "objective", "kind", "current_value", "target_value", "status"]
    list_filter = ["kind", "status", "workspace"]
    search_fields = ["title"]


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin[CheckIn]):
    list_display = ["key_result", "date", "value", "confidence", "author"]
    list_filter = ["workspace"]
