"""Writes to reviews: schedule, open (build the agenda), notes, decisions, action items."""

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from tandem.accounts.access import require_role
from tandem.accounts.models import Member, Role
from tandem.accounts.zones import local_today
from tandem.activity.describe import describe_change
from tandem.activity.models import ChangeEvent
from tandem.activity.services import record_change, snapshot, tracked_update
from tandem.conflicts.models import Conflict, ConflictStatus
from tandem.core.versioning import bump_version, unless_bumped
from tandem.domain.agenda import key_result_topics
from tandem.okrs.models import Cycle, CycleState
from tandem.planning.snapshot import load_plan
from tandem.reviews.models import ActionItem, Decision, Review, ReviewKind
from tandem.sources.selectors import failing_sources
from tandem.strategy.models import Team

ROADMAP_MODELS = ("initiative", "contribution", "dependency")


@transaction.atomic
def review_schedule(
    *,
    kind: str,
    title: str,
    scheduled_at: datetime.datetime,
    attendees: list[Member],
    by: Member,
    teams: list[Team] = (),  # type: ignore[assignment]  # an immutable empty default
    cycle: Cycle | None = None,
    recurrence: str = "none",
    duration_minutes: int = 60,
) -> Review:
    require_role(by, Role.EDITOR)
    if not attendees:
        raise ValidationError({"attendees": "Invite at least one attendee."})
    if any(m.workspace_id != by.workspace_id for m in attendees):
        raise ValidationError({"attendees": "Attendees must be members of this workspace."})
    review = Review(
        workspace=by.workspace,
        kind=kind,
        title=title.strip() or dict(ReviewKind.choices).get(kind, ""),
        scheduled_at=scheduled_at,
        duration_minutes=duration_minutes,
        recurrence=recurrence,
        cycle=cycle,
        created_by=by,
    )
    review.full_clean()
    review.save()
    review.attendees.set(attendees)
    review.teams.set(teams)
    record_change(by=by, obj=review, action="created", after=snapshot(review))
    return review


def _previous_of_kind(review: Review) -> Review | None:
    return (
        Review.objects.filter(workspace_id=review.workspace_id, kind=review.kind)
        .exclude(pk=review.pk)
        .filter(scheduled_at__lt=review.scheduled_at)
        .order_by("-scheduled_at")
        .first()
    )


def build_agenda(review: Review, today: datetime.date) -> dict[str, Any]:
    """The agenda from the live plan, as plain JSON (kept with the minutes)."""
    workspace = review.workspace
    plan = load_plan(workspace, today)
    cycle_id = review.cycle_id or (plan.active_cycle.id if plan.active_cycle else None)
    # A review that belongs to teams discusses their key results only.
    team_ids = frozenset(review.teams.values_list("id", flat=True)) or None
    topics = key_result_topics(plan, cycle_id, team_ids) if cycle_id else []
    conflicts = Conflict.objects.in_workspace(workspace).filter(
        status__in=[ConflictStatus.OPEN, ConflictStatus.ACKNOWLEDGED]
    )
    previous = _previous_of_kind(review)
    since = previous.scheduled_at if previous else review.scheduled_at - datetime.timedelta(days=31)
    changes = (
        ChangeEvent.objects.in_workspace(workspace)
        .filter(
            at__gte=since,
            content_type__app_label="roadmaps",
            content_type__model__in=ROADMAP_MODELS,
        )
        .select_related("actor", "content_type")
        .order_by("-at")[:50]
    )
    due = (
        ActionItem.objects.in_workspace(workspace)
        .filter(done_at__isnull=True, due__lte=today + datetime.timedelta(days=7))
        .select_related("owner__user")
        .order_by("due")
    )
    return {
        "built_at": timezone.now().isoformat(),
        "cycle_id": cycle_id,
        "since": since.isoformat(),
        "key_results": [
            {
                "id": t.key_result_id,
                "title": t.title,
                "objective": t.objective,
                "reasons": list(t.reasons),
            }
            for t in topics
        ],
        "failing_sources": [
            {
                "key_result_id": s.key_result_id,
                "title": s.key_result.title,
                "since": s.failing_since.isoformat() if s.failing_since else "",
                "error": s.last_error,
            }
            for s in failing_sources(workspace)
        ],
        "conflicts": [
            {"id": c.pk, "sentence": c.sentence, "severity": c.severity} for c in conflicts
        ],
        "roadmap_changes": [
            {"text": describe_change(e), "reason": e.reason, "at": e.at.isoformat()}
            for e in changes
        ],
        "decisions_due": [
            {
                "id": a.pk,
                "title": a.title,
                "owner": str(a.owner) if a.owner else "",
                "due": a.due.isoformat() if a.due else None,
            }
            for a in due
        ],
    }


@transaction.atomic
def review_open(*, review: Review, by: Member) -> Review:
    """Open the meeting: (re)build the agenda from the plan as it is now."""
    require_role(by, Role.EDITOR)
    if review.closed_at:
        raise ValidationError({"review": "This review is finished; its minutes are final."})
    review.agenda = build_agenda(review, local_today(by.workspace))
    review.opened_at = review.opened_at or timezone.now()
    review.save(update_fields=["agenda", "opened_at"])
    record_change(by=by, obj=review, action="review_opened")
    return review


