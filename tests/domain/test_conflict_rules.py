"""Each rule: the case that fires, and the near miss that does not."""

import datetime
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.domain.conflict_rules import detect
from tandem.domain.conflicts import Rule, Severity
from tandem.domain.plan import (
    CapacityFacts,
    ContributionFacts,
    CycleFacts,
    DependencyFacts,
    InitiativeFacts,
    KeyResultFacts,
    ObjectiveFacts,
    PillarFacts,
    PlanSnapshot,
    TeamFacts,
)

D = datetime.date
TODAY = D(2026, 2, 15)
Q1 = CycleFacts(1, "Q1 2026", D(2026, 1, 1), D(2026, 3, 31), "active")
Q2 = CycleFacts(2, "Q2 2026", D(2026, 4, 1), D(2026, 6, 30), "planning")
Q4 = CycleFacts(3, "Q4 2025", D(2025, 10, 1), D(2025, 12, 31), "closed")
PILLAR = PillarFacts(1, "Retention")
TEAM = TeamFacts(1, "Growth")
OBJECTIVE = ObjectiveFacts(10, Q1.id, "Activate new accounts", pillar_id=PILLAR.id, team_id=TEAM.id)
ACTIVATION = KeyResultFacts(
    100,
    OBJECTIVE.id,
    "Activation rate 30% to 45%",
    "increase",
    30,
    45,
    38,
    last_check_in=D(2026, 2, 10),
    last_confidence=8,
)
ONBOARDING = InitiativeFacts(
    1000, "Self-serve onboarding", "in_progress", "now", D(2026, 1, 10), D(2026, 3, 20), TEAM.id, 6
)


def plan(**overrides) -> PlanSnapshot:
    base = {
        "today": TODAY,
        "cycles": (Q1, Q2, Q4),
        "pillars": (PILLAR,),
        "teams": (TEAM,),
        "objectives": (OBJECTIVE,),
        "key_results": (ACTIVATION,),
        "initiatives": (ONBOARDING,),
        "contributions": (ContributionFacts(ONBOARDING.id, ACTIVATION.id),),
        "dependencies": (),
        "capacities": (CapacityFacts(TEAM.id, Q1.id, 40),),
    }
    base.update(overrides)
    return PlanSnapshot(**base)


def of_rule(snapshot: PlanSnapshot, rule: Rule):
    return [c for c in detect(snapshot) if c.rule is rule]


def test_a_healthy_plan_has_no_conflicts():
    assert detect(plan()) == []


def test_late_delivery_fires_when_work_ends_after_the_key_results_cycle():
    late = replace(ONBOARDING, end=D(2026, 4, 20))
    [conflict] = of_rule(plan(initiatives=(late,)), Rule.LATE_DELIVERY)
    assert conflict.sentence == (
        "'Self-serve onboarding' ends 20 Apr 2026, 20 days after Q1 2026 ends, "
        "but key result 'Activation rate 30% to 45%' is due with Q1 2026."
    )
    assert conflict.severity is Severity.HIGH
    assert conflict.key == "late_delivery:initiative-1000:key_result-100"
    assert conflict.suggestions[0].params == (("initiative_id", 1000), ("end_date", "2026-03-31"))


def test_late_delivery_near_miss_ends_on_the_last_day():
    on_time = replace(ONBOARDING, end=Q1.end)
    assert of_rule(plan(initiatives=(on_time,)), Rule.LATE_DELIVERY) == []


def test_late_delivery_fires_when_all_work_waits_in_next_or_later():
    waiting = replace(ONBOARDING, horizon="next", start=None, end=None, status="planned")
    [conflict] = of_rule(plan(initiatives=(waiting,)), Rule.LATE_DELIVERY)
    assert conflict.key == "late_delivery:key_result-100"
    assert "'Self-serve onboarding' (Next)" in conflict.sentence
    assert conflict.suggestions[0].action == "move_initiative"


