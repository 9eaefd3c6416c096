import datetime

from tandem.domain.timeline import DAY, LANE_LABEL, CycleSpec, Due, Item, LaneSpec, layout

D = datetime.date
LANES = [LaneSpec(1, "Growth"), LaneSpec(2, "Platform")]


def test_quarters_span_all_work_and_today():
    timeline = layout(
        today=D(2026, 2, 10),
        lanes=LANES,
        items=[Item(1, "SSO", 1, D(2026, 5, 1), D(2026, 5, 31), "planned")],
    )
    assert [q.label for q in timeline.quarters] == ["Q1 2026", "Q2 2026"]
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
