"""The reviews API: reviews with their live agenda and Markdown minutes, decisions, action
items, and baselines with the comparison the baselines page shows."""

import dataclasses
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from tandem.accounts.models import Member
from tandem.accounts.zones import local_today
from tandem.conflicts.models import Conflict
from tandem.core.api import ERRORS, Id, Page, fields_as, get_or_404, member, resolve, resolve_many
from tandem.core.preconditions import expected_version
from tandem.domain import baselines as domain
from tandem.okrs.models import Cycle, KeyResult
from tandem.okrs.schemas import CycleOut
from tandem.planning.snapshot import load_plan
from tandem.reviews import baselines, closing, export, services
from tandem.reviews.models import ActionItem, Baseline, Decision, Review, ReviewQuerySet
from tandem.reviews.schemas import (
    ActionItemIn,
    ActionItemOut,
    BaselineIn,
    BaselineOut,
    CarriedOut,
    ComparisonOut,
    CycleClosedOut,
    CycleCloseIn,
    CycleLessonsOut,
    DoneIn,
    KindName,
    LessonsOut,
    ReviewDecisionIn,
    ReviewDecisionOut,
    ReviewIn,
    ReviewOut,
    ReviewPatch,
    side,
)
from tandem.roadmaps.models import Initiative
from tandem.strategy.models import Team

router = Router(tags=["reviews"])

WS = "/workspaces/{workspace}"
ONE = f"{WS}/reviews/{{review_id}}"
# Service errors name model fields; the client sent the *_id(s) fields.
ID_FIELDS = {"attendees": "attendee_ids", "teams": "team_ids", "cycle": "cycle_id"}


def _reviews(by: Member) -> ReviewQuerySet:
    return Review.objects.in_workspace(by.workspace).prefetch_related("attendees", "teams")


# ---------------------------------------------------------------- closing a cycle


@router.post(
    f"{WS}/cycles/{{cycle_id}}/close",
    response={200: CycleClosedOut, **ERRORS},
    summary="Close and grade a cycle",
    tags=["okrs"],
)
def cycle_close(
    request: HttpRequest, workspace: str, cycle_id: Id, payload: CycleCloseIn
) -> CycleClosedOut:
    """Closing archives the cycle for check-ins and edits. Every live key result keeps the
    grade sent for it, or the one it has, or gets the one its progress earns (0.0 to 1.0).
    The same action as the cycle's close page: a retrospective and a carry-over are
    optional."""
    by = member(request, workspace)
    cycle = get_or_404(Cycle.objects, by, cycle_id)
    lessons = payload.retrospective
    closed = closing.cycle_close(
        cycle=cycle,
        by=by,
        grades={g.key_result_id: (g.grade, g.comment) for g in payload.grades},
        retrospective=closing.Lessons(**lessons.model_dump()) if lessons else None,
        carry_over=payload.carry_over,
        carry_objective_ids=payload.carry_objective_ids,
        carry_key_result_ids=payload.carry_key_result_ids,
        reason=payload.reason,
    )
    carried = CarriedOut(
        objectives=closed.objectives,
        key_results=closed.key_results,
        initiatives=closed.initiatives,
    )
    cycle_out = CycleOut.model_validate(closed.cycle, from_attributes=True)
    return CycleClosedOut(**cycle_out.model_dump(), carried_over=carried)


@router.get(
    f"{WS}/cycles/{{cycle_id}}/lessons",
    response={200: CycleLessonsOut, **ERRORS},
    summary="The retrospective lessons for a cycle",
    tags=["okrs"],
)
def cycle_lessons(request: HttpRequest, workspace: str, cycle_id: Id) -> CycleLessonsOut:
    """What the cycle's page shows: a closed cycle's own retrospective (went well, went
    badly, try next); for a cycle being planned or run, the lessons of the latest closed
    cycle before it (`lessons.cycle_id` says which). `lessons` is null when none were kept."""
    by = member(request, workspace)
    cycle = get_or_404(Cycle.objects, by, cycle_id)
    retro = closing.lessons_for(cycle)
    lessons = None
    if retro is not None:
        lessons = LessonsOut(
            cycle_id=retro.cycle_id,
            cycle_name=retro.cycle.name,
            went_well=retro.went_well,
            went_badly=retro.went_badly,
            try_next=retro.try_next,
            kept_at=retro.created_at,
        )
    return CycleLessonsOut(cycle_id=cycle.pk, lessons=lessons)


