"""The caller, their workspaces and the members of a workspace."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.accounts.access import require_role
from tandem.accounts.models import Member, Role, User
from tandem.accounts.schemas import MemberIn, MemberOut, MemberPatch, MeOut, WorkspaceOut
from tandem.accounts.services import member_add, member_set_role
from tandem.core.api import ERRORS, Page, caller, fields_as, get_or_404, member
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
    return (
        Member.objects.of_user(caller(request))
        .select_related("workspace")
        .order_by("workspace__name")
    )


@router.get(
    "/workspaces/{workspace}", response={200: WorkspaceOut, **ERRORS}, summary="A workspace"
)
def workspace_read(request: HttpRequest, workspace: str) -> Member:
    return member(request, workspace)


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
    request: HttpRequest, workspace: str, member_id: int, payload: MemberPatch
) -> Member:
    """Change a member's role."""
    by = member(request, workspace)
    target = get_or_404(Member.objects.select_related("user"), by, member_id)
    return member_set_role(
        member=target, role=payload.role, by=by, expected_version=expected_version(request)
    )
