"""What is at stake in a conflict about a key result, and when a key result is too new,
too finished or too unmeasured to be judged. Shared by the conflict rules."""

import datetime

from tandem.domain.conflicts import Severity
from tandem.domain.plan import CycleFacts, KeyResultFacts, PlanSnapshot
from tandem.domain.progress import progress

LEVELS = (Severity.HIGH, Severity.MEDIUM, Severity.LOW)
# A key result carrying less than this share of its objective's weight is a minor one.
MINOR_WEIGHT = 0.25
# More than this share of the cycle still ahead leaves time to recover.
EARLY = 2 / 3


def severity(
    plan: PlanSnapshot, key_result: KeyResultFacts, cycle: CycleFacts, base: Severity
) -> Severity:
    """`base`, one level lower for each of: an aspirational objective, a minor share of its
    objective's weight, and most of an active cycle still ahead (or a cycle not started)."""
    level = LEVELS.index(base)
    objective = plan.objective.get(key_result.objective_id)
    if objective is not None and objective.commitment == "aspirational":
        level += 1
    total = plan.live_weight_of_objective.get(key_result.objective_id, 0.0)
    if total > 0 and key_result.weight / total < MINOR_WEIGHT:
        level += 1
    # The elapsed share, inline: this runs for every conflict about a key result.
    days = (cycle.end - cycle.start).days + 1
    if (plan.today - cycle.start).days + 1 < (1 - EARLY) * days:
        level += 1
    return LEVELS[min(level, len(LEVELS) - 1)]


def is_new(plan: PlanSnapshot, key_result: KeyResultFacts) -> bool:
    """Created within the workspace's grace period: too new to be unsupported or at risk."""
    if key_result.created is None:
        return False
    return plan.today - key_result.created < datetime.timedelta(days=plan.grace_days)


def is_met(key_result: KeyResultFacts) -> bool:
    """A finished milestone, or a key result whose last check-in is at its target."""
    if key_result.last_check_in is None:
        return False
    share = progress(key_result.kind, key_result.start, key_result.target, key_result.current)
    return share >= 1.0
