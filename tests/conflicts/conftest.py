"""A plan with one late initiative (a conflict with a one-click fix) and one key result
nobody works on (a conflict whose fix needs a choice), in an active Q1 frozen mid-quarter."""

import datetime
from dataclasses import dataclass

import pytest
import time_machine

from tandem.conflicts.detection import conflicts_detect
from tandem.conflicts.models import Conflict
from tandem.okrs.models import KeyResult
from tandem.roadmaps.services import contribution_create
from tests.factories import (
    make_cycle,
    make_initiative,
    make_key_result,
    make_objective,
    make_pillar,
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
    initiative: object
    key_result: object
    unsupported: object
    late: Conflict
    unsupported_conflict: Conflict


@pytest.fixture
def conflicted(owner) -> Plan:
    cycle = make_cycle(owner, name="Q1 2026", start=D(2026, 1, 1), end=D(2026, 3, 31))
    team = make_team(owner, name="Growth")
    pillar = make_pillar(owner, name="Retention")
    objective = make_objective(
        owner, cycle=cycle, title="Activate accounts", pillar=pillar, team=team
    )
    key_result = make_key_result(
        owner,
        objective=objective,
        title="Activation rate 30% to 45%",
        start_value=30,
        target_value=45,
    )
    unsupported = make_key_result(owner, objective=objective, title="Churn below 2%")
    initiative = make_initiative(
        owner,
        title="Self-serve onboarding",
        status="in_progress",
        horizon="now",
        team=team,
        start_date=D(2026, 1, 10),
        end_date=D(2026, 4, 20),
    )
    contribution_create(initiative=initiative, key_result=key_result, by=owner)
    # Written at the start of the quarter: past the grace period new key results get.
    KeyResult.objects.filter(objective=objective).update(
        created_at=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)
    )
    conflicts_detect(workspace=owner.workspace)
    found = Conflict.objects.in_workspace(owner.workspace)
    return Plan(
        cycle=cycle,
        team=team,
        initiative=initiative,
        key_result=key_result,
        unsupported=unsupported,
        late=found.get(rule="late_delivery"),
        unsupported_conflict=found.get(rule="unsupported_key_result"),
    )
