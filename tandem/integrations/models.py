"""An inbound endpoint per tracker and workspace, and every delivery it received."""

import secrets
from typing import ClassVar

from django.db import models
from django.utils import timezone

from tandem.core.tenancy import TenantModel, TenantQuerySet


class TrackerKind(models.TextChoices):
    GITHUB = "github", "GitHub"
    GITLAB = "gitlab", "GitLab"
    JIRA = "jira", "Jira"
    LINEAR = "linear", "Linear"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class TrackerEndpoint(TenantModel):
    """Where a tracker posts its webhooks: a secret URL, plus a secret that signs (GitHub,
    Linear) or accompanies (GitLab) each delivery. Changes it makes to initiatives are written
    on behalf of `acts_for`, the member who set it up, and name the tracker's item."""

    kind = models.CharField(max_length=10, choices=TrackerKind.choices)
    name = models.CharField(max_length=120)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    secret = models.CharField(max_length=128)
    acts_for = models.ForeignKey(
        "accounts.Member",
        null=True,
        on_delete=models.SET_NULL,
        related_name="tracker_endpoints",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class DeliveryOutcome(models.TextChoices):
    APPLIED = "applied", "Applied"
    IGNORED = "ignored", "Ignored"
    REFUSED = "refused", "Refused"


class TrackerDelivery(TenantModel):
    """One delivery received: kept to drop the vendor's retries (same delivery id) and to show
    on the Integrations page what each delivery did."""

    endpoint = models.ForeignKey(TrackerEndpoint, on_delete=models.CASCADE, related_name="+")
    delivery_id = models.CharField(max_length=100)
    event = models.CharField(max_length=60, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=DeliveryOutcome.choices)
    detail = models.TextField(blank=True)

    objects: ClassVar = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "delivery_id"], name="tracker_delivery_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event or 'delivery'} {self.delivery_id}"
