"""A review's agenda, built from the live plan: which key results need talking about.

Open conflicts, roadmap changes and decisions due come from the database as plain rows
and are merged in by the reviews app; the judgement about key results lives here.
"""

import datetime
from dataclasses import dataclass

from tandem.domain.freshness import rhythm, staleness
from tandem.domain.plan import CycleFacts, KeyResultFacts, PlanSnapshot
from tandem.domain.progress import Pace, measured_progress, pace


@dataclass(frozen=True)
class KeyResultTopic:
    key_result_id: int
    title: str
    objective: str
    reasons: tuple[str, ...]


def elapsed_share(cycle: CycleFacts, today: datetime.date) -> float:
    days = (cycle.end - cycle.start).days or 1
    return min(max((today - cycle.start).days / days, 0.0), 1.0)


def _reasons(kr: KeyResultFacts, elapsed: float, today: datetime.date, every: int) -> list[str]:
    reasons = []
    share = measured_progress(
        kr.kind, kr.start, kr.target, kr.current, checked_in=kr.last_check_in is not None
    )
    if share is not None and pace(kr.kind, share, elapsed) is Pace.BEHIND:
        reasons.append(
            f"behind pace: {round(share * 100)}% done, {round(elapsed * 100)}% of the cycle gone"
        )
    if kr.last_check_in is None:
        reasons.append("no check-in yet")
    else:
        stale = staleness(
            last_check_in=kr.last_check_in, created=kr.created, today=today, every=every
        )
        if stale is not None:
            reasons.append(stale.sentence)
    return reasons


def key_result_topics(
    plan: PlanSnapshot, cycle_id: int, team_ids: frozenset[int] | None = None
) -> list[KeyResultTopic]:
    """Live key results of the cycle that are behind pace or without a recent check-in;
    with `team_ids`, only those of those teams' objectives (a team's own review)."""
    cycle = plan.cycle.get(cycle_id)
    if cycle is None:
        return []
    elapsed = elapsed_share(cycle, plan.today)
    topics = []
    for kr in plan.key_results:
        objective = plan.objective.get(kr.objective_id)
        if objective is None or objective.cycle_id != cycle_id or not plan.key_result_is_live(kr):
            continue
        if team_ids is not None and objective.team_id not in team_ids:
            continue
        every = rhythm(kr.check_in_every, plan.check_in_days)
        reasons = _reasons(kr, elapsed, plan.today, every)
        if reasons:
            topics.append(KeyResultTopic(kr.id, kr.title, objective.title, tuple(reasons)))
    return topics