# ---------------------------------------------------------------- reviews


class ReviewFilters(Schema):
    kind: KindName | None = None
    cycle_id: Id | None = None
    status: Literal["scheduled", "open", "done"] | None = None


@router.get(f"{WS}/reviews", response={200: list[ReviewOut], **ERRORS}, summary="Reviews")
@paginate(Page)
def review_list(request: HttpRequest, workspace: str, filters: Query[ReviewFilters]) -> object:
    """Latest first; filtered by kind, cycle and status (scheduled, open or done)."""
    by = member(request, workspace)
    reviews = _reviews(by)
    if filters.kind:
        reviews = reviews.filter(kind=filters.kind)
    if filters.cycle_id is not None:
        cycle = resolve(Cycle.objects, by, filters.cycle_id, field="cycle_id")
        reviews = reviews.filter(cycle=cycle)
    if filters.status == "done":
        reviews = reviews.filter(closed_at__isnull=False)
    elif filters.status == "open":
        reviews = reviews.filter(closed_at__isnull=True, opened_at__isnull=False)
    elif filters.status == "scheduled":
        reviews = reviews.filter(opened_at__isnull=True)
    return reviews


def _invitations(by: Member, fields: dict[str, Any]) -> dict[str, Any]:
    """Swap attendee_ids, team_ids and cycle_id for this workspace's objects (422 otherwise)."""
    if "attendee_ids" in fields:
        ids = fields.pop("attendee_ids")
        fields["attendees"] = resolve_many(Member.objects, by, ids, field="attendee_ids")
    if "team_ids" in fields:
        ids = fields.pop("team_ids")
        fields["teams"] = resolve_many(Team.objects, by, ids, field="team_ids")
    if "cycle_id" in fields:
        fields["cycle"] = resolve(Cycle.objects, by, fields.pop("cycle_id"), field="cycle_id")
    return fields


@router.post(f"{WS}/reviews", response={201: ReviewOut, **ERRORS}, summary="Schedule a review")
def review_create(request: HttpRequest, workspace: str, payload: ReviewIn) -> Status[Review]:
    by = member(request, workspace)
    fields = _invitations(by, payload.dict())
    with fields_as(**ID_FIELDS):
        review = services.review_schedule(**fields, by=by)
    return Status(201, get_or_404(_reviews(by), by, review.pk))


@router.get(ONE, response={200: ReviewOut, **ERRORS}, summary="A review")
def review_read(request: HttpRequest, workspace: str, review_id: Id) -> Review:
    by = member(request, workspace)
    return get_or_404(_reviews(by), by, review_id)


@router.patch(ONE, response={200: ReviewOut, **ERRORS}, summary="Update a review")
def review_update(
    request: HttpRequest, workspace: str, review_id: Id, payload: ReviewPatch
) -> Review:
    """Send only what changes: reschedule, re-invite, or write the minutes in `notes`."""
    by = member(request, workspace)
    review = get_or_404(Review.objects, by, review_id)
    fields = _invitations(by, payload.dict(exclude_unset=True))
    with fields_as(**ID_FIELDS):
        services.review_update(
            review=review, by=by, expected_version=expected_version(request), **fields
        )
    return get_or_404(_reviews(by), by, review_id)


@router.post(f"{ONE}/open", response={200: ReviewOut, **ERRORS}, summary="Open a review")
def review_open(request: HttpRequest, workspace: str, review_id: Id) -> Review:
    """Builds the agenda from the plan as it is now (again, if it was already open)."""
    by = member(request, workspace)
    review = get_or_404(Review.objects, by, review_id)
    services.review_open(review=review, by=by)
    return get_or_404(_reviews(by), by, review_id)


