"""The check-in history of a demo key result: weekly readings that move the way its
content says (specs.KR `trend` and `done_at`) with a little noise, and the confidence and
short notes an owner would write alongside them. Pure: no database, no clock."""

import datetime
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tandem.demo.specs import KR
from tandem.domain.calendar import Span

# Week-to-week noise, as a share of the distance from start to target: enough to look
# measured, small enough never to flip a key result's pace on its own.
NOISE = 0.03
# Owners start a quarter at 7/10 and reach their end-of-quarter view by two thirds in.
OPENING_CONFIDENCE = 7
SETTLES_AT = 2 / 3

NOTES = {
    "ahead": (
        "Ahead of plan.",
        "Better than expected after the release.",
        "Strong week; the launch is paying off.",
    ),
    "on_track": ("On pace.", "Steady week.", "Tracking to plan.", "Holding the line.", ""),
    "behind": (
        "Moving, but slower than planned.",
        "A little behind; catching up next sprint.",
        "Behind plan; the next release should help.",
        "Slower week, two people out.",
    ),
    "flat": ("Flat this week, looking into why.", "No movement this week."),
    "at_risk": (
        "At risk: needs a decision at the next review.",
        "Not moving fast enough. We need more hands on this.",
        "Off track; raising it at the monthly review.",
    ),
    "safe": ("Comfortably inside the limit.", "No surprises.", ""),
    "breached": ("Crossed the threshold this week; incident review booked.",),
    "pending": ("In progress, on schedule.", "Under way, no blockers.", "On schedule.", ""),
    "done": ("Done and announced.",),
}


@dataclass(frozen=True)
class Reading:
    date: datetime.date
    value: Decimal
    confidence: int
    note: str


def check_in_dates(
    span: Span, last: datetime.date, count: int, every_weeks: int = 1
) -> list[datetime.date]:
    """Up to `count` dates `every_weeks` apart ending on `last`, oldest first, inside the
    span: a young quarter simply has fewer."""
    dates = (last - datetime.timedelta(weeks=k * every_weeks) for k in range(count))
    return sorted(d for d in dates if span.start <= d <= span.end)


def readings(
    kr: KR, span: Span, dates: list[datetime.date], rng: random.Random, *, exact_end: bool
) -> list[Reading]:
    """One reading per date. With `exact_end`, the last one lands exactly on the trend,
    so a closed quarter ends where its grade comment says it did."""
    start, target = Decimal(kr.start), Decimal(kr.target)
    quantum = Decimal(1).scaleb(-_places(kr.start, kr.target))
    closing = _closing_confidence(kr)
    result: list[Reading] = []
    best: Decimal | None = None
    for index, day in enumerate(dates):
        share = span.elapsed_share(day)
        last = index == len(dates) - 1
        if kr.kind == "milestone":
            value = Decimal(1 if kr.done_at is not None and share >= kr.done_at else 0)
        else:
            noise = 0.0 if exact_end and last else rng.uniform(-NOISE, NOISE)
            value = start + (target - start) * Decimal(str(kr.trend * share + noise))
            if kr.kind == "increase":
                value = max(value, start)
            elif kr.kind == "decrease":
                value = min(value, start)
            value = value.quantize(quantum, rounding=ROUND_HALF_UP)
            if kr.cumulative and best is not None:
                value = max(value, best) if target > start else min(value, best)
            best = value
        confidence = _confidence(kr, share, closing, value, rng)
        note = kr.last_note if last and kr.last_note else _note(kr, share, value, result, rng)
        result.append(Reading(day, value, confidence, note))
    return result


def _places(*numbers: str) -> int:
    return max(len(n.partition(".")[2]) for n in numbers)


def _closing_confidence(kr: KR) -> int:
    if kr.kind == "milestone":
        return 9 if kr.done_at is not None else 6
    if kr.kind in {"stay_above", "stay_below"}:
        return 9 if kr.trend < 0.85 else 6 if kr.trend <= 1 else 3
    return max(1, min(10, int(10 * min(kr.trend, 1.0) - 1 + 0.5)))


def _confidence(kr: KR, share: float, closing: int, value: Decimal, rng: random.Random) -> int:
    if kr.kind == "milestone" and value == 1:
        return 10
    settled = min(1.0, share / SETTLES_AT)
    base = OPENING_CONFIDENCE + (closing - OPENING_CONFIDENCE) * settled
    # Jitter stays between the opening and closing view, so a key result its owner is sure
    # of never dips into "at risk" by chance.
    low, high = sorted((OPENING_CONFIDENCE, closing))
    return max(low, min(high, int(base + 0.5) + rng.choice((-1, 0, 0, 1))))


def _note(kr: KR, share: float, value: Decimal, earlier: list[Reading], rng: random.Random) -> str:
    if kr.kind == "milestone":
        if value == 1:
            already = any(r.value == 1 for r in earlier)
            return "" if already else rng.choice(NOTES["done"])
        return rng.choice(NOTES["pending"])
    start, target = Decimal(kr.start), Decimal(kr.target)
    if kr.kind in {"stay_above", "stay_below"}:
        held = value >= target if kr.kind == "stay_above" else value <= target
        return rng.choice(NOTES["safe" if held else "breached"])
    progress = float((value - start) / (target - start))
    moved = not earlier or (value - earlier[-1].value) * (target - start) > 0
    if _closing_confidence(kr) <= 4 and share > 0.3:
        mood = "at_risk"
    elif not moved:
        mood = "flat"
    elif progress > share + 0.1:
        mood = "ahead"
    elif progress < share - 0.1:
        mood = "behind"
    else:
        mood = "on_track"
    return rng.choice(NOTES[mood])
