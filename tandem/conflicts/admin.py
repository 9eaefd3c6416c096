from django.contrib import admin

from tandem.conflicts.models import Conflict, ConflictComment, ConflictEdit
from tandem.core.admin import ReadOnlyAdmin, ReadOnlyInline


class CommentInline(ReadOnlyInline[ConflictComment]):
    model = ConflictComment


@admin.register(Conflict)
class ConflictAdmin(ReadOnlyAdmin[Conflict]):
    list_display = ["sentence", "rule", "severity", "status", "workspace", "detected_at"]
    list_filter = ["rule", "severity", "status", "workspace"]
    search_fields = ["sentence", "key"]
    inlines = [CommentInline]


@admin.register(ConflictComment)
class ConflictCommentAdmin(ReadOnlyAdmin[ConflictComment]):
    list_display = ["conflict", "author", "created_at"]


@admin.register(ConflictEdit)
class ConflictEditAdmin(ReadOnlyAdmin[ConflictEdit]):
    list_display = ["conflict", "change_event"]
