"""The forecast: bounds, monotonicity, order independence, and what it says on clear cases."""

import datetime
from dataclasses import replace

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tandem.domain.forecast import Forecast, NoForecast, Work, forecast, plan_forecasts
from tandem.domain.plan import (
    CheckInFacts,
    ContributionFacts,
    CycleFacts,
    InitiativeFacts,
    KeyResultFacts,
    ObjectiveFacts,
    PlanSnapshot,
)

D = datetime.date
START, END = D(2026, 1, 1), D(2026, 3, 31)
TODAY = D(2026, 2, 20)
KINDS = ["increase", "decrease", "stay_above", "stay_below", "milestone"]


def weekly(*values: float, confidence: int = 7) -> list[CheckInFacts]:
    return [
        CheckInFacts(1, START + datetime.timedelta(days=3 + 7 * i), v, confidence)
        for i, v in enumerate(values)
    ]


def increase(readings, **kw):
    args = {
        "kind": "increase",
        "start": 30.0,
        "target": 45.0,
        "cycle_start": START,
        "cycle_end": END,
        "today": TODAY,
        "readings": readings,
    }
    return forecast(**{**args, **kw})


def test_fewer_than_three_check_ins_give_a_reason_not_a_number():
    assert increase([]) == NoForecast("No check-in yet.")
    assert increase(weekly(30, 31)) == NoForecast("Not enough data: 2 check-ins, 3 are needed.")
    same_day = [CheckInFacts(1, D(2026, 1, 5), v, 7) for v in (30, 31, 32)]
    assert "3 different days" in increase(same_day).reason
    # Check-ins after `today` are not known yet: a look back ignores them.
    assert isinstance(increase(weekly(30, 32, 34), today=D(2026, 1, 12)), NoForecast)


def test_a_steady_climb_is_likely_and_a_plateau_is_not():
    climbing = increase(weekly(30, 31.5, 33, 34.5, 36, 37.5, 39))
    flat = increase(weekly(30, 31, 31.5, 31.5, 31.6, 31.5, 31.5))
    assert isinstance(climbing, Forecast) and isinstance(flat, Forecast)
    assert climbing.probability > 0.8 and flat.probability < 0.2
    assert climbing.low < 45 < climbing.high or climbing.low >= 45
    assert flat.high < 45


def test_decrease_and_thresholds_read_the_target_the_right_way_round():
    falling = forecast(
        kind="decrease",
        start=10,
        target=5,
        cycle_start=START,
        cycle_end=END,
        today=TODAY,
        readings=weekly(10, 9.3, 8.6, 7.9, 7.2, 6.5, 5.8),
    )
    holding = forecast(
        kind="stay_below",
        start=200,
        target=200,
        cycle_start=START,
        cycle_end=END,
        today=TODAY,
        readings=weekly(150, 152, 149, 151, 150, 151, 150),
    )
    breaking = forecast(
        kind="stay_above",
        start=200,
        target=200,
        cycle_start=START,
        cycle_end=END,
        today=TODAY,
        readings=weekly(150, 152, 149, 151, 150, 151, 150),
    )
    assert falling.probability > 0.8 and falling.value < 5
    assert holding.probability > 0.8
    assert breaking.probability < 0.25


def test_milestones_are_done_or_depend_on_confidence_and_work_in_time():
    done = forecast(
        kind="milestone",
        start=0,
        target=1,
        cycle_start=START,
        cycle_end=END,
        today=TODAY,
        readings=weekly(0, 1),
    )
    assert done == Forecast(1.0, 1.0, 1.0, 1.0, "Done: the milestone is reached.")
    args = {
        "kind": "milestone",
        "start": 0,
        "target": 1,
        "cycle_start": START,
        "cycle_end": END,
        "today": TODAY,
        "readings": weekly(0, 0, 0, confidence=8),
    }
    on_time = forecast(**args, work=[Work(D(2026, 3, 1), "now")])
    late = forecast(**args, work=[Work(D(2026, 4, 15), "now")])
    assert on_time.probability == 0.8 and late.probability == 0.0


def test_work_due_after_the_cycle_ends_lowers_the_forecast():
    readings = weekly(30, 31.5, 33, 34.5, 36, 37.5, 39)
    on_time = increase(readings, work=[Work(D(2026, 3, 15), "now")])
    late = increase(readings, work=[Work(D(2026, 5, 15), "now")])
    waiting = increase(readings, work=[Work(None, "later")])
    assert late.probability < on_time.probability and late.value < on_time.value
    assert waiting.probability == late.probability
    assert "due after the cycle ends" in late.basis


def test_confidence_moves_the_probability_not_the_value():
    low = increase(weekly(30, 31.5, 33, 34.5, confidence=2))
    high = increase(weekly(30, 31.5, 33, 34.5, confidence=9))
    assert abs(high.probability - low.probability - (9 - 2) / 10 * 0.2) < 1e-12
    assert high.value == low.value


values = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
days = st.integers(-20, 120).map(lambda d: START + datetime.timedelta(days=d))
readings = st.lists(
    st.builds(CheckInFacts, st.just(1), days, values, st.integers(0, 10)), max_size=14
)


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from(KINDS),
    start=values,
    target=values,
    history=readings,
    today=days,
    work=st.lists(st.builds(Work, st.none() | days, st.sampled_from(["now", "next", "later"]))),
)
def test_probability_is_a_probability_and_the_band_holds_the_value(
    kind, start, target, history, today, work
):
    if kind == "milestone":
        start, target = 0.0, 1.0
        history = [replace(r, value=float(r.value > 0)) for r in history]
    outcome = forecast(
        kind=kind,
        start=start,
        target=target,
        cycle_start=START,
        cycle_end=END,
        today=today,
        readings=history,
        work=work,
    )
    if isinstance(outcome, NoForecast):
        assert outcome.reason
        return
    assert 0.0 <= outcome.probability <= 1.0
    assert outcome.low <= outcome.value <= outcome.high


@settings(max_examples=200, deadline=None)
@given(history=readings, shuffle=st.randoms(use_true_random=False))
def test_the_order_of_check_ins_does_not_matter(history, shuffle):
    shuffled = list(history)
    shuffle.shuffle(shuffled)
    args = {
        "kind": "increase",
        "start": 0.0,
        "target": 100.0,
        "cycle_start": START,
        "cycle_end": END,
        "today": END,
    }
    assert forecast(**args, readings=history) == forecast(**args, readings=shuffled)


@settings(max_examples=300, deadline=None)
@given(
    earlier=st.lists(st.floats(-200, 300), min_size=2, max_size=11),
    latest=st.floats(-200, 300),
    better=st.floats(0, 500),
    confidence=st.integers(0, 10),
    today=st.integers(20, 120),
)
def test_a_better_latest_value_never_lowers_an_increasing_forecast(
    earlier, latest, better, confidence, today
):
    history = weekly(*earlier, latest, confidence=confidence)
    assume(history[-1].date <= START + datetime.timedelta(days=today))
    raised = [*history[:-1], replace(history[-1], value=latest + better)]
    args = {
        "kind": "increase",
        "start": 0.0,
        "target": 100.0,
        "cycle_start": START,
        "cycle_end": END,
        "today": START + datetime.timedelta(days=today),
    }
    before, after = forecast(**args, readings=history), forecast(**args, readings=raised)
    assert after.probability >= before.probability - 1e-12
    assert after.value >= before.value - 1e-9


def test_plan_forecasts_cover_live_key_results_of_open_cycles_only():
    cycles = (
        CycleFacts(1, "Q1", START, END, "active"),
        CycleFacts(2, "Q4", D(2025, 10, 1), D(2025, 12, 31), "closed"),
    )
    objectives = (ObjectiveFacts(10, 1, "Grow"), ObjectiveFacts(11, 2, "Old"))
    key_results = (
        KeyResultFacts(100, 10, "Live", "increase", 30, 45, 39),
        KeyResultFacts(101, 10, "Archived", "increase", 30, 45, 39, status="archived"),
        KeyResultFacts(102, 11, "Closed", "increase", 30, 45, 39),
    )
    history = tuple(
        replace(c, key_result_id=kr) for kr in (100, 101, 102) for c in weekly(30, 33, 36, 39)
    )
    late = InitiativeFacts(1000, "Late work", "planned", "next", None, D(2026, 6, 1))
    plan = PlanSnapshot(
        today=TODAY,
        cycles=cycles,
        objectives=objectives,
        key_results=key_results,
        initiatives=(late,),
        contributions=(ContributionFacts(1000, 100, 5.0),),
        check_ins=history,
    )
    outcomes = plan_forecasts(plan)
    assert isinstance(outcomes[100], Forecast) and "due after" in outcomes[100].basis
    assert outcomes[101] == NoForecast("It is not active.")
    assert outcomes[102] == NoForecast("Its cycle is closed: its grade is the outcome.")
    # Pure over the snapshot: the same plan with an edit is forecast in memory.
    on_time = replace(plan, initiatives=(replace(late, end=D(2026, 3, 1)),))
    assert plan_forecasts(on_time)[100].probability > outcomes[100].probability


def test_an_estimate_is_shown_only_as_precisely_as_its_band_allows():
    def band(low: float, high: float) -> int:
        return Forecast(
            probability=0.3, value=(low + high) / 2, low=low, high=high, basis=""
        ).decimals

    assert band(45.63, 51.09) == 1  # "48.4%", not "48.36%"
    assert band(0.21, 0.48) == 2
    assert band(10_000, 14_500) == 0
    assert band(5, 5) == 2


def test_a_target_a_rounding_error_from_its_start_still_gives_finite_figures():
    outcome = forecast(
        kind="increase",
        start=0.0,
        target=5e-324,
        cycle_start=START,
        cycle_end=END,
        today=START + datetime.timedelta(days=30),
        readings=weekly(1e6, -1e6, 1e6),
        work=[],
    )
    assert isinstance(outcome, Forecast)
    assert outcome.low <= outcome.value <= outcome.high
    assert 0.0 <= outcome.probability <= 1.0
