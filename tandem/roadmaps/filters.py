"""The initiative and insight filters, defined once for every door: the board and its
export read them from the page's query string (?team=, ?pillar=, ...), the API's list and
export take them as query parameters (?team_id=, ?pillar_id=, ...). A bad value is a 422
answer naming it; on a page a malformed id is a 422 page naming it and an unknown status is
ignored."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from ninja import Field, FilterSchema

from tandem.accounts.models import Workspace
from tandem.core.api_fields import Id
from tandem.core.params import page_filters
from tandem.roadmaps.models import (
    Contribution,
    Horizon,
    Initiative,
    InitiativeQuerySet,
    InitiativeStatus,
    InsightStatus,
)

# Done and dropped work leaves the board unless asked for by status.
OFF_BOARD_STATUSES = [InitiativeStatus.DONE, InitiativeStatus.DROPPED]


class InitiativeFilters(FilterSchema):
    roadmap_id: Id | None = None
    team_id: Id | None = None
    pillar_id: Id | None = Field(
        default=None, description="Those serving a key result of this pillar."
    )
    objective_id: Id | None = Field(default=None, description="Those serving a key result of it.")
    status: InitiativeStatus | None = Field(default=None, description="One status.")
    horizon: Horizon | None = None

    def filter_pillar_id(self, value: int | None) -> Q:
        return _serving(key_result__objective__pillar_id=value) if value else Q()

    def filter_objective_id(self, value: int | None) -> Q:
        return _serving(key_result__objective_id=value) if value else Q()

    def wanted(self) -> dict[str, object]:
        """The filters the board's form shows, by the page's names."""
        return {
            "team": self.team_id,
            "pillar": self.pillar_id,
            "objective": self.objective_id,
            "status": self.status or "",
        }


def _serving(**key_result: object) -> Q:
    return Q(Exists(Contribution.objects.filter(initiative=OuterRef("pk"), **key_result)))


# The board's query-string names for the fields.
PAGE_NAMES = {
    "roadmap": "roadmap_id",
    "team": "team_id",
    "pillar": "pillar_id",
    "objective": "objective_id",
    "status": "status",
}


def board_filters(query: QueryDict) -> InitiativeFilters:
    """An unknown status shows the board unfiltered by it; a malformed id is a 422 page."""
    return page_filters(InitiativeFilters, query, PAGE_NAMES, lenient={"status"})


def board_initiatives(workspace: Workspace, filters: InitiativeFilters) -> InitiativeQuerySet:
    """The workspace's initiatives the filters keep, in board order (one query). The board
    shows work still on it unless a status is asked for."""
    found = filters.filter(Initiative.objects.in_workspace(workspace))
    if filters.status is None:
        found = found.exclude(status__in=OFF_BOARD_STATUSES)
    return found.select_related("team", "roadmap").on_board()


@dataclass(frozen=True, slots=True)
class Place:
    """Where an initiative sits on the board, without the initiative: a board of thousands
    is laid out from these and loads only the cards it shows. A card's neighbours in its
    cell are Places too (the Move menu sends their id, horizon and position)."""

    pk: int
    team_id: int | None
    horizon: str
    position: int


def board_places(workspace: Workspace, filters: InitiativeFilters) -> list[Place]:
    """What `board_initiatives` gives, in its order, as Places (one query)."""
    rows = board_initiatives(workspace, filters).values_list("pk", "team_id", "horizon", "position")
    return [Place(*row) for row in rows]


class InsightFilters(FilterSchema):
    """The insights' filter, for the API's list and the insight inbox (whose tabs are its
    statuses, New when none is asked for; an unknown one there shows New)."""

    status: InsightStatus | None = None


def inbox_insight_filters(query: QueryDict) -> InsightFilters:
    filters = page_filters(InsightFilters, query, {"status": "status"}, lenient={"status"})
    return filters if filters.status else InsightFilters(status=InsightStatus.NEW)
