"""Outgoing webhooks: Slack- and Teams-shaped JSON, signed, delivered on the task queue.

Each body is signed with HMAC-SHA256 under the webhook's secret; the receiver checks
`X-Tandem-Signature: sha256=<hex>` against the raw body. A failed attempt is retried with
exponential backoff (30 s, 2 min, 8 min, 32 min) and after the fifth it is marked failed,
with the last error shown on the webhooks page.
"""

import datetime
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
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

MAX_ATTEMPTS = 5
TIMEOUT_SECONDS = 10
FIRST_RETRY_SECONDS = 30


def _clean(*, url: str, format: str, events: list[str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if urlsplit(url.strip()).scheme not in {"http", "https"} or not urlsplit(url).netloc:
        errors["url"] = ["The webhook URL must start with http:// or https://."]
    if format not in WebhookFormat.values:
        errors["format"] = [f"Choose one of: {', '.join(WebhookFormat.values)}."]
    unknown = [e for e in events if e not in WebhookEvent.values]
    if unknown or not events:
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


def webhook_update(*, webhook: Webhook, by: Member, **changes: Any) -> Webhook:
    merged = {
        "url": changes.get("url", webhook.url),
        "format": changes.get("format", webhook.format),
        "events": changes.get("events", webhook.events),
    }
    errors = {k: v for k, v in _clean(**merged).items() if k in changes}
    if errors:
        raise ValidationError(errors)
    return tracked_update(webhook, by=by, role=Role.ADMIN, changes=changes)


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


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def queue_delivery(*, webhook: Webhook, event: str, text: str, url: str) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.create(
        workspace_id=webhook.workspace_id,
        webhook=webhook,
        event=event,
        text=text[:500],
        body=payload(webhook.format, event, text, url),
    )
    transaction.on_commit(lambda: deliver_webhook.enqueue(delivery.pk), robust=True)
    return delivery


def attempt(delivery: WebhookDelivery) -> bool:
    """One HTTP attempt; records the outcome on the delivery. True when delivered."""
    body = json.dumps(delivery.body).encode()
    request = urllib.request.Request(
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Tandem-Webhook/1",
            "X-Tandem-Event": delivery.event,
            "X-Tandem-Delivery": str(delivery.pk),
            "X-Tandem-Signature": sign(delivery.webhook.secret, body),
        },
    )
    delivery.attempts += 1
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            response.read(1024)
    except urllib.error.HTTPError as error:
        delivery.last_error = f"The receiver answered {error.code} {error.reason}."
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        delivery.last_error = f"Could not reach the receiver: {reason}."[:300]
    else:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.last_error = ""
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
    transaction.on_commit(lambda: deliver_webhook.enqueue(delivery.pk), robust=True)
    return delivery
