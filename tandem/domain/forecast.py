"""Forecast: how likely a key result is to reach its target by the end of its cycle.

A trend with honest uncertainty over the key result's check-ins, blended with its owner's
latest confidence and discounted for work due after the cycle ends. Pure: plain numbers
and dates in, a `Forecast` (or `NoForecast` with the reason) out, so a scenario can
forecast "plan plus edits" in memory. docs/decisions.md gives the formula and why.

Values are put on one scale for every kind: y = direction × (value − target) / scale,
so the target is reached when y ≥ 0 (increase and stay above: at or over it; decrease
and stay below: at or under it), and one unit of y is the distance from start to target.
Time x is the share of the cycle gone (0 at its start, 1 at its end).
"""

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from tandem.domain.plan import KeyResultFacts, PlanSnapshot

MIN_CHECK_INS = 3
# The weight of the owner's latest confidence (read as a probability, 7/10 = 70%) against
# the trend. Confidence is a judgement and often optimistic; the trend has the numbers.
CONFIDENCE_WEIGHT = 0.2
# Prior guess of the reading-to-reading noise (in start-to-target units), worth one
# reading: with three check-ins on a perfect line the forecast is not certain.
PRIOR_NOISE = 0.08
# Prior spread of the slope (in start-to-target distances per cycle): weak, so the data
# decide, but it keeps two close readings from being extrapolated as a rocket.
PRIOR_SLOPE = 2.0
# Trends bend (plateaus, launches): the uncertainty grows with the share of the cycle
# still ahead, by this much per whole cycle (variance, in start-to-target units²).
DRIFT = 0.25**2
# Roadmap work is assumed to bring this share of the remaining progress; what is due after
# the cycle ends brings none of it in time.
WORK_SHARE = 0.5
INTERVAL = 0.8  # the forecast band holds 80% of the predictive distribution

INCREASING = {"increase": 1.0, "stay_above": 1.0, "decrease": -1.0, "stay_below": -1.0}


