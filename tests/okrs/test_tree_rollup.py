"""Issue 15: the alignment tree page rolls progress up from plain rows and builds objects only
for the objectives it shows. Its figures must be those of the whole-object roll-up the
executive overview still uses (selectors.tree over annotated objectives), on a plan that
has every case in it."""

import datetime
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from tandem.okrs import selectors
from tandem.okrs.models import GoalStatus, KeyResult, Objective
from tests import factories

TODAY = datetime.date(2026, 11, 15)


def varied_plan(owner, cycle, rng: random.Random) -> None:
    """Objectives nested up to four deep, some aligned to an objective of another cycle or
    to one dropped (roots then), on live or archived pillars or none, some without key
    results; key results of every kind with fractional figures and weights, thresholds
    never checked in, some archived or dropped."""
    workspace = owner.workspace
    pillars = [factories.make_pillar(owner, name=f"Pillar {n}") for n in range(3)]
    pillars[2].archived_at = timezone.now()
    pillars[2].save(update_fields=["archived_at"])
    teams = [factories.make_team(owner, name=f"Team {n}") for n in range(2)]
    elsewhere = factories.make_objective(owner, cycle=factories.make_cycle(owner), title="Old")
    objectives: list[Objective] = []
    for n in range(60):
        parent = rng.choice([None, None, elsewhere, *objectives[-8:]]) if objectives else None
        objectives.append(
            Objective.objects.create(
                workspace=workspace,
                cycle=cycle,
                title=f"Objective {n:02}",
                team=rng.choice([None, *teams]),
                pillar=rng.choice([None, *pillars]),
                parent=parent,
                owner=owner,
                position=rng.randint(0, 5),  # ties: the id decides, as the pages order
                status=GoalStatus.DROPPED if n % 17 == 5 else GoalStatus.ACTIVE,
            )
        )
    key_results = []
    for objective in objectives:
        for _ in range(rng.choice([0, 1, 2, 3, 5])):
            kind = rng.choice(["increase", "decrease", "stay_above", "stay_below", "milestone"])
            start = Decimal(rng.randint(0, 300)) / 7
            if kind == "increase":
                target = start + Decimal(rng.randint(1, 500)) / 3
            elif kind == "decrease":
                target = start - Decimal(rng.randint(1, 500)) / 3
            else:
                target = Decimal(rng.randint(0, 300)) / 7
            current = start + (target - start) * Decimal(rng.random() * 1.4 - 0.2)
            if kind == "milestone":
                start, target, current = Decimal(0), Decimal(1), Decimal(rng.randint(0, 1))
            key_results.append(
                KeyResult(
                    workspace=workspace,
                    objective=objective,
                    title=f"KR of {objective.title}",
                    kind=kind,
                    start_value=round(start, 4),
                    target_value=round(target, 4),
                    current_value=round(current, 4),
                    weight=Decimal(rng.randint(1, 400)) / 100,
                    confidence=rng.choice([None, 2, 5, 9]),
                    last_check_in=rng.choice([None, TODAY - datetime.timedelta(days=3)]),
                    status=rng.choice([GoalStatus.ACTIVE] * 6 + list(GoalStatus)),
                    position=rng.randint(0, 3),
                )
            )
    KeyResult.objects.bulk_create(key_results)


def whole_tree(workspace, cycle, share):
    objectives = selectors.annotate(selectors.cycle_objectives(workspace, cycle), share)
    return selectors.tree(workspace, objectives)


def figures(branches):
    return [
        (
            branch.pillar,
            branch.progress.progress,
            branch.hidden,
            [
                (
                    objective.pk,
                    depth,
                    percent,
                    children,
                    objective.tracking,
                    objective.grade,
                )
                for objective, depth, percent, children in branch.rows
            ],
        )
        for branch in branches
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_page_rolls_up_exactly_what_the_whole_objects_roll_up(owner, seed):
    cycle = factories.make_cycle(owner, name="Q4 2026")
    varied_plan(owner, cycle, random.Random(seed))
    share = selectors.elapsed(cycle, TODAY)
    expected = whole_tree(owner.workspace, cycle, share)
    assert any(row[1] > 1 for branch in expected for row in branch.rows)  # nested, as meant
    page = selectors.tree_page(owner.workspace, cycle, share, window=None)
    assert figures(page) == figures(expected)


def test_a_window_shows_whole_subtrees_and_counts_the_rest(owner):
    cycle = factories.make_cycle(owner, name="Q4 2026")
    varied_plan(owner, cycle, random.Random(7))
    share = selectors.elapsed(cycle, TODAY)
    every = figures(whole_tree(owner.workspace, cycle, share))
    shown = figures(selectors.tree_page(owner.workspace, cycle, share, window=4))
    assert any(hidden for _, _, hidden, _ in shown)
    for (pillar, progress, _, rows), (*branch, hidden, first) in zip(every, shown, strict=True):
        assert branch == [pillar, progress]
        assert first == rows[: len(first)]  # the same rows, figures and all
        assert hidden == len(rows) - len(first)
        assert len(first) >= min(4, len(rows))
        assert not rows[len(first) :] or rows[len(first)][1] == 0  # cut before a top row
