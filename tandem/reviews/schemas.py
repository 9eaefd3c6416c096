"""Request and response bodies of the reviews API: reviews, decisions, action items and
baselines with their comparison."""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ninja import Field, Schema

from tandem.core.api import Id
from tandem.core.api_fields import OMITTED, Date, DateTime, Reason, amount, integer, text
from tandem.core.versioning import VERSION
from tandem.okrs.models import KeyResult
from tandem.okrs.schemas import CycleOut
from tandem.reviews.models import (
    ActionItem,
    Baseline,
    Decision,
    Recurrence,
    Retrospective,
    Review,
    ReviewKind,
)

if TYPE_CHECKING:
    KindName = str
    RecurrenceName = str
else:
    # Literals built from the model's choices, the one list of each.
    KindName = Literal[tuple(ReviewKind.values)]
    RecurrenceName = Literal[tuple(Recurrence.values)]
ReviewTitle = Annotated[str, text(Review, "title", blank=True)]
Duration = Annotated[int, integer(Review, "duration_minutes", ge=5, le=600)]
Notes = Annotated[str, text(Review, "notes")]
DecisionText = Annotated[str, text(Decision, "text")]
ActionTitle = Annotated[str, text(ActionItem, "title")]
BaselineName = Annotated[str, text(Baseline, "name", blank=True)]
Grade = Annotated[Decimal, amount(KeyResult, "grade", most=1)]
GradeComment = Annotated[str, text(KeyResult, "grade_comment")]
Lesson = Annotated[str, text(Retrospective, "went_well")]


class GradeIn(Schema):
    key_result_id: Id
    grade: Grade
    comment: GradeComment = ""


class RetrospectiveIn(Schema):
    went_well: Lesson = ""
    went_badly: Lesson = ""
    try_next: Lesson = ""


class CycleCloseIn(Schema):
    reason: Reason = Field("", description="Why, for the history; optional.")
    grades: list[GradeIn] = Field(
        [],
        description="Grades of live key results of the cycle; the others keep the grade they "
        "have, or get the one their progress earns.",
    )
    retrospective: RetrospectiveIn | None = Field(
        None, description="The cycle's lessons, kept with it (replacing any kept before)."
    )
    carry_over: bool | None = Field(
        None,
        description="Copy every unfinished objective and key result, with the live "
        "initiatives behind them, into the next cycle (refused when there is none).",
    )
    carry_objective_ids: list[Id] | None = Field(
        None,
        description="Carry only these unfinished objectives of the cycle (implies "
        "carry_over); left out: every unfinished one when carrying.",
        max_length=1000,
    )
    carry_key_result_ids: list[Id] | None = Field(
        None,
        description="Carry only these unfinished key results, each with its objective "
        "carried too; left out: every unfinished one of the carried objectives.",
        max_length=1000,
    )


class LessonsOut(Schema):
    cycle_id: Id = Field(description="The cycle whose retrospective these are.")
    cycle_name: str
    went_well: str
    went_badly: str
    try_next: str
    kept_at: datetime.datetime = Field(description="When the cycle was closed with them.")


class CycleLessonsOut(Schema):
    cycle_id: Id = Field(description="The cycle asked about.")
    lessons: LessonsOut | None = Field(description="None when no lessons were kept.")


class CarriedOut(Schema):
    objectives: int
    key_results: int
    initiatives: int


class CycleClosedOut(CycleOut):
    carried_over: CarriedOut


class ReviewOut(Schema):
    id: int
    version: int = VERSION
    kind: str = Field(description="weekly_check_in, roadmap_review, okr_review or retrospective.")
    title: str
    scheduled_at: datetime.datetime
    duration_minutes: int
    recurrence: str
    cycle_id: Id | None
    attendee_ids: list[Id] = Field(description="The members invited.")
    team_ids: list[Id]
    status: str = Field(description="scheduled, open (agenda built) or done.")
    agenda: dict[str, Any] = Field(
        description="Built from the live plan when the review is opened: key_results behind "
        "pace or without a recent check-in, open conflicts, roadmap_changes since the "
        "previous review of the kind, decisions_due (action items due within a week)."
    )
    notes: str = Field(description="The minutes, Markdown.")
    opened_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    created_by_id: Id | None

    @staticmethod
    def resolve_attendee_ids(obj: Review) -> list[int]:
        return sorted(m.pk for m in obj.attendees.all())

    @staticmethod
    def resolve_team_ids(obj: Review) -> list[int]:
        return sorted(t.pk for t in obj.teams.all())


