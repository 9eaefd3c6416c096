from django.contrib import admin

from tandem.conflicts.models import Conflict, ConflictComment, ConflictEdit


class CommentInline(admin.TabularInline):
    model = ConflictComment
    extra = 0


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["sentence", "rule", "severity", "status", "workspace", "detected_at"]
    list_filter = ["rule", "severity", "status", "workspace"]
    search_fields = ["sentence", "key"]
    inlines = [CommentInline]


@admin.register(ConflictComment)
class ConflictCommentAdmin(admin.ModelAdmin):
    list_display = ["conflict", "author", "created_at"]


@admin.register(ConflictEdit)
class ConflictEditAdmin(admin.ModelAdmin):
    list_display = ["conflict", "change_event"]
