"""Writes to cycles, objectives, key results and check-ins."""

import datetime
import decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tandem.accounts.access import require_role
from tandem.accounts.models import Member, Role
from tandem.activity.services import created_in_bulk, tracked_create, tracked_update
from tandem.core.hierarchy import refuse_parent_loop
from tandem.domain.progress import grade, progress
from tandem.okrs.models import (
    CheckIn,
    Cycle,
    CycleState,
    GoalStatus,
    KeyResult,
    KeyResultKind,
    Objective,
)

# Which states a cycle may move to from each state.
CYCLE_TRANSITIONS = {
    CycleState.PLANNING: {CycleState.ACTIVE},
    CycleState.ACTIVE: {CycleState.CLOSED},
    CycleState.CLOSED: {CycleState.ACTIVE},
}


def cycle_create(
    *,
    name: str,
    start: datetime.date,
    end: datetime.date,
    by: Member,
    state: str = CycleState.PLANNING,
) -> Cycle:
    return tracked_create(
        Cycle, by=by, role=Role.ADMIN, name=name.strip(), start=start, end=end, state=state
    )


def cycle_update(
    *,
    cycle: Cycle,
    by: Member,
    reason: str = "",
    expected_version: int | None = None,
    **changes: object,
) -> Cycle:
    if "state" in changes:
        raise ValidationError({"state": "Change the state with cycle_set_state."})
    return tracked_update(
        cycle,
        by=by,
        role=Role.ADMIN,
        changes=changes,
        reason=reason,
        expected_version=expected_version,
    )


@transaction.atomic
def cycle_set_state(*, cycle: Cycle, state: str, by: Member, reason: str = "") -> Cycle:
    if state != cycle.state and state not in CYCLE_TRANSITIONS[CycleState(cycle.state)]:
        raise ValidationError(
            {"state": f"A {cycle.get_state_display().lower()} cycle cannot become {state}."}
        )
    if state == CycleState.CLOSED and cycle.state != CycleState.CLOSED:
        _grade_the_ungraded(cycle, by, reason)
    # The baseline a cycle's drift is measured from is taken by reviews once this commits
    # (it subscribes to the "state_active" change).
    cycle = tracked_update(
        cycle,
        by=by,
        role=Role.ADMIN,
        changes={"state": state},
        action=f"state_{state}",
        reason=reason,
    )
    return cycle


def _grade_the_ungraded(cycle: Cycle, by: Member, reason: str) -> None:
    """A closed cycle has every live key result graded: those not graded yet get the grade
    their progress earns, recorded in their history (grades can be revised afterwards).
    Closing with a retrospective and carry-over is `tandem.reviews.closing.cycle_close`."""
    require_role(by, Role.ADMIN)
    key_results = KeyResult.objects.in_workspace(by.workspace).in_cycle(cycle).active()
    for key_result in key_results.filter(grade__isnull=True):
        tracked_update(
            key_result,
            by=by,
            role=Role.EDITOR,
            changes={"grade": suggested_grade(key_result)},
            action="graded",
            reason=reason,
        )


def _refuse_closed_cycle(cycle: Cycle, field: str) -> None:
    if cycle.state == CycleState.CLOSED:
        raise ValidationError({field: f"{cycle.name} is closed; reopen it to change its OKRs."})


def objective_create(*, cycle: Cycle, title: str, by: Member, **fields: Any) -> Objective:
    _refuse_closed_cycle(cycle, "cycle")
    return tracked_create(
        Objective, by=by, role=Role.EDITOR, cycle=cycle, title=title.strip(), **fields
    )


def objective_update(
    *,
    objective: Objective,
    by: Member,
    reason: str = "",
    expected_version: int | None = None,
    **changes: object,
) -> Objective:
    _refuse_closed_cycle(objective.cycle, "cycle")
    if "parent" in changes:
        refuse_parent_loop(objective, changes["parent"])
    return tracked_update(
        objective,
        by=by,
        role=Role.EDITOR,
        changes=changes,
        reason=reason,
        expected_version=expected_version,
    )


def objective_archive(*, objective: Objective, by: Member, reason: str = "") -> Objective:
    return tracked_update(
        objective,
        by=by,
        role=Role.EDITOR,
        changes={"status": GoalStatus.ARCHIVED},
        action="archived",
        reason=reason,
    )


