"""A small plan in an active Q1 frozen mid-quarter: one initiative ending after the quarter
(a late-delivery conflict a reschedule would close), a team with a capacity, and a second
initiative to link and depend on."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
import time_machine

from tandem.conflicts.detection import conflicts_detect
from tandem.roadmaps.services import contribution_create, team_capacity_set
from tests.factories import (
    make_cycle,
    make_initiative,
    make_key_result,
    make_objective,
    make_pillar,
    make_roadmap,
    make_team,
)

D = datetime.date


@pytest.fixture(autouse=True)
def _mid_quarter():
    with time_machine.travel(datetime.datetime(2026, 2, 15, 12, tzinfo=datetime.UTC)):
        yield


@dataclass
class Plan:
    cycle: object
    team: object
    key_result: object
    late: object
    other: object


@pytest.fixture
def small_plan(owner) -> Plan:
    cycle = make_cycle(owner, name="Q1 2026", start=D(2026, 1, 1), end=D(2026, 3, 31))
    team = make_team(owner, name="Growth")
    objective = make_objective(
        owner, cycle=cycle, title="Activate accounts", pillar=make_pillar(owner), team=team
    )
    key_result = make_key_result(
        owner, objective=objective, title="Activation 30% to 45%", start_value=30, target_value=45
    )
    roadmap = make_roadmap(owner)
    late = make_initiative(
        owner,
        roadmap=roadmap,
        title="Self-serve onboarding",
        status="in_progress",
        horizon="now",
        team=team,
        start_date=D(2026, 1, 10),
        end_date=D(2026, 4, 20),
        effort=Decimal(6),
    )
    other = make_initiative(
        owner, roadmap=roadmap, title="Pricing page", status="planned", horizon="next", team=team
    )
    contribution_create(initiative=late, key_result=key_result, by=owner)
    contribution_create(initiative=other, key_result=key_result, by=owner)
    team_capacity_set(team=team, cycle=cycle, person_weeks=Decimal(10), by=owner)
    conflicts_detect(workspace=owner.workspace)
    return Plan(cycle, team, key_result, late, other)