def test_unsupported_key_result_fires_without_live_work():
    idea = replace(ONBOARDING, status="idea")
    [conflict] = of_rule(plan(initiatives=(idea,)), Rule.UNSUPPORTED_KEY_RESULT)
    assert conflict.sentence == (
        "Key result 'Activation rate 30% to 45%' of Q1 2026 has no initiative behind it: "
        "nothing planned, in progress or done serves it."
    )


def test_unsupported_key_result_near_miss_the_work_was_delivered():
    done = replace(ONBOARDING, status="done")
    assert of_rule(plan(initiatives=(done,)), Rule.UNSUPPORTED_KEY_RESULT) == []


def test_unsupported_key_result_near_misses():
    needs_none = replace(ACTIVATION, needs_no_initiative=True)
    assert (
        of_rule(plan(key_results=(needs_none,), contributions=()), Rule.UNSUPPORTED_KEY_RESULT)
        == []
    )
    closed_objective = replace(OBJECTIVE, cycle_id=Q4.id)
    assert (
        of_rule(plan(objectives=(closed_objective,), contributions=()), Rule.UNSUPPORTED_KEY_RESULT)
        == []
    )


def test_unsupported_key_result_covers_the_next_cycle_with_lower_severity():
    next_objective = ObjectiveFacts(11, Q2.id, "Expand", pillar_id=PILLAR.id)
    next_kr = KeyResultFacts(
        101, 11, "Net revenue retention 105% to 112%", "increase", 105, 112, 105
    )
    [conflict] = of_rule(
        plan(objectives=(OBJECTIVE, next_objective), key_results=(ACTIVATION, next_kr)),
        Rule.UNSUPPORTED_KEY_RESULT,
    )
    assert conflict.severity is Severity.MEDIUM
    assert "of Q2 2026" in conflict.sentence


def test_orphan_work_fires_for_live_work_serving_no_current_key_result():
    side_project = InitiativeFacts(1001, "Dark mode", "planned", "next", team_id=TEAM.id)
    [conflict] = of_rule(plan(initiatives=(ONBOARDING, side_project)), Rule.ORPHAN_WORK)
    assert conflict.sentence == (
        "'Dark mode' is planned (Next) but serves no key result of Q1 2026 or Q2 2026."
    )
    assert conflict.severity is Severity.LOW


def test_orphan_work_near_miss_ideas_are_not_work_yet():
    idea = InitiativeFacts(1001, "Dark mode", "idea", "later")
    assert of_rule(plan(initiatives=(ONBOARDING, idea)), Rule.ORPHAN_WORK) == []


def test_over_capacity_counts_prorated_dated_work_and_undated_work_in_now():
    big = InitiativeFacts(1001, "Usage billing", "planned", "now", team_id=TEAM.id, effort=30)
    spanning = InitiativeFacts(
        1002, "SSO", "planned", "next", D(2026, 3, 1), D(2026, 4, 30), TEAM.id, effort=12
    )
    links = tuple(ContributionFacts(i, ACTIVATION.id) for i in (1000, 1001, 1002))
    [conflict] = of_rule(
        plan(initiatives=(ONBOARDING, big, spanning), contributions=links), Rule.OVER_CAPACITY
    )
    # 6 (onboarding) + 30 (undated, Now) + 12 × 31/61 (March of SSO) ≈ 42.1
    assert conflict.sentence == (
        "Team 'Growth' has 42 person-weeks of planned work in Q1 2026 against a capacity "
        "of 40: 2 over (5%)."
    )
    assert conflict.severity is Severity.MEDIUM


def test_over_capacity_near_miss_exactly_at_capacity():
    full = InitiativeFacts(1001, "Usage billing", "planned", "now", team_id=TEAM.id, effort=34)
    links = (ContributionFacts(1000, 100), ContributionFacts(1001, 100))
    assert (
        of_rule(plan(initiatives=(ONBOARDING, full), contributions=links), Rule.OVER_CAPACITY) == []
    )


