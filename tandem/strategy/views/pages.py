"""The strategy overview, a pillar's page and a team's page. They read across strategy,
OKRs, roadmap and conflicts, so they live with the shell; each in a fixed number of
queries whatever the size of the plan."""

import datetime
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render

from tandem.accounts.access import TandemRequest, workspace_view
from tandem.accounts.models import Member, Role
from tandem.accounts.zones import local_today
from tandem.conflicts.selectors import ConflictFilters, conflict_inbox
from tandem.core.tenancy import get_in_workspace_or_404
from tandem.domain.capacity import TeamLoad, team_loads
from tandem.okrs.models import Cycle, CycleState, GoalStatus, Objective
from tandem.okrs.selectors import annotate, elapsed, live_key_results
from tandem.roadmaps.models import Initiative, InitiativeStatus
from tandem.roadmaps.selectors import capacity_inputs
from tandem.strategy.models import Pillar, Strategy, Team


@dataclass
class CycleGroup:
    cycle: Cycle
    objectives: list[Objective]


def _by_cycle(objectives: list[Objective], today: datetime.date) -> list[CycleGroup]:
    """Objectives (ordered by cycle) grouped by cycle, each annotated with its tracking."""
    groups = []
    for _, rows in groupby(objectives, key=lambda o: o.cycle_id):
        listed = list(rows)
        cycle = listed[0].cycle
        groups.append(CycleGroup(cycle, annotate(listed, elapsed(cycle, today))))
    return groups


def _objectives(workspace: Any) -> Any:
    return (
        Objective.objects.in_workspace(workspace)
        .filter(status=GoalStatus.ACTIVE)
        .select_related("cycle", "team", "owner__user", "pillar")
        .prefetch_related(live_key_results())
        .order_by("-cycle__start", "title")
    )


@workspace_view
def strategy_overview(request: TandemRequest) -> HttpResponse:
    workspace = request.workspace
    member: Member = request.member
    pillars = list(Pillar.objects.in_workspace(workspace))
    teams = list(
        Team.objects.in_workspace(workspace)
        .select_related("parent", "lead__user")
        .prefetch_related(Prefetch("members", queryset=Member.objects.select_related("user")))
    )
    context = {
        "strategy": Strategy.objects.in_workspace(workspace).first(),
        "pillars": [p for p in pillars if p.archived_at is None],
        "archived_pillars": [p for p in pillars if p.archived_at is not None],
        "teams": [t for t in teams if t.archived_at is None],
        "archived_teams": [t for t in teams if t.archived_at is not None],
        "can_admin": member.has_role(Role.ADMIN),
    }
    return render(request, "strategy/strategy.html", context)


@workspace_view
def pillar_detail(request: TandemRequest, pillar_id: int) -> HttpResponse:
    workspace = request.workspace
    member: Member = request.member
    pillar = get_in_workspace_or_404(Pillar.objects, workspace, pk=pillar_id)
    today = local_today(workspace, member)
    objectives = list(_objectives(workspace).filter(pillar=pillar))
    initiatives = list(
        Initiative.objects.in_workspace(workspace)
        .filter(contributions__key_result__objective__pillar=pillar)
        .select_related("team", "roadmap")
        .distinct()
        .order_by("horizon", "position", "id")
    )
    context = {
        "pillar": pillar,
        "groups": _by_cycle(objectives, today),
        "initiatives": initiatives,
        "can_admin": member.has_role(Role.ADMIN),
    }
    return render(request, "strategy/pillar_detail.html", context)


def _loads(workspace: Any, team: Team, today: datetime.date) -> list[TeamLoad]:
    inputs = capacity_inputs(workspace, today)
    facts = [t for t in inputs.teams if t.id == team.pk]
    return team_loads(
        teams=facts,
        cycles=inputs.cycles,
        initiatives=[i for i in inputs.initiatives if i.team_id == team.pk],
        capacities=[c for c in inputs.capacities if c.team_id == team.pk],
        active_cycle=inputs.active_cycle,
    )


@workspace_view
def team_detail(request: TandemRequest, team_id: int) -> HttpResponse:
    workspace = request.workspace
    member: Member = request.member
    team = get_in_workspace_or_404(
        Team.objects.select_related("parent", "lead__user").prefetch_related(
            Prefetch("members", queryset=Member.objects.select_related("user"))
        ),
        workspace,
        pk=team_id,
    )
    today = local_today(workspace, member)
    objectives = list(
        _objectives(workspace).filter(team=team).exclude(cycle__state=CycleState.CLOSED)
    )
    initiatives = list(
        Initiative.objects.in_workspace(workspace)
        .filter(team=team)
        .exclude(status__in=[InitiativeStatus.DONE, InitiativeStatus.DROPPED])
        .select_related("roadmap")
        .order_by("horizon", "position", "id")
    )
    conflicts = conflict_inbox(workspace, ConflictFilters(team_id=team.pk), counts=False).rows
    context = {
        "team": team,
        "groups": _by_cycle(objectives, today),
        "initiatives": initiatives,
        "loads": _loads(workspace, team, today),
        "conflicts": conflicts,
        "can_admin": member.has_role(Role.ADMIN),
    }
    return render(request, "strategy/team_detail.html", context)
