"""Request and response bodies of the strategy API: vision, pillars and teams.

Update bodies have every field optional: only the fields sent are changed (PATCH).
"""

import datetime
from typing import Annotated

from ninja import Field, Schema

from tandem.core.api import Id
from tandem.core.api_fields import OMITTED, Reason, integer, text
from tandem.core.external import ExternalRefIn, ExternalRefOut, ExternalRefPatch
from tandem.core.versioning import VERSION
from tandem.strategy.models import Pillar, Strategy, Team

REASON = Field("", description="Why, for the history; optional.")

Vision = Annotated[str, text(Strategy, "vision")]
PillarName = Annotated[str, text(Pillar, "name")]
Markdown = Annotated[str, text(Pillar, "description")]
Position = Annotated[int, integer(Pillar, "position")]
TeamName = Annotated[str, text(Team, "name")]
Color = Annotated[str, text(Team, "color")]


class StrategyOut(Schema):
    version: int = VERSION
    vision: str = Field(description="Markdown.")
    updated_at: datetime.datetime | None


class StrategyIn(Schema):
    vision: Vision
    reason: Reason = REASON


class PillarOut(Schema):
    id: int
    version: int = VERSION
    name: str
    description: str
    position: int
    archived_at: datetime.datetime | None


class PillarIn(Schema):
    name: PillarName
    description: Markdown = ""
    position: Position = 0


class PillarPatch(Schema):
    name: PillarName = OMITTED
    description: Markdown = OMITTED
    position: Position = OMITTED
    reason: Reason = REASON


class ArchiveIn(Schema):
    reason: Reason = REASON


class TeamOut(ExternalRefOut):
    id: int
    version: int = VERSION
    name: str
    parent_id: Id | None
    color: str
    member_ids: list[Id]
    lead_id: Id | None = Field(description="The member who leads the team.")
    archived_at: datetime.datetime | None

    @staticmethod
    def resolve_member_ids(obj: Team) -> list[int]:
        # Read from the prefetched members, so a page of teams costs one more query.
        return [m.pk for m in obj.members.all()]


class TeamIn(ExternalRefIn):
    name: TeamName
    parent_id: Id | None = Field(None, description="A team of this workspace.")
    color: Color = Field("#4f6bed", description="#rrggbb")
    member_ids: list[Id] = Field([], description="Members of this workspace.")


class TeamPatch(ExternalRefPatch):
    name: TeamName = OMITTED
    parent_id: Id | None = None
    color: Color = OMITTED
    member_ids: list[Id] = OMITTED
    lead_id: Id | None = Field(None, description="One of the team's members; null for none.")
    archived: bool = Field(OMITTED, description="true archives the team, false restores it.")
    reason: Reason = REASON
