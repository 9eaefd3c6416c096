"""Issue 15: after check-ins alone, detection judges only the key results read, over the
part of the plan their rules look at, and stores exactly what a full run would."""

import datetime
from contextlib import contextmanager
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection

from tandem.conflicts import detection
from tandem.conflicts.detection import conflicts_detect
from tandem.conflicts.models import Conflict, ConflictStatus
from tandem.okrs.models import KeyResult
from tandem.okrs.services import key_result_check_in
from tandem.roadmaps.services import contribution_create
from tests.factories import make_cycle, make_initiative, make_key_result, make_objective

D = datetime.date


@pytest.fixture(autouse=True)
def _mid_quarter():
    with time_machine.travel(datetime.datetime(2026, 2, 15, 12, tzinfo=datetime.UTC)):
        yield


@contextmanager
def committed(capture):
    """The block as a transaction of its own: its after-commit work runs at its end, and
    nothing of it is left pending for the next (the test's transaction never commits)."""
    with capture(execute=True):
        yield
    connection.run_on_commit.clear()


@pytest.fixture
def plan(owner, django_capture_on_commit_callbacks):
    with committed(django_capture_on_commit_callbacks):
        return _plan(owner)


def _plan(owner):
    cycle = make_cycle(owner, name="Q1 2026", start=D(2026, 1, 1), end=D(2026, 3, 31))
    objective = make_objective(owner, cycle=cycle, title="Keep customers")
    churn = make_key_result(owner, objective=objective, title="Churn handled")
    activation = make_key_result(
        owner, objective=objective, title="Activation", start_value=30, target_value=45
    )
    wizard = make_initiative(owner, title="Wizard", status="planned", horizon="next")
    contribution_create(initiative=wizard, key_result=activation, by=owner)
    KeyResult.objects.filter(objective=objective).update(
        created_at=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)
    )
    conflicts_detect(workspace=owner.workspace)
    return churn, activation


def _open(rule, key_result):
    return Conflict.objects.filter(
        rule=rule, key=f"{rule}:key_result-{key_result.pk}", status=ConflictStatus.OPEN
    )


def _check_in(owner, key_result, value, confidence, capture):
    key_result = KeyResult.objects.select_related("objective__cycle").get(pk=key_result.pk)
    with committed(capture):
        key_result_check_in(
            key_result=key_result,
            value=Decimal(value),
            confidence=confidence,
            date=D(2026, 2, 15),
            by=owner,
        )


def test_check_ins_are_judged_as_a_full_run_would(
    owner, plan, django_capture_on_commit_callbacks, monkeypatch
):
    churn, activation = plan
    assert _open("unsupported_key_result", churn).exists()
    assert "no check-in yet" in _open("at_risk_without_action", activation).get().sentence
    full = []
    monkeypatch.setattr(detection, "conflicts_detect", lambda **kw: full.append(kw))

    _check_in(owner, churn, 100, 9, django_capture_on_commit_callbacks)  # at its target
    _check_in(owner, activation, 31, 3, django_capture_on_commit_callbacks)  # behind, unsure

    assert full == []  # neither check-in ran the whole plan's rules
    closed = Conflict.objects.get(key=f"unsupported_key_result:key_result-{churn.pk}")
    assert closed.status == ConflictStatus.RESOLVED
    assert "Churn handled" in closed.closed_note  # names the check-in that closed it
    risk = _open("at_risk_without_action", activation).get().sentence
    assert "behind pace" in risk and "at confidence 3/10" in risk
    monkeypatch.undo()
    cache.clear()  # forget the last full run's mark: run every rule over the whole plan
    again = conflicts_detect(workspace=owner.workspace)
    assert (again.opened, again.reopened, again.closed, again.rewritten) == ([], [], [], 0)


def test_a_check_in_on_a_large_plan_is_still_judged_before_the_answer(
    owner, plan, django_capture_on_commit_callbacks, monkeypatch
):
    churn, _ = plan
    monkeypatch.setattr(detection, "INLINE_DETECTION_LIMIT", 0)
    _check_in(owner, churn, 100, 9, django_capture_on_commit_callbacks)
    assert not _open("unsupported_key_result", churn).exists()


def test_a_check_in_with_another_change_runs_every_rule(
    owner, plan, django_capture_on_commit_callbacks
):
    churn, _ = plan
    key_result = KeyResult.objects.select_related("objective__cycle").get(pk=churn.pk)
    with committed(django_capture_on_commit_callbacks):
        key_result_check_in(
            key_result=key_result, value=Decimal(100), confidence=9, date=D(2026, 2, 15), by=owner
        )
        make_initiative(owner, title="Dark mode", status="planned", horizon="next")
    assert not _open("unsupported_key_result", churn).exists()
    assert Conflict.objects.filter(rule="orphan_work", sentence__contains="Dark mode").exists()
