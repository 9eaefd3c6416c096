"""A review's agenda and minutes as Markdown, and reviews as an iCalendar feed."""

import datetime
import hashlib
import secrets

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import Member
from tandem.reviews.models import CalendarFeed, FeedScope, Recurrence, Review

RRULES = {Recurrence.WEEKLY: "WEEKLY", Recurrence.MONTHLY: "MONTHLY"}


def review_markdown(review: Review) -> str:
    agenda = review.agenda or {}
    when = timezone.localtime(review.scheduled_at)
    lines = [
        f"# {review.title}",
        "",
        f"{review.get_kind_display()}, {when:%A %-d %B %Y, %H:%M}.",
        "",
        "Attendees: " + ", ".join(str(m) for m in review.attendees.all()),
        "",
        "## Agenda",
        "",
        "### Key results behind pace or without a recent check-in",
        "",
    ]
    lines += [
        f"- {kr['title']} ({kr['objective']}): {'; '.join(kr['reasons'])}"
        for kr in agenda.get("key_results", [])
    ] or ["- None."]
    if agenda.get("failing_sources"):
        lines += ["", "### Data sources failing for over a day", ""]
        lines += [
            f"- {s['title']}: failing since {s['since'][:10]}: {s['error']}"
            for s in agenda["failing_sources"]
        ]
    lines += ["", "### Open conflicts", ""]
    lines += [f"- {c['sentence']}" for c in agenda.get("conflicts", [])] or ["- None."]
    lines += ["", "### Roadmap changes since the previous review", ""]
    lines += [
        f"- {c['text']}" + (f": {c['reason']}" if c["reason"] else "")
        for c in agenda.get("roadmap_changes", [])
    ] or ["- None."]
    lines += ["", "### Action items due", ""]
    lines += [
        f"- {a['title']}"
        + (f" ({a['owner']}" + (f", due {a['due']})" if a["due"] else ")") if a["owner"] else "")
        for a in agenda.get("decisions_due", [])
    ] or ["- None."]
    lines += ["", "## Minutes", "", review.notes or "No notes.", "", "## Decisions", ""]
    lines += [
        f"- {d.text}" + (f" (on {d.subject_repr})" if d.subject_repr else "")
        for d in review.decisions.all()
    ] or ["- None."]
    lines += ["", "## Action items", ""]
    lines += [
        f"- [{'x' if a.done_at else ' '}] {a.title}"
        + (f", {a.owner}" if a.owner else "")
        + (f", due {a.due.isoformat()}" if a.due else "")
        for a in review.action_items.select_related("owner__user")
    ] or ["- None."]
    return "\n".join(lines) + "\n"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_create(*, member: Member, scope: str) -> tuple[CalendarFeed, str]:
    """A new secret feed address; the raw token is shown once, only its hash is kept.
    One feed per member and scope: making a new one revokes the old address."""
    CalendarFeed.objects.filter(member=member, scope=scope).delete()
    token = "cal_" + secrets.token_urlsafe(24)
    feed = CalendarFeed.objects.create(
        workspace_id=member.workspace_id, member=member, scope=scope, token_hash=_hash(token)
    )
    return feed, token


def calendar_feed_for(token: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.select_related("member__workspace")
        # A deactivated person's feeds are deleted; this holds even if one slipped by.
        .filter(token_hash=_hash(token), member__user__is_active=True)
        .first()
    )


def calendar_ics(feed: CalendarFeed) -> bytes:
    workspace = feed.member.workspace
    reviews = Review.objects.in_workspace(workspace).prefetch_related("attendees__user")
    if feed.scope == FeedScope.PERSONAL:
        reviews = reviews.filter(attendees=feed.member)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Tandem//Reviews//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Tandem reviews · {workspace.name}")
    base = settings.TANDEM_BASE_URL.rstrip("/")
    for review in reviews:
        event = icalendar.Event()
        event.add("uid", f"review-{review.pk}@{workspace.slug}.tandem")
        event.add("summary", review.title)
        event.add("dtstart", review.scheduled_at)
        event.add(
            "dtend", review.scheduled_at + datetime.timedelta(minutes=review.duration_minutes)
        )
        event.add("dtstamp", timezone.now())
        url = base + reverse(
            "review_detail", kwargs={"workspace": workspace.slug, "review_id": review.pk}
        )
        event.add("url", url)
        event.add("description", f"{review.get_kind_display()}. Agenda and minutes: {url}")
        if review.recurrence in RRULES:
            event.add("rrule", {"freq": RRULES[Recurrence(review.recurrence)]})
        elif review.recurrence == Recurrence.QUARTERLY:
            event.add("rrule", {"freq": "MONTHLY", "interval": 3})
        for attendee in review.attendees.all():
            address = icalendar.vCalAddress(f"mailto:{attendee.user.email}")
            address.params["cn"] = icalendar.vText(str(attendee))
            event.add("attendee", address, encode=False)
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
