"""Where a ChangeEvent's object can be read about: its activity feed page."""

from django.urls import reverse

from tandem.activity.models import ChangeEvent

# ContentType model name → the URL kwarg of its activity feed.
FEED_KINDS = {
    "team": "team",
    "objective": "objective",
    "keyresult": "key_result",
    "initiative": "initiative",
    "conflict": "conflict",
    "review": "review",
}


def feed_url_for(event: ChangeEvent) -> str:
    slug = event.workspace.slug
    kind = FEED_KINDS.get(event.content_type.model)
    if kind is None or not event.object_id.isdigit():
        return reverse("activity_feed", kwargs={"workspace": slug})
    return reverse(f"activity_{kind}", kwargs={"workspace": slug, f"{kind}_id": event.object_id})
