"""The workspace overview reads across OKRs, roadmap and activity, so it gets a selector of
its own. A fixed number of queries, whatever the size of the plan."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from tandem.accounts.models import Workspace
from tandem.activity.models import ChangeEvent
from tandem.domain.calendar import Span
from tandem.domain.freshness import rhythm, staleness
from tandem.okrs.models import Cycle, CycleState, KeyResult, Objective
from tandem.roadmaps.models import Horizon, Initiative, InitiativeStatus, Insight, InsightStatus
from tandem.sources.models import DataSource
from tandem.sources.selectors import failing_sources

RECENT_EVENTS = 12
FINISHED_STATUSES = [InitiativeStatus.DONE, InitiativeStatus.DROPPED]


@dataclass(frozen=True)
class CycleProgress:
    cycle: Cycle
    day: int  # 1-based; 0 before the start
    days: int
    percent: int


@dataclass(frozen=True)
class HorizonCount:
    horizon: str
    label: str
    count: int


@dataclass
class DashboardSummary:
    cycle_progress: CycleProgress | None
    objective_count: int = 0
    key_result_count: int = 0
    horizons: list[HorizonCount] = field(default_factory=list)
    open_insight_count: int = 0
    stale_key_result_count: int = 0
    failing_sources: list[DataSource] = field(default_factory=list)
    recent_events: list[ChangeEvent] = field(default_factory=list)


def cycle_progress(cycle: Cycle, today: datetime.date) -> CycleProgress:
    span = Span(cycle.name, cycle.start, cycle.end)
    day = min(max((today - cycle.start).days + 1, 0), span.days)
    return CycleProgress(cycle, day, span.days, round(span.elapsed_share(today) * 100))


def dashboard_summary(
    workspace: Workspace, cycle: Cycle | None, today: datetime.date
) -> DashboardSummary:
    summary = DashboardSummary(cycle_progress(cycle, today) if cycle else None)
    if cycle is not None:
        summary.objective_count = (
            Objective.objects.in_workspace(workspace).in_cycle(cycle).active().count()
        )
        key_results = KeyResult.objects.in_workspace(workspace).in_cycle(cycle).active()
        rows = list(key_results.values_list("last_check_in", "created_at", "check_in_every_days"))
        summary.key_result_count = len(rows)
        if cycle.state != CycleState.CLOSED:
            summary.stale_key_result_count = sum(
                staleness(
                    last_check_in=last,
                    created=timezone.localdate(created),
                    today=today,
                    every=rhythm(own, workspace.check_in_every_days),
                )
                is not None
                for last, created, own in rows
            )
    summary.failing_sources = failing_sources(workspace)
    summary.horizons = _open_initiatives_by_horizon(workspace)
    summary.open_insight_count = (
        Insight.objects.in_workspace(workspace).exclude(status=InsightStatus.ARCHIVED).count()
    )
    summary.recent_events = list(
        ChangeEvent.objects.in_workspace(workspace).select_related("actor", "content_type")[
            :RECENT_EVENTS
        ]
    )
    return summary


def _open_initiatives_by_horizon(workspace: Workspace) -> list[HorizonCount]:
    rows = (
        Initiative.objects.in_workspace(workspace)
        .exclude(status__in=FINISHED_STATUSES)
        .order_by()  # the model's ordering would split the groups
        .values("horizon")
        .annotate(count=Count("id"))
    )
    counts = {row["horizon"]: row["count"] for row in rows}
    return [HorizonCount(value, label, counts.get(value, 0)) for value, label in Horizon.choices]
