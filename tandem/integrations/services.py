"""Setting up tracker endpoints, and receiving what trackers send.

A delivery is verified (signature, token or secret URL, per vendor), read into item updates
(`vendors`), and each update reaches the initiatives linked to that item (same source, one
of the item's ids as `external_id`) through the roadmap's own service, so every rule of an
initiative holds and each change is a ChangeEvent whose reason names the tracker's item.
"""

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from tandem.accounts.models import Member, Role
from tandem.activity.services import tracked_create, tracked_delete, tracked_update
from tandem.integrations import vendors
from tandem.integrations.models import (
    DeliveryOutcome,
    TrackerDelivery,
    TrackerEndpoint,
    TrackerKind,
    new_token,
)
from tandem.roadmaps.models import Initiative
from tandem.roadmaps.services import initiative_update

# GitHub's own cap is 25 MB, but no issue or item event comes near a megabyte.
MAX_BODY_BYTES = 1024 * 1024
MAX_DETAIL = 2000


def endpoint_url(endpoint: TrackerEndpoint) -> str:
    """The address to paste into the tracker."""
    path = reverse("tracker_inbound", kwargs={"token": endpoint.token})
    return settings.TANDEM_BASE_URL.rstrip("/") + path


def _secret_errors(kind: str, secret: str) -> dict[str, list[str]]:
    if kind not in TrackerKind.values:
        return {"kind": [f"Choose one of: {', '.join(TrackerKind.values)}."]}
    if kind == TrackerKind.LINEAR and len(secret.strip()) < 16:
        # Linear makes the signing secret; Tandem only checks it.
        return {"secret": ["Paste the signing secret Linear shows for this webhook."]}
    return {}


def endpoint_create(*, kind: str, name: str, by: Member, secret: str = "") -> TrackerEndpoint:
    """Admins set endpoints up. Tandem makes the secret, except for Linear, which makes its own
    and shows it once: that one is pasted here."""
    errors = _secret_errors(kind, secret)
    if errors:
        raise ValidationError(errors)
    return tracked_create(
        TrackerEndpoint,
        by=by,
        role=Role.ADMIN,
        kind=kind,
        name=name.strip() or TrackerKind(kind).label,
        secret=secret.strip() if kind == TrackerKind.LINEAR else secrets.token_hex(32),
        acts_for=by,
    )


def endpoint_rotate(*, endpoint: TrackerEndpoint, by: Member, secret: str = "") -> TrackerEndpoint:
    """A new URL and a new secret: the old ones stop working at once."""
    errors = _secret_errors(endpoint.kind, secret)
    if errors:
        raise ValidationError(errors)
    new_secret = secret.strip() if endpoint.kind == TrackerKind.LINEAR else secrets.token_hex(32)
    return tracked_update(
        endpoint,
        by=by,
        role=Role.ADMIN,
        changes={"token": new_token(), "secret": new_secret, "acts_for": by},
        action="rotated",
    )


def endpoint_delete(*, endpoint: TrackerEndpoint, by: Member) -> None:
    tracked_delete(endpoint, by=by, role=Role.ADMIN)


@dataclass(frozen=True)
class Received:
    status: int  # the HTTP status to answer the tracker with
    outcome: str
    detail: str
    changed: int = 0


def receive(*, token: str, headers: Mapping[str, str], body: bytes) -> Received:
    """Handle one delivery. Nothing is written for an unknown URL, a bad signature, an
    oversized or unreadable body; a delivery id seen before is answered and ignored."""
    endpoint = (
        TrackerEndpoint.objects.select_related("acts_for__user", "workspace")
        .filter(token=token)
        .first()
    )
    if endpoint is None:
        return Received(404, DeliveryOutcome.REFUSED, "No integration has this address.")
    if len(body) > MAX_BODY_BYTES:
        return Received(
            413, DeliveryOutcome.REFUSED, f"The body is over the {MAX_BODY_BYTES // 1024} KB limit."
        )
    vendor = vendors.VENDORS[endpoint.kind]
    if not vendor.verify(secret=endpoint.secret, headers=headers, body=body):
        return Received(
            401, DeliveryOutcome.REFUSED, f"The {vendor.name} signature does not match the secret."
        )
    try:
        reading = vendor.read(headers=headers, body=body)
    except vendors.Refused as refused:
        return Received(400, DeliveryOutcome.REFUSED, str(refused))
    try:
        with transaction.atomic():
            delivery = TrackerDelivery.objects.create(
                workspace=endpoint.workspace,
                endpoint=endpoint,
                delivery_id=reading.delivery_id[:100],
                event=reading.event[:60],
                outcome=DeliveryOutcome.IGNORED,
            )
    except IntegrityError:
        return Received(200, DeliveryOutcome.IGNORED, "This delivery was received before.")
    result = _apply(endpoint, reading)
    TrackerDelivery.objects.filter(pk=delivery.pk).update(
        outcome=result.outcome, detail=result.detail[:MAX_DETAIL]
    )
    return result


def _apply(endpoint: TrackerEndpoint, reading: vendors.Reading) -> Received:
    if not reading.updates:
        return Received(200, DeliveryOutcome.IGNORED, reading.note)
    member = endpoint.acts_for
    if member is None or not member.user.is_active or not member.has_role(Role.EDITOR):
        return Received(
            200,
            DeliveryOutcome.REFUSED,
            "The member this integration acts for can no longer edit the roadmap: "
            "an admin rotates it to act for themselves.",
        )
    lines: list[str] = []
    changed = 0
    for update in reading.updates:
        # An import keys a GitHub project item by its item id and links the page:
        # the issue's own events find it by that link.
        urls = [i for i in update.ids if i.startswith("https://")]
        initiatives = list(
            Initiative.objects.in_workspace(endpoint.workspace)
            .filter(external_source=endpoint.kind)
            .filter(Q(external_id__in=update.ids) | Q(external_url__in=urls))
        )
        if not initiatives:
            lines.append(f"{update.label}: no initiative is linked to it.")
            continue
        for initiative in initiatives:
            lines.append(_update_one(initiative, update, member, reading.delivery_id))
            changed += 1
    outcome = DeliveryOutcome.APPLIED if changed else DeliveryOutcome.IGNORED
    return Received(200, outcome, "\n".join(lines), changed)


def _update_one(
    initiative: Initiative, update: vendors.ItemUpdate, member: Member, delivery_id: str
) -> str:
    changes: dict[str, Any] = dict(update.dates)
    if update.status is not None:
        changes["status"] = update.status
    reason = f"{update.label} {update.what} (delivery {delivery_id[:40]})"
    try:
        initiative_update(initiative=initiative, by=member, reason=reason, **changes)
    except (ValidationError, PermissionDenied) as refused:
        messages = getattr(refused, "messages", [str(refused)])
        return f"“{initiative.title}” not changed: {' '.join(messages)}"
    return f"“{initiative.title}” follows {update.label}: {update.what}."
