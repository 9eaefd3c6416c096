"""Request and response bodies of the conflicts API."""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ninja import Field, Schema

from tandem.conflicts.models import (
    Conflict,
    ConflictComment,
    ConflictStatus,
    DecisionKind,
    RootCause,
)
from tandem.conflicts.services import FIXES
from tandem.core.api import Id
from tandem.core.api_fields import Date, amount, text
from tandem.core.versioning import VERSION
from tandem.okrs.models import KeyResult
from tandem.roadmaps.models import Contribution, Initiative, TeamCapacity

if TYPE_CHECKING:
    RootCauseName = str
    DecisionName = str
    FixName = str
else:
    # Literals built from the one list of each (the model's choices, the rules' fixes).
    RootCauseName = Literal[tuple(RootCause.values)]
    DecisionName = Literal[tuple(DecisionKind.values)]
    FixName = Literal[tuple(FIXES)]
DismissedReason = Annotated[str, text(Conflict, "dismissed_reason")]
Note = Annotated[str, text(Conflict, "root_cause_note")]
CommentBody = Annotated[str, text(ConflictComment, "body")]
PersonWeeks = Annotated[Decimal, amount(TeamCapacity, "person_weeks", least="zero")]


class RefOut(Schema):
    kind: str = Field(description="cycle, pillar, team, objective, key_result or initiative.")
    id: int


class EffectOut(Schema):
    key: str
    rule: str
    rule_label: str
    severity: str
    sentence: str


class EffectsOut(Schema):
    """The fix evaluated as a one-edit scenario on today's plan."""

    closed: list[EffectOut] = Field(description="Conflicts it would close.")
    opened: list[EffectOut] = Field(description="Conflicts it would open.")
    closes_it: bool = Field(description="It closes the conflict it is suggested for.")
    one_click: bool = Field(
        description="It closes the conflict and opens nothing as severe: offered in one click. "
        "Otherwise the page lists it under other options, with side effects."
    )


class SuggestionOut(Schema):
    action: str = Field(description="The fix to send to the fixes endpoint as `action`.")
    label: str
    params: dict[str, Any]
    effects: EffectsOut | None = Field(
        None,
        description="Shown when reading one conflict; null in lists, for a fix that needs "
        "a choice first (which initiative, which pillar), or once the plan has moved on.",
    )


class FoundOut(Schema):
    """A conflict as the rules find it on a given day (nothing stored)."""

    key: str = Field(description="Rule and entities: the same conflict across detection runs.")
    rule: str
    rule_label: str
    severity: str = Field(description="high, medium or low.")
    sentence: str
    subject: list[RefOut]
    involved: list[RefOut]


class ConflictOut(Schema):
    id: int
    version: int = VERSION
    key: str = Field(description="Rule and entities: the same conflict across detection runs.")
    rule: str
    rule_label: str
    severity: str = Field(description="high, medium or low.")
    status: str = Field(description="open, acknowledged, resolved or dismissed.")
    sentence: str
    subject: list[RefOut] = Field(description="The entities that identify the conflict.")
    involved: list[RefOut]
    suggestions: list[SuggestionOut]
    cycle_id: Id | None
    detected_at: datetime.datetime
    closed_at: datetime.datetime | None
    closed_note: str = Field(description="Why it closed by itself, naming the change.")
    dismissed_reason: str
    root_cause: str
    root_cause_note: str
    decision: str
    decision_note: str
    decided_by_id: Id | None = Field(description="The member who recorded the decision.")
    decided_at: datetime.datetime | None

    @staticmethod
    def resolve_suggestions(obj: Conflict) -> list[dict[str, Any]]:
        """With each fix's effects on the plan as it is now (conflicts.simulation): a list
        shows those already worked out (null for the others, until the conflict is read);
        none for a resolved conflict."""
        simulated = getattr(obj, "simulated", None)
        if simulated is not None:
            return [{**fix.suggestion, "effects": fix.effects} for fix in simulated]
        effects = obj.fix_effects
        current = getattr(obj, "effects_current", False)
        if (
            not current
            or obj.status == ConflictStatus.RESOLVED
            or len(effects) != len(obj.suggestions)
        ):
            effects = [None] * len(obj.suggestions)
        return [{**s, "effects": e} for s, e in zip(obj.suggestions, effects, strict=True)]

    @staticmethod
    def resolve_subject(obj: Conflict) -> list[dict[str, Any]]:
        return [{"kind": kind, "id": id} for kind, id in obj.subject]

    @staticmethod
    def resolve_involved(obj: Conflict) -> list[dict[str, Any]]:
        return [{"kind": kind, "id": id} for kind, id in obj.involved]


class StatusIn(Schema):
    status: Literal["open", "acknowledged", "dismissed"] = Field(
        description="Reopen, acknowledge or dismiss; a conflict resolves by itself."
    )
    reason: DismissedReason = Field("", description="Required to dismiss: why.")


class DecisionIn(Schema):
    root_cause: RootCauseName
    root_cause_note: Note = ""
    decision: DecisionName = Field(description="accept_risk also dismisses the conflict.")
    decision_note: Note = ""


class FixParams(Schema):
    """What a fix acts on: the suggestion's params, each optional (a fix names its own)."""

    initiative_id: Id | None = None
    initiative_ids: list[Id] | None = Field(default=None, max_length=100)
    key_result_id: Id | None = None
    depends_on_id: Id | None = None
    team_id: Id | None = None
    cycle_id: Id | None = None
    objective_id: Id | None = None
    pillar_id: Id | None = None
    start_date: Date | None = None
    end_date: Date | None = None
    horizon: Annotated[str, text(Initiative, "horizon")] | None = None
    target_value: Annotated[Decimal, amount(KeyResult, "target_value")] | None = None
    person_weeks: Annotated[Decimal, amount(TeamCapacity, "person_weeks", least="zero")] | None = (
        None
    )
    expected_impact: Annotated[str, text(Contribution, "expected_impact")] = ""


class FixIn(Schema):
    action: FixName = Field(description="One of the conflict's suggestions' actions.")
    params: FixParams = Field(
        default_factory=FixParams,
        description="The suggestion's params, with any choice added (key_result_id, "
        "pillar_id) or changed (end_date).",
    )


class CommentIn(Schema):
    body: CommentBody = Field(description="Markdown.")


class CommentOut(Schema):
    id: int
    author_id: Id | None
    body: str
    created_at: datetime.datetime


class InviteIn(Schema):
    member_ids: list[Id] = []
    team_ids: list[Id] = []
