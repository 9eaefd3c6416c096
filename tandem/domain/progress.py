"""Key result progress, objective roll-up, pace, confidence and grading.

Plain numbers in, plain numbers out. Progress is a share of the way from start to
target: 0.0 at the start, 1.0 at the target. Over-achievement is kept (1.3 means 30%
beyond the target) and clamped only for display.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    STAY_ABOVE = "stay_above"
    STAY_BELOW = "stay_below"
    MILESTONE = "milestone"


class Pace(StrEnum):
    AHEAD = "ahead"
    ON_TRACK = "on_track"
    BEHIND = "behind"


class Confidence(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


# Progress within this share of the expected pace counts as on track.
PACE_TOLERANCE = 0.1
ASPIRATIONAL_SUCCESS = 0.7
COMMITTED_SUCCESS = 1.0


def progress(kind: Kind | str, start: float, target: float, current: float) -> float:
    """Unclamped progress. Thresholds (stay above/below) and milestones are met (1.0) or not."""
    kind = Kind(kind)
    if kind is Kind.STAY_ABOVE:
        return 1.0 if current >= target else 0.0
    if kind is Kind.STAY_BELOW:
        return 1.0 if current <= target else 0.0
    if kind is Kind.MILESTONE:
        return 1.0 if current >= 1 else 0.0
    span = target - start
    if span == 0:  # refused by the model; defend against legacy or imported rows
        return 1.0 if current == target else 0.0
    return (current - start) / span


THRESHOLDS = {Kind.STAY_ABOVE, Kind.STAY_BELOW}


def measured_progress(
    kind: Kind | str, start: float, target: float, current: float, *, checked_in: bool
) -> float | None:
    """Progress as far as it is known. A threshold (stay above/below) is unknown until its
    first check-in: its current value is only its start value, which says nothing of
    whether it holds, so it is neither met nor on pace and lifts no objective."""
    if not checked_in and Kind(kind) in THRESHOLDS:
        return None
    return progress(kind, start, target, current)


def clamp(share: float) -> float:
    return min(1.0, max(0.0, share))


def objective_progress(weighted: Iterable[tuple[float | None, float]]) -> float | None:
    """Weighted mean of (progress, weight) pairs, each progress clamped so one runaway key
    result cannot hide the others; unknown progress (None) is left out. None when there is
    nothing to average."""
    total_weight = 0.0
    total = 0.0
    for share, weight in weighted:
        if share is None or weight <= 0:
            continue
        total += clamp(share) * weight
        total_weight += weight
    if total_weight == 0:
        return None
    return total / total_weight


def expected_value(start: float, target: float, elapsed: float) -> float:
    """Where a key result should stand after `elapsed` (0..1) of its cycle, at a steady pace."""
    return start + (target - start) * clamp(elapsed)


def pace(kind: Kind | str, share: float, elapsed: float) -> Pace:
    """Ahead, on track or behind, comparing progress with the elapsed share of the cycle."""
    kind = Kind(kind)
    if kind in {Kind.STAY_ABOVE, Kind.STAY_BELOW}:
        return Pace.ON_TRACK if share >= 1.0 else Pace.BEHIND
    if kind is Kind.MILESTONE:
        # A milestone is only behind once most of the cycle is gone without it.
        if share >= 1.0:
            return Pace.AHEAD if elapsed < 1.0 else Pace.ON_TRACK
        return Pace.BEHIND if elapsed > 1 - PACE_TOLERANCE else Pace.ON_TRACK
    expected = clamp(elapsed)
    if share > expected + PACE_TOLERANCE:
        return Pace.AHEAD
    if share < expected - PACE_TOLERANCE:
        return Pace.BEHIND
    return Pace.ON_TRACK


def confidence_status(confidence: int) -> Confidence:
    """0–10 confidence as people read it: 7 and up on track, 4 to 6 at risk, below off track."""
    if confidence >= 7:
        return Confidence.ON_TRACK
    if confidence >= 4:
        return Confidence.AT_RISK
    return Confidence.OFF_TRACK


@dataclass(frozen=True)
class Grade:
    score: float  # 0.0 to 1.0, one decimal, as OKR grades are given
    success: bool


def grade(share: float, *, aspirational: bool) -> Grade:
    score = round(clamp(share), 1)
    threshold = ASPIRATIONAL_SUCCESS if aspirational else COMMITTED_SUCCESS
    return Grade(score=score, success=score >= threshold)
