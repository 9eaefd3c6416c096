import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tandem.domain.alignment import KeyResultFigures, key_result_status, objective_status
from tandem.domain.progress import (
    Confidence,
    Kind,
    Pace,
    clamp,
    confidence_status,
    expected_value,
    grade,
    measured_progress,
    objective_progress,
    pace,
    progress,
)

values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
shares = st.floats(min_value=0, max_value=1)


def test_a_decreasing_target_shows_progress_as_it_falls():
    assert progress(Kind.DECREASE, 200, 0, 200) == 0.0
    assert progress(Kind.DECREASE, 200, 0, 150) == 0.25
    assert progress(Kind.DECREASE, 200, 0, 0) == 1.0


def test_over_achievement_is_kept_and_clamped_for_display():
    assert progress(Kind.INCREASE, 30, 45, 48) == 1.2
    assert clamp(1.2) == 1.0


def test_thresholds_are_met_or_not_at_each_reading():
    assert progress(Kind.STAY_ABOVE, 0, 99.5, 99.7) == 1.0
    assert progress(Kind.STAY_ABOVE, 0, 99.5, 99.4) == 0.0
    assert progress(Kind.STAY_BELOW, 0, 300, 280) == 1.0
    assert progress(Kind.STAY_BELOW, 0, 300, 310) == 0.0
    assert progress(Kind.MILESTONE, 0, 1, 1) == 1.0


@given(values, values, values, values)
def test_progress_grows_with_the_current_value_towards_the_target(start, target, a, b):
    assume(abs(target - start) > 1e-3)
    low, high = sorted([a, b])
    kind = Kind.INCREASE if target > start else Kind.DECREASE
    towards_target = (low, high) if kind is Kind.INCREASE else (high, low)
    assert progress(kind, start, target, towards_target[0]) <= progress(
        kind, start, target, towards_target[1]
    )


@given(st.lists(st.tuples(values, st.floats(min_value=0.01, max_value=100)), min_size=1))
def test_objective_progress_is_bounded_and_order_independent(items):
    result = objective_progress(items)
    assert result is not None
    assert -1e-9 <= result <= 1 + 1e-9
    reversed_result = objective_progress(list(reversed(items)))
    assert reversed_result is not None
    assert abs(result - reversed_result) < 1e-9


def test_objective_progress_is_the_weighted_mean():
    assert objective_progress([(1.0, 3), (0.0, 1)]) == 0.75
    assert objective_progress([]) is None


@given(shares, shares)
def test_pace_compares_progress_with_elapsed_time(share, elapsed):
    result = pace(Kind.INCREASE, share, elapsed)
    if share > elapsed + 0.1:
        assert result is Pace.AHEAD
    elif share < elapsed - 0.1:
        assert result is Pace.BEHIND
    else:
        assert result is Pace.ON_TRACK


def test_the_pace_line_runs_from_start_to_target():
    assert expected_value(200, 0, 0.0) == 200
    assert expected_value(200, 0, 0.5) == 100
    assert expected_value(200, 0, 1.5) == 0


def test_confidence_reads_as_on_track_at_risk_off_track():
    assert [confidence_status(c) for c in (10, 7, 6, 4, 3, 0)] == [
        Confidence.ON_TRACK,
        Confidence.ON_TRACK,
        Confidence.AT_RISK,
        Confidence.AT_RISK,
        Confidence.OFF_TRACK,
        Confidence.OFF_TRACK,
    ]


def test_aspirational_succeeds_at_0_7_committed_at_1_0():
    assert grade(0.72, aspirational=True).success
    assert grade(0.72, aspirational=True).score == 0.7
    assert not grade(0.95, aspirational=False).success
    assert grade(1.4, aspirational=False).score == 1.0


@given(values)
def test_grades_lie_between_0_and_1(share):
    assert 0.0 <= grade(share, aspirational=True).score <= 1.0


@pytest.mark.parametrize("kind", ["stay_above", "stay_below"])
def test_a_threshold_is_unknown_until_its_first_check_in(kind):
    assert measured_progress(kind, 99, 99, 99, checked_in=False) is None
    assert measured_progress(kind, 99, 99, 99, checked_in=True) == 1.0
    status = key_result_status(KeyResultFigures(kind, 99, 99, 99, checked_in=False), 0.5)
    assert (status.progress, status.pace, status.awaiting_check_in) == (None, None, True)


def test_an_unmeasured_threshold_lifts_no_objective():
    unknown = KeyResultFigures("stay_above", 99, 99, 99, checked_in=False)
    half = KeyResultFigures("increase", 0, 100, 50)
    assert objective_status([unknown, half], 0.5).progress == 0.5
    alone = objective_status([unknown], 0.5)
    assert (alone.progress, alone.pace, alone.awaiting_check_in) == (None, None, True)
    # Other kinds are known from their start: a milestone is simply not done yet.
    assert measured_progress("milestone", 0, 1, 0, checked_in=False) == 0.0
