"""The what-if engine: edits applied in memory, checked by field, and their effects."""

import datetime
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.domain.conflict_rules import detect
from tandem.domain.conflicts import Rule, Severity
from tandem.domain.plan import (
    CapacityFacts,
    CheckInFacts,
    ContributionFacts,
    DependencyFacts,
    InitiativeFacts,
)
from tandem.domain.whatif import Edit, EditError, apply_edits, check_edit, evaluate, fix_effects
from tests.domain.test_conflict_rules import ACTIVATION, ONBOARDING, Q1, TEAM, plan

D = datetime.date
SECOND = InitiativeFacts(
    1001, "Pricing page", "planned", "now", D(2026, 2, 1), D(2026, 3, 1), TEAM.id, 4
)


def test_edits_change_a_copy_and_leave_the_plan_alone():
    base = plan(initiatives=(ONBOARDING, SECOND))
    edited = apply_edits(
        base,
        [
            Edit("reschedule_initiative", {"initiative_id": 1000, "end_date": "2026-04-20"}),
            Edit("resize_initiative", {"initiative_id": 1001, "effort": 9}),
            Edit("set_capacity", {"team_id": TEAM.id, "cycle_id": Q1.id, "person_weeks": 12}),
            Edit("reweight_key_result", {"key_result_id": ACTIVATION.id, "weight": 3}),
            Edit("add_dependency", {"initiative_id": 1001, "depends_on_id": 1000}),
        ],
    )
    assert edited.initiative[1000].end == D(2026, 4, 20)
    assert edited.initiative[1001].effort == 9
    assert edited.capacities == (CapacityFacts(TEAM.id, Q1.id, 12),)
    assert edited.key_result[ACTIVATION.id].weight == 3
    assert edited.dependencies == (DependencyFacts(1001, 1000),)
    assert base.initiative[1000].end == D(2026, 3, 20)
    assert base.dependencies == ()


@pytest.mark.parametrize(
    ("edit", "field", "words"),
    [
        (
            Edit("reschedule_initiative", {"initiative_id": 1000, "end_date": "2025-12-01"}),
            "end_date",
            "on or after the start",
        ),
        (
            Edit("move_initiative", {"initiative_id": 99, "horizon": "next"}),
            "initiative_id",
            "no initiative 99",
        ),
        (Edit("move_initiative", {"initiative_id": 1000, "horizon": "soon"}), "horizon", "now"),
        (
            Edit("retarget_key_result", {"key_result_id": ACTIVATION.id, "target_value": 10}),
            "target_value",
            "above the start",
        ),
        (
            Edit("reweight_key_result", {"key_result_id": ACTIVATION.id, "weight": 0}),
            "weight",
            "above zero",
        ),
        (
            Edit("set_capacity", {"team_id": 1, "cycle_id": 1, "person_weeks": "lots"}),
            "person_weeks",
            "number",
        ),
        (
            Edit("remove_contribution", {"initiative_id": 1001, "key_result_id": ACTIVATION.id}),
            "key_result_id",
            "does not count",
        ),
        (
            Edit("resize_initiative", {"initiative_id": 1000, "effort": float("inf")}),
            "effort",
            "reasonable",
        ),
        (Edit("fly", {}), "action", "Unknown"),
    ],
)
def test_a_bad_edit_names_its_field(edit, field, words):
    with pytest.raises(EditError) as error:
        apply_edits(plan(initiatives=(ONBOARDING, SECOND)), [edit])
    assert field in error.value.errors
    assert words in error.value.errors[field]
    assert error.value.index == 0


def test_a_dependency_loop_is_refused_counting_earlier_edits():
    base = plan(initiatives=(ONBOARDING, SECOND))
    first = Edit("add_dependency", {"initiative_id": 1001, "depends_on_id": 1000})
    loop = Edit("add_dependency", {"initiative_id": 1000, "depends_on_id": 1001})
    errors = check_edit(base, [first], loop)
    assert "loop" in errors["depends_on_id"]
    assert "Self-serve onboarding → Pricing page → Self-serve onboarding" in errors["depends_on_id"]
    assert check_edit(base, [], loop) == {}


