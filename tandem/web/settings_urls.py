"""Workspace settings, members and invitations; the member's own preferences."""

from django.urls import path

from tandem.web.views import members, workspace_settings

urlpatterns = [
    path("settings/", workspace_settings.settings_general, name="settings_general"),
    path("settings/archive/", workspace_settings.settings_archive, name="settings_archive"),
    path("settings/delete/", workspace_settings.settings_delete, name="settings_delete"),
    path("settings/members/", members.member_list, name="member_list"),
    path("settings/members/<int:member_id>/role/", members.member_role, name="member_role"),
    path(
        "settings/members/<int:member_id>/remove/",
        members.member_remove_confirm,
        name="member_remove",
    ),
    path(
        "settings/invitations/<int:invitation_id>/resend/",
        members.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "settings/invitations/<int:invitation_id>/revoke/",
        members.invitation_revoke,
        name="invitation_revoke",
    ),
    path("preferences/", workspace_settings.preferences, name="preferences"),
]