@router.post(f"{ONE}/finish", response={200: ReviewOut, **ERRORS}, summary="Finish a review")
def review_finish(request: HttpRequest, workspace: str, review_id: Id) -> Review:
    """The minutes become final; the review must have been opened."""
    by = member(request, workspace)
    review = get_or_404(Review.objects, by, review_id)
    services.review_close(review=review, by=by)
    return get_or_404(_reviews(by), by, review_id)


MARKDOWN = {
    "responses": {
        200: {
            "description": "The agenda and the minutes, decisions and action items.",
            "content": {"text/markdown": {"schema": {"type": "string"}}},
        }
    }
}


@router.get(
    f"{ONE}/minutes",
    response=ERRORS,
    summary="Agenda and minutes as Markdown",
    openapi_extra=MARKDOWN,
)
def review_minutes(request: HttpRequest, workspace: str, review_id: Id) -> HttpResponse:
    by = member(request, workspace)
    review = get_or_404(Review.objects.select_related("workspace"), by, review_id)
    return HttpResponse(export.review_markdown(review), content_type="text/markdown")


# ---------------------------------------------------------------- decisions


@router.get(
    f"{ONE}/decisions", response={200: list[ReviewDecisionOut], **ERRORS}, summary="Its decisions"
)
@paginate(Page)
def decision_list(request: HttpRequest, workspace: str, review_id: Id) -> object:
    by = member(request, workspace)
    review = get_or_404(Review.objects, by, review_id)
    return Decision.objects.filter(review=review).select_related("subject_type")


SUBJECTS = {
    "key_result_id": KeyResult.objects,
    "initiative_id": Initiative.objects,
    "conflict_id": Conflict.objects,
}


@router.post(
    f"{ONE}/decisions", response={201: ReviewDecisionOut, **ERRORS}, summary="Record a decision"
)
def decision_create(
    request: HttpRequest, workspace: str, review_id: Id, payload: ReviewDecisionIn
) -> Status[Decision]:
    """Linked to at most one object it changes; it shows in that object's activity feed."""
    by = member(request, workspace)
    review = get_or_404(Review.objects, by, review_id)
    sent = {field: pk for field, pk in payload.dict().items() if field in SUBJECTS and pk}
    if len(sent) > 1:
        raise ValidationError({sorted(sent)[1]: "Link the decision to one object at most."})
    subject = None
    for field, pk in sent.items():
        subject = resolve(SUBJECTS[field], by, pk, field=field)
    decision = services.decision_record(review=review, text=payload.text, subject=subject, by=by)
    return Status(201, decision)


# ---------------------------------------------------------------- action items


@router.get(
    f"{ONE}/action-items", response={200: list[ActionItemOut], **ERRORS}, summary="Its action items"
)
@paginate(Page)
def action_item_list(request: HttpRequest, workspace: str, review_id: Id) -> object:
    """Open ones first, by due date."""
    by = member(request, workspace)
    review = get_or_404(Review.objects, by, review_id)
    return ActionItem.objects.filter(review=review)


@router.post(
    f"{ONE}/action-items", response={201: ActionItemOut, **ERRORS}, summary="Add an action item"
)
def action_item_create(
    request: HttpRequest, workspace: str, review_id: Id, payload: ActionItemIn
) -> Status[ActionItem]:
    by = member(request, workspace)
    review = get_or_404(Review.objects, by, review_id)
    owner = resolve(Member.objects, by, payload.owner_id, field="owner_id")
    with fields_as(owner="owner_id"):
        item = services.action_item_create(
            review=review, title=payload.title, owner=owner, due=payload.due, by=by
        )
    return Status(201, item)


class ActionItemFilters(Schema):
    owner_id: Id | None = None
    done: bool | None = None


