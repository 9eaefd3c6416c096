"""The caller's API tokens, and a workspace's access log for its owners."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.accounts.access import require_role
from tandem.accounts.accesslog import client_ip
from tandem.accounts.models import AccessEvent, ApiToken, Member, Role
from tandem.accounts.schemas import AccessEventOut, TokenCreated, TokenIn, TokenOut
from tandem.accounts.services import api_token_create, api_token_revoke
from tandem.core.api import ERRORS, Id, Page, caller, member

router = Router(tags=["accounts"])


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, summary="The caller's API tokens")
@paginate(Page)
def token_list(request: HttpRequest) -> object:
    return ApiToken.objects.filter(user=caller(request)).select_related("workspace")


@router.post("/tokens", response={201: TokenCreated, **ERRORS}, summary="Create an API token")
def token_create(request: HttpRequest, payload: TokenIn) -> Status[ApiToken]:
    """The token is in the answer, and only there: store it now."""
    user = caller(request)
    workspace = None
    if payload.workspace is not None:
        found = Member.objects.of_user(user).filter(workspace__slug=payload.workspace).first()
        if found is None:
            raise ValidationError(
                {"workspace": "You are not a member of a workspace of this slug."}
            )
        workspace = found.workspace
    token, raw = api_token_create(
        user=user,
        name=payload.name,
        scope=payload.scope,
        workspace=workspace,
        expires_at=payload.expires_at,
        ip=client_ip(request),
    )
    token.token = raw  # type: ignore[attr-defined]  # for this one answer only
    return Status(201, token)


@router.delete(
    "/tokens/{token_id}", response={200: TokenOut, **ERRORS}, summary="Revoke an API token"
)
def token_revoke(request: HttpRequest, token_id: Id) -> ApiToken:
    user = caller(request)
    token = ApiToken.objects.filter(user=user, pk=token_id).select_related("workspace").first()
    if token is None:
        raise Http404
    return api_token_revoke(token=token, by=user, ip=client_ip(request))


@router.get(
    "/workspaces/{workspace}/access-log",
    response={200: list[AccessEventOut], **ERRORS},
    summary="The workspace's access log (owners only)",
)
@paginate(Page)
def access_log(request: HttpRequest, workspace: str) -> object:
    by = member(request, workspace)
    require_role(by, Role.OWNER)
    return AccessEvent.objects.for_workspace(by.workspace)
