"""Request and response bodies of the scenarios API."""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ninja import Field, Schema

from tandem.core.api import Id
from tandem.core.api_fields import OMITTED, Date, amount, text
from tandem.core.versioning import VERSION
from tandem.domain.whatif import ACTIONS
from tandem.okrs.models import KeyResult
from tandem.roadmaps.models import Contribution, Initiative, TeamCapacity
from tandem.scenarios.models import Scenario, ScenarioComment

if TYPE_CHECKING:
    ActionName = str
else:
    # One of the actions of tandem.domain.whatif: a Literal built from that one list.
    ActionName = Literal[tuple(ACTIONS)]
Name = Annotated[str, text(Scenario, "name")]
Description = Annotated[str, text(Scenario, "description")]
Reason = Annotated[str, text(Scenario, "applied_reason")]
Body = Annotated[str, text(ScenarioComment, "body")]
PersonWeeks = Annotated[Decimal, amount(TeamCapacity, "person_weeks", least="zero")]


class ScenarioIn(Schema):
    name: Name
    description: Description = ""


class ScenarioPatch(Schema):
    name: Name = OMITTED
    description: Description = OMITTED


class EditParams(Schema):
    """What an edit acts on; each action reads its own (see `action`)."""

    initiative_id: Id | None = None
    initiative_ids: list[Id] | None = Field(default=None, max_length=100)
    key_result_id: Id | None = None
    depends_on_id: Id | None = None
    team_id: Id | None = None
    cycle_id: Id | None = None
    objective_id: Id | None = None
    pillar_id: Id | None = None
    horizon: Literal["now", "next", "later"] | None = None
    start_date: Date | None = None
    end_date: Date | None = None
    effort: Annotated[Decimal, amount(Initiative, "effort", least="zero")] | None = None
    target_value: Annotated[Decimal, amount(KeyResult, "target_value")] | None = None
    weight: Annotated[Decimal, amount(KeyResult, "weight", least="positive")] | None = None
    person_weeks: Annotated[Decimal, amount(TeamCapacity, "person_weeks", least="zero")] | None = (
        None
    )
    expected_delta: Annotated[Decimal, amount(Contribution, "expected_delta")] | None = None


class EditIn(Schema):
    action: ActionName = Field(
        description="move_initiative (initiative_id, horizon), reschedule_initiative "
        "(initiative_id, start_date and/or end_date), resize_initiative (initiative_id, "
        "effort), drop_initiative, defer_initiatives (initiative_ids, cycle_id), set_capacity "
        "(team_id, cycle_id, person_weeks), retarget_key_result (key_result_id, "
        "target_value), reweight_key_result (key_result_id, weight), drop_key_result, "
        "mark_needs_no_initiative, add_contribution / remove_contribution (initiative_id, "
        "key_result_id), add_dependency / remove_dependency (initiative_id, depends_on_id), "
        "align_objective (objective_id, pillar_id)."
    )
    params: EditParams = Field(default_factory=EditParams)


class EditOut(Schema):
    id: int
    action: str
    params: dict[str, Any]
    label: str = Field(description="The edit in words.")
    author_id: Id | None
    created_at: datetime.datetime


class ScenarioOut(Schema):
    id: int
    name: str
    description: str
    status: str = Field(description="draft, applied or discarded.")
    version: int = VERSION
    author_id: Id | None
    base_event_id: int = Field(
        description="The last change to the plan when it was made (or last confirmed)."
    )
    created_at: datetime.datetime
    closed_at: datetime.datetime | None
    applied_reason: str
    edits: list[EditOut]

    @staticmethod
    def resolve_edits(obj: Scenario) -> list[Any]:
        return list(obj.edits.all())


class ApplyIn(Schema):
    reason: Reason = Field(description="Why the plan changes this way; on every change made.")
    confirmed_through: int | None = Field(
        None,
        ge=0,
        le=2**63 - 1,
        description="The last plan change you reviewed, when the plan changed since the "
        "scenario was made (the 422 names it).",
    )


class CommentIn(Schema):
    body: Body = Field(description="Markdown.")


class CommentOut(Schema):
    id: int
    author_id: Id | None
    body: str
    created_at: datetime.datetime


class ConflictBrief(Schema):
    key: str
    rule: str
    rule_label: str
    severity: str
    sentence: str


class ChangedConflict(Schema):
    key: str
    rule: str
    severity_before: str
    severity_after: str
    sentence_before: str
    sentence_after: str


class ForecastBrief(Schema):
    probability: float | None
    value: float | None
    low: float | None
    high: float | None
    basis: str = Field(description="What it rests on, or why there is no number.")


class ForecastChange(Schema):
    key_result_id: int
    title: str
    before: ForecastBrief
    after: ForecastBrief


class CapacityRow(Schema):
    team_id: int
    team: str
    cycle_id: int
    cycle: str
    capacity_before: float | None
    capacity_after: float | None
    load_before: float
    load_after: float
    over_before: bool
    over_after: bool


class EvaluationOut(Schema):
    conflicts_opened: list[ConflictBrief]
    conflicts_closed: list[ConflictBrief]
    conflicts_changed: list[ChangedConflict]
    forecasts_changed: list[ForecastChange]
    capacity: list[CapacityRow] = Field(
        description="Each team and open cycle with a capacity or planned work: before and after."
    )