class ReviewIn(Schema):
    kind: KindName
    title: ReviewTitle = Field("", description="Defaults to the kind's name.")
    scheduled_at: DateTime
    duration_minutes: Duration = 60
    recurrence: RecurrenceName = "none"
    cycle_id: Id | None = None
    attendee_ids: list[Id] = Field(description="At least one member.")
    team_ids: list[Id] = []


class ReviewPatch(Schema):
    title: ReviewTitle = OMITTED
    scheduled_at: DateTime = OMITTED
    duration_minutes: Duration = OMITTED
    recurrence: RecurrenceName = OMITTED
    cycle_id: Id | None = None
    attendee_ids: list[Id] = OMITTED
    team_ids: list[Id] = OMITTED
    notes: Notes = Field(OMITTED, description="The minutes, Markdown.")


class SubjectOut(Schema):
    kind: str = Field(description="key_result, initiative or conflict.")
    id: int
    title: str


class ReviewDecisionOut(Schema):
    id: int
    review_id: Id
    text: str
    subject: SubjectOut | None = Field(description="The object the decision changes.")
    decided_by_id: Id | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_subject(obj: Any) -> dict[str, Any] | None:
        if not obj.subject_type_id:
            return None
        kind = {"keyresult": "key_result"}.get(obj.subject_type.model, obj.subject_type.model)
        return {"kind": kind, "id": int(obj.subject_id), "title": obj.subject_repr}


class ReviewDecisionIn(Schema):
    text: DecisionText
    key_result_id: Id | None = Field(None, description="The key result it changes, if any.")
    initiative_id: Id | None = Field(None, description="Or the initiative it changes.")
    conflict_id: Id | None = Field(None, description="Or the conflict it settles.")


class ActionItemOut(Schema):
    id: int
    version: int = VERSION
    review_id: Id
    title: str
    owner_id: Id | None
    due: datetime.date | None
    done: bool
    done_at: datetime.datetime | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_done(obj: ActionItem) -> bool:
        return obj.done_at is not None


class ActionItemIn(Schema):
    title: ActionTitle
    owner_id: Id | None = None
    due: Date | None = Field(None, description="Not in a closed cycle.")


class DoneIn(Schema):
    done: bool = Field(True, description="false reopens it.")


class BaselineOut(Schema):
    id: int
    name: str
    cycle_id: Id | None
    taken_at: datetime.datetime
    taken_by_id: Id | None = Field(description="null when Tandem took it (a cycle started).")


class BaselineIn(Schema):
    name: BaselineName = Field("", description="Defaults to the date and time.")
    cycle_id: Id | None = Field(
        None, description="The cycle it is a baseline of; defaults to the active one."
    )


class ChangeOut(Schema):
    kind: str = Field(
        description="added, removed, retargeted (key results); added, dropped, moved, "
        "rescheduled (initiatives); linked, unlinked (links)."
    )
    id: str = Field(description="The key result's or initiative's id; initiative-key result.")
    title: str
    detail: str


class SideOut(Schema):
    baseline_id: Id | None = Field(description="null for the plan as it is now.")
    label: str


class ComparisonOut(Schema):
    old: SideOut = Field(description="The baseline compared from.")
    new: SideOut = Field(description="What it is compared with: another baseline, or now.")
    cycle_id: Id | None = Field(description="Only this cycle's commitments, when given.")
    total: int
    key_results: list[ChangeOut]
    initiatives: list[ChangeOut]
    links: list[ChangeOut]


def side(baseline: Baseline | None) -> dict[str, Any]:
    if baseline is None:
        return {"baseline_id": None, "label": "Now"}
    return {"baseline_id": baseline.pk, "label": baseline.name}
