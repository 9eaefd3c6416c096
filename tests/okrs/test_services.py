import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from tandem.activity.models import ChangeEvent
from tandem.okrs.models import CheckIn, Cycle, CycleState, KeyResult, Objective
from tandem.okrs.services import (
    cycle_create,
    cycle_set_state,
    key_result_archive,
    key_result_check_in,
    key_result_update,
    objective_create,
    objective_update,
)
from tests.factories import make_cycle, make_key_result, make_objective

DAY = datetime.date(2026, 11, 2)


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


@pytest.mark.parametrize(
    ("kind", "start", "target", "field", "message"),
    [
        ("increase", 10, 10, "target_value", "To increase, the target must be above the start."),
        ("increase", 10, 5, "target_value", "To increase, the target must be above the start."),
        ("decrease", 200, 200, "target_value", "To decrease, the target must be below the start."),
        ("decrease", 0, 200, "target_value", "To decrease, the target must be below the start."),
    ],
)
def test_impossible_key_results_are_refused_naming_the_field(
    owner, kind, start, target, field, message
):
    objective = make_objective(owner)
    with pytest.raises(ValidationError) as excinfo:
        make_key_result(
            owner, objective=objective, kind=kind, start_value=start, target_value=target
        )
    assert errors_of(excinfo) == {field: [message]}
    assert not KeyResult.objects.exists()


def test_weight_must_be_positive(owner):
    with pytest.raises(ValidationError) as excinfo:
        make_key_result(owner, weight=0)
    assert errors_of(excinfo) == {"weight": ["The weight must be above zero."]}


def test_stay_above_and_milestone_are_valid_definitions(owner):
    objective = make_objective(owner)
    above = make_key_result(
        owner, objective=objective, kind="stay_above", start_value=99, target_value=99.5
    )
    milestone = make_key_result(owner, objective=objective, kind="milestone", target_value=1)
    assert above.kind == "stay_above"
    assert (milestone.start_value, milestone.target_value, milestone.current_value) == (0, 1, 0)


