from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from tandem.core.tenancy import TenantModel, TenantQuerySet


class ChangeEventQuerySet(models.QuerySet["ChangeEvent"]):
    def in_workspace(self, workspace: object) -> "ChangeEventQuerySet":
        return self.filter(workspace=workspace)

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

    objects = ChangeEventQuerySet.as_manager()

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
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("ChangeEvents are append-only.")


class NotificationQuerySet(TenantQuerySet["Notification"]):
    def for_member(self, member: object) -> "NotificationQuerySet":
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

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text
