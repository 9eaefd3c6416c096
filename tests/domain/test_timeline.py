import datetime

from tandem.domain.timeline import (
    CHAR,
    DAY,
    LANE_LABEL,
    ZOOMS,
    CycleSpec,
    Due,
    Item,
    LaneSpec,
    layout,
)

D = datetime.date
LANES = [LaneSpec(1, "Growth"), LaneSpec(2, "Platform")]


def test_quarters_span_all_work_and_today():
    timeline = layout(
        today=D(2026, 2, 10),
        lanes=LANES,
        items=[Item(1, "SSO", 1, D(2026, 5, 1), D(2026, 5, 31), "planned")],
    )
    assert [q.label for q in timeline.upper] == ["Q1 2026", "Q2 2026"]
    assert timeline.today is not None
    assert timeline.today.x == LANE_LABEL + 40 * DAY + DAY / 2


def test_overlapping_bars_in_a_lane_go_to_separate_rows_and_others_share_one():
    items = [
        Item(1, "A", 1, D(2026, 1, 1), D(2026, 2, 28), "planned"),
        Item(2, "B", 1, D(2026, 2, 1), D(2026, 3, 15), "planned"),
        Item(3, "C", 1, D(2026, 5, 1), D(2026, 6, 15), "planned"),
    ]
    timeline = layout(today=D(2026, 1, 5), lanes=LANES, items=items)
    y = {bar.item.id: bar.y for bar in timeline.bars}
    assert y[1] != y[2]
    assert y[3] == y[1]
    growth, platform = timeline.lanes
    assert platform.y == growth.y + growth.height


def test_dependency_arrow_goes_from_the_prerequisite_end_to_the_dependent_start():
    items = [
        Item(1, "API", 1, D(2026, 1, 1), D(2026, 1, 31), "planned"),
        Item(2, "SDK", 2, D(2026, 1, 20), D(2026, 2, 28), "planned"),
    ]
    timeline = layout(today=D(2026, 1, 5), lanes=LANES, items=items, dependencies=[(2, 1)])
    [arrow] = timeline.arrows
    assert arrow.backwards  # SDK starts before the API it needs is finished
    assert arrow.path.startswith(f"M{LANE_LABEL + 31 * DAY}")
    assert arrow.title == "'SDK' depends on 'API'"


def test_cycle_boundaries_and_due_dates_inside_the_range_are_marked():
    timeline = layout(
        today=D(2026, 1, 5),
        lanes=LANES,
        items=[],
        cycles=[CycleSpec("Q1 2026", D(2026, 1, 1), D(2026, 3, 31))],
        dues=[Due(D(2026, 3, 31), ("Activation 40%", "Churn below 2%"))],
    )
    assert [m.label for m in timeline.cycles] == ["Q1 2026 starts", "Q1 2026 ends"]
    [due] = timeline.dues
    assert due.label == "2 key results due 31 Mar 2026"
    assert due.detail == "Activation 40%; Churn below 2%"


def test_zooms_scale_days_and_name_their_ticks():
    item = Item(1, "SSO", 1, D(2026, 1, 5), D(2026, 1, 11), "planned")
    widths = {}
    for zoom, px in ZOOMS.items():
        timeline = layout(today=D(2026, 1, 5), lanes=LANES, items=[item], zoom=zoom)
        widths[zoom] = timeline.bars[0].width
        assert widths[zoom] == 7 * px
    assert widths["quarter"] < widths["month"] < widths["week"]
    month = layout(today=D(2026, 1, 5), lanes=LANES, items=[item], zoom="month")
    # Weeks from their Monday; 1 Jan 2026 is a Thursday, a partial week wide enough to name.
    assert [t.label for t in month.lower[:3]] == ["1 Jan", "5 Jan", "12 Jan"]
    week = layout(today=D(2026, 1, 5), lanes=LANES, items=[item], zoom="week")
    assert week.upper[0].label == "Jan 2026"
    assert [t.label for t in week.lower[:3]] == ["1", "2", "3"]


def test_a_title_is_never_cut_and_a_long_one_sits_beside_its_short_bar():
    long = "Self-serve analytics workspace with exports to every warehouse we support"
    items = [
        Item(1, long, 1, D(2026, 3, 20), D(2026, 3, 31), "planned"),
        Item(2, "API", 1, D(2026, 1, 1), D(2026, 3, 1), "planned"),
    ]
    timeline = layout(today=D(2026, 1, 5), lanes=LANES, items=items)
    bars = {bar.item.id: bar for bar in timeline.bars}
    assert bars[1].label == long and not bars[1].label_inside
    assert bars[1].label_x == bars[1].x + bars[1].width + 4
    assert bars[2].label == "API" and bars[2].label_inside
    # The drawing is wide enough for the label beside the last bar of the quarter.
    assert timeline.width >= bars[1].label_x + len(long) * CHAR