def test_the_database_refuses_what_validation_would_have_refused(owner):
    key_result = make_key_result(owner)
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyResult.objects.filter(pk=key_result.pk).update(target_value=-5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.filter(pk=key_result.objective.cycle_id).update(end=datetime.date(2000, 1, 1))


def test_a_cycle_ending_before_it_starts_is_refused(owner):
    with pytest.raises(ValidationError) as excinfo:
        cycle_create(name="Q0", start=DAY, end=DAY - datetime.timedelta(days=1), by=owner)
    assert errors_of(excinfo) == {"end": ["The end must come after the start."]}


def test_cycles_move_planning_active_closed(owner):
    cycle = make_cycle(owner, state=CycleState.PLANNING)
    with pytest.raises(ValidationError) as excinfo:
        cycle_set_state(cycle=cycle, state=CycleState.CLOSED, by=owner)
    assert "state" in errors_of(excinfo)
    cycle_set_state(cycle=cycle, state=CycleState.ACTIVE, by=owner)
    cycle_set_state(cycle=cycle, state=CycleState.CLOSED, by=owner)
    assert Cycle.objects.get(pk=cycle.pk).state == CycleState.CLOSED


def test_check_ins_move_the_current_value_and_backdated_ones_take_their_place(owner):
    key_result = make_key_result(owner, start_value=0, target_value=100)
    key_result_check_in(key_result=key_result, value=Decimal(40), confidence=7, date=DAY, by=owner)
    key_result_check_in(
        key_result=key_result,
        value=Decimal(20),
        confidence=6,
        date=DAY - datetime.timedelta(days=7),
        by=owner,
    )
    key_result.refresh_from_db()
    assert key_result.current_value == 40
    assert (key_result.last_check_in, key_result.confidence) == (DAY, 7)
    history = list(CheckIn.objects.filter(key_result=key_result).values_list("value", flat=True))
    assert history == [20, 40]


def test_confidence_runs_from_0_to_10(owner):
    key_result = make_key_result(owner)
    with pytest.raises(ValidationError) as excinfo:
        key_result_check_in(
            key_result=key_result, value=Decimal(1), confidence=11, date=DAY, by=owner
        )
    assert errors_of(excinfo) == {"confidence": ["Confidence runs from 0 to 10."]}
    assert not CheckIn.objects.exists()


def test_no_check_in_on_a_closed_cycle_or_an_archived_key_result(owner):
    key_result = make_key_result(owner)
    key_result_archive(key_result=key_result, by=owner)
    with pytest.raises(ValidationError) as excinfo:
        key_result_check_in(
            key_result=key_result, value=Decimal(1), confidence=5, date=DAY, by=owner
        )
    assert "key_result" in errors_of(excinfo)

    other = make_key_result(owner)
    cycle_set_state(cycle=other.objective.cycle, state=CycleState.CLOSED, by=owner)
    other.refresh_from_db()
    with pytest.raises(ValidationError):
        key_result_check_in(key_result=other, value=Decimal(1), confidence=5, date=DAY, by=owner)
    assert not CheckIn.objects.exists()


def test_a_parent_from_another_workspace_is_refused(owner, outsider):
    foreign_parent = make_objective(outsider)
    cycle = make_cycle(owner)
    with pytest.raises(ValidationError) as excinfo:
        objective_create(cycle=cycle, title="Grow", parent=foreign_parent, by=owner)
    assert errors_of(excinfo) == {"parent": ["must belong to this workspace."]}
    assert not Objective.objects.filter(workspace=owner.workspace).exists()


def test_viewers_read_but_do_not_write(owner, viewer):
    cycle = make_cycle(owner)
    with pytest.raises(PermissionDenied):
        objective_create(cycle=cycle, title="Grow", by=viewer)
    assert not Objective.objects.exists()


def test_editing_a_started_cycle_keeps_the_reason(owner, editor):
    objective = make_objective(editor, cycle=make_cycle(owner), title="Grow")
    objective_update(
        objective=objective, title="Grow faster", reason="Board asked for more", by=editor
    )
    event = ChangeEvent.objects.about(objective).filter(action="updated").get()
    assert (event.before, event.after, event.reason) == (
        {"title": "Grow"},
        {"title": "Grow faster"},
        "Board asked for more",
    )


def test_objectives_cannot_be_aligned_in_a_loop(owner):
    cycle = make_cycle(owner)
    company = make_objective(owner, cycle=cycle, title="Win the mid-market")
    team = make_objective(owner, cycle=cycle, title="Ship SSO", parent=company)
    with pytest.raises(ValidationError) as excinfo:
        objective_update(objective=company, parent=team, by=owner)
    assert "parent" in excinfo.value.message_dict
    assert Objective.objects.get(pk=company.pk).parent is None


def test_a_currency_key_result_needs_its_code_whichever_door(owner):
    """The rule lives in the model: the service (so the page, the API, plan files) refuses a
    currency key result without an ISO code, and keeps the code upper case."""
    objective = make_objective(owner)
    with pytest.raises(ValidationError) as excinfo:
        make_key_result(owner, objective=objective, unit="currency")
    assert errors_of(excinfo) == {"currency": ["Give the currency's ISO code, e.g. EUR."]}
    kr = make_key_result(owner, objective=objective, unit="currency", currency=" eur")
    assert kr.currency == "EUR"
    with pytest.raises(ValidationError) as excinfo:
        key_result_update(key_result=kr, by=owner, currency="")
    assert list(errors_of(excinfo)) == ["currency"]
    kr.refresh_from_db()
    assert kr.currency == "EUR"


def test_closing_a_cycle_by_its_state_grades_what_is_ungraded(owner):
    cycle = make_cycle(owner)
    kr = make_key_result(owner, objective=make_objective(owner, cycle=cycle))
    key_result_update(key_result=kr, by=owner, current_value=kr.target_value)
    cycle_set_state(cycle=cycle, state=CycleState.CLOSED, by=owner)
    kr.refresh_from_db()
    assert kr.grade == 1
