"""Small builders for test data. They go through the services, like real users do."""

import datetime
import itertools
from decimal import Decimal

from tandem.accounts.models import Member
from tandem.okrs import services as okrs
from tandem.okrs.models import Cycle, CycleState, KeyResult, Objective
from tandem.roadmaps import services as roadmaps
from tandem.roadmaps.models import Initiative, Roadmap
from tandem.strategy import services as strategy
from tandem.strategy.models import Pillar, Team

_numbers = itertools.count(1)


def _n() -> int:
    return next(_numbers)


def make_cycle(
    by: Member,
    *,
    start=datetime.date(2026, 10, 1),
    end=datetime.date(2026, 12, 31),
    state=CycleState.ACTIVE,
    name=None,
) -> Cycle:
    return okrs.cycle_create(name=name or f"Cycle {_n()}", start=start, end=end, state=state, by=by)


def make_team(by: Member, *, name=None, **fields) -> Team:
    return strategy.team_create(name=name or f"Team {_n()}", by=by, **fields)


def make_pillar(by: Member, *, name=None) -> Pillar:
    return strategy.pillar_create(name=name or f"Pillar {_n()}", by=by)


def make_objective(by: Member, *, cycle: Cycle | None = None, title=None, **fields) -> Objective:
    return okrs.objective_create(
        cycle=cycle or make_cycle(by), title=title or f"Objective {_n()}", by=by, **fields
    )


def make_key_result(
    by: Member,
    *,
    objective: Objective | None = None,
    title=None,
    kind="increase",
    start_value=Decimal(0),
    target_value=Decimal(100),
    **fields,
) -> KeyResult:
    return okrs.key_result_create(
        objective=objective or make_objective(by),
        title=title or f"Key result {_n()}",
        kind=kind,
        start_value=start_value,
        target_value=target_value,
        by=by,
        **fields,
    )


def make_roadmap(by: Member, *, name=None) -> Roadmap:
    return roadmaps.roadmap_create(name=name or f"Roadmap {_n()}", by=by)


def make_initiative(
    by: Member, *, roadmap: Roadmap | None = None, title=None, **fields
) -> Initiative:
    return roadmaps.initiative_create(
        roadmap=roadmap or make_roadmap(by), title=title or f"Initiative {_n()}", by=by, **fields
    )
