"""Watching objects and teams, reading notifications, and the digest preference."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from tandem.accounts.models import Member
from tandem.activity.models import Digest, DigestPreference, Notification, Watch


def _refuse_other_workspace(obj: models.Model, by: Member) -> None:
    if getattr(obj, "workspace_id", None) != by.workspace_id:
        raise LookupError("Object belongs to another workspace.")


def watch_start(*, obj: models.Model, by: Member) -> Watch:
    _refuse_other_workspace(obj, by)
    watch, _ = Watch.objects.get_or_create(
        workspace=by.workspace,
        member=by,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        defaults={"object_repr": str(obj)[:200]},
    )
    return watch


def watch_stop(*, obj: models.Model, by: Member) -> None:
    _refuse_other_workspace(obj, by)
    Watch.objects.filter(
        member=by, content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).delete()


def is_watching(*, obj: models.Model, by: Member) -> bool:
    return Watch.objects.filter(
        member=by, content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).exists()


def notifications_mark_read(*, by: Member, ids: list[int] | None = None) -> int:
    """Mark the member's own notifications read: the given ones, or all."""
    unread = Notification.objects.for_member(by).unread()
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def digest_set(*, by: Member, frequency: str) -> DigestPreference:
    if frequency not in Digest.values:
        raise ValidationError({"frequency": f"Choose one of: {', '.join(Digest.values)}."})
    preference, _ = DigestPreference.objects.update_or_create(
        member=by, defaults={"workspace": by.workspace, "frequency": frequency}
    )
    return preference
