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
from tandem.okrs.models import CheckIn, GoalStatus, KeyResult, Objective
from tandem.planning.forecasts import with_forecasts
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
                    last_check_in=rng.choice(
                        [None, TODAY - datetime.timedelta(days=rng.randint(0, 20))]
                    ),
                    check_in_every_days=rng.choice([None, 1, 7, 30]),
                    status=rng.choice([GoalStatus.ACTIVE] * 6 + list(GoalStatus)),
                    position=rng.randint(0, 3),
                )
            )
    KeyResult.objects.bulk_create(key_results)
    CheckIn.objects.bulk_create(
        CheckIn(
            workspace=workspace,
            key_result=kr,
            date=TODAY - datetime.timedelta(days=7 * week),
            value=kr.start_value + (kr.current_value - kr.start_value) * (3 - week) / 3,
            confidence=rng.randint(1, 10),
        )
        for kr in key_results
        if kr.kind != "milestone" and rng.random() < 0.6
        for week in range(3)
    )


def whole_tree(workspace, cycle, share):
    objectives = selectors.annotate(selectors.cycle_objectives(workspace, cycle), share)
    return selectors.tree(workspace, objectives)


def as_the_page_marks_them(workspace, cycle, branches):
    """What the tree page adds to the objectives it shows: forecasts and stale marks."""
    shown = [row[0] for branch in branches for row in branch.rows]
    with_forecasts(shown, TODAY)
    selectors.mark_stale(shown, cycle, TODAY, workspace.check_in_every_days)
    return branches


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
                    objective.likely,
                    objective.stale_count,
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
    workspace = owner.workspace
    expected = as_the_page_marks_them(workspace, cycle, whole_tree(workspace, cycle, share))
    page = as_the_page_marks_them(
        workspace, cycle, selectors.tree_page(workspace, cycle, share, window=None)
    )
    assert figures(page) == figures(expected)
    rows = [row for branch in figures(expected) for row in branch[3]]
    # The plan has what it is meant to: nesting, forecasts, stale and fresh key results.
    assert any(depth > 1 for _, depth, *_ in rows)
    assert any(likely is not None for *_, likely, _ in rows)
    assert {stale > 0 for *_, stale in rows} == {True, False}


def test_a_window_shows_whole_subtrees_and_counts_the_rest(owner):
    cycle = factories.make_cycle(owner, name="Q4 2026")
    varied_plan(owner, cycle, random.Random(7))
    share = selectors.elapsed(cycle, TODAY)
    workspace = owner.workspace
    every = figures(as_the_page_marks_them(workspace, cycle, whole_tree(workspace, cycle, share)))
    shown = figures(
        as_the_page_marks_them(
            workspace, cycle, selectors.tree_page(workspace, cycle, share, window=4)
        )
    )
    assert any(hidden for _, _, hidden, _ in shown)
    for (pillar, progress, _, rows), (*branch, hidden, first) in zip(every, shown, strict=True):
        assert branch == [pillar, progress]
        assert first == rows[: len(first)]  # the same rows, figures and all
        assert hidden == len(rows) - len(first)
        assert len(first) >= min(4, len(rows))
        assert not rows[len(first) :] or rows[len(first)][1] == 0  # cut before a top row
