"""Workspace settings (admins and owners) and each member's own preferences."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from tandem.accounts.access import TandemRequest, workspace_view
from tandem.accounts.models import Member, Role, Workspace
from tandem.accounts.services import (
    member_set_time_zone,
    workspace_archive,
    workspace_delete,
    workspace_update,
)
from tandem.core.forms import add_service_errors, stale
from tandem.core.versioning import StaleVersion
from tandem.web.forms import (
    ConfirmDeleteForm,
    MemberTimeZoneForm,
    WorkspaceSettingsForm,
)


def require_admin(request: TandemRequest) -> Member:
    member: Member = request.member
    if not member.has_role(Role.ADMIN):
        raise PermissionDenied("Workspace settings are for the workspace's admins and owners.")
    return member


def _initial(workspace: Workspace) -> dict[str, object]:
    return {
        "version": workspace.version,
        "name": workspace.name,
        "slug": workspace.slug,
        "time_zone": workspace.time_zone,
        "cycle_length": "weeks" if workspace.cycle_weeks else "quarter",
        "cycle_weeks": workspace.cycle_weeks,
        "check_in_every_days": workspace.check_in_every_days,
    }


@workspace_view
@require_http_methods(["GET", "POST"])
def settings_general(request: TandemRequest) -> HttpResponse:
    by = require_admin(request)
    workspace = by.workspace
    form = WorkspaceSettingsForm(request.POST or None, initial=_initial(workspace))
    refused = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            workspace = workspace_update(
                by=by,
                name=data["name"],
                slug=data["slug"],
                time_zone=data["time_zone"],
                cycle_weeks=data["cycle_weeks"],
                check_in_every_days=data["check_in_every_days"] or workspace.check_in_every_days,
                expected_version=data["version"],
            )
        except StaleVersion as error:
            refused = stale(form, error, ignore=("cycle_length",))
            workspace.refresh_from_db()
            form = WorkspaceSettingsForm(initial=_initial(workspace))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Settings saved.")
            return redirect("settings_general", workspace=workspace.slug)
    context = {
        "form": form,
        "stale": refused,
        "delete_form": ConfirmDeleteForm(),
    }
    status = 409 if refused else 422 if form.errors else 200
    return render(request, "web/settings/general.html", context, status=status)


@workspace_view
@require_POST
def settings_archive(request: TandemRequest) -> HttpResponse:
    by = require_admin(request)
    archived = request.POST.get("archived", "1") == "1"
    workspace = workspace_archive(by=by, archived=archived)
    if archived:
        messages.info(request, f"“{workspace.name}” is archived: it stays readable.")
    else:
        messages.success(request, f"“{workspace.name}” is live again.")
    return redirect("settings_general", workspace=workspace.slug)


@workspace_view
@require_POST
def settings_delete(request: TandemRequest) -> HttpResponse:
    by = require_admin(request)
    if not by.has_role(Role.OWNER):
        raise PermissionDenied("Only an owner can delete the workspace.")
    form = ConfirmDeleteForm(request.POST)
    if form.is_valid():
        try:
            record = workspace_delete(
                workspace=by.workspace, confirm=form.cleaned_data["confirm"], by=by
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            rows = sum(record.removed.values())
            messages.info(
                request,
                f"Workspace “{record.name}” is deleted: {rows} rows in {len(record.removed)} "
                "tables, its history included.",
            )
            return redirect("home")
    context = {
        "form": WorkspaceSettingsForm(initial=_initial(by.workspace)),
        "delete_form": form,
    }
    return render(request, "web/settings/general.html", context, status=422)


@workspace_view
@require_http_methods(["GET", "POST"])
def preferences(request: TandemRequest) -> HttpResponse:
    """Every member's own settings in this workspace (not workspace settings)."""
    member: Member = request.member
    form = MemberTimeZoneForm(
        request.POST or None,
        initial={"time_zone": member.time_zone},
        workspace_zone=member.workspace.time_zone,
    )
    if request.method == "POST" and form.is_valid():
        try:
            member_set_time_zone(member=member, time_zone=form.cleaned_data["time_zone"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your time zone is saved.")
            return redirect("preferences", workspace=member.workspace.slug)
    return render(request, "web/settings/preferences.html", {"form": form})
