"""Reads for the OKR pages: a cycle's objectives and key results with their status, in a
fixed number of queries, the maths done by tandem.domain."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from tandem.accounts.models import Member, Workspace
from tandem.core.rows import all_rows, count_rows, values_rows
from tandem.domain.alignment import (
    KeyResultFigures,
    PillarBranch,
    Status,
    alignment_tree,
    key_result_status,
    objective_status,
    own_progress,
    window_cut,
)
from tandem.domain.alignment import Node as TreeNode
from tandem.domain.calendar import Span
from tandem.domain.freshness import rhythm, staleness
from tandem.domain.progress import objective_progress
from tandem.domain.similar import Match, similar
from tandem.okrs.filters import KeyResultFilters
from tandem.okrs.models import Cycle, CycleState, GoalStatus, KeyResult, Objective
from tandem.strategy.models import Pillar


def elapsed(cycle: Cycle, today: datetime.date) -> float:
    return Span(cycle.name, cycle.start, cycle.end).elapsed_share(today)


def figures(kr: KeyResult) -> KeyResultFigures:
    return KeyResultFigures(
        kind=kr.kind,
        start=float(kr.start_value),
        target=float(kr.target_value),
        current=float(kr.current_value),
        weight=float(kr.weight),
        confidence=kr.confidence,
        checked_in=kr.last_check_in is not None,
    )


def live_key_results(*, owners: bool = True) -> "Prefetch[str, QuerySet[KeyResult], str]":
    """An objective's live key results as `.live_key_results`; with their owners for pages
    that name them (the API's objective carries only their progress)."""
    live = KeyResult.objects.filter(status=GoalStatus.ACTIVE)
    return Prefetch(
        "key_results",
        queryset=live.select_related("owner__user") if owners else live,
        to_attr="live_key_results",
    )


def live_key_results_of(
    objective: Objective, *, only: Sequence[str] | None = None
) -> list[KeyResult]:
    """What `live_key_results(owners=False)` prefetches, for one objective: an API call
    reading one objective spends no time composing its SQL (tandem.core.rows); with
    `only`, the key results hold those fields alone."""
    return all_rows(
        KeyResult,
        where={
            "workspace": objective.workspace_id,
            "objective": objective.pk,
            "status": GoalStatus.ACTIVE,
        },
        only=only,
    )


@dataclass(slots=True)
class KeyResultRow:
    """A key result as the API's list shows it, read as a plain row with what its forecast
    needs (its objective's status, its cycle): no model instance is made."""

    id: int
    external_source: str
    external_id: str
    external_url: str
    version: int
    objective_id: int
    title: str
    kind: str
    unit: str
    currency: str
    start_value: Decimal
    target_value: Decimal
    current_value: Decimal
    weight: Decimal
    owner_id: int | None
    confidence: int | None
    last_check_in: datetime.date | None
    check_in_every_days: int | None
    needs_no_initiative: bool
    status: str
    grade: Decimal | None
    objective_status: str
    cycle_state: str
    cycle_start: datetime.date
    cycle_end: datetime.date
    forecast_outcome: Any = None  # set by the list, read by KeyResultOut


# KeyResultRow's columns in order: its own, then its objective's status and its cycle's.
KEY_RESULT_COLUMNS = (
    *list(KeyResultRow.__dataclass_fields__)[:-5],
    "objective.status",
    "objective.cycle.state",
    "objective.cycle.start",
    "objective.cycle.end",
)


def key_result_rows(
    workspace_id: int, filters: KeyResultFilters, *, limit: int, offset: int
) -> tuple[int, list[KeyResultRow]]:
    """How many key results of the workspace the filters keep, and the window of them from
    `offset` in their own order: two queries, their SQL written once (tandem.core.rows)."""
    where = {"workspace": workspace_id, **filters.columns()}
    count = count_rows(KeyResult, where=where)
    rows = values_rows(
        KeyResult, columns=KEY_RESULT_COLUMNS, where=where, limit=limit, offset=offset
    )
    return count, [KeyResultRow(*row) for row in rows]


def current_cycle(workspace: Workspace) -> Cycle | None:
    """The cycle shown when none is asked for: the latest active one, else the latest."""
    cycles = Cycle.objects.in_workspace(workspace).order_by("-start")
    return cycles.filter(state=CycleState.ACTIVE).first() or cycles.first()


def cycle_objectives(
    workspace: Workspace, cycle: Cycle, *, owners: bool = True
) -> QuerySet[Objective]:
    """The cycle's live objectives with team, owner, pillar and live key results: 2 queries.
    Without `owners`, for a page that names no owner (the tree), only their cycle and team
    come along: thousands of rows build a third of the objects."""
    related = ("cycle", "team", "owner__user", "pillar", "parent") if owners else ("cycle", "team")
    return (
        Objective.objects.in_workspace(workspace)
        .in_cycle(cycle)
        .active()
        .select_related(*related)
        .prefetch_related(live_key_results(owners=owners))
    )


def annotate(objectives: Iterable[Objective], share: float) -> list[Objective]:
    """Set `.tracking` (a Status) on each objective and each of its live key results,
    `share` being the elapsed share of their cycle."""
    annotated = []
    for objective in objectives:
        krs = objective.live_key_results  # type: ignore[attr-defined]  # set by Prefetch(to_attr=)
        for kr in krs:
            kr.tracking = key_result_status(figures(kr), share)
        objective.tracking = objective_status([figures(kr) for kr in krs], share)  # type: ignore[attr-defined]  # read by pages and exports
        objective.grade = objective_grade(krs)  # type: ignore[attr-defined]  # read by pages and exports
        annotated.append(objective)
    return annotated


def similar_objectives(cycle: Cycle, title: str, *, exclude: int | None = None) -> list[Match]:
    """Live objectives of the cycle whose title reads like `title`: a warning, never a
    refusal (one query over the titles)."""
    titles = (
        Objective.objects.in_workspace(cycle.workspace_id)
        .filter(cycle=cycle, status=GoalStatus.ACTIVE)
        .exclude(Q() if exclude is None else Q(pk=exclude))
        .values_list("id", "title")
    )
    return similar(title, titles)


def objective_grade(key_results: Iterable[KeyResult]) -> float | None:
    """The weighted mean of its key results' grades (None until one is graded)."""
    return objective_progress(
        (None if kr.grade is None else float(kr.grade), float(kr.weight)) for kr in key_results
    )


def mark_stale(
    objectives: Iterable[Objective], cycle: Cycle, today: datetime.date, workspace_rhythm: int
) -> None:
    """Set `.stale` (a Staleness, or None while fresh) on each live key result of an open
    cycle, and `.stale_count` on its objective: the lists and the tree mark them."""
    for objective in objectives:
        count = 0
        for kr in objective.live_key_results:  # type: ignore[attr-defined]  # set by Prefetch(to_attr=)
            kr.stale = None
            if cycle.state != CycleState.CLOSED:
                kr.stale = staleness(
                    last_check_in=kr.last_check_in,
                    created=timezone.localdate(kr.created_at),
                    today=today,
                    every=rhythm(kr.check_in_every_days, workspace_rhythm),
                )
            count += kr.stale is not None
        objective.stale_count = count  # type: ignore[attr-defined]  # read by the OKR page


def mine(objectives: Iterable[Objective], member: Member) -> list[Objective]:
    """Objectives the member owns, or that hold a key result they own."""
    return [
        o
        for o in objectives
        if o.owner_id == member.pk or any(kr.owner_id == member.pk for kr in o.live_key_results)  # type: ignore[attr-defined]  # set by Prefetch(to_attr=)
    ]


@dataclass(frozen=True)
class Branch:
    pillar: Pillar | None
    progress: Status
    rows: list[tuple[Objective, int, int | None, int]]  # objective, depth, percent, children
    hidden: int = 0  # rows past the page's window (see okr_tree)


def tree(workspace: Workspace, objectives: list[Objective]) -> list[Branch]:
    """The whole alignment tree of annotated objectives (1 query, for the pillars)."""
    by_id = {o.pk: o for o in objectives}
    nodes = [
        TreeNode(o.pk, o.parent_id, o.pillar_id, o.tracking.progress)  # type: ignore[attr-defined]  # set by annotate above
        for o in objectives
    ]
    pillars = _live_pillars(workspace)
    branches = alignment_tree(nodes, [p.pk for p in pillars])
    return _shown(branches, pillars, by_id, [len(b.rows) for b in branches])


def tree_page(
    workspace: Workspace, cycle: Cycle, share: float, *, window: int | None
) -> list[Branch]:
    """The cycle's alignment tree for its page, rolled up from plain rows (objectives, their
    live key results' figures, the pillars: 3 queries); with `window`, each branch shows its
    first objectives (whole subtrees, at least `window` rows) and counts the rest. Only the
    objectives shown become annotated model objects, their key results plain rows (2
    queries): at 5,000 key results, building every one cost more than the rest of the page."""
    live = Objective.objects.in_workspace(workspace).in_cycle(cycle).active()
    rows = list(live.values_list("id", "parent_id", "pillar_id"))
    figures = (
        KeyResult.objects.in_workspace(workspace)
        .in_cycle(cycle)
        .active()
        .values_list(
            "objective_id",
            "kind",
            "start_value",
            "target_value",
            "current_value",
            "weight",
            "last_check_in",
        )
    )
    own = own_progress(
        (objective, kind, float(start), float(target), float(now), float(weight), last is not None)
        for objective, kind, start, target, now, weight, last in figures
    )
    nodes = [TreeNode(id, parent, pillar, own.get(id)) for id, parent, pillar in rows]
    pillars = _live_pillars(workspace)
    branches = alignment_tree(nodes, [p.pk for p in pillars])
    cuts = [len(b.rows) if window is None else window_cut(b.rows, window) for b in branches]
    shown = Objective.objects.in_workspace(workspace).in_cycle(cycle).active()
    key_results = KeyResult.objects.in_workspace(workspace).in_cycle(cycle).active()
    if any(cut < len(b.rows) for b, cut in zip(branches, cuts, strict=True)):
        ids = [r.id for b, cut in zip(branches, cuts, strict=True) for r in b.rows[:cut]]
        shown, key_results = shown.filter(pk__in=ids), key_results.filter(objective__in=ids)
    by_objective: dict[int, list[LiveKeyResult]] = {}
    for row in key_results.values_list(*LIVE_KEY_RESULT_COLUMNS):
        by_objective.setdefault(row[1], []).append(LiveKeyResult(*row))
    objectives = list(shown.select_related("team"))
    for objective in objectives:
        objective.cycle = cycle  # one object for them all, as forecasts read it
        objective.live_key_results = by_objective.get(objective.pk, [])  # type: ignore[attr-defined]  # as live_key_results() sets it
    by_id = {o.pk: o for o in annotate(objectives, share)}
    return _shown(branches, pillars, by_id, cuts)


LIVE_KEY_RESULT_COLUMNS = (
    "id",
    "objective_id",
    "kind",
    "start_value",
    "target_value",
    "current_value",
    "weight",
    "confidence",
    "last_check_in",
    "grade",
    "created_at",
    "check_in_every_days",
)


@dataclass
class LiveKeyResult:
    """A live key result of an objective the tree shows, read as a plain row under the
    model's names: annotate, mark_stale and with_forecasts read (and mark) it as they do a
    KeyResult, which cost four times as much to build and the page shows none of it."""

    pk: int
    objective_id: int
    kind: str
    start_value: Decimal
    target_value: Decimal
    current_value: Decimal
    weight: Decimal
    confidence: int | None
    last_check_in: datetime.date | None
    grade: Decimal | None
    created_at: datetime.datetime
    check_in_every_days: int | None
    status: str = GoalStatus.ACTIVE  # read live: KeyResult.objects.active()
    objective: Objective | None = None  # with_forecasts sets it
    tracking: Status | None = None  # annotate sets it
    stale: Any = None  # mark_stale sets it
    forecast: Any = None  # with_forecasts sets it


def _live_pillars(workspace: Workspace) -> list[Pillar]:
    return list(Pillar.objects.in_workspace(workspace).filter(archived_at__isnull=True))


def _shown(
    branches: list[PillarBranch],
    pillars: list[Pillar],
    objectives: dict[int, Objective],
    cuts: list[int],
) -> list[Branch]:
    """Branches as pages show them: each branch's first `cut` rows with their objectives (a
    row whose objective went meanwhile is left out), and how many rows are past the cut."""
    pillar_by_id = {p.pk: p for p in pillars}
    return [
        Branch(
            pillar_by_id.get(b.pillar_id) if b.pillar_id is not None else None,
            Status(b.rolled, None, None),
            [
                (
                    objectives[r.id],
                    r.depth,
                    None if r.rolled is None else round(r.rolled * 100),
                    r.children,
                )
                for r in b.rows[:cut]
                if r.id in objectives
            ],
            hidden=len(b.rows) - cut,
        )
        for b, cut in zip(branches, cuts, strict=True)
    ]