def test_evaluation_lists_conflicts_forecasts_and_capacity_side_by_side():
    readings = tuple(CheckInFacts(ACTIVATION.id, D(2026, 1, d), 30 + d / 3, 7) for d in (5, 15, 25))
    base = plan(initiatives=(ONBOARDING, SECOND), check_ins=readings)
    outcome = evaluate(
        base,
        [
            Edit("reschedule_initiative", {"initiative_id": 1000, "end_date": "2026-04-30"}),
            Edit("set_capacity", {"team_id": TEAM.id, "cycle_id": Q1.id, "person_weeks": 5}),
        ],
    )
    assert {c.rule for c in outcome.opened} == {Rule.LATE_DELIVERY, Rule.OVER_CAPACITY}
    assert outcome.closed == []
    [change] = outcome.forecasts
    assert change.key_result.id == ACTIVATION.id
    assert change.delta is not None and change.delta < 0  # work due after the cycle
    [row] = [r for r in outcome.capacity if r.cycle_id == Q1.id]
    assert (row.capacity_before, row.capacity_after) == (40, 5)
    assert row.load_after < row.load_before  # part of the effort now falls in April
    assert row.over_after and not row.over_before


def test_a_fix_that_opens_something_as_severe_is_not_one_click():
    late = replace(ONBOARDING, end=D(2026, 4, 20))
    base = plan(initiatives=(late,))
    conflicts = detect(base)
    [conflict] = [c for c in conflicts if c.rule is Rule.LATE_DELIVERY]
    reschedule, unlink = fix_effects(base, conflict)
    assert reschedule.closes_it and reschedule.one_click and reschedule.opened == []
    # Unlinking closes it but leaves the key result unsupported (as severe) and the work
    # orphaned: not one click.
    assert unlink.closes_it
    assert {c.rule for c in unlink.opened} == {Rule.UNSUPPORTED_KEY_RESULT, Rule.ORPHAN_WORK}
    assert not unlink.one_click


def test_over_capacity_offers_the_fewest_moves_that_bring_the_team_within_it():
    work = tuple(
        InitiativeFacts(2000 + n, f"Work {n}", "planned", "now", None, None, TEAM.id, effort)
        for n, effort in enumerate((10, 6, 8, 7, 5, 4))
    )
    base = plan(
        initiatives=(*work,),
        contributions=tuple(ContributionFacts(i.id, ACTIVATION.id) for i in work[:3]),
        capacities=(CapacityFacts(TEAM.id, Q1.id, 30),),
    )
    conflicts = detect(base)
    [over] = [c for c in conflicts if c.rule is Rule.OVER_CAPACITY]
    assert over.severity is Severity.HIGH
    _raise_it, harmless, fewest = over.suggestions
    # 40 planned against 30: work serving no key result of Q1 first (7 + 5 = 12), then the
    # fewest of all (10 alone).
    assert dict(harmless.params)["initiative_ids"] == (2003, 2004)
    assert (
        "the fewest moves of planned work serving no key result of it (2)" in harmless.label
        and "(28 person-weeks left" in harmless.label
    )
    assert dict(fewest.params)["initiative_ids"] == (2000,)
    effects = fix_effects(base, over)
    assert all(e is not None and e.closes_it for e in effects)
    assert effects[0].one_click and effects[1].one_click


@settings(max_examples=40, deadline=None)
@given(
    st.permutations([("resize_initiative", "effort", 3), ("move_initiative", "horizon", "later")])
)
def test_independent_edits_give_the_same_plan_in_any_order(pairs):
    edits = [Edit(action, {"initiative_id": 1000, name: value}) for action, name, value in pairs]
    assert apply_edits(plan(), edits) == apply_edits(plan(), list(reversed(edits)))
