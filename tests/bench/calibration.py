"""Issue 13: back-test the forecast against a straight-line pace, on generated series whose
outcome is known and on the demo's closed quarter, and time 30,000 forecasts.

`make calibrate` runs this section alone; `make bench` runs it with the others.
"""

import datetime
import io
import math
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tandem.domain.forecast import Forecast, Work, forecast
from tandem.domain.plan import CheckInFacts

START = datetime.date(2026, 1, 1)
END = datetime.date(2026, 3, 31)
LENGTH = (END - START).days
SHAPES = ("steady", "plateau", "late_surge", "stalled", "wander")


@dataclass(frozen=True)
class Case:
    """A key result's readings up to `today`, and whether it reached its target."""

    kind: str
    start: float
    target: float
    today: datetime.date
    readings: tuple[CheckInFacts, ...]
    work: tuple[Work, ...]
    reached: bool
    shape: str


def _path(shape: str, x: float, rate: float, bend: float) -> float:
    """The true share of the way to the target at x (0..1 of the cycle)."""
    if shape == "plateau":
        return rate * min(x, bend)
    if shape == "late_surge":
        return rate * 0.4 * x + (rate * 1.6 * (x - bend) if x > bend else 0.0)
    if shape == "stalled":
        return rate * 0.3 * x
    return rate * x


def generated_cases(count: int, *, seed: int) -> list[Case]:
    """Key results of every kind but milestones, with true trends (steady, plateauing,
    surging late, stalled, wandering), reading noise, and a weekly check-in; each forecast
    from a random week, its outcome the reading at the cycle's end."""
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        shape = rng.choice(SHAPES)
        kind = rng.choice(("increase", "decrease", "stay_above", "stay_below"))
        rate = rng.uniform(0.5, 1.5)
        bend = rng.uniform(0.3, 0.8)
        noise = rng.uniform(0.01, 0.12)
        walk = 0.0
        shares = []
        for week in range(13):
            x = (3 + 7 * week) / LENGTH
            walk += rng.gauss(0, 0.08) if shape == "wander" else 0.0
            shares.append(_path(shape, x, rate, bend) + walk + rng.gauss(0, noise))
        final = _path(shape, 1.0, rate, bend) + walk + rng.gauss(0, noise)
        start, target = 100.0, 150.0 if kind in {"increase", "stay_above"} else 50.0
        if kind.startswith("stay"):
            # A threshold hovers around it; the journey is the drift from a level just past it.
            start = target + (target - 100.0) * 0.2
        values = [start + (target - start) * s for s in shares]
        margin = final - 1.0 if kind in {"increase", "decrease"} else 1.0 - final
        confidence = _owner_confidence(margin, rng)
        known = rng.randint(3, 10)
        readings = tuple(
            CheckInFacts(0, START + datetime.timedelta(days=3 + 7 * w), values[w], confidence)
            for w in range(known)
        )
        work = tuple(
            Work(START + datetime.timedelta(days=rng.randint(20, 140)), "now")
            for _ in range(rng.randint(0, 2))
        )
        end_value = start + (target - start) * final
        cases.append(
            Case(
                kind,
                start,
                target,
                readings[-1].date,
                readings,
                work,
                _reached(kind, end_value, target),
                shape,
            )
        )
    return cases


def _reached(kind: str, value: float, target: float) -> bool:
    return value >= target if kind in {"increase", "stay_above"} else value <= target


def _owner_confidence(margin: float, rng: random.Random) -> int:
    """Owners sense the outcome, noisily and a little optimistically."""
    belief = margin / 0.25 + rng.gauss(0.4, 1.0)
    return max(0, min(10, round(10 / (1 + math.exp(-belief)))))


def forecast_case(case: Case) -> float:
    outcome = forecast(
        kind=case.kind,
        start=case.start,
        target=case.target,
        cycle_start=START,
        cycle_end=END,
        today=case.today,
        readings=case.readings,
        work=case.work,
    )
    assert isinstance(outcome, Forecast)
    return outcome.probability


def linear_pace(case: Case) -> float:
    """Today's pace, a straight line from the start value through the latest reading:
    reached (1) if it gets to the target by the end, else missed (0). Thresholds: met now."""
    latest = max(case.readings, key=lambda r: r.date)
    direction = 1 if case.target >= case.start else -1
    if case.kind.startswith("stay"):
        above = case.kind == "stay_above"
        return float(latest.value >= case.target if above else latest.value <= case.target)
    elapsed = max((latest.date - START).days / LENGTH, 1e-9)
    projected = case.start + (latest.value - case.start) / elapsed
    return float(direction * (projected - case.target) >= 0)


