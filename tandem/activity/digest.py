"""The email digest: what changed in what a member watches and in their teams, the open
conflicts they are invited to and their action items falling due, since their last digest.

A digest goes out when something changed in its scope or an action item of theirs falls
due within the period; open conflicts are listed with it but do not, alone, send one
(a long-open conflict would otherwise mail the same line every morning). Sending claims
the member's `last_sent_at` with a conditional UPDATE first, so two workers, or a cron
run that overlaps the last, never send the same digest twice.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from tandem.accounts.models import Member
from tandem.activity import feeds
from tandem.activity.describe import describe_change
from tandem.activity.links import feed_url_for
from tandem.activity.models import ChangeEvent, Digest, DigestPreference, Watch
from tandem.conflicts.models import Conflict, ConflictStatus
from tandem.reviews.models import ActionItem
from tandem.strategy.models import Team

PERIODS = {Digest.DAILY: datetime.timedelta(days=1), Digest.WEEKLY: datetime.timedelta(days=7)}
# A cron job fires a little early or late; a digest an hour early is still due.
SLACK = datetime.timedelta(hours=1)
MAX_CHANGES = 40


@dataclass
class DigestContent:
    member: Member
    period: str
    since: datetime.datetime
    changes: list[dict[str, str]] = field(default_factory=list)
    more_changes: int = 0
    conflicts: list[dict[str, str]] = field(default_factory=list)
    action_items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def worth_sending(self) -> bool:
        return bool(self.changes or self.action_items)


def _link(path: str) -> str:
    return settings.TANDEM_BASE_URL.rstrip("/") + path


def _watched_changes(member: Member, since: datetime.datetime, until: datetime.datetime) -> Any:
    """Changes by others to what the member watches, and in their teams and watched teams."""
    watches = list(Watch.objects.filter(member=member))
    team_type = ContentType.objects.get_for_model(Team)
    team_ids = {int(w.object_id) for w in watches if w.content_type_id == team_type.pk}
    team_ids |= set(member.teams.values_list("pk", flat=True))
    scope = Q(pk__in=[])
    for watch in watches:
        scope |= Q(content_type_id=watch.content_type_id, object_id=watch.object_id)
    events = ChangeEvent.objects.filter(scope)
    for team in Team.objects.filter(pk__in=team_ids, workspace_id=member.workspace_id):
        events = events | feeds.feed_of_team(team)
    return (
        events.filter(workspace_id=member.workspace_id, at__gt=since, at__lte=until)
        .exclude(actor_id=member.user_id)
        .select_related("actor", "content_type", "workspace")
        .order_by("-at", "-id")
        .distinct()
    )


def digest_compose(
    *, member: Member, period: str, since: datetime.datetime, until: datetime.datetime
) -> DigestContent:
    content = DigestContent(member=member, period=period, since=since)
    events = list(_watched_changes(member, since, until)[: MAX_CHANGES + 1])
    content.more_changes = max(len(events) - MAX_CHANGES, 0)
    content.changes = [
        {"text": describe_change(e), "reason": e.reason, "url": _link(feed_url_for(e))}
        for e in events[:MAX_CHANGES]
    ]
    slug = member.workspace.slug
    invited = (
        Conflict.objects.in_workspace(member.workspace)
        .filter(status__in=[ConflictStatus.OPEN, ConflictStatus.ACKNOWLEDGED])
        .filter(Q(stakeholders=member) | Q(stakeholder_teams__members=member))
        .distinct()
    )
    content.conflicts = [
        {
            "sentence": c.sentence,
            "url": _link(
                reverse("activity_conflict", kwargs={"workspace": slug, "conflict_id": c.pk})
            ),
        }
        for c in invited
    ]
    horizon = timezone.localdate(until) + PERIODS[Digest(period)]
    due = (
        ActionItem.objects.in_workspace(member.workspace)
        .filter(owner=member, done_at__isnull=True, due__lte=horizon)
        .select_related("review")
        .order_by("due", "id")
    )
    today = timezone.localdate(until)
    content.action_items = [
        {
            "title": a.title,
            "due": a.due,
            "overdue": a.due is not None and a.due < today,
            "review": a.review.title,
            "url": _link(
                reverse("review_detail", kwargs={"workspace": slug, "review_id": a.review_id})
            ),
        }
        for a in due
    ]
    return content


def digest_message(content: DigestContent) -> EmailMultiAlternatives:
    member = content.member
    context = {
        "content": content,
        "workspace": member.workspace,
        "name": member.user.display_name,
        "settings_url": _link(
            reverse("notification_list", kwargs={"workspace": member.workspace.slug})
        ),
    }
    label = "Daily" if content.period == Digest.DAILY else "Weekly"
    message = EmailMultiAlternatives(
        subject=f"{label} Tandem digest · {member.workspace.name}",
        body=render_to_string("activity/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[member.user.email],
    )
    message.attach_alternative(render_to_string("activity/digest.html", context), "text/html")
    return message


def _due(period: str, now: datetime.datetime) -> Q:
    return Q(frequency=period) & (
        Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - PERIODS[Digest(period)] + SLACK)
    )


def digests_due(*, period: str, now: datetime.datetime) -> list[int]:
    """The members whose digest of this period is due now."""
    found = DigestPreference.objects.filter(_due(period, now)).order_by("member_id")
    return list(found.values_list("member_id", flat=True))


def digest_send(*, member: Member, period: str, now: datetime.datetime | None = None) -> bool:
    """Send the member's digest if it is due and has something to say. True when sent."""
    now = now or timezone.now()
    preference = DigestPreference.objects.filter(_due(period, now), member=member).first()
    if preference is None:
        return False
    since = preference.last_sent_at or now - PERIODS[Digest(period)]
    content = digest_compose(member=member, period=period, since=since, until=now)
    if not content.worth_sending:
        return False
    claimed = DigestPreference.objects.filter(
        pk=preference.pk, last_sent_at=preference.last_sent_at
    ).update(last_sent_at=now)
    if not claimed:
        return False  # another worker sent it meanwhile
    try:
        digest_message(content).send()
    except Exception:
        # Not sent: give the period back so the next run tries again.
        DigestPreference.objects.filter(pk=preference.pk, last_sent_at=now).update(
            last_sent_at=preference.last_sent_at
        )
        raise
    return True


def digests_queue(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Queue every digest that is due, for `tandem worker` to send: how many per period.
    Scheduled hourly (see apps.py); `tandem digest send` does the same by hand."""
    now = now or timezone.now()
    queued = {}
    for period in (Digest.DAILY, Digest.WEEKLY):
        member_ids = digests_due(period=period, now=now)
        for member_id in member_ids:
            send_digest.enqueue(member_id, str(period))
        queued[str(period)] = len(member_ids)
    return queued


@task()
def send_digest(member_id: int, period: str) -> str:
    member = Member.objects.select_related("user", "workspace").filter(pk=member_id).first()
    if member is None:
        return "no such member"
    return "sent" if digest_send(member=member, period=period) else "nothing to send"
