"""Request and response bodies of the roadmap API. PATCH bodies change only the fields sent."""

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from tandem.core.api import Id
from tandem.core.api_fields import OMITTED, Date, Reason, amount, integer, text
from tandem.core.external import ExternalRefIn, ExternalRefOut, ExternalRefPatch
from tandem.core.versioning import VERSION
from tandem.roadmaps.models import Contribution, Initiative, Insight, Roadmap, TeamCapacity

REASON = Field("", description="Why, for the history; optional.")

RoadmapName = Annotated[str, text(Roadmap, "name")]
Markdown = Annotated[str, text(Roadmap, "description")]
Title = Annotated[str, text(Initiative, "title")]
Status = Annotated[str, text(Initiative, "status")]
Horizon = Annotated[str, text(Initiative, "horizon")]
Effort = Annotated[Decimal, amount(Initiative, "effort", least="zero")]
Reach = Annotated[int, integer(Initiative, "reach")]
Impact = Annotated[Decimal, amount(Initiative, "impact", most=3)]
Confidence = Annotated[int, integer(Initiative, "confidence", le=100)]
Position = Annotated[int, integer(Initiative, "position")]
Delta = Annotated[Decimal, amount(Contribution, "expected_delta")]
InsightKind = Annotated[str, text(Insight, "kind")]
InsightTitle = Annotated[str, text(Insight, "title")]
InsightText = Annotated[str, text(Insight, "text")]
InsightSource = Annotated[str, text(Insight, "source")]
InsightCustomer = Annotated[str, text(Insight, "customer")]
InsightLink = Annotated[str, text(Insight, "link")]
InsightStatus = Annotated[str, text(Insight, "status")]
Importance = Annotated[int, integer(Insight, "importance", ge=1, le=5)]
PersonWeeks = Annotated[Decimal, amount(TeamCapacity, "person_weeks", least="zero")]
ExpectedImpact = Annotated[str, text(Contribution, "expected_impact")]


class RoadmapOut(Schema):
    id: int
    version: int = VERSION
    name: str
    description: str
    team_id: Id | None


class RoadmapIn(Schema):
    name: RoadmapName
    description: Markdown = ""
    team_id: Id | None = None


class RoadmapPatch(Schema):
    name: RoadmapName = OMITTED
    description: Markdown = OMITTED
    team_id: Id | None = None
    reason: Reason = REASON


class InitiativeOut(ExternalRefOut):
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


class InitiativeIn(ExternalRefIn):
    roadmap_id: Id
    title: Title
    description: Markdown = ""
    status: Status = "idea"
    horizon: Horizon = "later"
    start_date: Date | None = None
    end_date: Date | None = None
    team_id: Id | None = None
    owner_id: Id | None = None
    effort: Effort = Decimal(0)
    reach: Reach = 0
    impact: Impact = Decimal(1)
    confidence: Confidence = 80


class InitiativePatch(ExternalRefPatch):
    roadmap_id: Id = OMITTED
    title: Title = OMITTED
    description: Markdown = OMITTED
    status: Status = OMITTED
    start_date: Date | None = None
    end_date: Date | None = None
    team_id: Id | None = None
    owner_id: Id | None = None
    effort: Effort = OMITTED
    reach: Reach = OMITTED
    impact: Impact = OMITTED
    confidence: Confidence = OMITTED
    reason: Reason = REASON


class MoveIn(Schema):
    horizon: Horizon = Field(description="now, next or later")
    after_id: Id | None = Field(None, description="Place right after this initiative.")
    before_id: Id | None = Field(None, description="Or right before this one; else at the end.")
    expected_horizon: str | None = Field(
        None, description="The horizon you saw; a different one now answers 409."
    )
    expected_position: Position | None = None
    reason: Reason = REASON


class ContributionOut(Schema):
    id: int
    initiative_id: Id
    key_result_id: Id
    expected_impact: str
    expected_delta: Decimal | None


class ContributionIn(Schema):
    initiative_id: Id
    key_result_id: Id
    expected_impact: ExpectedImpact = ""
    expected_delta: Annotated[Decimal, amount(Contribution, "expected_delta")] | None = Field(
        None, description="In the key result's unit."
    )


class DependencyOut(Schema):
    id: int
    initiative_id: Id
    depends_on_id: Id


class DependencyIn(Schema):
    initiative_id: Id
    depends_on_id: Id


class InsightOut(ExternalRefOut):
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
        return [i.pk for i in obj.initiatives.all()]  # type: ignore[attr-defined]  # the related manager of the insight's initiatives


class InsightIn(ExternalRefIn):
    kind: InsightKind
    title: InsightTitle
    text: InsightText = ""
    source: InsightSource = ""
    customer: InsightCustomer = ""
    importance: Importance = 3
    link: InsightLink = ""
    initiative_ids: list[Id] = Field([], description="Triage onto these initiatives.")


class InsightPatch(ExternalRefPatch):
    kind: InsightKind = OMITTED
    title: InsightTitle = OMITTED
    text: InsightText = OMITTED
    source: InsightSource = OMITTED
    customer: InsightCustomer = OMITTED
    importance: Importance = OMITTED
    link: InsightLink = OMITTED
    status: InsightStatus = OMITTED
    initiative_ids: list[Id] = OMITTED
    reason: Reason = REASON


class CapacityOut(Schema):
    id: int
    version: int = VERSION
    team_id: Id
    cycle_id: Id
    person_weeks: Decimal


class CapacityIn(Schema):
    team_id: Id
    cycle_id: Id
    person_weeks: PersonWeeks
    reason: Reason = REASON
