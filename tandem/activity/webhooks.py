"""Outgoing webhooks: Slack- and Teams-shaped JSON, signed, delivered on the task queue.

Each attempt is signed with HMAC-SHA256 under the webhook's secret over the time of sending
and the raw body, `X-Tandem-Signature: t=<unix time>,v1=<hex>`, so a receiver can refuse
an old message replayed (docs/webhooks.md). `X-Tandem-Delivery` carries the delivery's
UUID, the same on every retry, for receivers to drop duplicates. Every request goes
through the egress guard (tandem.core.egress). A failed attempt is retried with
exponential backoff (30 s, 2 min, 8 min, 32 min) and after the fifth it is marked failed,
with the last error's category shown on the webhooks page.
"""

import datetime
import hashlib
import hmac
import json
import secrets
import time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from tandem.accounts.access import require_role
from tandem.accounts.models import Member, Role
from tandem.activity.models import (
    DeliveryStatus,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
    WebhookFormat,
)
from tandem.activity.services import tracked_create, tracked_delete, tracked_update
from tandem.core import egress

MAX_ATTEMPTS = 5
TIMEOUT_SECONDS = 10
MAX_RESPONSE_BYTES = 64 * 1024
FIRST_RETRY_SECONDS = 30


def _url_error(url: str) -> str | None:
    if urlsplit(url.strip()).scheme not in {"http", "https"} or not urlsplit(url).netloc:
        return "The webhook URL must start with http:// or https://."
    try:
        egress.check(url)
    except egress.EgressRefused as refused:
        hint = ""
        if refused.category.endswith(" address"):
            hint = " An internal receiver must be allowed by the server's TANDEM_EGRESS_ALLOW."
        return f"Tandem does not send to this URL ({refused.category}).{hint}"
    return None


def _clean(
    *, url: str | None = None, format: str | None = None, events: list[str] | None = None
) -> dict[str, list[str]]:
    """Field errors of the values given (None: not being set, not checked)."""
    errors: dict[str, list[str]] = {}
    url_error = None if url is None else _url_error(url)
    if url_error:
        errors["url"] = [url_error]
    if format is not None and format not in WebhookFormat.values:
        errors["format"] = [f"Choose one of: {', '.join(WebhookFormat.values)}."]
    if events is not None and (not events or any(e not in WebhookEvent.values for e in events)):
        errors["events"] = [f"Choose events among: {', '.join(WebhookEvent.values)}."]
    return errors


def webhook_create(*, name: str, url: str, format: str, events: list[str], by: Member) -> Webhook:
    errors = _clean(url=url, format=format, events=events)
    if errors:
        raise ValidationError(errors)
    return tracked_create(
        Webhook,
        by=by,
        role=Role.ADMIN,
        name=name.strip() or urlsplit(url).netloc,
        url=url.strip(),
        format=format,
        events=list(dict.fromkeys(events)),
        secret=secrets.token_hex(32),
    )


def webhook_update(
    *, webhook: Webhook, by: Member, expected_version: int | None = None, **changes: Any
) -> Webhook:
    errors = _clean(**{k: v for k, v in changes.items() if k in {"url", "format", "events"}})
    if errors:
        raise ValidationError(errors)
    return tracked_update(
        webhook, by=by, role=Role.ADMIN, changes=changes, expected_version=expected_version
    )


def webhook_delete(*, webhook: Webhook, by: Member) -> None:
    tracked_delete(webhook, by=by, role=Role.ADMIN)


def payload(webhook_format: str, event: str, text: str, url: str) -> dict[str, Any]:
    link = settings.TANDEM_BASE_URL.rstrip("/") + url
    title = WebhookEvent(event).label
    if webhook_format == WebhookFormat.TEAMS:
        # Office 365 connector card: what Teams incoming webhooks (and Workflows) accept.
        return {
            "@type": "MessageCard",
            "@context": "https://schema.org/extensions",
            "summary": text[:150],
            "themeColor": "4F6BED",
            "title": f"Tandem: {title}",
            "text": text,
            "potentialAction": [
                {
                    "@type": "OpenUri",
                    "name": "Open in Tandem",
                    "targets": [{"os": "default", "uri": link}],
                }
            ],
        }
    return {
        "text": f"{title}: {text} <{link}|Open in Tandem>",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*{title}*\n{text}"}},
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"<{link}|Open in Tandem>"}],
            },
        ],
    }


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """Stripe's scheme: the time is signed with the body, so an old message can not be
    replayed with a fresh date."""
    signed = f"{timestamp}.".encode() + body
    return f"t={timestamp},v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def queue_delivery(*, webhook: Webhook, event: str, text: str, url: str) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.create(
        workspace_id=webhook.workspace_id,
        webhook=webhook,
        event=event,
        text=text[:500],
        body=payload(webhook.format, event, text, url),
    )
    # Queued in the same transaction as the row: a delivery never exists without its task.
    deliver_webhook.enqueue(delivery.pk)
    return delivery


def attempt(delivery: WebhookDelivery) -> bool:
    """One HTTP attempt; records the outcome on the delivery. True when delivered."""
    body = json.dumps(delivery.body).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Tandem-Webhook/2",
        "X-Tandem-Event": delivery.event,
        "X-Tandem-Delivery": str(delivery.uuid),
        "X-Tandem-Signature": sign(delivery.webhook.secret, body, int(time.time())),
    }
    delivery.attempts += 1
    try:
        response = egress.request(
            "POST",
            delivery.webhook.url,
            body=body,
            headers=headers,
            timeout=TIMEOUT_SECONDS,
            max_bytes=MAX_RESPONSE_BYTES,
        )
    except egress.EgressError as error:
        delivery.last_error = error.category
    else:
        delivery.last_error = response.problem
    if not delivery.last_error:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.save()
        return True
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
    delivery.save()
    return False


def retry_delay(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=FIRST_RETRY_SECONDS * 4 ** (attempts - 1))


@task()
def deliver_webhook(delivery_id: int) -> str:
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return "nothing to do"
    if attempt(delivery):
        return "delivered"
    if delivery.status == DeliveryStatus.PENDING:
        run_after = timezone.now() + retry_delay(delivery.attempts)
        deliver_webhook.using(run_after=run_after).enqueue(delivery.pk)
        return f"retry at {run_after.isoformat()}"
    return "failed"


@transaction.atomic
def delivery_retry(*, delivery: WebhookDelivery, by: Member) -> WebhookDelivery:
    """Send a failed delivery again, from the start of its backoff."""
    if by.workspace_id != delivery.workspace_id:
        raise LookupError("Delivery belongs to another workspace.")
    require_role(by, Role.ADMIN)
    if delivery.status != DeliveryStatus.FAILED:
        raise ValidationError({"status": "Only a failed delivery can be sent again."})
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.save(update_fields=["status", "attempts"])
    deliver_webhook.enqueue(delivery.pk)
    return delivery
