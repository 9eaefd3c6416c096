from typing import ClassVar
from uuid import uuid4

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from tandem.accounts.models import Member
from tandem.core.tenancy import TenantModel, TenantQuerySet
from tandem.core.versioning import Versioned


class ChangeEventQuerySet(TenantQuerySet["ChangeEvent"]):
    def about(self, obj: models.Model) -> "ChangeEventQuerySet":
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )


class ChangeEvent(TenantModel):
    """One domain write, append-only: who did what to which object, before and after, why."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=40)
    subject = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(max_length=200)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    # The transaction that recorded it: its outbox entries find their events by it.
    batch = models.UUIDField(null=True, blank=True, editable=False)

    objects: ClassVar = ChangeEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "-at"], name="change_feed"),
            models.Index(fields=["content_type", "object_id"], name="change_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("ChangeEvents are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("ChangeEvents are append-only.")


class NotificationQuerySet(TenantQuerySet["Notification"]):
    def for_member(self, member: Member) -> "NotificationQuerySet":
        return self.filter(recipient=member)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(TenantModel):
    """Something a member should see in the app: an invitation, a change to what they watch."""

    recipient = models.ForeignKey(
        "accounts.Member", on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text


class Watch(TenantModel):
    """A member following an object or a team: its changes become their notifications."""

    member = models.ForeignKey("accounts.Member", on_delete=models.CASCADE, related_name="watches")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["object_repr", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "content_type", "object_id"], name="watch_once"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="watch_subject")]

    def __str__(self) -> str:
        return f"{self.member} watches {self.object_repr}"


class Digest(models.TextChoices):
    NEVER = "never", "Never"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class DigestPreference(TenantModel):
    """How often a member gets the email digest (tandem.activity.digest), and when it last went."""

    member = models.OneToOneField(
        "accounts.Member", on_delete=models.CASCADE, related_name="digest_preference"
    )
    frequency = models.CharField(max_length=10, choices=Digest.choices, default=Digest.NEVER)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar = TenantQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.member}: {self.frequency}"


class WebhookEvent(models.TextChoices):
    CONFLICT_OPENED = "conflict_opened", "A conflict is opened"
    CONFLICT_RESOLVED = "conflict_resolved", "A conflict is resolved"
    LOW_CONFIDENCE = "low_confidence", "A check-in at low confidence"
    WATCHED_CHANGE = "watched_change", "A change to a watched item"
    PLAN_APPLIED = "plan_applied", "A plan file is applied"


class WebhookFormat(models.TextChoices):
    SLACK = "slack", "Slack"
    TEAMS = "teams", "Microsoft Teams"


class Webhook(Versioned, TenantModel):
    """An outgoing webhook: JSON to a URL, signed with HMAC-SHA256 of the time and body."""

    name = models.CharField(max_length=120)
    url = models.URLField(max_length=500)
    format = models.CharField(max_length=10, choices=WebhookFormat.choices)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=64)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class WebhookDelivery(TenantModel):
    """One event sent (or being sent) to one webhook, with every attempt's outcome."""

    # Sent as X-Tandem-Delivery on every attempt: delivery is at-least-once, and a receiver
    # drops the duplicates by this id.
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=30, choices=WebhookEvent.choices)
    text = models.CharField(max_length=500)
    body = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook}"


class OutboxEntry(TenantModel):
    """Work owed to one subscriber after a transaction committed ChangeEvents in a workspace
    (see tandem.activity.outbox): written with the events, deleted once the work is done."""

    subscriber = models.CharField(max_length=60)
    batch = models.UUIDField()
    # The batch's events are found from here on: ids only grow.
    first_event_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    run_after = models.DateTimeField(db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    objects: ClassVar = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["run_after", "id"]
        verbose_name_plural = "outbox entries"

    def __str__(self) -> str:
        return f"outbox entry {self.pk} ({self.subscriber})"
