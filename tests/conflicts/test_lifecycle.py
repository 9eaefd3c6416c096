import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from tandem.activity.models import ChangeEvent
from tandem.conflicts.detection import conflicts_detect
from tandem.conflicts.models import Conflict, ConflictStatus
from tandem.conflicts.services import (
    conflict_apply_fix,
    conflict_comment,
    conflict_invite,
    conflict_record_decision,
    conflict_set_status,
)
from tandem.okrs.models import CycleState, KeyResult
from tandem.okrs.services import cycle_set_state, key_result_check_in
from tandem.roadmaps.models import Initiative
from tandem.roadmaps.services import contribution_create, initiative_update
from tandem.strategy.services import team_set_members
from tests.factories import (
    make_cycle,
    make_initiative,
    make_key_result,
    make_objective,
    make_pillar,
    make_team,
)

D = datetime.date


@pytest.fixture(autouse=True)
def _mid_quarter():
    with time_machine.travel(datetime.datetime(2026, 2, 15, 12, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def late_plan(owner):
    """Q1 is active; 'Self-serve onboarding' serves a Q1 key result but ends 20 days late."""
    cycle = make_cycle(owner, name="Q1 2026", start=D(2026, 1, 1), end=D(2026, 3, 31))
    pillar = make_pillar(owner, name="Retention")
    objective = make_objective(owner, cycle=cycle, title="Activate accounts", pillar=pillar)
    key_result = make_key_result(
        owner,
        objective=objective,
        title="Activation rate 30% to 45%",
        start_value=30,
        target_value=45,
    )
    initiative = make_initiative(
        owner,
        title="Self-serve onboarding",
        status="in_progress",
        horizon="now",
        start_date=D(2026, 1, 10),
        end_date=D(2026, 4, 20),
    )
    contribution_create(initiative=initiative, key_result=key_result, by=owner)
    return initiative, key_result


def test_detection_opens_the_conflict_with_its_sentence(owner, late_plan):
    result = conflicts_detect(workspace=owner.workspace)
    [conflict] = result.opened
    assert conflict.rule == "late_delivery"
    assert conflict.status == ConflictStatus.OPEN
    assert conflict.sentence == (
        "'Self-serve onboarding' ends 20 Apr 2026, 20 days after Q1 2026 ends, "
        "but key result 'Activation rate 30% to 45%' is due with Q1 2026."
    )
    assert conflict.cycle.name == "Q1 2026"
    again = conflicts_detect(workspace=owner.workspace)
    assert (again.opened, again.refreshed) == ([], 1)


def test_a_fix_from_the_conflict_closes_it_naming_the_change(owner, late_plan):
    initiative, _ = late_plan
    [conflict] = conflicts_detect(workspace=owner.workspace).opened
    suggestion = conflict.suggestions[0]
    assert suggestion["action"] == "reschedule_initiative"
    conflict = conflict_apply_fix(
        conflict=conflict, action=suggestion["action"], params=suggestion["params"], by=owner
    )
    assert conflict.status == ConflictStatus.RESOLVED
    assert conflict.closed_note == (
        "Closed by itself after this change: Olivia Owner moved 'Self-serve onboarding' "
        "(end date 20 Apr 2026 → 31 Mar 2026)."
    )
    [edit] = conflict.edits.all()
    assert edit.change_event.after == {"end_date": "2026-03-31"}
    assert Initiative.objects.get(pk=initiative.pk).end_date == D(2026, 3, 31)


def test_an_invalid_fix_is_refused_and_changes_nothing(owner, late_plan):
    initiative, _ = late_plan
    [conflict] = conflicts_detect(workspace=owner.workspace).opened
    with pytest.raises(ValidationError) as excinfo:
        conflict_apply_fix(
            conflict=conflict,
            action="reschedule_initiative",
            params={"initiative_id": initiative.pk, "end_date": "2025-12-01"},
            by=owner,
        )
    assert "end_date" in excinfo.value.message_dict
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.OPEN
    assert not conflict.edits.exists()
    assert Initiative.objects.get(pk=initiative.pk).end_date == D(2026, 4, 20)


def test_only_a_suggested_fix_can_be_applied(owner, late_plan):
    """The service refuses a fix the conflict does not suggest, whichever door sent it."""
    initiative, _ = late_plan
    [conflict] = conflicts_detect(workspace=owner.workspace).opened
    with pytest.raises(ValidationError) as excinfo:
        conflict_apply_fix(
            conflict=conflict,
            action="drop_initiative",
            params={"initiative_id": initiative.pk},
            by=owner,
        )
    assert excinfo.value.message_dict == {
        "action": [
            "This conflict does not suggest drop_initiative; "
            "it suggests: remove_contribution, reschedule_initiative."
        ]
    }
    assert not conflict.edits.exists()


def test_a_dismissal_needs_a_reason_and_holds_until_the_inputs_change(owner, late_plan):
    initiative, _ = late_plan
    [conflict] = conflicts_detect(workspace=owner.workspace).opened
    with pytest.raises(ValidationError) as excinfo:
        conflict_set_status(conflict=conflict, status="dismissed", by=owner)
    assert excinfo.value.message_dict == {"reason": ["Say why you dismiss it."]}
    conflict_set_status(conflict=conflict, status="dismissed", reason="Beta ends later", by=owner)
    conflicts_detect(workspace=owner.workspace)
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.DISMISSED

    initiative_update(initiative=initiative, end_date=D(2026, 5, 10), by=owner)
    result = conflicts_detect(workspace=owner.workspace)
    assert [c.pk for c in result.reopened] == [conflict.pk]
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.OPEN
    assert "40 days after Q1 2026 ends" in conflict.sentence


def test_transitions_outside_the_lifecycle_are_refused(owner, late_plan):
    [conflict] = conflicts_detect(workspace=owner.workspace).opened
    with pytest.raises(ValidationError) as excinfo:
        conflict_set_status(conflict=conflict, status="resolved", by=owner)
    assert "status" in excinfo.value.message_dict
    conflict_set_status(conflict=conflict, status="acknowledged", by=owner)
    with pytest.raises(ValidationError):
        conflict_set_status(conflict=conflict, status="acknowledged", by=owner)
    assert Conflict.objects.get(pk=conflict.pk).status == ConflictStatus.ACKNOWLEDGED


def test_a_decision_needs_a_root_cause(owner, late_plan):
    [conflict] = conflicts_detect(workspace=owner.workspace).opened
    with pytest.raises(ValidationError) as excinfo:
        conflict_record_decision(
            conflict=conflict, root_cause="", decision="revise_roadmap", by=owner
        )
    assert excinfo.value.message_dict == {
        "root_cause": ["Name the root cause before recording a decision."]
    }
    conflict.refresh_from_db()
    assert conflict.decision == ""


def test_accepting_the_risk_records_the_decision_and_quiets_the_conflict(owner, late_plan):
    [conflict] = conflicts_detect(workspace=owner.workspace).opened
    conflict_record_decision(
        conflict=conflict,
        root_cause="estimation",
        root_cause_note="Onboarding needed a second iteration",
        decision="accept_risk",
        decision_note="Activation will land in April; the board knows.",
        by=owner,
    )
    conflict.refresh_from_db()
    assert (conflict.status, conflict.decided_by) == (ConflictStatus.DISMISSED, owner)
    assert conflict.dismissed_reason.startswith("Risk accepted.")


def test_invited_stakeholders_are_notified_once(owner, editor, viewer, late_plan):
    team = make_team(owner, name="Growth")
    team_set_members(team=team, members=[editor, viewer], by=owner)
    [conflict] = conflicts_detect(workspace=owner.workspace).opened
    conflict_invite(conflict=conflict, members=[editor], teams=[team], by=owner)
    conflict_invite(conflict=conflict, members=[editor], by=owner)
    assert editor.notifications.count() == 1
    assert viewer.notifications.count() == 1
    assert "invited you to resolve a conflict" in editor.notifications.get().text
    with pytest.raises(ValidationError) as excinfo:
        conflict_invite(conflict=conflict, by=owner)
    assert excinfo.value.message_dict == {
        "members": ["Choose at least one person or team to invite."]
    }
    comment = conflict_comment(conflict=conflict, body="We can cut scope.", by=viewer)
    assert list(conflict.comments.all()) == [comment]


def test_a_write_re_detects_after_commit(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_cycle(owner, name="Q1 2026", start=D(2026, 1, 1), end=D(2026, 3, 31))
        make_initiative(owner, title="Dark mode", status="planned", horizon="next")
    assert len(callbacks) == 1  # one detection for the whole transaction, not one per write
    conflict = Conflict.objects.get(rule="orphan_work")
    assert conflict.sentence == "'Dark mode' is planned (Next) but serves no key result of Q1 2026."


def test_conflicts_stay_in_their_workspace(owner, outsider, late_plan):
    make_cycle(outsider, name="Q1 2026", start=D(2026, 1, 1), end=D(2026, 3, 31))
    make_initiative(outsider, title="Globex thing", status="planned")
    conflicts_detect(workspace=owner.workspace)
    conflicts_detect(workspace=outsider.workspace)
    ours = Conflict.objects.in_workspace(owner.workspace)
    assert not ours.filter(sentence__contains="Globex").exists()
    assert Conflict.objects.in_workspace(outsider.workspace).filter(rule="orphan_work").count() == 1


def test_detection_loads_the_plan_in_a_fixed_number_of_queries(
    owner, late_plan, django_assert_max_num_queries
):
    conflicts_detect(workspace=owner.workspace)
    for index in range(20):
        make_initiative(owner, title=f"Extra {index}", status="planned", effort=Decimal(1))
    conflicts_detect(workspace=owner.workspace)  # opens 20 orphan-work conflicts
    with django_assert_max_num_queries(16):
        conflicts_detect(workspace=owner.workspace)


def test_a_closed_cycle_raises_no_unsupported_key_result(owner):
    cycle = make_cycle(owner, name="Q4 2025", start=D(2025, 10, 1), end=D(2025, 12, 31))
    make_key_result(owner, objective=make_objective(owner, cycle=cycle))
    cycle_set_state(cycle=cycle, state=CycleState.CLOSED, by=owner)
    assert not conflicts_detect(workspace=owner.workspace).opened


def test_a_large_plan_is_detected_on_the_task_queue(
    owner, monkeypatch, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from tandem.conflicts import detection

    monkeypatch.setattr(detection, "INLINE_DETECTION_LIMIT", 0)
    with django_capture_on_commit_callbacks(execute=True):
        make_cycle(owner, name="Q1 2026", start=D(2026, 1, 1), end=D(2026, 3, 31))
        make_initiative(owner, title="Dark mode", status="planned", horizon="next")
    assert not Conflict.objects.exists()  # the user's request did not wait for detection
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "tandem.conflicts.detection.detect_in_background"
    queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    assert Conflict.objects.get(rule="orphan_work").sentence.startswith("'Dark mode'")


def test_the_closing_note_names_the_newest_of_the_changes_that_closed_it(owner, late_plan):
    initiative, _ = late_plan
    conflicts_detect(workspace=owner.workspace)
    # Two moves in one go: the first still late, the second the one that closes it.
    initiative = initiative_update(initiative=initiative, end_date=D(2026, 4, 10), by=owner)
    initiative_update(initiative=initiative, end_date=D(2026, 3, 25), by=owner)
    triggers = list(ChangeEvent.objects.in_workspace(owner.workspace).filter(action="moved"))
    assert triggers[0].at >= triggers[-1].at  # read newest first, as a query gives them
    [closed] = conflicts_detect(workspace=owner.workspace, triggers=triggers).closed
    assert closed.closed_note == (
        "Closed by itself after this change: Olivia Owner moved 'Self-serve onboarding' "
        "(end date 10 Apr 2026 → 25 Mar 2026)."
    )


def test_closing_a_cycle_closes_its_conflicts_saying_so(owner, late_plan):
    [conflict] = conflicts_detect(workspace=owner.workspace).opened
    cycle_set_state(cycle=conflict.cycle, state=CycleState.CLOSED, by=owner)
    # With an unrelated change in the same run, newer than the closing.
    make_initiative(owner, title="Dark mode", status="idea")
    conflicts_detect(workspace=owner.workspace, triggers=list(ChangeEvent.objects.all()))
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.RESOLVED
    assert conflict.closed_note == (
        "Closed because its cycle closed: Q1 2026 is over and its retrospective decides "
        "what became of it."
    )


def test_near_miss_a_conflict_closed_by_an_edit_in_an_open_cycle_names_the_edit(owner, late_plan):
    initiative, _ = late_plan
    conflicts_detect(workspace=owner.workspace)
    initiative_update(initiative=initiative, end_date=D(2026, 3, 1), by=owner)
    conflicts_detect(workspace=owner.workspace, triggers=list(ChangeEvent.objects.all()))
    conflict = Conflict.objects.get(rule="late_delivery")
    assert conflict.closed_note.startswith("Closed by itself after this change: ")


def test_detect_as_of_a_date_lists_the_conflicts_as_they_stood(owner, late_plan, capsys):
    _, key_result = late_plan
    KeyResult.objects.filter(pk=key_result.pk).update(
        created_at=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)
    )
    for day, value in ((D(2026, 1, 5), 30), (D(2026, 1, 12), 30), (D(2026, 2, 9), 41)):
        key_result_check_in(
            key_result=key_result, value=Decimal(value), confidence=8, note="", date=day, by=owner
        )
    call_command(
        "conflicts", "detect", "--workspace", owner.workspace.slug, "--as-of", "2026-01-20"
    )
    out = capsys.readouterr().out
    assert out.startswith(f"{owner.workspace.slug} as of 2026-01-20: ")
    assert "'Self-serve onboarding' ends 20 Apr 2026" in out
    # A key result written after the day looked back to did not exist yet.
    call_command(
        "conflicts", "detect", "--workspace", owner.workspace.slug, "--as-of", "2026-01-01"
    )
    assert "serves no key result of Q1 2026" in capsys.readouterr().out
    assert not Conflict.objects.exists()  # a look back stores nothing
    with pytest.raises(CommandError, match="--as-of"):
        call_command("conflicts", "detect", "--as-of", "2026-02-30")
