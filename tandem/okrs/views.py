"""OKR pages. Read-only for now: the OKRs issue adds progress, check-ins and editing."""

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.accounts.access import workspace_view
from tandem.okrs.models import Cycle, GoalStatus, KeyResult, Objective
from tandem.strategy.models import Team
from tandem.web import shell


@dataclass(frozen=True)
class TeamObjectives:
    team: Team | None
    objectives: list[Objective]


@workspace_view
def okr_list(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    cycles = list(Cycle.objects.in_workspace(workspace))
    cycle = _chosen_cycle(request, cycles)
    groups: list[TeamObjectives] = []
    if cycle is not None:
        objectives = (
            Objective.objects.in_workspace(workspace)
            .in_cycle(cycle)
            .active()
            .select_related("team", "owner__user", "pillar")
            .prefetch_related(
                Prefetch(
                    "key_results",
                    queryset=KeyResult.objects.filter(status=GoalStatus.ACTIVE).select_related(
                        "owner__user"
                    ),
                )
            )
        )
        groups = group_by_team(objectives)
    context = {"cycles": cycles, "cycle": cycle, "groups": groups}
    return render(request, "okrs/okr_list.html", context)


def _chosen_cycle(request: HttpRequest, cycles: list[Cycle]) -> Cycle | None:
    """?cycle=<id> if given (404 when it is not one of ours), else the active cycle, else the
    most recent one."""
    wanted = request.GET.get("cycle")
    if wanted:
        chosen = next((c for c in cycles if str(c.pk) == wanted), None)
        if chosen is None:
            raise Http404("No cycle here.")
        return chosen
    return shell.active_cycle(request) or (cycles[0] if cycles else None)


def group_by_team(objectives: Iterable[Objective]) -> list[TeamObjectives]:
    """Teams alphabetically, objectives without a team last, each in the teams' own order."""

    def team_key(objective: Objective) -> tuple[bool, str, int]:
        team = objective.team
        return (team is None, team.name.lower() if team else "", team.pk if team else 0)

    ordered = sorted(objectives, key=lambda o: (*team_key(o), o.position, o.pk))
    return [
        TeamObjectives(members[0].team, members)
        for _, group in groupby(ordered, key=team_key)
        if (members := list(group))
    ]
