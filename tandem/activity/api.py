"""The activity API: the feed (workspace, team or one object), your notifications, and
outgoing webhooks with their deliveries."""

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from tandem.accounts.models import Member, Role
from tandem.activity import feeds, watching, webhooks
from tandem.activity.feeds import FeedFilters
from tandem.activity.models import Notification, Webhook, WebhookDelivery
from tandem.activity.schemas import (
    ChangeEventOut,
    DeliveryOut,
    NotificationOut,
    ReadIn,
    ReadOut,
    WebhookIn,
    WebhookOut,
    WebhookPatch,
)
from tandem.core.api import ERRORS, Id, Page, get_or_404, member, resolve
from tandem.core.preconditions import expected_version

router = Router(tags=["activity"])

WS = "/workspaces/{workspace}"


@router.get(f"{WS}/activity", response={200: list[ChangeEventOut], **ERRORS}, summary="Activity")
@paginate(Page)
def activity_feed(request: HttpRequest, workspace: str, filters: Query[FeedFilters]) -> object:
    """Every change, newest first, with who made it and why. `entity=initiative-12` gives
    one object's feed (team, objective, key_result, initiative, conflict or review);
    `team_id` a team's: the team, its objectives and their key results, its initiatives.
    The activity page takes the same filters (`?entity=`, `?team=`)."""
    by = member(request, workspace)
    return feeds.activity_feed(by.workspace, filters).events


# ---------------------------------------------------------------- notifications


@router.get(
    f"{WS}/notifications",
    response={200: list[NotificationOut], **ERRORS},
    summary="Your notifications",
)
@paginate(Page)
def notification_list(request: HttpRequest, workspace: str, unread: bool = False) -> object:
    """Newest first: changes to what you watch, invitations. `unread=true` for the unread
    ones only (their count is the badge)."""
    by = member(request, workspace)
    mine = Notification.objects.for_member(by)
    return mine.unread() if unread else mine


@router.post(
    f"{WS}/notifications/read", response={200: ReadOut, **ERRORS}, summary="Mark them read"
)
def notification_read(request: HttpRequest, workspace: str, payload: ReadIn) -> dict[str, int]:
    """Only your own notifications; ids of anyone else's are ignored."""
    by = member(request, workspace)
    return {"marked": watching.notifications_mark_read(by=by, ids=payload.notification_ids)}


# ---------------------------------------------------------------- webhooks


def _admin(request: HttpRequest, workspace: str) -> Member:
    by = member(request, workspace)
    if not by.has_role(Role.ADMIN):
        raise PermissionDenied("Webhooks are managed by workspace admins.")
    return by


@router.get(f"{WS}/webhooks", response={200: list[WebhookOut], **ERRORS}, summary="Webhooks")
@paginate(Page)
def webhook_list(request: HttpRequest, workspace: str) -> object:
    """Admins only: each webhook's secret signs what it receives."""
    return Webhook.objects.in_workspace(_admin(request, workspace).workspace)


@router.post(f"{WS}/webhooks", response={201: WebhookOut, **ERRORS}, summary="Add a webhook")
def webhook_create(request: HttpRequest, workspace: str, payload: WebhookIn) -> Status[Webhook]:
    """Slack- or Teams-shaped JSON, posted to `url` for each chosen event, signed with the
    secret in the answer."""
    by = _admin(request, workspace)
    return Status(201, webhooks.webhook_create(**payload.dict(), by=by))


@router.patch(
    f"{WS}/webhooks/{{webhook_id}}",
    response={200: WebhookOut, **ERRORS},
    summary="Change a webhook",
)
def webhook_update(
    request: HttpRequest, workspace: str, webhook_id: Id, payload: WebhookPatch
) -> Webhook:
    by = _admin(request, workspace)
    webhook = get_or_404(Webhook.objects, by, webhook_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return webhooks.webhook_update(
        webhook=webhook, by=by, expected_version=expected_version(request), **changes
    )


@router.delete(
    f"{WS}/webhooks/{{webhook_id}}", response={204: None, **ERRORS}, summary="Remove a webhook"
)
def webhook_delete(request: HttpRequest, workspace: str, webhook_id: Id) -> Status[None]:
    by = _admin(request, workspace)
    webhooks.webhook_delete(webhook=get_or_404(Webhook.objects, by, webhook_id), by=by)
    return Status(204, None)


class DeliveryFilters(Schema):
    webhook_id: Id | None = None
    status: Literal["pending", "delivered", "failed"] | None = None


@router.get(
    f"{WS}/webhook-deliveries",
    response={200: list[DeliveryOut], **ERRORS},
    summary="Webhook deliveries",
)
@paginate(Page)
def delivery_list(request: HttpRequest, workspace: str, filters: Query[DeliveryFilters]) -> object:
    """Newest first, with the attempts made and the last error; `status=failed` for the
    ones that gave up after every retry."""
    by = _admin(request, workspace)
    found = WebhookDelivery.objects.in_workspace(by.workspace)
    webhook = resolve(Webhook.objects, by, filters.webhook_id, field="webhook_id")
    if webhook is not None:
        found = found.filter(webhook=webhook)
    return found.filter(status=filters.status) if filters.status else found


@router.post(
    f"{WS}/webhook-deliveries/{{webhook_delivery_id}}/retry",
    response={200: DeliveryOut, **ERRORS},
    summary="Send a delivery again",
)
def delivery_retry(
    request: HttpRequest, workspace: str, webhook_delivery_id: Id
) -> WebhookDelivery:
    """Queued again from the start of its backoff; the worker sends it."""
    by = _admin(request, workspace)
    delivery = get_or_404(WebhookDelivery.objects, by, webhook_delivery_id)
    return webhooks.delivery_retry(delivery=delivery, by=by)
