"""The integrations API: tracker endpoints (admins) and what they received."""

import datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from tandem.accounts.models import Member, Role
from tandem.core.api import ERRORS, Id, Page, get_or_404, member, resolve
from tandem.core.api_fields import text
from tandem.integrations import services
from tandem.integrations.models import TrackerDelivery, TrackerEndpoint

router = Router(tags=["integrations"])

WS = "/workspaces/{workspace}"
EndpointName = Annotated[str, text(TrackerEndpoint, "name", blank=True)]
Kind = Literal["github", "gitlab", "jira", "linear"]
LinearSecret = Annotated[str, text(TrackerEndpoint, "secret", blank=True)]


class IntegrationOut(Schema):
    id: int
    kind: str = Field(description="github, gitlab, jira or linear.")
    name: str
    url: str = Field(description="Paste into the tracker's webhook settings.")
    secret: str = Field(
        description="GitHub: the webhook secret (X-Hub-Signature-256); GitLab: the secret "
        "token (X-Gitlab-Token); Jira: optional signing secret; Linear: its signing secret."
    )
    acts_for_id: int | None = Field(description="The member changes are written for.")
    created_at: datetime.datetime

    @staticmethod
    def resolve_url(obj: TrackerEndpoint) -> str:
        return services.endpoint_url(obj)


class IntegrationIn(Schema):
    kind: Kind
    name: EndpointName = Field("", description="Defaults to the tracker's name.")
    secret: LinearSecret = Field(
        "", description="Linear only: the signing secret Linear made. Tandem makes the others'."
    )


class RotateIn(Schema):
    secret: LinearSecret = Field("", description="Linear only: its new signing secret.")


class ReceivedOut(Schema):
    id: int
    integration_id: int = Field(validation_alias="endpoint_id")
    delivery_id: str
    event: str
    received_at: datetime.datetime
    outcome: str = Field(description="applied, ignored or refused.")
    detail: str


class ReceivedFilters(Schema):
    integration_id: Id | None = None
    outcome: Literal["applied", "ignored", "refused"] | None = None


def _admin(request: HttpRequest, workspace: str) -> Member:
    by = member(request, workspace)
    if not by.has_role(Role.ADMIN):
        raise PermissionDenied("Integrations are managed by workspace admins.")
    return by


@router.get(
    f"{WS}/integrations", response={200: list[IntegrationOut], **ERRORS}, summary="Integrations"
)
@paginate(Page)
def integration_list(request: HttpRequest, workspace: str) -> object:
    """Admins only: each endpoint's address and secret are credentials."""
    return TrackerEndpoint.objects.in_workspace(_admin(request, workspace).workspace)


@router.post(
    f"{WS}/integrations", response={201: IntegrationOut, **ERRORS}, summary="Add an integration"
)
def integration_create(
    request: HttpRequest, workspace: str, payload: IntegrationIn
) -> Status[TrackerEndpoint]:
    """An inbound endpoint for a tracker's webhooks: initiatives linked to its items (same
    source, the item's id as external_id) follow their status and dates."""
    by = _admin(request, workspace)
    return Status(201, services.endpoint_create(**payload.dict(), by=by))


@router.post(
    f"{WS}/integrations/{{integration_id}}/rotate",
    response={200: IntegrationOut, **ERRORS},
    summary="New address and secret",
)
def integration_rotate(
    request: HttpRequest, workspace: str, integration_id: Id, payload: RotateIn
) -> TrackerEndpoint:
    """The old address and secret stop working at once; changes are then written for you."""
    by = _admin(request, workspace)
    endpoint = get_or_404(TrackerEndpoint.objects, by, integration_id)
    return services.endpoint_rotate(endpoint=endpoint, by=by, secret=payload.secret)


@router.delete(
    f"{WS}/integrations/{{integration_id}}",
    response={204: None, **ERRORS},
    summary="Remove an integration",
)
def integration_delete(request: HttpRequest, workspace: str, integration_id: Id) -> Status[None]:
    by = _admin(request, workspace)
    endpoint = get_or_404(TrackerEndpoint.objects, by, integration_id)
    services.endpoint_delete(endpoint=endpoint, by=by)
    return Status(204, None)


@router.get(
    f"{WS}/integration-deliveries",
    response={200: list[ReceivedOut], **ERRORS},
    summary="Deliveries received",
)
@paginate(Page)
def received_list(request: HttpRequest, workspace: str, filters: Query[ReceivedFilters]) -> object:
    """Newest first: what each delivery changed, or why it changed nothing."""
    by = _admin(request, workspace)
    found = TrackerDelivery.objects.in_workspace(by.workspace)
    endpoint = resolve(TrackerEndpoint.objects, by, filters.integration_id, field="integration_id")
    if endpoint is not None:
        found = found.filter(endpoint=endpoint)
    return found.filter(outcome=filters.outcome) if filters.outcome else found
