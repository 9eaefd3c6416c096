"""The executive overview: one page, printable on one sheet, that answers "are we going to
make it, what is in the way, and what moved": per pillar and objective, progress against
pace and the forecast; open conflicts by severity; drift since the cycle's baseline; key
results nobody has checked in on for two weeks; what changed this week.

A fixed number of queries whatever the size of the plan; the maths in tandem.domain."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Case, Count, When
from django.utils import timezone

from tandem.accounts.models import Workspace
from tandem.activity.models import ChangeEvent
from tandem.conflicts.badges import Badge, conflict_badges
from tandem.conflicts.models import Conflict
from tandem.domain import baselines as drift
from tandem.okrs import selectors
from tandem.okrs.models import Cycle, CycleState, KeyResult, Objective
from tandem.planning.forecasts import with_forecasts
from tandem.planning.snapshot import load_plan
from tandem.reviews.baselines import cycle_baseline
from tandem.reviews.models import Baseline

SILENT_AFTER = datetime.timedelta(days=14)
WEEK = datetime.timedelta(days=7)
SEVERITIES = ("high", "medium", "low")
TOP_CONFLICTS = 4
TOP_SILENT = 6
TOP_EVENTS = 6
TOP_DRIFT = 4
# How a week's changes are counted: "12 check-ins, 4 edits, 2 conflicts opened".
COUNTED_AS = {
    "checked_in": "check-ins",
    "created": "additions",
    "updated": "edits",
    "moved": "moves",
    "archived": "archivings",
    "deleted": "removals",
    "conflict_opened": "conflicts opened",
    "conflict_closed": "conflicts closed",
    "decision_recorded": "decisions",
}


@dataclass(frozen=True)
class SilentKeyResult:
    key_result: KeyResult
    objective: Objective
    since: datetime.date  # the last check-in, or when it could first have had one
    days: int
    never: bool


@dataclass(frozen=True)
class Drift:
    baseline: Baseline
    index: int  # percent of the cycle's commitments changed
    changes: list[drift.Change]
    counts: list[tuple[str, int]]  # ("retargeted", 2), ... most first


@dataclass
class ExecutiveOverview:
    cycle: Cycle | None
    elapsed: int = 0
    branches: list[selectors.Branch] = field(default_factory=list)
    objective_count: int = 0
    behind_count: int = 0
    likely: float | None = None
    conflict_counts: list[tuple[str, int]] = field(default_factory=list)
    conflict_total: int = 0
    top_conflicts: list[Conflict] = field(default_factory=list)
    drift: Drift | None = None
    silent: list[SilentKeyResult] = field(default_factory=list)
    silent_total: int = 0
    week_counts: list[tuple[str, int]] = field(default_factory=list)
    week_total: int = 0
    week_events: list[ChangeEvent] = field(default_factory=list)
    badges: dict[tuple[str, int], Badge] = field(default_factory=dict)


def executive_overview(
    workspace: Workspace, cycle: Cycle | None, today: datetime.date
) -> ExecutiveOverview:
    overview = ExecutiveOverview(cycle)
    if cycle is not None:
        share = selectors.elapsed(cycle, today)
        overview.elapsed = round(share * 100)
        objectives = selectors.annotate(selectors.cycle_objectives(workspace, cycle), share)
        objectives = with_forecasts(objectives, today)
        overview.branches = selectors.tree(workspace, objectives)
        overview.badges = conflict_badges(workspace)
        overview.objective_count = len(objectives)
        # tracking and likely: set on each objective by selectors.annotate and with_forecasts.
        overview.behind_count = len([o for o in objectives if o.tracking.pace == "behind"])  # type: ignore[attr-defined]  # see above
        likely = [o.likely for o in objectives if o.likely is not None]  # type: ignore[attr-defined]  # see above
        overview.likely = sum(likely) / len(likely) if likely else None
        if cycle.state == CycleState.ACTIVE:
            silent = _silent(objectives, cycle, today)
            overview.silent_total = len(silent)
            overview.silent = silent[:TOP_SILENT]
        overview.drift = _drift(workspace, cycle, today)
    _conflicts(overview, workspace, cycle)
    _week(overview, workspace, today)
    return overview


def _silent(
    objectives: list[Objective], cycle: Cycle, today: datetime.date
) -> list[SilentKeyResult]:
    found = []
    for objective in objectives:
        for kr in objective.live_key_results:  # type: ignore[attr-defined]  # set by Prefetch(to_attr=)
            since = kr.last_check_in or max(cycle.start, kr.created_at.date())
            if today - since > SILENT_AFTER:
                never = kr.last_check_in is None
                found.append(SilentKeyResult(kr, objective, since, (today - since).days, never))
    return sorted(found, key=lambda s: (s.since, s.key_result.pk))


def _drift(workspace: Workspace, cycle: Cycle, today: datetime.date) -> Drift | None:
    baseline = cycle_baseline(cycle)
    if baseline is None:
        return None
    reference = drift.snapshot_from_json(baseline.content)
    now = load_plan(workspace, today)
    comparison = drift.compare(reference, now, cycle.pk)
    changes = [*comparison.key_results, *comparison.initiatives, *comparison.links]
    counts = Counter(change.kind for change in changes)
    return Drift(
        baseline,
        round(drift.drift_index(reference, now, cycle.pk) * 100),
        changes[:TOP_DRIFT],
        counts.most_common(),
    )


def _conflicts(overview: ExecutiveOverview, workspace: Workspace, cycle: Cycle | None) -> None:
    open_conflicts = Conflict.objects.in_workspace(workspace).needing_attention()
    rows = open_conflicts.order_by().values_list("severity").annotate(n=Count("id"))
    counts = dict(rows)
    overview.conflict_counts = [(severity, counts.get(severity, 0)) for severity in SEVERITIES]
    overview.conflict_total = sum(counts.values())
    # Most severe first, then the newest.
    rank = Case(*(When(severity=s, then=i) for i, s in enumerate(SEVERITIES)), default=9)
    ranked = open_conflicts.annotate(rank=rank).order_by("rank", "-detected_at", "-id")
    overview.top_conflicts = list(ranked.only("id", "severity", "sentence")[:TOP_CONFLICTS])


def _week(overview: ExecutiveOverview, workspace: Workspace, today: datetime.date) -> None:
    since = datetime.datetime.combine(
        today - WEEK, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    events = ChangeEvent.objects.in_workspace(workspace).filter(at__gte=since)
    rows = events.order_by().values_list("action").annotate(n=Count("id"))
    counts = sorted(rows, key=lambda row: (-row[1], row[0]))
    overview.week_total = sum(n for _, n in counts)
    overview.week_counts = [
        (COUNTED_AS.get(action, action.replace("_", " ")), n) for action, n in counts[:6]
    ]
    overview.week_events = list(
        events.exclude(actor=None).select_related("actor", "content_type")[:TOP_EVENTS]
    )
