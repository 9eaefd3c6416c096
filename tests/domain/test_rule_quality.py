"""Issue 13's rule quality: each refinement fires where it should and not on the near miss."""

import datetime
from dataclasses import replace

from tandem.domain.conflicts import Rule, Severity
from tandem.domain.plan import CheckInFacts, ContributionFacts, KeyResultFacts, as_of
from tests.domain.test_conflict_rules import (
    ACTIVATION,
    OBJECTIVE,
    ONBOARDING,
    Q1,
    Q2,
    TODAY,
    D,
    of_rule,
    plan,
)

LATER = replace(ONBOARDING, horizon="later", start=None, end=None, status="planned")
IDEA = replace(ONBOARDING, status="idea")


def weekly(kr_id, *values, confidence=7):
    return tuple(
        CheckInFacts(kr_id, D(2026, 1, 5) + datetime.timedelta(weeks=w), v, confidence)
        for w, v in enumerate(values)
    )


# -------------------------------------------------- met key results are not "unsupported"


def test_a_finished_milestone_or_a_key_result_at_target_is_not_unsupported():
    milestone = KeyResultFacts(
        101, OBJECTIVE.id, "Ship the checklist", "milestone", 0, 1, 1, last_check_in=TODAY
    )
    at_target = replace(ACTIVATION, current=45)
    snapshot = plan(key_results=(milestone, at_target), initiatives=(IDEA,))
    assert of_rule(snapshot, Rule.UNSUPPORTED_KEY_RESULT) == []


def test_near_miss_an_unfinished_milestone_or_one_short_of_target_is_unsupported():
    milestone = KeyResultFacts(
        101, OBJECTIVE.id, "Ship the checklist", "milestone", 0, 1, 0, last_check_in=TODAY
    )
    short = replace(ACTIVATION, current=44.9)
    # And a value at target that nobody checked in is not a measurement.
    unmeasured = replace(ACTIVATION, id=102, current=45, last_check_in=None)
    snapshot = plan(key_results=(milestone, short, unmeasured), initiatives=(IDEA,))
    assert len(of_rule(snapshot, Rule.UNSUPPORTED_KEY_RESULT)) == 3


# -------------------------------------------------- the grace period of new key results


def test_a_key_result_created_within_the_grace_period_is_not_yet_judged():
    fresh = replace(ACTIVATION, created=TODAY - datetime.timedelta(days=6), current=31)
    snapshot = plan(key_results=(fresh,), initiatives=(IDEA,))
    assert of_rule(snapshot, Rule.UNSUPPORTED_KEY_RESULT) == []
    assert of_rule(snapshot, Rule.AT_RISK_WITHOUT_ACTION) == []


def test_near_miss_the_grace_period_is_over_or_set_shorter():
    week_old = replace(ACTIVATION, created=TODAY - datetime.timedelta(days=7), current=31)
    snapshot = plan(key_results=(week_old,), initiatives=(IDEA,))
    assert len(of_rule(snapshot, Rule.UNSUPPORTED_KEY_RESULT)) == 1
    assert len(of_rule(snapshot, Rule.AT_RISK_WITHOUT_ACTION)) == 1
    fresh = replace(week_old, created=TODAY - datetime.timedelta(days=2))
    shorter = plan(key_results=(fresh,), initiatives=(IDEA,), grace_days=1)
    assert len(of_rule(shorter, Rule.UNSUPPORTED_KEY_RESULT)) == 1


# -------------------------------------------------- no check-in yet is a nudge, not a pace


def test_a_key_result_without_check_in_is_a_low_nudge_not_behind_pace():
    silent = replace(ACTIVATION, current=30, last_check_in=None, last_confidence=None)
    [conflict] = of_rule(plan(key_results=(silent,)), Rule.AT_RISK_WITHOUT_ACTION)
    assert conflict.severity is Severity.LOW
    assert conflict.sentence == (
        "Key result 'Activation rate 30% to 45%' has no check-in yet, with 51% of Q1 2026 gone: "
        "its owner should say where it stands."
    )
    assert "behind pace" not in conflict.sentence


def test_near_miss_one_check_in_at_the_start_value_is_behind_pace():
    measured = replace(ACTIVATION, current=30, last_check_in=D(2026, 2, 1), last_confidence=8)
    [conflict] = of_rule(
        plan(key_results=(measured,), initiatives=(LATER,)), Rule.AT_RISK_WITHOUT_ACTION
    )
    assert "behind pace (0% done" in conflict.sentence


def test_a_decreasing_key_result_still_at_its_start_reads_zero_not_minus_zero_done():
    # (30 - 30) / (20 - 30) is -0.0, which Python prints as "-0%".
    measured = replace(
        ACTIVATION,
        kind="decrease",
        start=30,
        target=20,
        current=30,
        last_check_in=D(2026, 2, 1),
        last_confidence=8,
    )
    [conflict] = of_rule(
        plan(key_results=(measured,), initiatives=(LATER,)), Rule.AT_RISK_WITHOUT_ACTION
    )
    assert "behind pace (0% done" in conflict.sentence


# -------------------------------------------------- likely to miss, from the forecast


