"""Layout of the roadmap timeline, drawn as SVG on the server: quarters across the top,
a swimlane per team, a bar per dated initiative, cycle boundaries, key result due dates,
dependency arrows and a today line. Pure arithmetic over plain data: the template only
copies coordinates into SVG elements.

Bars are packed into as few rows per lane as fit without overlapping, counting the label
when it is drawn beside a bar too short to hold it, so 500 initiatives stay readable.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tandem.domain.calendar import day_words, quarter_of

DAY = 3  # px per day: a quarter is ~275 px
LANE_LABEL = 170  # px for the lane names on the left
HEADER = 44  # px for quarters and months
ROW = 26
BAR = 18
LANE_PAD = 8
CHAR = 6.4  # average glyph width of the 11 px label font
GAP = 6
MAX_LABEL = 48
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
    quarters: list[Tick] = field(default_factory=list)
    months: list[Tick] = field(default_factory=list)
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


def _fit(title: str, room: float) -> str:
    chars = int(room // CHAR)
    if len(title) <= chars:
        return title
    return title[: max(chars - 1, 1)].rstrip() + "…" if chars >= 4 else ""


def layout(
    *,
    today: datetime.date,
    lanes: Sequence[LaneSpec],
    items: Iterable[Item],
    cycles: Iterable[CycleSpec] = (),
    dues: Iterable[Due] = (),
    dependencies: Iterable[tuple[int, int]] = (),
) -> Timeline:
    """`dependencies` are (initiative id, id of the initiative it depends on)."""
    items = sorted(items, key=lambda i: (i.start, i.end, i.id))
    first = min([today, *(i.start for i in items)])
    last = max([today, *(i.end for i in items)])
    start = quarter_of(first).start
    end = quarter_of(last).end

    def x_of(day: datetime.date) -> float:
        return LANE_LABEL + (day - start).days * DAY

    width = x_of(end) + DAY + 1
    timeline = Timeline(width=width, height=0, start=start, end=end)

    quarter = quarter_of(start)
    while quarter.start <= end:
        timeline.quarters.append(Tick(quarter.name, x_of(quarter.start), quarter.days * DAY))
        quarter = quarter_of(quarter.end + datetime.timedelta(days=1))
    month = start
    while month <= end:
        following = _next_month(month)
        timeline.months.append(
            Tick(MONTHS[month.month - 1], x_of(month), (following - month).days * DAY)
        )
        month = following

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
            bar_width = (item.end - item.start).days * DAY + DAY
            inside = _fit(item.title[:MAX_LABEL], bar_width - 8)
            if inside == item.title[:MAX_LABEL] or len(inside) >= 12:
                label, label_x, occupied = inside, x + 4, x + bar_width
            else:
                label = _fit(item.title, MAX_LABEL * CHAR)
                label_x = x + bar_width + 4
                occupied = label_x + len(label) * CHAR
            row = next((r for r, taken in enumerate(row_ends) if taken + GAP <= x), None)
            if row is None:
                row = len(row_ends)
                row_ends.append(occupied)
            row_ends[row] = occupied
            bar_y = y + LANE_PAD + row * ROW
            bar = Bar(item, x, bar_y, bar_width, label, label_x, label_x == x + 4)
            lane_bars.append(bar)
            placed[item.id] = bar
        height = max(len(row_ends), 1) * ROW + 2 * LANE_PAD
        timeline.lanes.append(Lane(spec, y, height, index % 2 == 1))
        timeline.bars.extend(lane_bars)
        y += height
    timeline.height = y + 1

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
                    x_of(due.date) + DAY,
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
        timeline.today = Mark(f"Today, {day_words(today)}", x_of(today) + DAY / 2)
    return timeline
