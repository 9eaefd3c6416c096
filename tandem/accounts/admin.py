from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from tandem.accounts.accesslog import client_ip
from tandem.accounts.models import (
    AccessEvent,
    ApiToken,
    Invitation,
    Member,
    User,
    Workspace,
    WorkspaceDeletion,
)
from tandem.accounts.services import user_deactivate


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    ordering = ["email"]
    list_display = ["email", "name", "is_active", "is_staff", "date_joined"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "name", "password"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "name", "password1", "password2"]})]
    filter_horizontal = ()
    list_filter = ["is_active", "is_staff"]
    actions = ["deactivate"]

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        # Unticking "active" must cut sessions, tokens and feeds like every other door.
        was_active = change and User.objects.filter(pk=obj.pk, is_active=True).exists()
        super().save_model(request, obj, form, change)
        if was_active and not obj.is_active:
            user_deactivate(user=obj, by=request.user, ip=client_ip(request))  # type: ignore[arg-type]  # the admin is for signed-in staff: a User

    @admin.action(description="Deactivate: end their sessions, tokens and calendar feeds")
    def deactivate(self, request: HttpRequest, queryset: Any) -> None:
        for user in queryset.filter(is_active=True):
            user_deactivate(user=user, by=request.user, ip=client_ip(request))  # type: ignore[arg-type]  # the admin is for signed-in staff: a User


class MemberInline(admin.TabularInline[Member, Workspace]):
    model = Member
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin[Workspace]):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    inlines = [MemberInline]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin[Member]):
    list_display = ["user", "workspace", "role"]
    list_filter = ["role", "workspace"]
    search_fields = ["user__email", "user__name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["token_hash", "hint", "created_at", "last_used_at"]


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin[AccessEvent]):
    """Read only: the log is written by the doors it records, never edited."""

    list_display = ["at", "kind", "email", "workspace", "ip"]
    list_filter = ["kind"]
    search_fields = ["email", "detail"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    """For looking up; invitations are made, resent and revoked on the Members page."""

    list_display = ["email", "workspace", "role", "sent_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email"]
    readonly_fields = ["token_hash"]


@admin.register(WorkspaceDeletion)
class WorkspaceDeletionAdmin(admin.ModelAdmin[WorkspaceDeletion]):
    """The record of what a deleted workspace held: read only."""

    list_display = ["name", "slug", "deleted_by", "deleted_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
