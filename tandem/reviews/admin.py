from django.contrib import admin

from tandem.core.admin import ReadOnlyAdmin, ReadOnlyInline
from tandem.reviews.models import (
    ActionItem,
    Baseline,
    CalendarFeed,
    Decision,
    Retrospective,
    Review,
)


class DecisionInline(ReadOnlyInline):
    model = Decision


class ActionItemInline(ReadOnlyInline):
    model = ActionItem


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "scheduled_at", "workspace", "opened_at", "closed_at"]
    list_filter = ["kind", "workspace"]
    search_fields = ["title"]
    inlines = [DecisionInline, ActionItemInline]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["text", "review", "subject_repr", "decided_by", "created_at"]


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "review", "owner", "due", "done_at"]


@admin.register(Baseline)
class BaselineAdmin(ReadOnlyAdmin):
    list_display = ["name", "cycle", "taken_at", "taken_by", "workspace"]
    exclude = ["content"]  # the whole plan as JSON: too large to edit by hand


@admin.register(Retrospective)
class RetrospectiveAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "created_at"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    list_display = ["member", "scope", "created_at"]
    readonly_fields = ["token_hash"]
