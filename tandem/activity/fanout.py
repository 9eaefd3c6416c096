"""After a write commits: notify the members watching what changed, and queue webhooks.

Runs once per transaction and workspace (subscribed in apps.py, see outbox.py), so a
rolled-back write tells nobody. It only writes rows; the HTTP requests happen on the task
queue, so a slow or broken receiver never holds up the request that caused the event.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q

from tandem.activity.describe import describe_change
from tandem.activity.links import feed_url_for
from tandem.activity.models import (
    ChangeEvent,
    Notification,
    Watch,
    Webhook,
    WebhookEvent,
)
from tandem.activity.outbox import events_of
from tandem.activity.webhooks import queue_delivery

LOW_CONFIDENCE_BELOW = 4  # off track, as confidence_status reads it
RESOLVED_ACTIONS = {"conflict_resolved", "conflict_closed"}


def _team_of(event: ChangeEvent) -> object:
    return event.after.get("team") or event.before.get("team")


def webhook_events(event: ChangeEvent, watched: bool) -> list[str]:
    kinds: list[str] = []
    if event.action == "conflict_opened":
        kinds.append(WebhookEvent.CONFLICT_OPENED)
    if event.action in RESOLVED_ACTIONS:
        kinds.append(WebhookEvent.CONFLICT_RESOLVED)
    if event.action == "plan_applied":
        kinds.append(WebhookEvent.PLAN_APPLIED)
    confidence = event.after.get("confidence")
    model = event.content_type.model
    if (
        model == "checkin"
        and event.action == "created"
        and isinstance(confidence, int)
        and confidence < LOW_CONFIDENCE_BELOW
    ):
        kinds.append(WebhookEvent.LOW_CONFIDENCE)
    if watched:
        kinds.append(WebhookEvent.WATCHED_CHANGE)
    return kinds


# The outbox runs it in a transaction of its own: no savepoint needed inside that.
@transaction.atomic(savepoint=False)
def fan_out(*, workspace_id: int, event_ids: list[int]) -> None:
    events = [e for e in events_of(event_ids) if e.workspace_id == workspace_id]
    if not events:
        return
    summaries = [event for event in events if event.action == "plan_applied"]
    if summaries:
        # A plan apply may write thousands of rows: it tells people once, by its summary.
        events = summaries
    team_type = ContentType.objects.get_by_natural_key("strategy", "team")  # cached
    # One IN list per kind of object: a transaction may record thousands of events.
    ids_by_type: dict[int, set[str]] = defaultdict(set)
    for event in events:
        ids_by_type[event.content_type_id].add(event.object_id)
        if (team := _team_of(event)) is not None:
            ids_by_type[team_type.pk].add(str(team))
    subjects = Q(pk__in=[])
    for type_id, ids in ids_by_type.items():
        subjects |= Q(content_type_id=type_id, object_id__in=sorted(ids))
    watchers: dict[tuple[int, str], list[Watch]] = defaultdict(list)
    for watch in Watch.objects.filter(subjects, workspace_id=workspace_id).select_related("member"):
        watchers[(watch.content_type_id, watch.object_id)].append(watch)
    webhooks = list(Webhook.objects.filter(workspace_id=workspace_id, active=True))

    notifications, deliveries = [], []
    for event in events:
        text = describe_change(event)
        if event.reason:
            text = f"{text}: {event.reason}"
        url = feed_url_for(event)
        watching = list(watchers.get((event.content_type_id, event.object_id), []))
        if (team := _team_of(event)) is not None:
            watching += watchers.get((team_type.pk, str(team)), [])
        recipients = {w.member_id for w in watching if w.member.user_id != event.actor_id}
        notifications += [
            Notification(workspace_id=workspace_id, recipient_id=m, text=text[:300], url=url)
            for m in sorted(recipients)
        ]
        kinds = webhook_events(event, watched=bool(watching))
        for webhook in webhooks:
            for kind in kinds:
                if kind in webhook.events:
                    deliveries.append((webhook, kind, text, url))
    Notification.objects.bulk_create(notifications)
    if deliveries:
        for webhook, kind, text, url in deliveries:
            queue_delivery(webhook=webhook, event=kind, text=text, url=url)
