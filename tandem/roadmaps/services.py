"""Writes to roadmaps, initiatives, their links, insights and team capacities."""

import decimal
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tandem.accounts.access import require_role
from tandem.accounts.models import Member, Role
from tandem.activity.services import record_change, tracked_create, tracked_delete, tracked_update
from tandem.core.versioning import StaleVersion, bump_version, check_version
from tandem.domain.graphs import loop_if_added
from tandem.okrs.models import Cycle, GoalStatus, KeyResult
from tandem.roadmaps.models import (
    Contribution,
    Dependency,
    Horizon,
    Initiative,
    Insight,
    InsightStatus,
    Roadmap,
    TeamCapacity,
)
from tandem.strategy.models import Team


def roadmap_create(*, name: str, by: Member, **fields: Any) -> Roadmap:
    return tracked_create(Roadmap, by=by, role=Role.EDITOR, name=name.strip(), **fields)


def roadmap_update(
    *,
    roadmap: Roadmap,
    by: Member,
    reason: str = "",
    expected_version: int | None = None,
    **changes: object,
) -> Roadmap:
    return tracked_update(
        roadmap,
        by=by,
        role=Role.EDITOR,
        changes=changes,
        reason=reason,
        expected_version=expected_version,
    )


def initiative_create(*, roadmap: Roadmap, title: str, by: Member, **fields: Any) -> Initiative:
    return tracked_create(
        Initiative, by=by, role=Role.EDITOR, roadmap=roadmap, title=title.strip(), **fields
    )


@transaction.atomic
def initiative_create_from_insight(
    *, insight: Insight, roadmap: Roadmap, title: str, by: Member, **fields: Any
) -> Initiative:
    """An initiative born of an insight, which becomes its first evidence (the insight's
    other links stay)."""
    initiative = initiative_create(roadmap=roadmap, title=title, by=by, **fields)
    insight_link(insight=insight, initiatives=[*insight.initiatives.all(), initiative], by=by)
    return initiative


def initiative_update(
    *,
    initiative: Initiative,
    by: Member,
    reason: str = "",
    expected_version: int | None = None,
    **changes: object,
) -> Initiative:
    """Every move (horizon, dates, status, order) is recorded, so history can be replayed."""
    moved = {"horizon", "position", "start_date", "end_date", "status"} & set(changes)
    return tracked_update(
        initiative,
        by=by,
        role=Role.EDITOR,
        changes=changes,
        action="moved" if moved and set(changes) <= moved else "updated",
        reason=reason,
        expected_version=expected_version,
    )


POSITION_STEP = 1024


class StaleBoard(Exception):
    """The board the move was made on no longer matches the plan: someone moved a card
    meanwhile. Nothing is written; the caller shows the current board instead."""


@transaction.atomic
def initiative_move(
    *,
    initiative: Initiative,
    horizon: str,
    by: Member,
    after: Initiative | None = None,
    before: Initiative | None = None,
    seen: Mapping[int, tuple[str, int]] | None = None,
    expected_version: int | None = None,
    reason: str = "",
) -> Initiative:
    """Place `initiative` in `horizon`, right after `after` (or right before `before`, or
    at the end of the column). The one move of every door: the board's drag (through the
    API), its Move menu, the API and plan files. `expected_version` is the version the mover
    read (StaleVersion if it changed since, even when the card would not move); `seen` maps
    ids to the (horizon, position) the mover saw, StaleBoard if any differs now. Either way
    nothing is overwritten. A neighbour must be in the target column.

    Positions leave gaps, so a move writes one row; only when a gap is used up is the
    column renumbered, which keeps every card's order and so records no move."""
    require_role(by, Role.EDITOR)
    check_version(initiative, expected_version)
    if horizon not in Horizon.values:
        raise ValidationError({"horizon": "Choose Now, Next or Later."})
    column_rows = (
        Initiative.objects.in_workspace(by.workspace)
        .select_for_update()
        .filter(horizon=horizon)
        .exclude(pk=initiative.pk)
        .on_board()
    )
    column = list(column_rows.values_list("id", "position"))
    if seen:
        rows = (
            Initiative.objects.in_workspace(by.workspace)
            .filter(pk__in=list(seen))
            .values_list("id", "horizon", "position")
        )
        current = {pk: (h, p) for pk, h, p in rows}
        for pk, shown in seen.items():
            if current.get(pk) != tuple(shown):
                raise StaleBoard(pk)
    ids = [pk for pk, _ in column]
    for neighbour, field in ((after, "after"), (before, "before")):
        if neighbour is not None and neighbour.pk not in ids:
            raise ValidationError({field: "That initiative is not in the target column."})
    if after is not None:
        index = ids.index(after.pk) + 1
    elif before is not None:
        index = ids.index(before.pk)
    else:
        index = len(ids)
    low = column[index - 1][1] if index > 0 else None
    high = column[index][1] if index < len(column) else None
    if low is None and high is None:
        position = POSITION_STEP
    elif low is None:
        position = high // 2 if high and high > 0 else -1
    elif high is None:
        position = low + POSITION_STEP
    else:
        position = (low + high) // 2 if high - low > 1 else -1
    if position < 0 or (low is not None and position <= low):
        position = _renumber(column, index)
    if initiative.horizon == horizon and initiative.position == position:
        return initiative
    return initiative_update(
        initiative=initiative,
        by=by,
        reason=reason,
        expected_version=expected_version,
        horizon=horizon,
        position=position,
    )


