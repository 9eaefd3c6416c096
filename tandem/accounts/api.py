"""The caller, their workspaces and the members of a workspace."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.accounts import invitations
from tandem.accounts.access import require_role
from tandem.accounts.models import Invitation, Member, Role, User, Workspace
from tandem.accounts.schemas import (
    InvitationIn,
    InvitationOut,
    MemberIn,
    MemberOut,
    MemberPatch,
    MeOut,
    WorkspaceIn,
    WorkspaceOut,
    WorkspacePatch,
    WorkspaceSettingsOut,
)
from tandem.accounts.services import (
    member_add,
    member_remove,
    member_set_role,
    workspace_create,
    workspace_update,
)
from tandem.core.api import ERRORS, Id, Page, caller, fields_as, get_or_404, member
from tandem.core.preconditions import expected_version

router = Router(tags=["accounts"])


@router.get("/me", response={200: MeOut, **ERRORS}, summary="The caller")
def me(request: HttpRequest) -> User:
    return caller(request)


@router.get(
    "/workspaces", response={200: list[WorkspaceOut], **ERRORS}, summary="The caller's workspaces"
)
@paginate(Page)
def workspace_list(request: HttpRequest) -> object:
    members = Member.objects.of_user(caller(request))
    token = getattr(request, "api_token", None)
    if token is not None and token.workspace_id is not None:
        members = members.filter(workspace_id=token.workspace_id)
    return members.select_related("workspace").order_by("workspace__name")


@router.post("/workspaces", response={201: WorkspaceOut, **ERRORS}, summary="Create a workspace")
def workspace_new(request: HttpRequest, payload: WorkspaceIn) -> Status[Member]:
    """The caller becomes its owner. A slug in use answers 422 "not available"."""
    created = workspace_create(name=payload.name, slug=payload.slug, owner=caller(request))
    return Status(201, Member.objects.select_related("workspace").get(workspace=created))


@router.get(
    "/workspaces/{workspace}", response={200: WorkspaceOut, **ERRORS}, summary="A workspace"
)
def workspace_read(request: HttpRequest, workspace: str) -> Member:
    return member(request, workspace)


@router.patch(
    "/workspaces/{workspace}",
    response={200: WorkspaceSettingsOut, **ERRORS},
    summary="Change a workspace's settings",
)
def workspace_settings(request: HttpRequest, workspace: str, payload: WorkspacePatch) -> Workspace:
    """Name, slug, time zone, default cycle length and the grace period of new key results;
    admins and owners."""
    by = member(request, workspace)
    changes = payload.dict(exclude_unset=True)
    return workspace_update(by=by, expected_version=expected_version(request), **changes)


@router.get(
    "/workspaces/{workspace}/members",
    response={200: list[MemberOut], **ERRORS},
    summary="The workspace's members",
)
@paginate(Page)
def member_list(request: HttpRequest, workspace: str) -> object:
    by = member(request, workspace)
    return Member.objects.in_workspace(by.workspace).select_related("user")


@router.post(
    "/workspaces/{workspace}/members", response={201: MemberOut, **ERRORS}, summary="Add a member"
)
def member_create(request: HttpRequest, workspace: str, payload: MemberIn) -> Status[Member]:
    """Add an existing user, by email, with a role."""
    by = member(request, workspace)
    # Checked before the email lookup, or a viewer could probe who has an account.
    require_role(by, Role.ADMIN)
    user = User.objects.filter(email__iexact=payload.email.strip()).first()
    if user is None:
        raise ValidationError({"email": "No Tandem user has this email address."})
    with fields_as(user="email"):
        return Status(201, member_add(user=user, role=payload.role, by=by))


@router.patch(
    "/workspaces/{workspace}/members/{member_id}",
    response={200: MemberOut, **ERRORS},
    summary="Change a member's role",
)
def member_update(
    request: HttpRequest, workspace: str, member_id: Id, payload: MemberPatch
) -> Member:
    """Change a member's role."""
    by = member(request, workspace)
    target = get_or_404(Member.objects.select_related("user"), by, member_id)
    return member_set_role(
        member=target, role=payload.role, by=by, expected_version=expected_version(request)
    )


@router.delete(
    "/workspaces/{workspace}/members/{member_id}",
    response={204: None, **ERRORS},
    summary="Remove a member",
)
def member_delete(request: HttpRequest, workspace: str, member_id: Id) -> Status[None]:
    """Never the last owner. What they own is left without an owner: reassign it first."""
    by = member(request, workspace)
    target = get_or_404(Member.objects.select_related("user"), by, member_id)
    member_remove(member=target, by=by)
    return Status(204, None)


@router.get(
    "/workspaces/{workspace}/invitations",
    response={200: list[InvitationOut], **ERRORS},
    summary="Invitations not yet accepted",
)
@paginate(Page)
def invitation_list(request: HttpRequest, workspace: str) -> object:
    by = member(request, workspace)
    require_role(by, Role.ADMIN)
    return (
        Invitation.objects.in_workspace(by.workspace)
        .filter(accepted_at__isnull=True)
        .select_related("invited_by")
    )


@router.post(
    "/workspaces/{workspace}/invitations",
    response={201: InvitationOut, **ERRORS},
    summary="Invite someone by email",
)
def invitation_create(
    request: HttpRequest, workspace: str, payload: InvitationIn
) -> Status[Invitation]:
    """Mails a link that works once, for 7 days. The link is never returned here."""
    by = member(request, workspace)
    invitation, _ = invitations.invitation_create(email=payload.email, role=payload.role, by=by)
    return Status(201, invitation)


@router.post(
    "/workspaces/{workspace}/invitations/{invitation_id}/resend",
    response={200: InvitationOut, **ERRORS},
    summary="Send an invitation again, with a new link",
)
def invitation_resend(request: HttpRequest, workspace: str, invitation_id: Id) -> Invitation:
    by = member(request, workspace)
    invitation = get_or_404(Invitation.objects.select_related("invited_by"), by, invitation_id)
    invitations.invitation_resend(invitation=invitation, by=by)
    return invitation


@router.delete(
    "/workspaces/{workspace}/invitations/{invitation_id}",
    response={204: None, **ERRORS},
    summary="Withdraw an invitation",
)
def invitation_delete(request: HttpRequest, workspace: str, invitation_id: Id) -> Status[None]:
    by = member(request, workspace)
    invitation = get_or_404(Invitation.objects, by, invitation_id)
    invitations.invitation_revoke(invitation=invitation, by=by)
    return Status(204, None)
