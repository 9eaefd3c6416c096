"""Roadmap pages. A read-only Now / Next / Later board for now: the roadmap issue adds
editing, the timeline and links to key results."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.accounts.access import workspace_view
from tandem.roadmaps.models import Horizon, Initiative, InitiativeStatus, Roadmap

OFF_BOARD_STATUSES = [InitiativeStatus.DONE, InitiativeStatus.DROPPED]


@dataclass(frozen=True)
class BoardColumn:
    horizon: str
    label: str
    initiatives: list[Initiative]


@workspace_view
def roadmap_board(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    roadmaps = list(Roadmap.objects.in_workspace(workspace))
    roadmap = _chosen_roadmap(request, roadmaps)
    initiatives = Initiative.objects.in_workspace(workspace)
    if roadmap is not None:
        initiatives = initiatives.filter(roadmap=roadmap)
    on_board = (
        initiatives.exclude(status__in=OFF_BOARD_STATUSES)
        .select_related("team", "roadmap")
        .on_board()
    )
    context = {
        "roadmaps": roadmaps,
        "roadmap": roadmap,
        "columns": board_columns(on_board),
        "off_board_count": initiatives.filter(status__in=OFF_BOARD_STATUSES).count(),
    }
    return render(request, "roadmaps/roadmap_board.html", context)


def _chosen_roadmap(request: HttpRequest, roadmaps: list[Roadmap]) -> Roadmap | None:
    """?roadmap=<id> shows one roadmap (404 when it is not one of ours); none shows them all."""
    wanted = request.GET.get("roadmap")
    if not wanted:
        return None
    chosen = next((r for r in roadmaps if str(r.pk) == wanted), None)
    if chosen is None:
        raise Http404("No roadmap here.")
    return chosen


def board_columns(initiatives: Iterable[Initiative]) -> list[BoardColumn]:
    by_horizon: dict[str, list[Initiative]] = {value: [] for value in Horizon.values}
    for initiative in initiatives:
        by_horizon[initiative.horizon].append(initiative)
    return [BoardColumn(value, label, by_horizon[value]) for value, label in Horizon.choices]
