"""Request and response bodies of the activity API: the feed, notifications, webhooks."""

import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal
from uuid import UUID

from ninja import Field, Schema

from tandem.activity.describe import describe_change
from tandem.activity.models import ChangeEvent, Webhook, WebhookEvent, WebhookFormat
from tandem.core.api import Id
from tandem.core.api_fields import text
from tandem.core.versioning import VERSION

if TYPE_CHECKING:
    EventName = str
    FormatName = str
else:
    # Literals built from the model's choices, the one list of each.
    EventName = Literal[tuple(WebhookEvent.values)]
    FormatName = Literal[tuple(WebhookFormat.values)]
WebhookName = Annotated[str, text(Webhook, "name", blank=True)]


class ChangeEventOut(Schema):
    id: int
    at: datetime.datetime
    actor: str | None = Field(description="Who made the change; null when Tandem did.")
    action: str = Field(description="created, updated, moved, deleted, checked_in, ...")
    kind: str = Field(description="The kind of object changed, e.g. initiative, keyresult.")
    object_id: str
    object_repr: str = Field(description="The object's name when it changed.")
    text: str = Field(description="The change in one sentence, as the feed shows it.")
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]

    @staticmethod
    def resolve_actor(obj: ChangeEvent) -> str | None:
        return obj.actor.display_name if obj.actor else None

    @staticmethod
    def resolve_kind(obj: ChangeEvent) -> str:
        return obj.content_type.model

    @staticmethod
    def resolve_text(obj: ChangeEvent) -> str:
        return describe_change(obj)


class NotificationOut(Schema):
    id: int
    text: str
    url: str = Field(description="Where to read more: a path on this Tandem.")
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class ReadIn(Schema):
    notification_ids: list[Id] | None = Field(
        None, description="The notifications to mark read; all of yours when omitted."
    )


class ReadOut(Schema):
    marked: int = Field(description="How many were unread and are now read.")


class WebhookOut(Schema):
    id: int
    version: int = VERSION
    name: str
    url: str
    format: str = Field(description="slack or teams: the shape of the JSON body.")
    events: list[str]
    secret: str = Field(
        description="Signs each request: X-Tandem-Signature: t=<time>,v1=HMAC(time.body)."
    )
    active: bool
    created_at: datetime.datetime


class WebhookIn(Schema):
    name: WebhookName = Field("", description="Defaults to the URL's host.")
    url: str = Field(max_length=500, description="http:// or https://, to a public address.")
    format: FormatName = "slack"
    events: list[EventName] = Field(min_length=1)


class WebhookPatch(Schema):
    """Only the fields sent change."""

    name: WebhookName | None = Field(None)
    url: str | None = Field(
        None, max_length=500, description="http:// or https://, to a public address."
    )
    format: FormatName | None = None
    events: list[EventName] | None = Field(None, min_length=1)
    active: bool | None = None


class DeliveryOut(Schema):
    id: int
    uuid: UUID = Field(description="Sent as X-Tandem-Delivery, the same on every retry.")
    webhook_id: Id
    event: str
    text: str
    status: str = Field(description="pending, delivered or failed (after every retry).")
    attempts: int
    last_error: str = Field(description="Why the last attempt failed; empty once delivered.")
    created_at: datetime.datetime
    delivered_at: datetime.datetime | None
