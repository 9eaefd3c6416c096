"""Layout of the roadmap timeline, drawn as SVG on the server: quarters across the top,
a swimlane per team, a bar per dated initiative, cycle boundaries, key result due dates,
dependency arrows and a today line. Pure arithmetic over plain data: the template only
copies coordinates into SVG elements.

Three zooms (quarter, month, week) set the pixels per day and the header's ticks. A title
is never cut: it sits inside its bar when it fits there, else in full beside it. Bars are
packed into as few rows per lane as fit without overlapping, counting a label drawn beside
its bar, so 500 initiatives stay readable.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tandem.domain.calendar import day_words, quarter_of

DAY = 3  # px per day at the quarter zoom: a quarter is ~275 px
ZOOMS = {"quarter": DAY, "month": 9, "week": 28}  # px per day
LANE_LABEL = 170  # px for the lane names on the left
HEADER = 44  # px for quarters and months
ROW = 26
BAR = 18
LANE_PAD = 8
CHAR = 6.4  # average glyph width of the 11 px label font
BOLD_CHAR = 7.2  # the same, bold, as inside a bar (kept generous: a title must fit)
GAP = 6
HANDLE = 6  # px at each end of a bar that resize it when dragged
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True)
class Item:
    id: int
    title: str
    lane: object  # the lane key
    start: datetime.date
    end: datetime.date
    status: str
    color: str = "#4f6bed"


@dataclass(frozen=True)
class LaneSpec:
    key: object
    label: str
    color: str = "#8a94a6"


@dataclass(frozen=True)
class CycleSpec:
    name: str
    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class Due:
    date: datetime.date
    titles: tuple[str, ...]


@dataclass(frozen=True)
class Bar:
    item: Item
    x: float
    y: float
    width: float
    label: str
    label_x: float
    label_inside: bool

    @property
    def middle(self) -> float:
        return self.y + BAR / 2

    @property
    def end_handle_x(self) -> float:
        return self.x + self.width - HANDLE

    @property
    def label_y(self) -> float:
        return self.y + BAR / 2 + 4


@dataclass(frozen=True)
class Lane:
    spec: LaneSpec
    y: float
    height: float
    odd: bool

    @property
    def label_y(self) -> float:
        return self.y + 18


@dataclass(frozen=True)
class Tick:
    label: str
    x: float
    width: float


@dataclass(frozen=True)
class Mark:
    label: str
    x: float
    detail: str = ""


@dataclass(frozen=True)
class Arrow:
    path: str
    title: str
    backwards: bool  # the dependent starts before its prerequisite ends


@dataclass
class Timeline:
    width: float
    height: float
    start: datetime.date
    end: datetime.date
    zoom: str = "quarter"
    day: int = DAY  # px per day
    upper: list[Tick] = field(default_factory=list)  # quarters, or months at the week zoom
    lower: list[Tick] = field(default_factory=list)  # months, weeks or days
    lanes: list[Lane] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    cycles: list[Mark] = field(default_factory=list)
    dues: list[Mark] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)
    today: Mark | None = None

    @property
    def body_top(self) -> int:
        return HEADER

    @property
    def label_width(self) -> int:
        return LANE_LABEL


def _next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


Span = tuple[str, datetime.date, datetime.date]


def _ticks(zoom: str, start: datetime.date, end: datetime.date) -> tuple[list[Span], list[Span]]:
    """(upper, lower) rows of (label, first day, day after) covering start..end."""
    upper: list[Span] = []
    lower: list[Span] = []
    if zoom == "week":
        month = start
        while month <= end:
            following = _next_month(month)
            upper.append((f"{MONTHS[month.month - 1]} {month.year}", month, following))
            month = following
        day = start
        while day <= end:
            lower.append((str(day.day), day, day + datetime.timedelta(days=1)))
            day += datetime.timedelta(days=1)
        return upper, lower
    quarter = quarter_of(start)
    while quarter.start <= end:
        upper.append((quarter.name, quarter.start, quarter.end + datetime.timedelta(days=1)))
        quarter = quarter_of(quarter.end + datetime.timedelta(days=1))
    if zoom == "month":
        # Weeks from their Monday, named by it ("7 Dec"); the first may be partial.
        day = start
        while day <= end:
            following = day + datetime.timedelta(days=7 - day.weekday())
            label = f"{day.day} {MONTHS[day.month - 1]}" if (following - day).days >= 4 else ""
            lower.append((label, day, following))
            day = following
        return upper, lower
    month = start
    while month <= end:
        following = _next_month(month)
        lower.append((MONTHS[month.month - 1], month, following))
        month = following
    return upper, lower


def layout(
    *,
    today: datetime.date,
    lanes: Sequence[LaneSpec],
    items: Iterable[Item],
    cycles: Iterable[CycleSpec] = (),
    dues: Iterable[Due] = (),
    dependencies: Iterable[tuple[int, int]] = (),
    zoom: str = "quarter",
) -> Timeline:
    """`dependencies` are (initiative id, id of the initiative it depends on); `zoom` is
    one of ZOOMS."""
    day_px = ZOOMS.get(zoom, DAY)
    items = sorted(items, key=lambda i: (i.start, i.end, i.id))
    first = min([today, *(i.start for i in items)])
    last = max([today, *(i.end for i in items)])
    start = quarter_of(first).start
    end = quarter_of(last).end

    def x_of(day: datetime.date) -> float:
        return LANE_LABEL + (day - start).days * day_px

    right = x_of(end) + day_px + 1
    timeline = Timeline(width=right, height=0, start=start, end=end, zoom=zoom, day=day_px)
    upper, lower = _ticks(zoom, start, end)
    timeline.upper = [Tick(label, x_of(a), (b - a).days * day_px) for label, a, b in upper]
    timeline.lower = [Tick(label, x_of(a), (b - a).days * day_px) for label, a, b in lower]

    by_lane: dict[object, list[Item]] = defaultdict(list)
    for item in items:
        by_lane[item.lane].append(item)
    y = float(HEADER)
    placed: dict[int, Bar] = {}
    for index, spec in enumerate(lanes):
        row_ends: list[float] = []
        lane_bars = []
        for item in by_lane.get(spec.key, ()):
            x = x_of(item.start)
            bar_width = (item.end - item.start).days * day_px + day_px
            inside = len(item.title) * BOLD_CHAR <= bar_width - 10
            if inside:
                label_x, occupied = x + 4, x + bar_width
            else:
                label_x = x + bar_width + 4
                occupied = label_x + len(item.title) * CHAR
            right = max(right, occupied + 8)
            row = next((r for r, taken in enumerate(row_ends) if taken + GAP <= x), None)
            if row is None:
                row = len(row_ends)
                row_ends.append(occupied)
            row_ends[row] = occupied
            bar_y = y + LANE_PAD + row * ROW
            bar = Bar(item, x, bar_y, bar_width, item.title, label_x, inside)
            lane_bars.append(bar)
            placed[item.id] = bar
        height = max(len(row_ends), 1) * ROW + 2 * LANE_PAD
        timeline.lanes.append(Lane(spec, y, height, index % 2 == 1))
        timeline.bars.extend(lane_bars)
        y += height
    timeline.height = y + 1
    timeline.width = right

    for cycle in cycles:
        if start <= cycle.start <= end:
            timeline.cycles.append(Mark(f"{cycle.name} starts", x_of(cycle.start)))
        if start <= cycle.end <= end:
            timeline.cycles.append(
                Mark(f"{cycle.name} ends", x_of(cycle.end + datetime.timedelta(days=1)))
            )
    for due in dues:
        if start <= due.date <= end:
            noun = "key result" if len(due.titles) == 1 else "key results"
            timeline.dues.append(
                Mark(
                    f"{len(due.titles)} {noun} due {day_words(due.date)}",
                    x_of(due.date) + day_px,
                    "; ".join(due.titles),
                )
            )
    for dependent_id, prerequisite_id in dependencies:
        dependent, prerequisite = placed.get(dependent_id), placed.get(prerequisite_id)
        if dependent is None or prerequisite is None:
            continue
        x1, y1 = prerequisite.x + prerequisite.width, prerequisite.middle
        x2, y2 = dependent.x, dependent.middle
        bend = max(abs(x2 - x1) / 2, 24)
        timeline.arrows.append(
            Arrow(
                f"M{x1:.0f},{y1:.0f} C{x1 + bend:.0f},{y1:.0f} {x2 - bend:.0f},{y2:.0f} "
                f"{x2 - 2:.0f},{y2:.0f}",
                f"'{dependent.item.title}' depends on '{prerequisite.item.title}'",
                dependent.item.start <= prerequisite.item.end,
            )
        )
    if start <= today <= end:
        timeline.today = Mark(f"Today, {day_words(today)}", x_of(today) + day_px / 2)
    return timeline
