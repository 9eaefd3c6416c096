"""Large, plausible plans written with bulk inserts (the services would take minutes and
would record a ChangeEvent per row, which a benchmark of reads does not need)."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from tandem.accounts.models import Member, Role, User, Workspace
from tandem.domain.calendar import next_quarter, previous_quarter, quarter_of
from tandem.okrs.models import Cycle, KeyResult, Objective
from tandem.roadmaps.models import Contribution, Dependency, Initiative, Roadmap, TeamCapacity
from tandem.strategy.models import Pillar, Team

BATCH = 2000


def build_plan(
    *,
    slug: str,
    teams: int,
    objectives: int,
    key_results: int,
    initiatives: int,
    contributions: int,
    dependencies: int,
    seed: int = 7,
) -> Workspace:
    rng = random.Random(seed)
    today = timezone.localdate()
    user, _ = User.objects.get_or_create(email=f"bench@{slug}.example", defaults={"name": "Bench"})
    workspace = Workspace.objects.create(name=f"Bench {slug}", slug=slug)
    Member.objects.create(workspace=workspace, user=user, role=Role.OWNER)
    ws = {"workspace": workspace}

    spans = [previous_quarter(today), quarter_of(today), next_quarter(today)]
    cycles = Cycle.objects.bulk_create(
        Cycle(**ws, name=s.name, start=s.start, end=s.end, state=state)
        for s, state in zip(spans, ["closed", "active", "planning"], strict=True)
    )
    pillars = Pillar.objects.bulk_create(Pillar(**ws, name=f"Pillar {i}") for i in range(6))
    team_rows = Team.objects.bulk_create(Team(**ws, name=f"Team {i:03}") for i in range(teams))
    TeamCapacity.objects.bulk_create(
        (
            TeamCapacity(**ws, team=t, cycle=c, person_weeks=Decimal(rng.randint(20, 60)))
            for t in team_rows
            for c in cycles[1:]
        ),
        batch_size=BATCH,
    )
    objective_rows = Objective.objects.bulk_create(
        (
            Objective(
                **ws,
                cycle=cycles[1 + (i % 4 == 0)],
                title=f"Objective {i}",
                pillar=rng.choice(pillars) if i % 9 else None,
                team=rng.choice(team_rows),
            )
            for i in range(objectives)
        ),
        batch_size=BATCH,
    )
    elapsed = spans[1].elapsed_share(today)
    kr_rows = KeyResult.objects.bulk_create(
        (
            KeyResult(
                **ws,
                objective=objective_rows[i % objectives],
                title=f"Key result {i}",
                kind="increase",
                start_value=Decimal(0),
                target_value=Decimal(100),
                # Most key results move roughly at pace; some fall behind.
                current_value=Decimal(max(0, min(100, round(elapsed * 100 + rng.gauss(0, 15))))),
                last_check_in=today - datetime.timedelta(days=rng.randint(0, 20)),
                confidence=min(10, max(0, round(rng.gauss(7, 1.5)))),
            )
            for i in range(key_results)
        ),
        batch_size=BATCH,
    )
    roadmap = Roadmap.objects.create(**ws, name="Product")
    current = cycles[1]
    statuses = ["idea", "planned", "in_progress", "done", "dropped"]
    initiative_rows = []
    for i in range(initiatives):
        status = rng.choices(statuses, weights=[15, 35, 30, 15, 5])[0]
        start = current.start + datetime.timedelta(days=rng.randint(-30, 50))
        end = start + datetime.timedelta(days=rng.randint(14, 45))
        dated = status != "idea" and i % 10 != 0
        # As teams plan: work under way or starting soon sits in Now, the rest later.
        if status in {"in_progress", "done"} or start <= today + datetime.timedelta(days=14):
            horizon = "now"
        else:
            horizon = "next" if start <= current.end else "later"
        initiative_rows.append(
            Initiative(
                **ws,
                roadmap=roadmap,
                title=f"Initiative {i}",
                status=status,
                horizon=horizon,
                position=i,
                start_date=start if dated else None,
                end_date=end if dated else None,
                team=rng.choice(team_rows),
                effort=Decimal(rng.randint(1, 8)),
                reach=rng.randint(0, 5000),
            )
        )
    initiative_rows = Initiative.objects.bulk_create(initiative_rows, batch_size=BATCH)
    # Every key result gets work first, then the rest of the links fall at random.
    pairs: set[tuple[int, int]] = {(rng.randrange(initiatives), k) for k in range(key_results)}
    while len(pairs) < contributions:
        pairs.add((rng.randrange(initiatives), rng.randrange(key_results)))
    Contribution.objects.bulk_create(
        (
            Contribution(**ws, initiative=initiative_rows[i], key_result=kr_rows[k])
            for i, k in sorted(pairs)
        ),
        batch_size=BATCH,
    )
    edges: set[tuple[int, int]] = set()
    while len(edges) < dependencies:
        a, b = sorted(rng.sample(range(initiatives), 2))
        edges.add((b, a))  # later depends on earlier: never a loop
    Dependency.objects.bulk_create(
        (
            Dependency(**ws, initiative=initiative_rows[a], depends_on=initiative_rows[b])
            for a, b in sorted(edges)
        ),
        batch_size=BATCH,
    )
    return workspace
