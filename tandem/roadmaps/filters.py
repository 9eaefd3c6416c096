"""The roadmap board's filters, parsed once: the board shows them and its export writes
them, so both list the same initiatives."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import QueryDict

from tandem.accounts.models import Workspace
from tandem.core.params import id_param
from tandem.roadmaps.models import Initiative, InitiativeStatus
from tandem.roadmaps.selectors import Served

# Done and dropped work leaves the board unless asked for by status.
OFF_BOARD_STATUSES = [InitiativeStatus.DONE, InitiativeStatus.DROPPED]


@dataclass(frozen=True)
class BoardFilters:
    roadmap: int | None = None
    team: int | None = None
    pillar: int | None = None
    objective: int | None = None
    status: str = ""  # one status; empty: everything still on the board

    def wanted(self) -> dict[str, object]:
        """The filters the board's form shows."""
        return {
            "team": self.team,
            "pillar": self.pillar,
            "objective": self.objective,
            "status": self.status,
        }


def board_filters(query: QueryDict) -> BoardFilters:
    status = query.get("status") or ""
    return BoardFilters(
        roadmap=id_param(query, "roadmap"),
        team=id_param(query, "team"),
        pillar=id_param(query, "pillar"),
        objective=id_param(query, "objective"),
        status=status if status in InitiativeStatus.values else "",
    )


def board_initiatives(
    workspace: Workspace, filters: BoardFilters, served: dict[int, list[Served]]
) -> Iterable[Initiative]:
    """The workspace's initiatives the filters keep, in board order (one query); `served`
    (selectors.served_key_results) tells which pillar and objective each one serves."""
    found = Initiative.objects.in_workspace(workspace)
    if filters.roadmap:
        found = found.filter(roadmap_id=filters.roadmap)
    if filters.team:
        found = found.filter(team_id=filters.team)
    if filters.status:
        found = found.filter(status=filters.status)
    else:
        found = found.exclude(status__in=OFF_BOARD_STATUSES)
    for initiative in found.select_related("team", "roadmap").on_board():
        serves = served.get(initiative.pk, [])
        if filters.pillar and not any(s.pillar_id == filters.pillar for s in serves):
            continue
        if filters.objective and not any(s.objective_id == filters.objective for s in serves):
            continue
        yield initiative
