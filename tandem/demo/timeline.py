"""Placing demo initiatives on the calendar relative to today: dates, status and horizon.
Pure: the builder passes today and the three quarters in."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from tandem.demo.specs import InitiativeSpec
from tandem.domain.calendar import Span, next_quarter, previous_quarter, quarter_of


@dataclass(frozen=True)
class Quarters:
    previous: Span
    active: Span
    next: Span

    @classmethod
    def around(cls, today: datetime.date) -> "Quarters":
        return cls(previous_quarter(today), quarter_of(today), next_quarter(today))


@dataclass(frozen=True)
class Placement:
    start: datetime.date | None
    end: datetime.date | None
    status: str
    horizon: str


def place_all(
    specs: Iterable[InitiativeSpec], today: datetime.date, quarters: Quarters
) -> dict[str, Placement]:
    """Placements by initiative key. "overlap" timings refer to another initiative's end,
    so they are placed after everything else."""
    ordered = sorted(specs, key=lambda s: s.timing is not None and s.timing.anchor == "overlap")
    placed: dict[str, Placement] = {}
    for spec in ordered:
        placed[spec.key] = _place(spec, today, quarters, placed)
    return placed


def _place(
    spec: InitiativeSpec, today: datetime.date, q: Quarters, placed: dict[str, Placement]
) -> Placement:
    timing = spec.timing
    if timing is None:
        status = {"idea": "idea", "dropped": "dropped"}[spec.state]
        return Placement(None, None, status, spec.horizon)

    def weeks(n: int) -> datetime.timedelta:
        return datetime.timedelta(weeks=n)

    def inside(day: datetime.date) -> datetime.date:
        # Live work in Now stays inside the active quarter whatever day it is, so the only
        # work that spills over is the one meant to.
        return min(max(day, q.active.start), q.active.end)

    if timing.anchor in {"previous", "next"}:
        quarter = q.previous if timing.anchor == "previous" else q.next
        start = quarter.start + weeks(timing.start)
        end = quarter.start + weeks(timing.end) - datetime.timedelta(days=1)
    elif timing.anchor == "today":
        start, end = today + weeks(timing.start), today + weeks(timing.end)
        if spec.state == "live":
            start, end = inside(start), inside(end)
    elif timing.anchor == "spill":
        start, end = inside(today + weeks(timing.start)), q.next.start + weeks(timing.end)
    elif timing.anchor == "overlap":
        ref_end = placed[timing.ref].end
        assert ref_end is not None, f"{timing.ref} must be dated"
        start, end = inside(ref_end + weeks(timing.start)), inside(ref_end + weeks(timing.end))
    else:
        raise ValueError(f"Unknown timing anchor {timing.anchor!r} for {spec.key}")

    if spec.state == "done":
        status = "done"
    elif timing.anchor == "next" or start > today:
        status = "planned"
    else:
        status = "in_progress"
    horizon = spec.horizon or ("next" if timing.anchor == "next" else "now")
    return Placement(start, end, status, horizon)
