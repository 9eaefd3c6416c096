"""Prioritisation scores, each with the arithmetic that produced it, so a score can be
argued with rather than taken on trust.

RICE = reach × impact × confidence ÷ effort (Intercom's formula): reach per quarter,
impact 0.25–3, confidence a percentage, effort in person-weeks.
Value against effort places each initiative in a quadrant: value is the RICE numerator
(reach × impact × confidence), split at the median of the initiatives compared, and
effort is split at their median too.
"""

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


def _number(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Rice:
    reach: int
    impact: float
    confidence: int  # percent
    effort: float

    @property
    def value(self) -> float:
        return self.reach * self.impact * self.confidence / 100

    @property
    def score(self) -> float | None:
        """None when there is no effort estimate: dividing by zero would rank it first."""
        if self.effort <= 0:
            return None
        return self.value / self.effort

    @property
    def arithmetic(self) -> str:
        numerator = (
            f"{_number(self.reach)} reach × {_number(self.impact)} impact × "
            f"{self.confidence}% confidence"
        )
        if self.score is None:
            return f"{numerator} = {_number(round(self.value, 2))}; no effort estimate, no score"
        return (
            f"{numerator} ÷ {_number(self.effort)} person-weeks = {_number(round(self.score, 2))}"
        )


QUADRANTS = {
    (True, False): ("quick_win", "Quick win"),
    (True, True): ("big_bet", "Big bet"),
    (False, False): ("fill_in", "Fill-in"),
    (False, True): ("time_sink", "Time sink"),
}


@dataclass(frozen=True)
class Quadrant:
    key: str
    label: str
    why: str


def value_vs_effort(rices: Sequence[Rice]) -> list[Quadrant]:
    """A quadrant for each input, in order. High means above the median of the inputs."""
    if not rices:
        return []
    value_median = statistics.median(r.value for r in rices)
    effort_median = statistics.median(r.effort for r in rices)
    result = []
    for rice in rices:
        high_value = rice.value > value_median
        high_effort = rice.effort > effort_median
        key, label = QUADRANTS[(high_value, high_effort)]
        why = (
            f"value {_number(round(rice.value, 2))} is "
            f"{'above' if high_value else 'at or below'} the median "
            f"{_number(round(value_median, 2))}; effort {_number(rice.effort)} is "
            f"{'above' if high_effort else 'at or below'} the median {_number(effort_median)}"
        )
        result.append(Quadrant(key, label, why))
    return result


def weighted_evidence(importances: Sequence[int]) -> int:
    """Evidence weight: the sum of the importances (1–5) of the insights behind it."""
    return sum(importances)


@dataclass(frozen=True)
class PlotDot:
    index: int  # of the input
    x: float
    y: float


@dataclass(frozen=True)
class ValueEffortPlot:
    """Where each initiative sits on a value-against-effort chart of `width` × `height`
    (SVG units), the plot area inset by `pad`; the dashed lines are the medians."""

    width: int
    height: int
    pad: int
    dots: list[PlotDot]
    median_x: float
    median_y: float


def value_effort_plot(
    rices: Sequence[Rice], *, width: int = 640, height: int = 300, pad: int = 36
) -> ValueEffortPlot | None:
    """Square-root scales on both axes: a few large initiatives would otherwise squeeze
    the rest into a corner. None when there is nothing to plot."""
    if not rices:
        return None
    top_value = max(r.value for r in rices) or 1.0
    top_effort = max(r.effort for r in rices) or 1.0

    def x(effort: float) -> float:
        return round(pad + (width - 2 * pad) * math.sqrt(max(effort, 0) / top_effort), 1)

    def y(value: float) -> float:
        return round(height - pad - (height - 2 * pad) * math.sqrt(max(value, 0) / top_value), 1)

    dots = [PlotDot(i, x(r.effort), y(r.value)) for i, r in enumerate(rices)]
    return ValueEffortPlot(
        width,
        height,
        pad,
        dots,
        x(statistics.median(r.effort for r in rices)),
        y(statistics.median(r.value for r in rices)),
    )
