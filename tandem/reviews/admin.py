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


class DecisionInline(ReadOnlyInline[Decision]):
    model = Decision


class ActionItemInline(ReadOnlyInline[ActionItem]):
    model = ActionItem


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin[Review]):
    list_display = ["title", "kind", "scheduled_at", "workspace", "opened_at", "closed_at"]
    list_filter = ["kind", "workspace"]
    search_fields = ["title"]
    inlines = [DecisionInline, ActionItemInline]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin[Decision]):
    list_display = ["text", "review", "subject_repr", "decided_by", "created_at"]


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin[ActionItem]):
    list_display = ["title", "review", "owner", "due", "done_at"]


@admin.register(Baseline)
class BaselineAdmin(ReadOnlyAdmin[Baseline]):
    list_display = ["name", "cycle", "taken_at", "taken_by", "workspace"]
    exclude = ["content"]  # the whole plan as JSON: too large to edit by hand


@admin.register(Retrospective)
class RetrospectiveAdmin(ReadOnlyAdmin[Retrospective]):
    list_display = ["cycle", "created_at"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin[CalendarFeed]):
    list_display = ["member", "scope", "created_at"]
    readonly_fields = ["token_hash"]