@router.get(
    f"{WS}/action-items",
    response={200: list[ActionItemOut], **ERRORS},
    summary="Action items of every review",
)
@paginate(Page)
def action_item_all(
    request: HttpRequest, workspace: str, filters: Query[ActionItemFilters]
) -> object:
    """Open ones first, by due date; `owner_id` and `done` filter."""
    by = member(request, workspace)
    items = ActionItem.objects.in_workspace(by.workspace)
    if filters.owner_id is not None:
        items = items.filter(owner=resolve(Member.objects, by, filters.owner_id, field="owner_id"))
    if filters.done is not None:
        items = items.filter(done_at__isnull=not filters.done)
    return items


@router.post(
    f"{WS}/action-items/{{action_item_id}}/done",
    response={200: ActionItemOut, **ERRORS},
    summary="Mark an action item done (or not)",
)
def action_item_done(
    request: HttpRequest, workspace: str, action_item_id: Id, payload: DoneIn
) -> ActionItem:
    by = member(request, workspace)
    item = get_or_404(ActionItem.objects, by, action_item_id)
    return services.action_item_set_done(item=item, done=payload.done, by=by)


# ---------------------------------------------------------------- baselines


@router.get(f"{WS}/baselines", response={200: list[BaselineOut], **ERRORS}, summary="Baselines")
@paginate(Page)
def baseline_list(request: HttpRequest, workspace: str, cycle_id: Id | None = None) -> object:
    """Latest first; `cycle_id` keeps those taken for one cycle."""
    by = member(request, workspace)
    found = Baseline.objects.in_workspace(by.workspace).defer("content")
    if cycle_id is not None:
        found = found.filter(cycle=resolve(Cycle.objects, by, cycle_id, field="cycle_id"))
    return found


@router.post(f"{WS}/baselines", response={201: BaselineOut, **ERRORS}, summary="Take a baseline")
def baseline_create(request: HttpRequest, workspace: str, payload: BaselineIn) -> Status[Baseline]:
    """A snapshot of the whole plan now: OKRs, roadmap, links and capacities."""
    by = member(request, workspace)
    cycle: Cycle | None
    if payload.cycle_id is not None:
        cycle = resolve(Cycle.objects, by, payload.cycle_id, field="cycle_id")
    else:
        cycle = Cycle.objects.in_workspace(by.workspace).active().order_by("-start").first()
    taken = baselines.baseline_take(workspace=by.workspace, by=by, name=payload.name, cycle=cycle)
    return Status(201, taken)


def _plan_of(baseline: Baseline | None, by: Member) -> Any:
    if baseline is None:
        return load_plan(by.workspace, local_today(by.workspace, by))
    return domain.snapshot_from_json(baseline.content)


@router.get(
    f"{WS}/baselines/{{baseline_id}}/comparison",
    response={200: ComparisonOut, **ERRORS},
    summary="Compare a baseline with another or with now",
)
def baseline_compare(
    request: HttpRequest,
    workspace: str,
    baseline_id: Id,
    to_id: Id | None = None,
    cycle_id: Id | None = None,
) -> dict[str, Any]:
    """Added, removed and retargeted key results; added, moved, rescheduled and dropped
    initiatives; linked and unlinked contributions — from this baseline to baseline
    `to_id`, or to the plan now. `cycle_id` keeps that cycle's commitments only."""
    by = member(request, workspace)
    old = get_or_404(Baseline.objects, by, baseline_id)
    new = resolve(Baseline.objects, by, to_id, field="to_id")
    cycle = resolve(Cycle.objects, by, cycle_id, field="cycle_id")
    comparison = domain.compare(_plan_of(old, by), _plan_of(new, by), cycle.pk if cycle else None)
    return {
        "old": side(old),
        "new": side(new),
        "cycle_id": cycle.pk if cycle else None,
        "total": comparison.total,
        **{
            name: [dataclasses.asdict(change) for change in getattr(comparison, name)]
            for name in ("key_results", "initiatives", "links")
        },
    }