def test_dependency_order_fires_when_work_starts_before_its_prerequisite_ends():
    api = InitiativeFacts(
        1001, "Public API", "planned", "now", D(2026, 1, 1), D(2026, 2, 28), TEAM.id
    )
    early = replace(ONBOARDING, start=D(2026, 2, 20))
    [conflict] = of_rule(
        plan(
            initiatives=(early, api),
            contributions=(ContributionFacts(1000, 100), ContributionFacts(1001, 100)),
            dependencies=(DependencyFacts(1000, 1001),),
        ),
        Rule.DEPENDENCY_ORDER,
    )
    assert conflict.sentence == (
        "'Self-serve onboarding' starts 20 Feb 2026, but 'Public API', which it depends on, "
        "ends 28 Feb 2026: 9 days too early."
    )
    assert dict(conflict.suggestions[0].params)["start_date"] == "2026-03-01"


def test_dependency_order_near_miss_starts_the_day_after():
    api = InitiativeFacts(
        1001, "Public API", "planned", "now", D(2026, 1, 1), D(2026, 1, 9), TEAM.id
    )
    snapshot = plan(
        initiatives=(ONBOARDING, api),
        contributions=(ContributionFacts(1000, 100), ContributionFacts(1001, 100)),
        dependencies=(DependencyFacts(1000, 1001),),
    )
    assert of_rule(snapshot, Rule.DEPENDENCY_ORDER) == []


def test_dependency_on_dropped_work_fires():
    dropped = InitiativeFacts(1001, "Public API", "dropped", "later")
    [conflict] = of_rule(
        plan(initiatives=(ONBOARDING, dropped), dependencies=(DependencyFacts(1000, 1001),)),
        Rule.DEPENDENCY_ORDER,
    )
    assert (
        conflict.sentence == "'Self-serve onboarding' depends on 'Public API', which was dropped."
    )
    assert conflict.severity is Severity.HIGH


def test_dropped_goal_live_work_fires_and_near_miss_when_work_is_done():
    archived = replace(ACTIVATION, status="archived")
    [conflict] = of_rule(plan(key_results=(archived,)), Rule.DROPPED_GOAL_LIVE_WORK)
    assert conflict.sentence == (
        "'Self-serve onboarding' is in progress for 'Activation rate 30% to 45%', which was "
        "archived or dropped."
    )
    done = replace(ONBOARDING, status="done")
    assert (
        of_rule(plan(key_results=(archived,), initiatives=(done,)), Rule.DROPPED_GOAL_LIVE_WORK)
        == []
    )


def test_a_dropped_objective_counts_as_a_dropped_goal():
    dropped = replace(OBJECTIVE, status="dropped")
    assert len(of_rule(plan(objectives=(dropped,)), Rule.DROPPED_GOAL_LIVE_WORK)) == 1


def test_at_risk_without_action_fires_when_behind_and_nothing_is_in_now():
    behind = replace(ACTIVATION, current=31, last_confidence=3)
    later = replace(ONBOARDING, horizon="later", start=None, end=None)
    [conflict] = of_rule(
        plan(key_results=(behind,), initiatives=(later,)), Rule.AT_RISK_WITHOUT_ACTION
    )
    assert conflict.sentence == (
        "Key result 'Activation rate 30% to 45%' is behind pace (7% done with 51% of Q1 2026 "
        "gone) and at confidence 3/10, yet none of its initiatives is in Now."
    )
    assert conflict.severity is Severity.HIGH


def test_at_risk_without_action_near_miss_work_is_in_now():
    behind = replace(ACTIVATION, current=31, last_confidence=3)
    assert of_rule(plan(key_results=(behind,)), Rule.AT_RISK_WITHOUT_ACTION) == []


def test_strategy_gap_fires_for_unaligned_objectives_and_unserved_pillars():
    loose = replace(OBJECTIVE, pillar_id=None)
    conflicts = of_rule(plan(objectives=(loose,)), Rule.STRATEGY_GAP)
    assert [c.sentence for c in conflicts] == [
        "Pillar 'Retention' has no objective in Q1 2026.",
        "Objective 'Activate new accounts' of Q1 2026 is aligned to no strategic pillar, "
        "directly or through a parent objective.",
    ]