def key_result_create(*, objective: Objective, title: str, by: Member, **fields: Any) -> KeyResult:
    _refuse_closed_cycle(objective.cycle, "objective")
    if objective.status != GoalStatus.ACTIVE:
        raise ValidationError({"objective": "That objective is no longer active."})
    fields.setdefault("current_value", fields.get("start_value", 0))
    if fields.get("kind") == KeyResultKind.MILESTONE:
        fields.update(start_value=0, target_value=1)
    _currency_code(fields)
    return tracked_create(
        KeyResult, by=by, role=Role.EDITOR, objective=objective, title=title.strip(), **fields
    )


def _currency_code(fields: dict[str, object]) -> None:
    # ISO 4217 codes are upper case; the model refuses a currency key result without one.
    if isinstance(fields.get("currency"), str):
        fields["currency"] = str(fields["currency"]).strip().upper()


def key_result_update(
    *,
    key_result: KeyResult,
    by: Member,
    reason: str = "",
    expected_version: int | None = None,
    **changes: object,
) -> KeyResult:
    _refuse_closed_cycle(key_result.objective.cycle, "objective")
    _currency_code(changes)
    return tracked_update(
        key_result,
        by=by,
        role=Role.EDITOR,
        changes=changes,
        reason=reason,
        expected_version=expected_version,
    )


def key_result_archive(*, key_result: KeyResult, by: Member, reason: str = "") -> KeyResult:
    return tracked_update(
        key_result,
        by=by,
        role=Role.EDITOR,
        changes={"status": GoalStatus.ARCHIVED},
        action="archived",
        reason=reason,
    )


def key_result_check_in(
    *,
    key_result: KeyResult,
    value: decimal.Decimal,
    confidence: int | None,
    note: str = "",
    date: datetime.date,
    by: Member,
    imported: bool = False,
    source: str = "",
    reason: str = "",
) -> CheckIn:
    """Record a reading. The key result's current value follows its latest check-in by date,
    so a backdated check-in takes its place in history without overwriting a newer one.

    Only an imported reading (an import, a plan apply, a data source, which names itself in
    `source`) may come without a confidence: it then stays unknown, and the key result keeps
    the last confidence a person gave."""
    if confidence is None and not (imported or source):
        raise ValidationError({"confidence": "Say how confident you are, from 0 to 10."})
    _refuse_closed_cycle(key_result.objective.cycle, "key_result")
    if key_result.status != GoalStatus.ACTIVE:
        raise ValidationError({"key_result": "This key result is archived; check-ins are closed."})
    if key_result.kind == KeyResultKind.MILESTONE and value not in (0, 1):
        raise ValidationError({"value": "A milestone is either done (1) or not (0)."})
    # The check-in's own fields are validated inside tracked_create, so a refusal there
    # needs a rollback point to leave the caller's transaction usable; a plan apply's rows
    # created in bulk need none (a failed apply rolls back whole).
    with transaction.atomic(savepoint=not created_in_bulk(key_result)):
        check_in = tracked_create(
            CheckIn,
            by=by,
            role=Role.EDITOR,
            key_result=key_result,
            value=value,
            confidence=confidence,
            note=note.strip(),
            date=date,
            author=by,
            imported=imported or bool(source),
            source=source,
            reason=reason,
        )
        if created_in_bulk(key_result) and key_result.last_check_in is None:
            latest: CheckIn | None = check_in  # its first reading: there can be no other yet
        else:
            latest = CheckIn.objects.filter(key_result=key_result).latest_first().first()
        if latest is not None:
            changes: dict[str, object] = {
                "current_value": latest.value,
                "last_check_in": latest.date,
            }
            if latest.confidence is not None:
                changes["confidence"] = latest.confidence
            tracked_update(
                key_result,
                by=by,
                role=Role.EDITOR,
                changes=changes,
                action="checked_in",
                reason=reason,
            )
        return check_in


def suggested_grade(key_result: KeyResult) -> decimal.Decimal:
    """The grade its progress earns: 0.0 to 1.0 in tenths."""
    share = progress(
        key_result.kind,
        float(key_result.start_value),
        float(key_result.target_value),
        float(key_result.current_value),
    )
    return decimal.Decimal(str(grade(share, aspirational=False).score))


def key_result_grade(
    *,
    key_result: KeyResult,
    grade: decimal.Decimal,
    comment: str = "",
    by: Member,
    reason: str = "",
    expected_version: int | None = None,
) -> KeyResult:
    """Set or revise a key result's grade; grading is what a closed cycle is still open for."""
    return tracked_update(
        key_result,
        by=by,
        role=Role.EDITOR,
        changes={"grade": grade, "grade_comment": comment.strip()},
        action="graded",
        reason=reason,
        expected_version=expected_version,
    )
