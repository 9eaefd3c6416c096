"""Loading a workspace's plan snapshot: one query per table, plain tuples, no model objects.

The snapshot feeds conflict detection (and later forecasts and baselines); keeping the
load at a fixed number of queries keeps those fast at tens of thousands of rows.
"""

import datetime
from collections.abc import Collection
from typing import Any, SupportsFloat

from django.db import models
from django.db.models import DecimalField

from tandem.accounts.models import Workspace
from tandem.core.rows import values_rows
from tandem.domain.plan import (
    CapacityFacts,
    CheckInFacts,
    ContributionFacts,
    CycleFacts,
    DependencyFacts,
    InitiativeFacts,
    KeyResultFacts,
    ObjectiveFacts,
    PillarFacts,
    PlanSnapshot,
    TeamFacts,
)
from tandem.okrs.models import CheckIn, Cycle, CycleState, GoalStatus, KeyResult, Objective
from tandem.roadmaps.models import Contribution, Dependency, Initiative, TeamCapacity
from tandem.strategy.models import Pillar, Team

OPEN_CYCLES = [CycleState.PLANNING, CycleState.ACTIVE]


def _float(value: SupportsFloat | None) -> float:
    return float(value) if value is not None else 0.0


def load_plan(
    workspace: Workspace, today: datetime.date, *, around: Collection[int] | None = None
) -> PlanSnapshot:
    """The whole plan; or, `around` some key results, only what the rules about their
    readings look at: the cycles, their objectives and those objectives' key results (for
    the weights), the work linked to them and their check-ins. No pillars, teams,
    dependencies or capacities: a part of the plan, to be judged by those rules only."""
    scope: dict[type[models.Model], dict[str, object]] = {}
    if around is not None:
        ids = sorted(around)
        objectives = sorted(
            {
                objective
                for (objective,) in values_rows(
                    KeyResult,
                    columns=("objective_id",),
                    where={"workspace": workspace.pk, "id__in": ids},
                )
            }
        )
        scope = {
            Objective: {"id__in": objectives},
            KeyResult: {"objective_id__in": objectives},
            Contribution: {"key_result_id__in": ids},
            CheckIn: {"key_result_id__in": ids},
        }

    def rows(model: type[models.Model], *fields: str, **where: object) -> list[tuple[Any, ...]]:
        """The fields of the workspace's rows of `model` that `where` keeps (conditions as
        for tandem.core.rows.values_rows), in the model's own order, as a QuerySet's
        values_list gives them. The SQL is written once per process: composing it through
        the ORM cost more than running it, on every write's detection."""
        if around is not None and model not in scope and model is not Cycle:
            return []
        # Decimal columns arrive as floats: converting 100,000 Decimals costs more than
        # the whole analysis, and the analyses only need floats.
        decimals = [n for n in fields if isinstance(model._meta.get_field(n), DecimalField)]
        return values_rows(
            model,
            columns=fields,
            where={"workspace": workspace.pk, **where, **scope.get(model, {})},
            floats=decimals,
            ordered=True,
        )

    contributions = tuple(
        ContributionFacts(*r)
        for r in rows(Contribution, "initiative_id", "key_result_id", "expected_delta")
    )
    if around is not None:
        # The work linked to those key results (read from their contributions); past a
        # thousand, all the workspace's work, to keep the statement's parameters few (work
        # no key result of the part is linked to changes no verdict about them).
        linked = sorted({c.initiative_id for c in contributions})
        scope[Initiative] = {"id__in": linked} if len(linked) <= 1000 else {}

    return PlanSnapshot(
        today=today,
        grace_days=workspace.new_key_result_grace_days,
        check_in_days=workspace.check_in_every_days,
        cycles=tuple(CycleFacts(*r) for r in rows(Cycle, "id", "name", "start", "end", "state")),
        pillars=tuple(
            PillarFacts(id, name, archived_at is not None)
            for id, name, archived_at in rows(Pillar, "id", "name", "archived_at")
        ),
        teams=tuple(TeamFacts(*r) for r in rows(Team, "id", "name")),
        objectives=tuple(
            ObjectiveFacts(*r)
            for r in rows(
                Objective,
                "id",
                "cycle_id",
                "title",
                "parent_id",
                "pillar_id",
                "team_id",
                "status",
                "commitment",
            )
        ),
        key_results=tuple(
            KeyResultFacts(
                id,
                objective_id,
                title,
                kind,
                _float(start),
                _float(target),
                _float(current),
                _float(weight),
                status,
                needs_none,
                last_check_in,
                confidence,
                created_at.date(),
                check_in_every,
            )
            for (
                id,
                objective_id,
                title,
                kind,
                start,
                target,
                current,
                weight,
                status,
                needs_none,
                last_check_in,
                confidence,
                created_at,
                check_in_every,
            ) in rows(
                KeyResult,
                "id",
                "objective_id",
                "title",
                "kind",
                "start_value",
                "target_value",
                "current_value",
                "weight",
                "status",
                "needs_no_initiative",
                "last_check_in",
                "confidence",
                "created_at",
                "check_in_every_days",
            )
        ),
        initiatives=tuple(
            InitiativeFacts(id, title, status, horizon, start, end, team_id, _float(effort))
            for id, title, status, horizon, start, end, team_id, effort in rows(
                Initiative,
                "id",
                "title",
                "status",
                "horizon",
                "start_date",
                "end_date",
                "team_id",
                "effort",
            )
        ),
        contributions=contributions,
        dependencies=tuple(
            DependencyFacts(*r) for r in rows(Dependency, "initiative_id", "depends_on_id")
        ),
        capacities=tuple(
            CapacityFacts(team_id, cycle_id, _float(weeks))
            for team_id, cycle_id, weeks in rows(
                TeamCapacity, "team_id", "cycle_id", "person_weeks"
            )
        ),
        # Forecasts need the history of live key results of open cycles only, so the
        # years of closed quarters do not weigh on every detection.
        check_ins=tuple(
            CheckInFacts(*r)
            for r in rows(
                CheckIn,
                "key_result_id",
                "date",
                "value",
                "confidence",
                # An imported value has no confidence: nobody vouched for it.
                **{
                    "confidence__isnull": False,
                    "date__lte": today,
                    "key_result.status": GoalStatus.ACTIVE,
                    "key_result.objective.status": GoalStatus.ACTIVE,
                    "key_result.objective.cycle.state__in": [
                        CycleState.PLANNING,
                        CycleState.ACTIVE,
                    ],
                },
            )
        ),
    )
