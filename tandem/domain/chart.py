"""The geometry of a key result's chart: actual readings against the expected pace line.

Pure: dates and numbers in, SVG coordinates out; the template only draws them.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from tandem.domain.progress import Kind

WIDTH = 640
HEIGHT = 260
LEFT = 64  # room for the value labels
RIGHT = 16
TOP = 16
BOTTOM = 36  # room for the date labels


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    date: datetime.date
    value: float


@dataclass(frozen=True)
class Tick:
    at: float  # x or y in the SVG
    value: float | datetime.date


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Fan:
    """The forecast drawn from the latest reading to the cycle end: a band and a point."""

    polygon: str  # SVG points: latest reading, high and low at the cycle end
    x: float
    y: float  # the forecast value at the cycle end
    y_low: float
    y_high: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: list[Point]
    expected: Line  # the steady pace from start to target, or the threshold to hold
    today: float | None  # x of today, when inside the cycle
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    plot: Line  # the plot area, corner to corner
    fan: Fan | None = None

    @property
    def plot_width(self) -> float:
        return self.plot.x2 - self.plot.x1

    @property
    def plot_height(self) -> float:
        return self.plot.y2 - self.plot.y1

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def progress_chart(
    *,
    kind: Kind | str,
    start: datetime.date,
    end: datetime.date,
    start_value: float,
    target_value: float,
    readings: Iterable[tuple[datetime.date, float]],
    today: datetime.date,
    forecast: tuple[float, float, float] | None = None,
) -> Chart:
    """Readings are drawn by date, one point a day: the day's last value, so two check-ins
    on one day never make the line dip and climb back. Give them in the order they were
    taken (oldest first); days may come in any order. Readings outside the cycle are pinned
    to its edges so none is lost off the chart. `forecast` (value, low, high at the cycle
    end) is drawn as a fan from the latest reading."""
    kind = Kind(kind)
    last_of_day = dict(readings)
    ordered = sorted(last_of_day.items(), key=lambda r: r[0])
    values = [v for _, v in ordered] + [start_value, target_value]
    if forecast is not None and ordered:
        values += list(forecast)
    low, high = _padded(min(values), max(values))
    days = max((end - start).days, 1)

    def x(day: datetime.date) -> float:
        share = min(max((day - start).days / days, 0.0), 1.0)
        return LEFT + share * (WIDTH - LEFT - RIGHT)

    def y(value: float) -> float:
        share = (value - low) / (high - low)
        return TOP + (1 - share) * (HEIGHT - TOP - BOTTOM)

    if kind in {Kind.STAY_ABOVE, Kind.STAY_BELOW}:
        expected = Line(x(start), y(target_value), x(end), y(target_value))
    elif kind is Kind.MILESTONE:
        expected = Line(x(start), y(0), x(end), y(1))
    else:
        expected = Line(x(start), y(start_value), x(end), y(target_value))
    points = [Point(x(day), y(value), day, value) for day, value in ordered]
    fan = None
    if forecast is not None and points:
        value, low_value, high_value = forecast
        last = points[-1]
        fan = Fan(
            polygon=(
                f"{last.x:.1f},{last.y:.1f} {x(end):.1f},{y(high_value):.1f} "
                f"{x(end):.1f},{y(low_value):.1f}"
            ),
            x=x(end),
            y=y(value),
            y_low=y(low_value),
            y_high=y(high_value),
        )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        expected=expected,
        today=x(today) if start <= today <= end else None,
        y_ticks=[Tick(y(v), v) for v in _nice_ticks(low, high)],
        x_ticks=[Tick(x(d), d) for d in _month_starts(start, end)],
        plot=Line(LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM),
        fan=fan,
    )


def _padded(low: float, high: float) -> tuple[float, float]:
    if high == low:
        return low - 1, high + 1
    pad = (high - low) * 0.08
    return low - pad, high + pad


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values (1, 2, 2.5 or 5 times a power of ten) inside [low, high]."""
    raw = (high - low) / count
    magnitude = 10 ** _floor_log10(raw)
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = -(-low // step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10) + 0.0)  # no "-0"
        value += step
    return ticks


def _floor_log10(value: float) -> int:
    exponent = 0
    while value >= 10:
        value /= 10
        exponent += 1
    while value < 1:
        value *= 10
        exponent -= 1
    return exponent


def _month_starts(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first of each month inside the span, plus the start itself."""
    days = [start]
    month = datetime.date(start.year, start.month, 1)
    while True:
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        if month > end:
            break
        days.append(month)
    if len(days) > 13:  # a year or longer: every quarter is enough
        days = days[::3]
    return days
