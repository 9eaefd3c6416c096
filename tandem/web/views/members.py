"""The members page (admins and owners): roles, invitations, removals; and the page an
invitation link opens, which works for people without an account too."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tandem.accounts import invitations
from tandem.accounts.access import TandemRequest, workspace_view
from tandem.accounts.models import Invitation, Member, Role, User, Workspace
from tandem.accounts.services import member_owned, member_reassign, member_remove, member_set_role
from tandem.core.forms import add_service_errors, limit_choices
from tandem.core.tenancy import get_in_workspace_or_404
from tandem.core.versioning import StaleVersion
from tandem.okrs.forms import MemberChoice
from tandem.web.forms import AcceptInvitationForm, InvitationForm, RoleForm
from tandem.web.views.workspace_settings import require_admin


def _members(workspace: Workspace) -> list[Member]:
    return list(
        Member.objects.in_workspace(workspace)
        .select_related("user")
        .annotate(team_count=Count("teams"))
        .order_by("user__name", "user__email")
    )


@workspace_view
@require_http_methods(["GET", "POST"])
def member_list(request: TandemRequest) -> HttpResponse:
    by = require_admin(request)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _ = invitations.invitation_create(
                email=form.cleaned_data["email"], role=form.cleaned_data["role"], by=by
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("member_list", workspace=by.workspace.slug)
    waiting = (
        Invitation.objects.in_workspace(by.workspace)
        .filter(accepted_at__isnull=True)
        .select_related("invited_by")
        .order_by("revoked_at", "-sent_at")[:50]
    )
    context = {
        "members": _members(by.workspace),
        "invitations": waiting,
        "form": form,
        "now": timezone.now(),
        "role_choices": RoleForm.base_fields["role"].choices,  # type: ignore[attr-defined]  # a ChoiceField
        "may_make_owner": by.has_role(Role.OWNER),
    }
    return render(request, "web/settings/members.html", context, status=422 if form.errors else 200)


@workspace_view
@require_POST
def member_role(request: TandemRequest, member_id: int) -> HttpResponse:
    by = require_admin(request)
    target = get_in_workspace_or_404(
        Member.objects.select_related("user"), by.workspace, pk=member_id
    )
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the roles.")
    else:
        try:
            member_set_role(
                member=target,
                role=form.cleaned_data["role"],
                by=by,
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion:
            target.refresh_from_db()
            messages.error(
                request,
                f"{target.user.display_name}'s role was changed by someone else meanwhile: "
                f"they are {target.get_role_display().lower()}. Nothing was changed.",
            )
        except ValidationError as error:
            messages.error(request, f"{target.user.display_name}: {' '.join(error.messages)}")
        else:
            messages.success(
                request, f"{target.user.display_name} is now {target.get_role_display().lower()}."
            )
    return redirect("member_list", workspace=by.workspace.slug)


class ReassignForm(forms.Form):
    to = MemberChoice(
        queryset=Member.objects.none(),
        required=False,
        label="Hand what they own to",
        empty_label="Nobody (leave it without an owner)",
    )


@workspace_view
@require_http_methods(["GET", "POST"])
def member_remove_confirm(request: TandemRequest, member_id: int) -> HttpResponse:
    """Removal is two steps: see (and hand over) what they own, then remove."""
    by = require_admin(request)
    target = get_in_workspace_or_404(
        Member.objects.select_related("user"), by.workspace, pk=member_id
    )
    form = ReassignForm(request.POST or None)
    limit_choices(
        form,
        "to",
        (Member.objects.in_workspace(by.workspace).exclude(pk=target.pk).select_related("user")),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "reassign":
                count = member_reassign(member=target, to=form.cleaned_data["to"], by=by)
                messages.success(request, f"{count} item{'s' if count != 1 else ''} handed over.")
                return redirect("member_remove", workspace=by.workspace.slug, member_id=target.pk)
            member_remove(member=target, by=by)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{target.user.display_name} is no longer a member.")
            if target.pk == by.pk:
                return redirect("home")
            return redirect("member_list", workspace=by.workspace.slug)
    owned = [(str(obj._meta.verbose_name).capitalize(), obj) for obj in member_owned(target)]
    context = {"target": target, "owned": owned, "form": form}
    return render(
        request, "web/settings/member_remove.html", context, status=422 if form.errors else 200
    )


@workspace_view
@require_POST
def invitation_resend(request: TandemRequest, invitation_id: int) -> HttpResponse:
    by = require_admin(request)
    invitation = get_in_workspace_or_404(Invitation.objects, by.workspace, pk=invitation_id)
    try:
        invitations.invitation_resend(invitation=invitation, by=by)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"A new link is on its way to {invitation.email}.")
    return redirect("member_list", workspace=by.workspace.slug)


@workspace_view
@require_POST
def invitation_revoke(request: TandemRequest, invitation_id: int) -> HttpResponse:
    by = require_admin(request)
    invitation = get_in_workspace_or_404(Invitation.objects, by.workspace, pk=invitation_id)
    try:
        invitations.invitation_revoke(invitation=invitation, by=by)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(request, f"The invitation of {invitation.email} is withdrawn.")
    return redirect("member_list", workspace=by.workspace.slug)


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the mail. The token is the credential, so the page names the
    workspace only for a link that is still good."""
    invitation = invitations.invitation_for_token(token)
    try:
        invitations.check_acceptable(invitation)
    except ValidationError as error:
        context: dict[str, object] = {"problem": " ".join(error.messages)}
        return render(request, "web/invitation.html", context, status=410 if invitation else 404)
    assert invitation is not None
    user = request.user
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST":
        try:
            if user.is_authenticated:
                member = invitations.invitation_accept(raw=token, user=user)
            elif form.is_valid():
                member = invitations.invitation_accept_new_account(
                    raw=token,
                    name=form.cleaned_data["name"],
                    password=form.cleaned_data["password"],
                )
                login(request, member.user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                member = None
        except ValidationError as error:
            add_service_errors(form, error)
            member = None
        if member is not None:
            messages.success(request, f"Welcome to {member.workspace.name}.")
            return redirect("dashboard", workspace=member.workspace.slug)
    context = {
        "invitation": invitation,
        "form": form,
        "has_account": User.objects.filter(email=invitation.email).exists(),
        "role": Role(invitation.role).label.lower(),
    }
    return render(request, "web/invitation.html", context, status=422 if form.errors else 200)