class Reading(Protocol):
    """One check-in (a CheckInFacts will do): the date, the value read and the owner's
    confidence (0–10)."""

    @property
    def date(self) -> datetime.date: ...
    @property
    def value(self) -> float: ...
    @property
    def confidence(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Work:
    """A planned or in-progress initiative serving the key result."""

    end: datetime.date | None
    horizon: str  # now, next, later
    weight: float = 1.0  # its expected impact (absolute, in the key result's unit) or 1


@dataclass(frozen=True, slots=True)
class Forecast:
    probability: float  # of reaching the target by the end of the cycle, 0..1
    value: float  # the expected value at the end of the cycle
    low: float  # the 80% band around it
    high: float
    basis: str  # what it rests on, in a sentence

    @property
    def percent(self) -> int:
        return round(self.probability * 100)

    @property
    def decimals(self) -> int:
        """How many decimals the estimate deserves: two significant figures of its band, so
        a band from 45.6 to 51.1 does not pretend to know 48.36."""
        width = self.high - self.low
        if width <= 0:
            return 2
        return min(2, max(0, 1 - math.floor(math.log10(width))))


@dataclass(frozen=True, slots=True)
class NoForecast:
    reason: str


Outcome = Forecast | NoForecast
NO_CHECK_IN = NoForecast("No check-in yet.")


def forecast(
    *,
    kind: str,
    start: float,
    target: float,
    cycle_start: datetime.date,
    cycle_end: datetime.date,
    today: datetime.date,
    readings: Iterable[Reading],
    work: Sequence[Work] = (),
) -> Outcome:
    """The forecast of one key result as of `today`, from the readings made by then."""
    # Sorted on every field, so the order check-ins come in cannot change a single bit.
    known = sorted(
        (r.date, r.value, r.confidence)
        for r in readings
        if r.date <= today and math.isfinite(r.value)
    )
    count = len(known)
    if count == 0:
        return NO_CHECK_IN
    # Readings of one day count as one, their mean.
    days: list[datetime.date] = []
    values: list[float] = []
    confidence = 0.0
    same = 0
    for day, value, reading_confidence in known:
        if days and days[-1] == day:
            same += 1
            values[-1] += (value - values[-1]) / same
            confidence += (reading_confidence - confidence) / same
        else:
            days.append(day)
            values.append(value)
            confidence = reading_confidence
            same = 1
    if kind == "milestone" and values[-1] >= 1:
        # Not a forecast but a fact, however few check-ins it took.
        return Forecast(1.0, 1.0, 1.0, 1.0, "Done: the milestone is reached.")
    if count < MIN_CHECK_INS:
        return NoForecast(
            f"Not enough data: {count} check-in{'s' if count > 1 else ''}, "
            f"{MIN_CHECK_INS} are needed."
        )
    length = max((cycle_end - cycle_start).days, 1)
    remaining = max(0.0, (cycle_end - days[-1]).days / length)
    in_time = _in_time_share(work, cycle_end)

    if kind == "milestone":
        return _milestone(confidence, remaining, in_time)
    if len(days) < MIN_CHECK_INS:
        return NoForecast(
            f"Not enough data: {count} check-ins on {len(days)} days, readings on "
            f"{MIN_CHECK_INS} different days are needed."
        )
    direction = INCREASING.get(kind, 1.0)
    # A span far below the values' own precision (a target a rounding error from its start)
    # would blow the readings up to infinity; no span is taken as finer than that.
    scale = max(abs(target - start), 1e-9 * max(1.0, abs(target), abs(start)))
    if kind in {"stay_above", "stay_below"} or scale == 0:
        # A threshold has no journey: the spread of earlier readings sets the unit.
        spread = max(values[:-1]) - min(values[:-1])
        scale = max(scale, spread, 1e-6 * max(1.0, abs(target)))
    xs = [(d - cycle_start).days / length for d in days]
    ys = [direction * (v - target) / scale for v in values]
    mean, spread_sd, dof = _trend(xs, ys, remaining, 1.0 - WORK_SHARE * (1.0 - in_time))
    p_trend = _t_cdf(mean / spread_sd, dof)
    probability = (1 - CONFIDENCE_WEIGHT) * p_trend + CONFIDENCE_WEIGHT * confidence / 10
    half = _t_quantile(0.5 + INTERVAL / 2, dof) * spread_sd
    ends = sorted(target + direction * scale * y for y in (mean - half, mean + half))
    value = target + direction * scale * mean
    return Forecast(
        probability=min(1.0, max(0.0, probability)),
        value=value,
        low=min(ends[0], value),
        high=max(ends[1], value),
        basis=_basis(count, confidence, work, in_time),
    )


def _trend(
    xs: Sequence[float], ys: Sequence[float], remaining: float, damping: float
) -> tuple[float, float, int]:
    """Location, scale and degrees of freedom of the Student-t predictive at the cycle end.

    The slope is a Bayesian linear regression's (Gaussian prior N(0, PRIOR_SLOPE²));
    the noise is estimated from the readings before the latest (with an inverse-gamma
    prior worth one reading of PRIOR_NOISE), so a better latest reading always raises
    the forecast and never widens its band. `damping` scales the slope over what remains.
    """
    n = len(xs)
    # One pass over the readings before the latest, then the latest added: this runs for
    # every key result of a plan.
    ex = ey = exx = exy = eyy = 0.0
    for x, y in zip(xs[:-1], ys[:-1], strict=True):
        ex += x
        ey += y
        exx += x * x
        exy += x * y
        eyy += y * y
    last_x, last_y = xs[-1], ys[-1]
    sx, sy = ex + last_x, ey + last_y
    sxx, sxy = exx + last_x * last_x, exy + last_x * last_y
    # The noise: residuals of a straight line through the earlier readings.
    m = n - 1
    cxx = exx - ex * ex / m
    cyy = max(0.0, eyy - ey * ey / m)
    residual = cyy - ((exy - ex * ey / m) ** 2 / cxx if cxx > 1e-12 else 0.0)
    dof = m  # 2 × prior shape 1 + (m − 2) residual degrees of freedom
    noise = (2 * PRIOR_NOISE**2 + max(0.0, residual)) / dof
    # The slope of all readings, shrunk towards flat by the prior.
    x_mean = sx / n
    y_mean = sy / n
    precision = sxx - sx * x_mean + noise / PRIOR_SLOPE**2
    slope = (sxy - sx * y_mean) / precision
    ahead = xs[-1] - x_mean + damping * remaining
    mean = y_mean + slope * ahead
    variance = noise * (1 + 1 / n + ahead * ahead / precision) + DRIFT * remaining
    return mean, math.sqrt(variance), dof


def _milestone(confidence: float, remaining: float, in_time: float) -> Outcome:
    if remaining <= 0:
        return Forecast(0.0, 0.0, 0.0, 0.0, "The cycle has ended without it.")
    probability = confidence / 10 * in_time
    return Forecast(
        probability,
        probability,
        0.0,
        1.0,
        f"Not done yet: confidence {confidence:g}/10"
        + (f", {1 - in_time:.0%} of its work due after the cycle ends." if in_time < 1 else "."),
    )


def _in_time_share(work: Sequence[Work], cycle_end: datetime.date) -> float:
    """The share of the live work (by expected impact) that lands by the cycle end. Undated
    work counts as in time when it is in Now, late when it still waits in Next or Later."""
    total = 0.0
    on_time = 0.0
    for item in work:
        weight = item.weight if item.weight > 0 else 1.0
        total += weight
        if (item.end is None and item.horizon == "now") or (
            item.end is not None and item.end <= cycle_end
        ):
            on_time += weight
    return on_time / total if total else 1.0


def _basis(count: int, confidence: float, work: Sequence[Work], in_time: float) -> str:
    text = f"Trend of {count} check-ins blended with the latest confidence, {confidence:g}/10"
    if work and in_time < 1:
        text += f"; {1 - in_time:.0%} of its work is due after the cycle ends and counts less"
    return text + "."


def weighted_likelihood(outcomes: Iterable[tuple[Outcome, float]]) -> float | None:
    """An objective's figure: its key results' probabilities weighted as its progress is
    (the expected share of the weight reached). None when none has a forecast."""
    total = weight_sum = 0.0
    for outcome, weight in outcomes:
        if isinstance(outcome, Forecast) and weight > 0:
            total += outcome.probability * weight
            weight_sum += weight
    return total / weight_sum if weight_sum else None


# ---------------------------------------------------------------- Student's t


def _t_cdf(t: float, dof: int) -> float:
    """P(T ≤ t) for Student's t with a whole number of degrees of freedom, in closed form
    (Abramowitz & Stegun 26.7.3–4); the normal beyond 100."""
    if dof > 100:
        return 0.5 * math.erfc(-t / math.sqrt(2))
    theta = math.atan(t / math.sqrt(dof))
    c2 = math.cos(theta) ** 2
    if dof % 2:
        series = 0.0
        if dof > 1:
            term = math.cos(theta)
            series = term
            for k in range(1, (dof - 1) // 2):
                term *= c2 * (2 * k) / (2 * k + 1)
                series += term
        share = 2 / math.pi * (theta + math.sin(theta) * series)
    else:
        term = 1.0
        series = 1.0
        for k in range(1, dof // 2):
            term *= c2 * (2 * k - 1) / (2 * k)
            series += term
        share = math.sin(theta) * series
    return min(1.0, max(0.0, 0.5 + 0.5 * share))


@lru_cache(maxsize=128)
def _t_quantile(p: float, dof: int) -> float:
    low, high = -1e6, 1e6
    for _ in range(200):
        middle = (low + high) / 2
        if _t_cdf(middle, dof) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-9:
            break
    return (low + high) / 2


# ---------------------------------------------------------------- over a plan


def plan_forecasts(plan: PlanSnapshot) -> dict[int, Outcome]:
    """Every key result of the plan: a forecast for the live ones of open cycles, else the
    reason there is none."""
    return {kr.id: key_result_forecast(plan, kr) for kr in plan.key_results}


def key_result_forecast(plan: PlanSnapshot, key_result: KeyResultFacts) -> Outcome:
    cycle = plan.cycle_of_key_result(key_result)
    if cycle is None:
        return NoForecast("It belongs to no cycle.")
    reason = unforecast_reason(plan.key_result_is_live(key_result), cycle.state)
    if reason:
        return NoForecast(reason)
    readings = plan.check_ins_of_key_result.get(key_result.id)
    if not readings:
        return NO_CHECK_IN
    impact = plan.expected_impact
    return forecast(
        kind=key_result.kind,
        start=key_result.start,
        target=key_result.target,
        cycle_start=cycle.start,
        cycle_end=cycle.end,
        today=plan.today,
        readings=readings,
        work=[
            Work(i.end, i.horizon, abs(impact.get((i.id, key_result.id)) or 1.0))
            for i in plan.live_work_of_key_result.get(key_result.id, ())
        ],
    )


def unforecast_reason(live: bool, cycle_state: str) -> str:
    """Why a key result gets no forecast at all, or "" when it should get one."""
    if not live:
        return "It is not active."
    if cycle_state == "closed":
        return "Its cycle is closed: its grade is the outcome."
    return ""
