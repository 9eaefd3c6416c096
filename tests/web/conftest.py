"""A small plan in the owner's workspace, which tests can grow to prove that page query
counts do not depend on the number of rows."""

import datetime
from decimal import Decimal

import pytest

from tandem.okrs.models import Commitment, CycleState, Unit
from tandem.okrs.services import key_result_check_in
from tandem.roadmaps.models import Horizon, InitiativeStatus
from tandem.roadmaps.services import insight_create
from tandem.strategy.services import team_set_members
from tests import factories


class Plan:
    def __init__(self, owner):
        self.owner = owner
        self.cycle = factories.make_cycle(owner, name="Q4 2026")
        self.past_cycle = factories.make_cycle(
            owner,
            name="Q3 2026",
            start=datetime.date(2026, 7, 1),
            end=datetime.date(2026, 9, 30),
            state=CycleState.PLANNING,
        )
        self.roadmap = factories.make_roadmap(owner, name="Platform")
        self.rows = 0

    def grow(self, count: int) -> None:
        """Add `count` teams, each with an objective of three key results (one checked in),
        initiatives in every horizon, a finished one and an insight."""
        for _ in range(count):
            self.rows += 1
            n = self.rows
            team = factories.make_team(self.owner, name=f"Team {n:03}")
            team_set_members(team=team, members=[self.owner], by=self.owner)
            objective = factories.make_objective(
                self.owner,
                cycle=self.cycle,
                title=f"Objective {n:03}",
                team=team,
                owner=self.owner,
                commitment=Commitment.ASPIRATIONAL if n % 2 else Commitment.COMMITTED,
            )
            key_result = factories.make_key_result(
                self.owner,
                objective=objective,
                title=f"Activation rate {n:03}",
                unit=Unit.PERCENT,
                start_value=Decimal(30),
                target_value=Decimal(45),
                owner=self.owner,
            )
            key_result_check_in(
                key_result=key_result,
                value=Decimal("37.5"),
                confidence=6,
                date=datetime.date(2026, 11, 2),
                by=self.owner,
            )
            factories.make_key_result(
                self.owner, objective=objective, kind="milestone", title=f"Launch {n:03}"
            )
            factories.make_key_result(
                self.owner,
                objective=objective,
                title=f"Revenue {n:03}",
                unit=Unit.CURRENCY,
                currency="USD",
                start_value=Decimal(10000),
                target_value=Decimal(25000),
            )
            for horizon in Horizon.values:
                factories.make_initiative(
                    self.owner,
                    roadmap=self.roadmap,
                    title=f"Initiative {n:03} {horizon}",
                    horizon=horizon,
                    status=InitiativeStatus.PLANNED,
                    team=team,
                    start_date=datetime.date(2026, 10, 5),
                    end_date=datetime.date(2026, 11, 20),
                    effort=Decimal(3),
                )
            factories.make_initiative(
                self.owner,
                roadmap=self.roadmap,
                title=f"Shipped {n:03}",
                horizon=Horizon.NOW,
                status=InitiativeStatus.DONE,
            )
            insight_create(
                title=f"Customers ask for SSO {n:03}",
                kind="customer_feedback",
                by=self.owner,
            )


@pytest.fixture
def plan(owner) -> Plan:
    plan = Plan(owner)
    plan.grow(2)
    return plan