def brier(pairs: Sequence[tuple[float, bool]]) -> float:
    return sum((p - float(hit)) ** 2 for p, hit in pairs) / len(pairs)


def reliability(pairs: Iterable[tuple[float, bool]], bins: int = 5) -> list[tuple[str, int, str]]:
    """(range, count, observed share reached) per bin of forecast probability."""
    counts = [0] * bins
    hits = [0] * bins
    for p, hit in pairs:
        index = min(int(p * bins), bins - 1)
        counts[index] += 1
        hits[index] += hit
    return [
        (
            f"{i / bins:.0%}–{(i + 1) / bins:.0%}",
            counts[i],
            f"{hits[i] / counts[i]:.0%}" if counts[i] else "–",
        )
        for i in range(bins)
    ]


def report(title: str, cases: Sequence[Case]) -> None:
    ours = [(forecast_case(c), c.reached) for c in cases]
    pace = [(linear_pace(c), c.reached) for c in cases]
    reached = sum(c.reached for c in cases)
    print(f"   {title}: {len(cases)} forecasts, {reached} reached their target")
    print(
        f"   Brier score (lower is better): forecast {brier(ours):.3f}, "
        f"linear pace {brier(pace):.3f}"
    )
    print("   reliability   forecast: n  reached   linear pace: n  reached")
    for (band, n, share), (_, m, pace_share) in zip(
        reliability(ours), reliability(pace), strict=True
    ):
        print(f"   {band:>9}   {n:>13} {share:>8}   {m:>16} {pace_share:>8}")


def demo_cases() -> list[Case]:
    """The demo's closed quarter, forecast from each of its check-ins but the last (which
    is the outcome), with the work as it stands."""
    from django.core.management import call_command

    from tandem.accounts.models import Workspace
    from tandem.okrs.models import CheckIn, CycleState, KeyResult

    call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())
    workspace = Workspace.objects.get(slug="acme")
    cases = []
    closed = (
        KeyResult.objects.in_workspace(workspace)
        .filter(objective__cycle__state=CycleState.CLOSED)
        .exclude(kind="milestone")
        .select_related("objective__cycle")
    )
    for kr in closed:
        history = [
            CheckInFacts(kr.pk, c.date, float(c.value), c.confidence)
            for c in CheckIn.objects.filter(key_result=kr).order_by("date")
        ]
        if len(history) < 4:
            continue
        cycle = kr.objective.cycle
        final = history[-1].value
        start, target = float(kr.start_value), float(kr.target_value)
        reached = _reached(kr.kind, final, target)
        # Shift the cycle onto the generated one's calendar: forecast_case assumes it.
        shift = START - cycle.start
        moved = tuple(
            CheckInFacts(h.key_result_id, h.date + shift, h.value, h.confidence) for h in history
        )
        for known in range(3, len(moved)):
            cases.append(
                Case(kr.kind, start, target, moved[known - 1].date, moved[:known], (), reached, "")
            )
    return cases


def time_forecasts(count: int = 30_000, check_ins: int = 12) -> float:
    rng = random.Random(3)
    series = [
        [
            CheckInFacts(
                k,
                START + datetime.timedelta(days=3 + 7 * w),
                w * rng.uniform(2, 6) + rng.gauss(0, 3),
                rng.randint(3, 9),
            )
            for w in range(check_ins)
        ]
        for k in range(count)
    ]
    today = START + datetime.timedelta(days=3 + 7 * (check_ins - 1))
    started = time.perf_counter()
    for readings in series:
        forecast(
            kind="increase",
            start=0.0,
            target=50.0,
            cycle_start=START,
            cycle_end=END,
            today=today,
            readings=readings,
        )
    return time.perf_counter() - started


def run() -> None:
    print("== Forecast calibration: the forecast against a straight-line pace (goal: lower Brier)")
    report("generated series (fixed seed)", generated_cases(4000, seed=13))
    report("the demo's closed quarter", demo_cases())
    seconds = time_forecasts()
    print(f"   30,000 key results × 12 check-ins: {seconds * 1000:.0f} ms (goal: under 1 s)")
