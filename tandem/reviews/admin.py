from django.contrib import admin

from tandem.reviews.models import (
    ActionItem,
    Baseline,
    CalendarFeed,
    Decision,
    Retrospective,
    Review,
)


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "scheduled_at", "workspace", "opened_at", "closed_at"]
    list_filter = ["kind", "workspace"]
    search_fields = ["title"]
    inlines = [DecisionInline, ActionItemInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["text", "review", "subject_repr", "decided_by", "created_at"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "review", "owner", "due", "done_at"]


@admin.register(Baseline)
class BaselineAdmin(admin.ModelAdmin):
    list_display = ["name", "cycle", "taken_at", "taken_by", "workspace"]
    exclude = ["content"]  # the whole plan as JSON: too large to edit by hand


@admin.register(Retrospective)
class RetrospectiveAdmin(admin.ModelAdmin):
    list_display = ["cycle", "created_at"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["member", "scope", "created_at"]
    readonly_fields = ["token_hash"]
