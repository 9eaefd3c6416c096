"""The cycle overview, the alignment tree and my OKRs read the same number of queries with
10 objectives as with 1,000.

Each budget: session and user (2), membership (1), the switcher's workspaces (1), the
header's active cycle (1), the navigation's unread notifications and open conflicts
counted (2), then the page: cycles
for the picker, objectives with team/owner/pillar/parent, their live key results, the
conflict badges, the key results' check-ins and live work for their forecasts. The tree
rolls up from plain rows (objectives, key results' figures, pillars) and then loads the
objectives it shows with their key results: two more.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tandem.okrs.models import CheckIn, KeyResult, Objective
from tests import factories

LAYOUT = 7
# okr_list also reads the lessons that apply to the cycle (its own, or the last closed one's).
BUDGETS = {"okr_list": LAYOUT + 7, "okr_tree": LAYOUT + 9, "okr_mine": LAYOUT + 6}


def grow(owner, cycle, teams, pillars, count):
    """`count` objectives in bulk (services would take minutes for 1,000), every other one
    aligned to the one before, each with two key results."""
    start = Objective.objects.count()
    objectives = Objective.objects.bulk_create(
        Objective(
            workspace=owner.workspace,
            cycle=cycle,
            title=f"Objective {start + n:04}",
            team=teams[n % len(teams)],
            pillar=pillars[n % len(pillars)],
            owner=owner,
            position=n,
        )
        for n in range(count)
    )
    for previous, objective in zip(objectives[::2], objectives[1::2], strict=False):
        objective.parent = previous
    Objective.objects.bulk_update(objectives, ["parent"])
    key_results = KeyResult.objects.bulk_create(
        KeyResult(
            workspace=owner.workspace,
            objective=objective,
            title=f"KR {objective.title} {kind}",
            kind=kind,
            start_value=Decimal(start_value),
            target_value=Decimal(target),
            current_value=Decimal(current),
            confidence=6,
            owner=owner,
        )
        for objective in objectives
        for kind, start_value, target, current in [
            ("increase", 0, 100, 40),
            ("decrease", 200, 0, 150),
        ]
    )
    # Three check-ins each, so every key result is forecast.
    CheckIn.objects.bulk_create(
        CheckIn(
            workspace=owner.workspace,
            key_result=kr,
            date=datetime.date(2026, 10, 5 + 7 * week),
            value=kr.current_value * week / 2,
            confidence=6,
        )
        for kr in key_results
        for week in range(3)
    )


@pytest.mark.parametrize(("name", "budget"), BUDGETS.items())
def test_okr_pages_do_not_grow_with_objectives(
    name, budget, owner, client_as, django_assert_num_queries
):
    cycle = factories.make_cycle(owner, name="Q4 2026")
    teams = [factories.make_team(owner, name=f"Team {n}") for n in range(3)]
    pillars = [factories.make_pillar(owner, name=f"Pillar {n}") for n in range(2)]
    grow(owner, cycle, teams, pillars, 10)
    client = client_as(owner)
    url = reverse(name, kwargs={"workspace": owner.workspace.slug})
    with django_assert_num_queries(budget):
        assert "Objective 0009" in client.get(url).content.decode()
    grow(owner, cycle, teams, pillars, 990)
    with django_assert_num_queries(budget):
        html = client.get(url).content.decode()
    if name == "okr_tree":  # a branch shows its first objectives, ?all=1 every one
        assert "more objectives in this branch" in html
        with django_assert_num_queries(budget):
            html = client.get(url, {"all": "1"}).content.decode()
    assert "Objective 0999" in html
    assert "% likely" in html
