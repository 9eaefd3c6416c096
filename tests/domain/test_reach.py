"""What edits open, close and change, found within the part of the plan they reach, is
exactly what detection on the whole plan before and after finds."""

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.domain.conflict_rules import detect
from tandem.domain.plan import (
    CapacityFacts,
    CheckInFacts,
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
from tandem.domain.whatif import Edit, EditError, apply_edits, conflict_changes, fix_effects

D = datetime.date
TODAY = D(2026, 2, 15)
CYCLES = (
    CycleFacts(1, "Q1 2026", D(2026, 1, 1), D(2026, 3, 31), "active"),
    CycleFacts(2, "Q2 2026", D(2026, 4, 1), D(2026, 6, 30), "planning"),
    CycleFacts(3, "Q4 2025", D(2025, 10, 1), D(2025, 12, 31), "closed"),
)
TEAMS = (TeamFacts(1, "Growth"), TeamFacts(2, "Core"))
PILLARS = (PillarFacts(1, "Retention"), PillarFacts(2, "Reach"))
INITIATIVES = range(100, 110)
KEY_RESULTS = range(20, 29)
OBJECTIVES = range(10, 14)

day = st.dates(D(2025, 11, 1), D(2026, 7, 31))


@st.composite
def plans(draw: st.DrawFn) -> PlanSnapshot:
    objectives = tuple(
        ObjectiveFacts(
            o,
            draw(st.sampled_from([1, 1, 2, 3])),
            f"Objective {o}",
            parent_id=draw(st.sampled_from([None, *[p for p in OBJECTIVES if p < o]])),
            pillar_id=draw(st.sampled_from([None, 1, 2])),
            team_id=draw(st.sampled_from([None, 1, 2])),
            status=draw(st.sampled_from(["active", "active", "archived"])),
            commitment=draw(st.sampled_from(["committed", "aspirational"])),
        )
        for o in OBJECTIVES
    )
    key_results = []
    check_ins = []
    for k in KEY_RESULTS:
        checked = draw(st.booleans())
        current = draw(st.sampled_from([0.0, 20.0, 50.0, 100.0]))
        key_results.append(
            KeyResultFacts(
                k,
                draw(st.sampled_from(OBJECTIVES)),
                f"Key result {k}",
                "increase",
                0.0,
                100.0,
                current if checked else 0.0,
                weight=draw(st.sampled_from([0.5, 1.0, 3.0])),
                status=draw(st.sampled_from(["active", "active", "active", "dropped"])),
                needs_no_initiative=draw(st.booleans()),
                last_check_in=D(2026, 2, 10) if checked else None,
                last_confidence=draw(st.sampled_from([3, 8])) if checked else None,
                created=draw(st.sampled_from([D(2025, 12, 1), D(2026, 2, 12)])),
            )
        )
        if checked:
            check_ins.extend(
                CheckInFacts(k, D(2026, 1, n), current * n / 30, 6) for n in (5, 15, 25)
            )
    initiatives = []
    for i in INITIATIVES:
        start = draw(st.none() | day)
        end = draw(st.none() | day)
        if start and end and end < start:
            start, end = end, start
        initiatives.append(
            InitiativeFacts(
                i,
                f"Initiative {i}",
                draw(st.sampled_from(["planned", "in_progress", "done", "dropped"])),
                draw(st.sampled_from(["now", "next", "later"])),
                start,
                end,
                draw(st.sampled_from([None, 1, 2])),
                draw(st.sampled_from([0.0, 3.0, 8.0])),
            )
        )
    contributions = draw(
        st.sets(st.tuples(st.sampled_from(INITIATIVES), st.sampled_from(KEY_RESULTS)), max_size=14)
    )
    dependencies = draw(
        st.sets(st.tuples(st.sampled_from(INITIATIVES), st.sampled_from(INITIATIVES)), max_size=5)
    )
    capacities = draw(
        st.sets(st.tuples(st.sampled_from([1, 2]), st.sampled_from([1, 2, 3])), max_size=4)
    )
    return PlanSnapshot(
        today=TODAY,
        cycles=CYCLES,
        pillars=PILLARS,
        teams=TEAMS,
        objectives=objectives,
        key_results=tuple(key_results),
        initiatives=tuple(initiatives),
        contributions=tuple(ContributionFacts(i, k) for i, k in sorted(contributions)),
        dependencies=tuple(DependencyFacts(a, b) for a, b in sorted(dependencies) if a < b),
        capacities=tuple(CapacityFacts(t, c, 6.0) for t, c in sorted(capacities)),
        check_ins=tuple(check_ins),
    )


initiative = st.sampled_from(INITIATIVES)
key_result = st.sampled_from(KEY_RESULTS)


def _edit(action: str, **params: object) -> Edit:
    return Edit(action, params)


def _one(action: str, **params: st.SearchStrategy) -> st.SearchStrategy[Edit]:
    return st.builds(_edit, st.just(action), **params)


horizon = st.sampled_from(["now", "next", "later"])
team = st.sampled_from([1, 2])
edits = st.one_of(
    _one("move_initiative", initiative_id=initiative, horizon=horizon),
    _one("reschedule_initiative", initiative_id=initiative, end_date=day.map(D.isoformat)),
    _one("resize_initiative", initiative_id=initiative, effort=st.just(20)),
    _one("drop_initiative", initiative_id=initiative),
    _one("defer_initiatives", initiative_ids=st.lists(initiative, min_size=1, max_size=2),
         cycle_id=st.just(1)),
    _one("set_capacity", team_id=team, cycle_id=team, person_weeks=st.just(2)),
    _one("retarget_key_result", key_result_id=key_result, target_value=st.just(40)),
    _one("reweight_key_result", key_result_id=key_result, weight=st.just(9)),
    _one("drop_key_result", key_result_id=key_result),
    _one("mark_needs_no_initiative", key_result_id=key_result),
    _one("add_contribution", initiative_id=initiative, key_result_id=key_result),
    _one("remove_contribution", initiative_id=initiative, key_result_id=key_result),
    _one("add_dependency", initiative_id=initiative, depends_on_id=initiative),
    _one("remove_dependency", initiative_id=initiative, depends_on_id=initiative),
    _one("align_objective", objective_id=st.sampled_from(OBJECTIVES), pillar_id=team),
)  # fmt: skip


def _whole(plan: PlanSnapshot, edited: PlanSnapshot) -> tuple[list, list, list]:
    old = {c.key: c for c in detect(plan)}
    new = {c.key: c for c in detect(edited)}
    return (
        sorted((c.key, c.severity, c.sentence) for k, c in new.items() if k not in old),
        sorted((c.key, c.severity, c.sentence) for k, c in old.items() if k not in new),
        sorted(
            (k, c.severity, c.sentence)
            for k, c in new.items()
            if k in old and (old[k].severity, old[k].sentence) != (c.severity, c.sentence)
        ),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(), st.lists(edits, min_size=1, max_size=3))
def test_conflicts_opened_closed_and_changed_match_detection_on_the_whole_plan(plan, chosen):
    try:
        edited = apply_edits(plan, chosen)
    except EditError:
        return
    opened, closed, changed = conflict_changes(plan, chosen)
    assert _whole(plan, edited) == (
        sorted((c.key, c.severity, c.sentence) for c in opened),
        sorted((c.key, c.severity, c.sentence) for c in closed),
        sorted((new.key, new.severity, new.sentence) for _, new in changed),
    )


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_every_suggested_fix_is_judged_as_on_the_whole_plan(plan):
    for conflict in detect(plan):
        for suggestion, effects in zip(
            conflict.suggestions, fix_effects(plan, conflict), strict=True
        ):
            if effects is None:
                continue
            edited = apply_edits(plan, [Edit(suggestion.action, dict(suggestion.params))])
            opened, closed, _ = _whole(plan, edited)
            assert sorted((c.key, c.severity, c.sentence) for c in effects.opened) == opened
            assert sorted((c.key, c.severity, c.sentence) for c in effects.closed) == closed


def test_reweighting_a_key_result_changes_the_severity_of_its_siblings_conflicts():
    objective = ObjectiveFacts(10, 1, "Activate", pillar_id=1)
    lone, other = (
        KeyResultFacts(k, 10, f"Key result {k}", "increase", 0, 100, 0, created=D(2025, 12, 1))
        for k in (20, 21)
    )
    plan = PlanSnapshot(
        today=TODAY,
        cycles=CYCLES,
        pillars=PILLARS[:1],
        teams=TEAMS,
        objectives=(objective,),
        key_results=(lone, other),
    )
    opened, closed, changed = conflict_changes(
        plan, [Edit("reweight_key_result", {"key_result_id": 21, "weight": 9})]
    )
    assert (opened, closed) == ([], [])
    assert {(before.key, before.severity, after.severity) for before, after in changed} == {
        ("unsupported_key_result:key_result-20", "high", "medium")
    }
