"""Request and response bodies of the roadmap API. PATCH bodies change only the fields sent."""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from tandem.core.api import Id
from tandem.core.versioning import VERSION

REASON = Field("", description="Why, for the history; optional.")


class RoadmapOut(Schema):
    id: int
    version: int = VERSION
    name: str
    description: str
    team_id: Id | None


class RoadmapIn(Schema):
    name: str
    description: str = ""
    team_id: Id | None = None


class RoadmapPatch(Schema):
    name: str = None  # type: ignore[assignment]
    description: str = None  # type: ignore[assignment]
    team_id: Id | None = None
    reason: str = REASON


class InitiativeOut(Schema):
    id: int
    version: int = VERSION
    roadmap_id: Id
    title: str
    description: str = Field(description="Markdown.")
    status: str
    horizon: str
    position: int
    start_date: datetime.date | None
    end_date: datetime.date | None
    team_id: Id | None
    owner_id: Id | None
    effort: Decimal = Field(description="Person-weeks.")
    reach: int
    impact: Decimal
    confidence: int


class InitiativeIn(Schema):
    roadmap_id: Id
    title: str
    description: str = ""
    status: str = "idea"
    horizon: str = "later"
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    team_id: Id | None = None
    owner_id: Id | None = None
    effort: Decimal = Decimal(0)
    reach: int = 0
    impact: Decimal = Decimal(1)
    confidence: int = 80


class InitiativePatch(Schema):
    roadmap_id: Id = None  # type: ignore[assignment]
    title: str = None  # type: ignore[assignment]
    description: str = None  # type: ignore[assignment]
    status: str = None  # type: ignore[assignment]
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    team_id: Id | None = None
    owner_id: Id | None = None
    effort: Decimal = None  # type: ignore[assignment]
    reach: int = None  # type: ignore[assignment]
    impact: Decimal = None  # type: ignore[assignment]
    confidence: int = None  # type: ignore[assignment]
    reason: str = REASON


class MoveIn(Schema):
    horizon: str = Field(description="now, next or later")
    after_id: Id | None = Field(None, description="Place right after this initiative.")
    before_id: Id | None = Field(None, description="Or right before this one; else at the end.")
    expected_horizon: str | None = Field(
        None, description="The horizon you saw; a different one now answers 409."
    )
    expected_position: int | None = None
    reason: str = REASON


class ContributionOut(Schema):
    id: int
    initiative_id: Id
    key_result_id: Id
    expected_impact: str
    expected_delta: Decimal | None


class ContributionIn(Schema):
    initiative_id: Id
    key_result_id: Id
    expected_impact: str = ""
    expected_delta: Decimal | None = Field(None, description="In the key result's unit.")


class DependencyOut(Schema):
    id: int
    initiative_id: Id
    depends_on_id: Id


class DependencyIn(Schema):
    initiative_id: Id
    depends_on_id: Id


class InsightOut(Schema):
    id: int
    version: int = VERSION
    kind: str
    title: str
    text: str
    source: str
    customer: str
    importance: int
    link: str
    status: str
    initiative_ids: list[Id]
    created_at: datetime.datetime

    @staticmethod
    def resolve_initiative_ids(obj: object) -> list[int]:
        return [i.pk for i in obj.initiatives.all()]  # type: ignore[attr-defined]


class InsightIn(Schema):
    kind: str
    title: str
    text: str = ""
    source: str = ""
    customer: str = ""
    importance: int = 3
    link: str = ""
    initiative_ids: list[Id] = Field([], description="Triage onto these initiatives.")


class InsightPatch(Schema):
    kind: str = None  # type: ignore[assignment]
    title: str = None  # type: ignore[assignment]
    text: str = None  # type: ignore[assignment]
    source: str = None  # type: ignore[assignment]
    customer: str = None  # type: ignore[assignment]
    importance: int = None  # type: ignore[assignment]
    link: str = None  # type: ignore[assignment]
    status: str = None  # type: ignore[assignment]
    initiative_ids: list[Id] = None  # type: ignore[assignment]
    reason: str = REASON


class CapacityOut(Schema):
    id: int
    version: int = VERSION
    team_id: Id
    cycle_id: Id
    person_weeks: Decimal


class CapacityIn(Schema):
    team_id: Id
    cycle_id: Id
    person_weeks: Decimal
    reason: str = REASON