def review_update_notes(
    *, review: Review, notes: str, by: Member, expected_version: int | None = None
) -> Review:
    return tracked_update(
        review,
        by=by,
        role=Role.EDITOR,
        changes={"notes": notes.strip()},
        expected_version=expected_version,
    )


@transaction.atomic
def review_update(
    *,
    review: Review,
    by: Member,
    attendees: list[Member] | None = None,
    teams: list[Team] | None = None,
    expected_version: int | None = None,
    **changes: Any,
) -> Review:
    """Reschedule, rename, re-invite or write notes; a finished review's minutes are final."""
    require_role(by, Role.EDITOR)
    if review.closed_at:
        raise ValidationError({"review": "This review is finished; its minutes are final."})
    if attendees is not None:
        if not attendees:
            raise ValidationError({"attendees": "Invite at least one attendee."})
        if any(m.workspace_id != by.workspace_id for m in attendees):
            raise ValidationError({"attendees": "Attendees must be members of this workspace."})
    if "notes" in changes:
        changes["notes"] = changes["notes"].strip()
    if "title" in changes:
        changes["title"] = changes["title"].strip() or review.title
    tracked_update(
        review, by=by, role=Role.EDITOR, changes=changes, expected_version=expected_version
    )
    invited = {}
    if attendees is not None and {m.pk for m in attendees} != {
        m.pk for m in review.attendees.all()
    }:
        review.attendees.set(attendees)
        invited["attendees"] = sorted(m.pk for m in attendees)
    if teams is not None and {t.pk for t in teams} != {t.pk for t in review.teams.all()}:
        review.teams.set(teams)
        invited["teams"] = sorted(t.pk for t in teams)
    if invited:
        bump_version(review, unless_bumped(review, expected_version))
        record_change(by=by, obj=review, action="updated", after=invited)
    return review


def review_close(*, review: Review, by: Member) -> Review:
    if not review.opened_at:
        raise ValidationError({"review": "Open the review before finishing it."})
    return tracked_update(
        review,
        by=by,
        role=Role.EDITOR,
        changes={"closed_at": timezone.now()},
        action="review_closed",
    )


@transaction.atomic
def decision_record(
    *, review: Review, text: str, by: Member, subject: models.Model | None = None
) -> Decision:
    require_role(by, Role.EDITOR)
    if not text.strip():
        raise ValidationError({"text": "Write down what was decided."})
    if subject is not None and getattr(subject, "workspace_id", None) != by.workspace_id:
        raise ValidationError({"subject": "That object is not in this workspace."})
    decision = Decision.objects.create(
        workspace=by.workspace,
        review=review,
        text=text.strip(),
        subject_type=ContentType.objects.get_for_model(subject) if subject else None,
        subject_id=str(subject.pk) if subject else "",
        subject_repr=str(subject)[:200] if subject else "",
        decided_by=by,
    )
    after = {"decision": decision.text, "review": review.title}
    # On the feed of the object it changes, and of the review.
    record_change(
        by=by, obj=subject or review, action="decision_recorded", after=after, reason=decision.text
    )
    if subject is not None:
        record_change(
            by=by, obj=review, action="decision_recorded", after=after, reason=decision.text
        )
    return decision


def _refuse_closed_cycle_due(workspace: Any, due: datetime.date | None) -> None:
    if due is None:
        return
    closed = Cycle.objects.in_workspace(workspace).containing(due).filter(state=CycleState.CLOSED)
    open_ = Cycle.objects.in_workspace(workspace).containing(due).exclude(state=CycleState.CLOSED)
    cycle = closed.first()
    if cycle is not None and not open_.exists():
        raise ValidationError(
            {"due": f"{due:%-d %b %Y} falls in {cycle.name}, which is closed; pick a later date."}
        )


@transaction.atomic
def action_item_create(
    *,
    review: Review,
    title: str,
    by: Member,
    owner: Member | None = None,
    due: datetime.date | None = None,
) -> ActionItem:
    require_role(by, Role.EDITOR)
    if not title.strip():
        raise ValidationError({"title": "Say what needs doing."})
    if owner is not None and owner.workspace_id != by.workspace_id:
        raise ValidationError({"owner": "The owner must be a member of this workspace."})
    _refuse_closed_cycle_due(by.workspace, due)
    item = ActionItem(
        workspace=by.workspace, review=review, title=title.strip(), owner=owner, due=due
    )
    item.full_clean()
    item.save()
    record_change(by=by, obj=item, action="created", after=snapshot(item))
    return item


def action_item_set_done(*, item: ActionItem, done: bool, by: Member) -> ActionItem:
    return tracked_update(
        item,
        by=by,
        role=Role.EDITOR,
        changes={"done_at": timezone.now() if done else None},
        action="done" if done else "reopened",
    )


def action_item_update(*, item: ActionItem, by: Member, **changes: Any) -> ActionItem:
    if "due" in changes:
        _refuse_closed_cycle_due(by.workspace, changes["due"])
    return tracked_update(item, by=by, role=Role.EDITOR, changes=changes)
