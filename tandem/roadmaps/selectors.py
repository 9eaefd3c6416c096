"""Reads that join the roadmap to OKRs and strategy, each in a fixed number of queries:
the board, the timeline, the capacity view and prioritisation read 2,000 initiatives as
cheaply as 10."""

import datetime
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from tandem.accounts.models import Workspace
from tandem.domain.plan import CapacityFacts, CycleFacts, InitiativeFacts, TeamFacts
from tandem.domain.similar import Match, similar
from tandem.okrs.models import Cycle, CycleState, GoalStatus, KeyResult, Objective
from tandem.roadmaps.models import (
    Contribution,
    Dependency,
    Initiative,
    InitiativeStatus,
    Insight,
    TeamCapacity,
)
from tandem.strategy.models import Pillar, Team


@dataclass
class Served:
    """A key result an initiative serves, as a card shows it."""

    key_result_id: int
    title: str
    objective_id: int
    objective_title: str
    pillar_id: int | None
    live: bool


@dataclass
class Evidence:
    count: int = 0
    weight: int = 0  # the sum of the insights' importances


@dataclass
class BoardFacts:
    served: dict[int, list[Served]] = field(default_factory=dict)
    evidence: dict[int, Evidence] = field(default_factory=dict)
    blocked_by: dict[int, int] = field(default_factory=dict)


def served_key_results(
    workspace: Workspace, *, initiatives: Collection[int] | None = None
) -> dict[int, list[Served]]:
    """initiative id → the key results it serves, in the order they were linked (one query);
    of every initiative, or of those named."""
    contributions = Contribution.objects.in_workspace(workspace)
    if initiatives is not None:
        contributions = contributions.filter(initiative_id__in=sorted(initiatives))
    rows = contributions.order_by("id").values_list(
        "initiative_id",
        "key_result_id",
        "key_result__title",
        "key_result__objective_id",
        "key_result__objective__title",
        "key_result__objective__pillar_id",
        "key_result__status",
        "key_result__objective__status",
    )
    served: dict[int, list[Served]] = defaultdict(list)
    for initiative_id, kr, title, objective, objective_title, pillar, status, o_status in rows:
        live = status == GoalStatus.ACTIVE and o_status == GoalStatus.ACTIVE
        served[initiative_id].append(Served(kr, title, objective, objective_title, pillar, live))
    return dict(served)


def evidence_by_initiative(workspace: Workspace) -> dict[int, Evidence]:
    """initiative id → how many insights back it and their summed importance (one query).
    Archived insights no longer count as evidence."""
    through = Insight.initiatives.through
    rows = (
        through.objects.filter(insight__workspace=workspace)  # type: ignore[misc]  # django-stubs misreads annotate() after values() as a field lookup
        .exclude(insight__status="archived")
        .values("initiative_id")
        .annotate(count=Count("id"), weight=Sum("insight__importance"))
        .values_list("initiative_id", "count", "weight")
    )
    return {pk: Evidence(count, weight or 0) for pk, count, weight in rows}


def board_facts(workspace: Workspace, *, served: bool = True) -> BoardFacts:
    """What the board's cards say besides the initiative itself; without `served`, the key
    results served are left for the caller to read for the cards it shows."""
    blocked = (
        Dependency.objects.in_workspace(workspace)
        .exclude(depends_on__status__in=["done", "dropped"])
        .values("initiative_id")
        .annotate(n=Count("id"))
        .values_list("initiative_id", "n")
    )
    return BoardFacts(
        served=served_key_results(workspace) if served else {},
        evidence=evidence_by_initiative(workspace),
        blocked_by=dict(blocked),
    )


def filter_options(workspace: Workspace) -> dict[str, QuerySet[Any]]:
    """Teams, live pillars and the objectives of cycles not yet closed (three queries)."""
    return {
        "teams": Team.objects.in_workspace(workspace).order_by("name"),
        "pillars": Pillar.objects.in_workspace(workspace).filter(archived_at__isnull=True),
        # As plain rows (pk, cycle_name, title): a plan may offer a thousand of them.
        "objectives": Objective.objects.in_workspace(workspace)
        .active()
        .exclude(cycle__state=CycleState.CLOSED)
        .order_by("cycle__start", "position", "id")
        .values("pk", "title", cycle_name=F("cycle__name")),
    }


def similar_initiatives(
    workspace: Workspace, title: str, *, exclude: int | None = None
) -> list[Match]:
    """Initiatives of the workspace, not done or dropped, whose title reads like `title`:
    a warning, never a refusal (one query over the titles)."""
    titles = (
        Initiative.objects.in_workspace(workspace)
        .exclude(status__in=[InitiativeStatus.DONE, InitiativeStatus.DROPPED])
        .exclude(Q() if exclude is None else Q(pk=exclude))
        .values_list("id", "title")
    )
    return similar(title, titles)


def linkable_key_results(workspace: Workspace) -> QuerySet[KeyResult]:
    """Key results an initiative can be linked to: active, in a cycle not yet closed."""
    return (
        KeyResult.objects.in_workspace(workspace)
        .active()
        .exclude(objective__cycle__state=CycleState.CLOSED)
        .select_related("objective__cycle")
        .order_by("-objective__cycle__start", "objective__position", "position", "id")
    )


def _float(value: Decimal | None) -> float:
    return float(value or 0)


def initiative_facts(initiative: Initiative) -> InitiativeFacts:
    return InitiativeFacts(
        id=initiative.pk,
        title=initiative.title,
        status=initiative.status,
        horizon=initiative.horizon,
        start=initiative.start_date,
        end=initiative.end_date,
        team_id=initiative.team_id,
        effort=_float(initiative.effort),
    )


@dataclass
class CapacityInputs:
    teams: list[TeamFacts]
    team_rows: list[Team]
    cycles: list[CycleFacts]
    cycle_rows: list[Cycle]
    initiatives: list[InitiativeFacts]
    capacities: list[CapacityFacts]
    active_cycle: CycleFacts | None


def capacity_inputs(workspace: Workspace, today: datetime.date) -> CapacityInputs:
    """Teams, the cycles not yet closed, live initiatives with a team, capacities (4 queries)."""
    team_rows = list(Team.objects.in_workspace(workspace).order_by("name"))
    cycle_rows = list(
        Cycle.objects.in_workspace(workspace).exclude(state=CycleState.CLOSED).order_by("start")
    )
    cycles = [CycleFacts(c.pk, c.name, c.start, c.end, c.state) for c in cycle_rows]
    initiatives = [
        initiative_facts(i)
        for i in Initiative.objects.in_workspace(workspace)
        .live()
        .filter(team__isnull=False)
        .only("id", "title", "status", "horizon", "start_date", "end_date", "team_id", "effort")
    ]
    capacities = [
        CapacityFacts(team, cycle, _float(weeks))
        for team, cycle, weeks in TeamCapacity.objects.in_workspace(workspace).values_list(
            "team_id", "cycle_id", "person_weeks"
        )
    ]
    active = [c for c in cycles if c.state == "active"]
    containing = [c for c in active if c.start <= today <= c.end] or active
    active_cycle = min(containing, key=lambda c: (c.end - c.start, c.start), default=None)
    return CapacityInputs(
        teams=[TeamFacts(t.pk, t.name) for t in team_rows],
        team_rows=team_rows,
        cycles=cycles,
        cycle_rows=cycle_rows,
        initiatives=initiatives,
        capacities=capacities,
        active_cycle=active_cycle,
    )
