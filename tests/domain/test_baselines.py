import datetime

from tandem.domain.baselines import compare, drift_index, snapshot_from_json, snapshot_to_json
from tandem.domain.plan import (
    ContributionFacts,
    CycleFacts,
    InitiativeFacts,
    KeyResultFacts,
    ObjectiveFacts,
    PlanSnapshot,
)

D = datetime.date


def plan(**kw):
    base = {
        "today": D(2026, 10, 15),
        "cycles": (CycleFacts(1, "Q4", D(2026, 10, 1), D(2026, 12, 31), "active"),),
        "objectives": (ObjectiveFacts(1, 1, "Grow"),),
        "key_results": (
            KeyResultFacts(1, 1, "A", "increase", 0, 100, 10),
            KeyResultFacts(2, 1, "B", "increase", 0, 50, 10),
        ),
        "initiatives": (
            InitiativeFacts(1, "Build", "planned", "now", D(2026, 10, 1), D(2026, 11, 1)),
        ),
        "contributions": (ContributionFacts(1, 1),),
    }
    base.update(kw)
    return PlanSnapshot(**base)


def test_round_trip_through_json():
    original = plan()
    assert snapshot_from_json(snapshot_to_json(original)) == original


def test_unchanged_plan_has_no_drift():
    assert drift_index(plan(), plan(), 1) == 0.0


def test_retargeted_and_rescheduled_are_changes():
    new = plan(
        key_results=(
            KeyResultFacts(1, 1, "A", "increase", 0, 120, 10),
            KeyResultFacts(2, 1, "B", "increase", 0, 50, 10),
        ),
        initiatives=(
            InitiativeFacts(1, "Build", "planned", "now", D(2026, 10, 1), D(2026, 12, 1)),
        ),
    )
    comparison = compare(plan(), new, 1)
    assert [c.kind for c in comparison.key_results] == ["retargeted"]
    assert [c.kind for c in comparison.initiatives] == ["rescheduled"]
    # Commitments: 2 key results, 1 initiative, 1 link; 2 changed.
    assert drift_index(plan(), new, 1) == 0.5


def test_added_work_counts_against_the_grown_plan():
    new = plan(contributions=(ContributionFacts(1, 1), ContributionFacts(1, 2)))
    assert [c.kind for c in compare(plan(), new, 1).links] == ["linked"]
    assert drift_index(plan(), new, 1) == 1 / 5
