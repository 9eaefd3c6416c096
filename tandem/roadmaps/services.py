"""Writes to roadmaps, initiatives, their links, insights and team capacities."""

import decimal
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from tandem.accounts.access import require_role
from tandem.accounts.models import Member, Role
from tandem.activity.services import record_change, tracked_create, tracked_delete, tracked_update
from tandem.domain.graphs import loop_if_added
from tandem.okrs.models import Cycle, GoalStatus, KeyResult
from tandem.roadmaps.models import (
    Contribution,
    Dependency,
    Initiative,
    Insight,
    InsightStatus,
    Roadmap,
    TeamCapacity,
)
from tandem.strategy.models import Team


def roadmap_create(*, name: str, by: Member, **fields: object) -> Roadmap:
    return tracked_create(Roadmap, by=by, role=Role.EDITOR, name=name.strip(), **fields)


def roadmap_update(*, roadmap: Roadmap, by: Member, reason: str = "", **changes: object) -> Roadmap:
    return tracked_update(roadmap, by=by, role=Role.EDITOR, changes=changes, reason=reason)


def initiative_create(*, roadmap: Roadmap, title: str, by: Member, **fields: object) -> Initiative:
    return tracked_create(
        Initiative, by=by, role=Role.EDITOR, roadmap=roadmap, title=title.strip(), **fields
    )


def initiative_update(
    *, initiative: Initiative, by: Member, reason: str = "", **changes: object
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
    )


def contribution_create(
    *,
    initiative: Initiative,
    key_result: KeyResult,
    by: Member,
    expected_impact: str = "",
    expected_delta: decimal.Decimal | None = None,
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
    )


def contribution_delete(*, contribution: Contribution, by: Member, reason: str = "") -> None:
    tracked_delete(contribution, by=by, role=Role.EDITOR, reason=reason)


@transaction.atomic
def dependency_create(*, initiative: Initiative, depends_on: Initiative, by: Member) -> Dependency:
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
        Dependency, by=by, role=Role.EDITOR, initiative=initiative, depends_on=depends_on
    )


def dependency_delete(*, dependency: Dependency, by: Member, reason: str = "") -> None:
    tracked_delete(dependency, by=by, role=Role.EDITOR, reason=reason)


def insight_create(*, title: str, kind: str, by: Member, **fields: object) -> Insight:
    return tracked_create(
        Insight, by=by, role=Role.EDITOR, title=title.strip(), kind=kind, created_by=by, **fields
    )


def insight_update(*, insight: Insight, by: Member, reason: str = "", **changes: object) -> Insight:
    return tracked_update(insight, by=by, role=Role.EDITOR, changes=changes, reason=reason)


@transaction.atomic
def insight_link(*, insight: Insight, initiatives: Iterable[Initiative], by: Member) -> Insight:
    """Triage an insight onto initiatives (replacing its links)."""
    require_role(by, Role.EDITOR)
    wanted = list(initiatives)
    if any(i.workspace_id != by.workspace_id for i in wanted):
        raise ValidationError({"initiatives": "Every initiative must belong to this workspace."})
    before = sorted(insight.initiatives.values_list("id", flat=True))
    insight.initiatives.set(wanted)
    after = sorted(i.pk for i in wanted)
    if before != after:
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
    *, team: Team, cycle: Cycle, person_weeks: decimal.Decimal, by: Member, reason: str = ""
) -> TeamCapacity:
    existing = (
        TeamCapacity.objects.in_workspace(by.workspace).filter(team=team, cycle=cycle).first()
    )
    if existing is None:
        return tracked_create(
            TeamCapacity, by=by, role=Role.EDITOR, team=team, cycle=cycle, person_weeks=person_weeks
        )
    return tracked_update(
        existing, by=by, role=Role.EDITOR, changes={"person_weeks": person_weeks}, reason=reason
    )