def _renumber(column: list[tuple[int, int]], gap_at: int) -> int:
    """Spread the column out again, leaving a free slot at `gap_at`; returns that slot."""
    changed = []
    for index, (pk, position) in enumerate(column):
        wanted = (index + 1 + (index >= gap_at)) * POSITION_STEP
        if wanted != position:
            changed.append(Initiative(pk=pk, position=wanted))
    Initiative.objects.bulk_update(changed, ["position"], batch_size=500)
    return (gap_at + 1) * POSITION_STEP


def contribution_create(
    *,
    initiative: Initiative,
    key_result: KeyResult,
    by: Member,
    expected_impact: str = "",
    expected_delta: decimal.Decimal | None = None,
    reason: str = "",
) -> Contribution:
    if key_result.status != GoalStatus.ACTIVE:
        raise ValidationError({"key_result": "That key result is archived or dropped."})
    return tracked_create(
        Contribution,
        by=by,
        role=Role.EDITOR,
        initiative=initiative,
        key_result=key_result,
        expected_impact=expected_impact.strip(),
        expected_delta=expected_delta,
        reason=reason,
    )


def contribution_delete(*, contribution: Contribution, by: Member, reason: str = "") -> None:
    tracked_delete(contribution, by=by, role=Role.EDITOR, reason=reason)


@transaction.atomic
def dependency_create(
    *, initiative: Initiative, depends_on: Initiative, by: Member, reason: str = ""
) -> Dependency:
    edges: dict[int, list[int]] = defaultdict(list)
    pairs = Dependency.objects.in_workspace(by.workspace).values_list(
        "initiative_id", "depends_on_id"
    )
    for dependent, prerequisite in pairs:
        edges[dependent].append(prerequisite)
    loop = loop_if_added(edges, initiative.pk, depends_on.pk)
    if loop is not None and len(loop) > 2:
        titles = dict(
            Initiative.objects.in_workspace(by.workspace)
            .filter(pk__in=loop)
            .values_list("id", "title")
        )
        names = " → ".join(f"'{titles[pk]}'" for pk in loop)
        raise ValidationError({"depends_on": f"This would close a loop: {names}."})
    return tracked_create(
        Dependency,
        by=by,
        role=Role.EDITOR,
        initiative=initiative,
        depends_on=depends_on,
        reason=reason,
    )


def dependency_delete(*, dependency: Dependency, by: Member, reason: str = "") -> None:
    tracked_delete(dependency, by=by, role=Role.EDITOR, reason=reason)


def insight_create(*, title: str, kind: str, by: Member, **fields: Any) -> Insight:
    return tracked_create(
        Insight, by=by, role=Role.EDITOR, title=title.strip(), kind=kind, created_by=by, **fields
    )


def insight_update(
    *,
    insight: Insight,
    by: Member,
    reason: str = "",
    expected_version: int | None = None,
    **changes: object,
) -> Insight:
    return tracked_update(
        insight,
        by=by,
        role=Role.EDITOR,
        changes=changes,
        reason=reason,
        expected_version=expected_version,
    )


@transaction.atomic
def insight_link(
    *,
    insight: Insight,
    initiatives: Iterable[Initiative],
    by: Member,
    expected_version: int | None = None,
) -> Insight:
    """Triage an insight onto initiatives (replacing its links)."""
    require_role(by, Role.EDITOR)
    wanted = list(initiatives)
    if any(i.workspace_id != by.workspace_id for i in wanted):
        raise ValidationError({"initiatives": "Every initiative must belong to this workspace."})
    check_version(insight, expected_version)
    before = sorted(insight.initiatives.values_list("id", flat=True))
    after = sorted(i.pk for i in wanted)
    if before != after:
        bump_version(insight, expected_version)
        insight.initiatives.set(wanted)
        record_change(
            by=by,
            obj=insight,
            action="triaged",
            before={"initiatives": before},
            after={"initiatives": after},
        )
    if wanted and insight.status == InsightStatus.NEW:
        tracked_update(insight, by=by, role=Role.EDITOR, changes={"status": InsightStatus.TRIAGED})
    return insight


def team_capacity_set(
    *,
    team: Team,
    cycle: Cycle,
    person_weeks: decimal.Decimal,
    by: Member,
    reason: str = "",
    expected_version: int | None = None,
) -> TeamCapacity:
    """Version 0 is a capacity not set yet."""
    existing = (
        TeamCapacity.objects.in_workspace(by.workspace).filter(team=team, cycle=cycle).first()
    )
    if existing is None:
        if expected_version:
            raise StaleVersion(TeamCapacity(team=team, cycle=cycle), expected_version, 0)
        return tracked_create(
            TeamCapacity,
            by=by,
            role=Role.EDITOR,
            team=team,
            cycle=cycle,
            person_weeks=person_weeks,
            reason=reason,
        )
    return tracked_update(
        existing,
        by=by,
        role=Role.EDITOR,
        changes={"person_weeks": person_weeks},
        reason=reason,
        expected_version=expected_version,
    )
