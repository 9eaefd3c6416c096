import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.domain.alignment import (
    KeyResultFigures,
    Node,
    alignment_tree,
    key_result_status,
    objective_status,
    own_progress,
    roll_up,
    window_cut,
    worst_confidence,
)
from tandem.domain.progress import Confidence, Pace


def test_a_falling_target_shows_progress_as_it_falls():
    kr = KeyResultFigures(kind="decrease", start=200, target=0, current=50, confidence=8)
    status = key_result_status(kr, elapsed=0.5)
    assert status.progress == 0.75
    assert status.percent == 75
    assert status.pace is Pace.AHEAD
    assert status.confidence is Confidence.ON_TRACK


def test_over_achievement_is_kept_but_shown_clamped():
    status = key_result_status(KeyResultFigures("increase", 0, 100, 130), elapsed=1.0)
    assert status.progress == pytest.approx(1.3)
    assert status.percent == 100


def test_objective_is_weighted_and_as_confident_as_its_weakest_key_result():
    krs = [
        KeyResultFigures("increase", 0, 100, 100, weight=3, confidence=9),
        KeyResultFigures("milestone", 0, 1, 0, weight=1, confidence=3),
    ]
    status = objective_status(krs, elapsed=0.5)
    assert status.progress == 0.75
    assert status.confidence is Confidence.OFF_TRACK
    assert objective_status([], 0.5).progress is None


def test_parent_rolls_up_its_own_key_results_and_each_child():
    nodes = [
        Node(1, None, 10, own=1.0),
        Node(2, 1, None, own=0.0),
        Node(3, 1, None, own=None),  # no key results: no voice
        Node(4, 2, None, own=0.5),
    ]
    rolled = roll_up(nodes)
    assert rolled[4] == 0.5
    assert rolled[2] == 0.25
    assert rolled[3] is None
    assert rolled[1] == pytest.approx((1.0 + 0.25) / 2)


def test_tree_groups_by_pillar_with_children_under_their_parent():
    nodes = [
        Node(1, None, 10, own=0.5),
        Node(2, None, None, own=0.2),
        Node(3, 1, 20, own=1.0),  # a child sits under its parent, whatever its pillar
        Node(4, 99, 20, own=0.0),  # parent not in the cycle: a root of its own pillar
    ]
    branches = alignment_tree(nodes, [10, 20, 30])
    assert [b.pillar_id for b in branches] == [10, 20, 30, None]
    assert [(r.id, r.depth) for r in branches[0].rows] == [(1, 0), (3, 1)]
    assert branches[0].rolled == 0.75
    assert [r.id for r in branches[1].rows] == [4]
    assert branches[2].rows == [] and branches[2].rolled is None
    assert [r.id for r in branches[3].rows] == [2]


def test_a_loop_is_shown_once_and_does_not_hang():
    nodes = [Node(1, 2, None, own=1.0), Node(2, 1, None, own=0.0)]
    rows = [r.id for b in alignment_tree(nodes, []) for r in b.rows]
    assert sorted(rows) == [1, 2]


def test_worst_confidence_ignores_unknown():
    assert worst_confidence([None, Confidence.AT_RISK, Confidence.ON_TRACK]) is Confidence.AT_RISK
    assert worst_confidence([None]) is None


shares = st.one_of(st.none(), st.floats(-5, 5, allow_nan=False))


@st.composite
def forests(draw, loops=False):
    """Objectives whose parents are earlier ones, missing ones (another cycle) or, with
    `loops`, anything at all."""
    count = draw(st.integers(1, 25))
    nodes = []
    for i in range(count):
        upper = count if loops else max(i - 1, 0)
        parent = draw(st.one_of(st.none(), st.just(count + 1), st.integers(0, upper)))
        if not loops and parent == i:
            parent = None
        nodes.append(Node(i, parent, draw(st.sampled_from([None, 1, 2])), draw(shares)))
    return nodes


@given(forests(loops=True))
def test_rolled_up_progress_stays_within_bounds(nodes):
    for value in roll_up(nodes).values():
        assert value is None or 0.0 <= value <= 1.0


@given(forests(loops=True))
def test_every_objective_appears_in_the_tree_exactly_once(nodes):
    rows = [r.id for b in alignment_tree(nodes, [1, 2]) for r in b.rows]
    assert sorted(rows) == sorted(n.id for n in nodes)


@given(forests(), st.randoms())
def test_roll_up_does_not_depend_on_input_order(nodes, random):
    shuffled = list(nodes)
    random.shuffle(shuffled)
    first, second = roll_up(nodes), roll_up(shuffled)
    assert first.keys() == second.keys()
    for key, value in first.items():
        assert value == pytest.approx(second[key]) if value is not None else second[key] is None


@given(st.floats(0, 1), st.floats(0, 100), st.floats(0, 100))
def test_raising_a_key_result_never_lowers_its_objective(elapsed, low, high):
    low, high = sorted((low, high))
    other = KeyResultFigures("increase", 0, 100, 40)
    before = objective_status([KeyResultFigures("increase", 0, 100, low), other], elapsed)
    after = objective_status([KeyResultFigures("increase", 0, 100, high), other], elapsed)
    assert after.progress >= before.progress


figures = st.builds(
    KeyResultFigures,
    kind=st.sampled_from(["increase", "decrease", "stay_above", "stay_below", "milestone"]),
    start=st.floats(-1e6, 1e6),
    target=st.floats(-1e6, 1e6),
    current=st.floats(-1e6, 1e6),
    weight=st.floats(0, 10),
    checked_in=st.booleans(),
)


@given(st.lists(st.tuples(st.integers(0, 4), figures), max_size=30), st.floats(0, 1))
def test_own_progress_from_rows_is_what_the_objective_status_reports(rows, elapsed):
    own = own_progress(
        (id, kr.kind, kr.start, kr.target, kr.current, kr.weight, kr.checked_in) for id, kr in rows
    )
    for id in range(5):
        krs = [kr for kr_id, kr in rows if kr_id == id]
        assert own.get(id) == objective_status(krs, elapsed).progress  # exactly, not about


def test_a_window_is_cut_before_a_top_level_row_once_it_is_long_enough():
    nested = [Node(1, None, None, 0.5), Node(2, 1, None, 0.5), Node(3, 2, None, 0.5)]
    flat = [Node(4, None, None, 0.5), Node(5, None, None, None)]
    rows = alignment_tree([*nested, *flat], [])[0].rows
    assert window_cut(rows, 1) == 3  # the first objective with its whole subtree
    assert window_cut(rows, 4) == 4
    assert window_cut(rows, 5) == 5 == window_cut(rows, 30)