def test_likely_to_miss_with_nothing_in_now_is_a_conflict_with_the_numbers():
    stalling = replace(ACTIVATION, current=35, last_confidence=8)
    history = weekly(100, 30, 32, 33.5, 34.5, 35, 35, confidence=8)
    snapshot = plan(key_results=(stalling,), initiatives=(LATER,), check_ins=history)
    [conflict] = of_rule(snapshot, Rule.AT_RISK_WITHOUT_ACTION)
    assert "likely to miss (" in conflict.sentence
    assert "% likely by 31 Mar 2026, forecast " in conflict.sentence
    assert "against 45" in conflict.sentence


def test_near_miss_likely_to_make_it_or_work_in_now():
    climbing = replace(ACTIVATION, current=39, last_confidence=8)
    history = weekly(100, 30, 31.5, 33, 34.5, 36, 37.5, confidence=8)
    snapshot = plan(key_results=(climbing,), initiatives=(LATER,), check_ins=history)
    assert of_rule(snapshot, Rule.AT_RISK_WITHOUT_ACTION) == []
    stalling = replace(ACTIVATION, current=35, last_confidence=8)
    stalled = weekly(100, 30, 32, 33.5, 34.5, 35, 35, confidence=8)
    in_now = plan(key_results=(stalling,), check_ins=stalled)
    assert of_rule(in_now, Rule.AT_RISK_WITHOUT_ACTION) == []


# -------------------------------------------------- severity follows what is at stake


def _unsupported_severity(**overrides):
    [conflict] = of_rule(plan(initiatives=(IDEA,), **overrides), Rule.UNSUPPORTED_KEY_RESULT)
    return conflict.severity


def test_severity_is_high_for_a_committed_heavy_key_result_late_in_the_cycle():
    assert _unsupported_severity() is Severity.HIGH


def test_severity_drops_for_aspirational_minor_or_early():
    aspirational = replace(OBJECTIVE, commitment="aspirational")
    assert _unsupported_severity(objectives=(aspirational,)) is Severity.MEDIUM
    others = tuple(replace(ACTIVATION, id=200 + n, weight=1.0) for n in range(4))
    minor = (ACTIVATION, *others)
    contributions = tuple(ContributionFacts(ONBOARDING.id, k.id) for k in others)
    [conflict] = [
        c
        for c in of_rule(
            plan(key_results=minor, initiatives=(IDEA,), contributions=contributions),
            Rule.UNSUPPORTED_KEY_RESULT,
        )
        if c.subject[0].id == ACTIVATION.id
    ]
    assert conflict.severity is Severity.MEDIUM  # a fifth of its objective's weight
    assert _unsupported_severity(today=D(2026, 1, 20)) is Severity.MEDIUM  # most of Q1 ahead
    # All three: a fresh aspirational minor key result is low, never high.
    assert _unsupported_severity(objectives=(aspirational,), today=D(2026, 1, 20)) is Severity.LOW


def test_the_next_cycle_is_early_by_definition():
    next_objective = replace(OBJECTIVE, id=11, cycle_id=Q2.id)
    next_kr = replace(ACTIVATION, id=101, objective_id=11)
    conflicts = of_rule(
        plan(objectives=(OBJECTIVE, next_objective), key_results=(ACTIVATION, next_kr)),
        Rule.UNSUPPORTED_KEY_RESULT,
    )
    assert [c.severity for c in conflicts] == [Severity.MEDIUM]


# -------------------------------------------------- key results of closed cycles


def test_key_results_of_closed_cycles_are_settled_not_judged():
    closed = replace(Q1, state="closed")
    late = replace(ONBOARDING, end=D(2026, 4, 20))
    snapshot = plan(cycles=(closed, Q2), initiatives=(late,))
    assert of_rule(snapshot, Rule.LATE_DELIVERY) == []
    assert of_rule(snapshot, Rule.AT_RISK_WITHOUT_ACTION) == []


def test_near_miss_the_same_key_result_in_an_open_cycle_is_late():
    late = replace(ONBOARDING, end=D(2026, 4, 20))
    assert len(of_rule(plan(initiatives=(late,)), Rule.LATE_DELIVERY)) == 1


# -------------------------------------------------- as of a date


def test_as_of_a_date_the_plan_stands_at_its_check_ins_of_then():
    # Today it is on track; on 1 February it had only just started and was behind.
    history = weekly(100, 30, 30, 30, 30, 38, 39, 40)
    now = plan(key_results=(replace(ACTIVATION, current=40),), initiatives=(LATER,))
    assert of_rule(replace(now, check_ins=history), Rule.AT_RISK_WITHOUT_ACTION) == []
    then = as_of(replace(now, today=D(2026, 2, 1), check_ins=history[:4]))
    [conflict] = of_rule(then, Rule.AT_RISK_WITHOUT_ACTION)
    assert "behind pace (0% done" in conflict.sentence
    # A key result written after that day did not exist yet.
    newer = replace(ACTIVATION, id=101, created=D(2026, 2, 10))
    earlier = as_of(replace(now, key_results=(ACTIVATION, newer), today=D(2026, 2, 1)))
    assert [k.id for k in earlier.key_results] == [ACTIVATION.id]