def test_strategy_gap_near_miss_pillar_inherited_from_the_parent():
    parent = replace(OBJECTIVE, id=9, title="Grow")
    child = replace(OBJECTIVE, pillar_id=None, parent_id=9)
    assert of_rule(plan(objectives=(parent, child)), Rule.STRATEGY_GAP) == []


def test_keys_are_stable_and_fingerprints_follow_the_inputs():
    late = replace(ONBOARDING, end=D(2026, 4, 20))
    first = of_rule(plan(initiatives=(late,)), Rule.LATE_DELIVERY)[0]
    again = of_rule(plan(initiatives=(late,)), Rule.LATE_DELIVERY)[0]
    later = of_rule(plan(initiatives=(replace(late, end=D(2026, 5, 1)),)), Rule.LATE_DELIVERY)[0]
    assert first.key == again.key == later.key
    assert first.fingerprint == again.fingerprint != later.fingerprint


dates = st.one_of(st.none(), st.dates(min_value=D(2025, 6, 1), max_value=D(2026, 9, 30)))
ids = st.integers(1, 12)


@st.composite
def messy_plans(draw):
    initiatives = tuple(
        InitiativeFacts(
            i,
            f"I{i}",
            draw(st.sampled_from(["idea", "planned", "in_progress", "done", "dropped"])),
            draw(st.sampled_from(["now", "next", "later"])),
            draw(dates),
            draw(dates),
            draw(st.one_of(st.none(), st.just(TEAM.id), st.just(99))),
            draw(st.floats(0, 50)),
        )
        for i in range(1, draw(st.integers(0, 8)))
    )
    # Ends before starts are impossible in the database; keep the snapshot realistic there.
    initiatives = tuple(
        replace(i, end=None) if i.start and i.end and i.end < i.start else i for i in initiatives
    )
    key_results = tuple(
        KeyResultFacts(
            100 + k,
            draw(st.sampled_from([10, 11, 404])),
            f"K{k}",
            draw(
                st.sampled_from(["increase", "decrease", "stay_above", "stay_below", "milestone"])
            ),
            draw(st.floats(-10, 10)),
            draw(st.floats(-10, 10)),
            draw(st.floats(-10, 10)),
            status=draw(st.sampled_from(["active", "archived", "dropped"])),
            last_confidence=draw(st.one_of(st.none(), st.integers(0, 10))),
        )
        for k in range(draw(st.integers(0, 6)))
    )
    objectives = (
        OBJECTIVE,
        ObjectiveFacts(
            11,
            draw(st.sampled_from([1, 2, 3, 77])),
            "Other",
            parent_id=draw(st.one_of(st.none(), st.just(11), st.just(10))),
        ),
    )
    return PlanSnapshot(
        today=draw(st.dates(min_value=D(2025, 6, 1), max_value=D(2026, 9, 30))),
        cycles=draw(st.sampled_from([(), (Q1,), (Q1, Q2, Q4), (Q4,)])),
        pillars=(PILLAR,),
        teams=(TEAM,),
        objectives=objectives,
        key_results=key_results,
        initiatives=initiatives,
        contributions=tuple(
            ContributionFacts(draw(ids), 100 + draw(st.integers(0, 6)))
            for _ in range(draw(st.integers(0, 10)))
        ),
        dependencies=tuple(
            DependencyFacts(draw(ids), draw(ids)) for _ in range(draw(st.integers(0, 5)))
        ),
        capacities=tuple(
            CapacityFacts(TEAM.id, c, draw(st.floats(0, 40)))
            for c in draw(st.sets(st.sampled_from([1, 2, 3, 77])))
        ),
    )


@settings(max_examples=300, deadline=None)
@given(messy_plans())
def test_detection_never_fails_on_a_messy_plan_and_keys_are_unique(snapshot):
    conflicts = detect(snapshot)
    assert len({c.key for c in conflicts}) == len(conflicts)
    assert all(c.sentence.endswith(".") for c in conflicts)
