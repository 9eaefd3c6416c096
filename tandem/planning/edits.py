"""Carrying out a plan edit (`tandem.domain.whatif.Edit`) with the ordinary services.

The one door through which a suggested fix and an applied scenario change the plan: each
action is the service call a person would make on the page, so every rule, permission and
ChangeEvent holds. Objects are looked up in the member's workspace only; one that is not
there is an error naming the field.
"""

import datetime
import decimal
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models

from tandem.accounts.models import Member
from tandem.domain.plan import CycleFacts, InitiativeFacts
from tandem.domain.whatif import Edit, defer_to
from tandem.okrs import services as okrs
from tandem.okrs.models import Cycle, GoalStatus, KeyResult, Objective
from tandem.roadmaps import services as roadmaps
from tandem.roadmaps.models import Contribution, Dependency, Initiative, InitiativeStatus
from tandem.strategy.models import Pillar, Team

T = TypeVar("T", bound=models.Model)

Params = Mapping[str, Any]


def _get(model: type[T], by: Member, params: Params, name: str, value: Any = None) -> T:
    try:
        pk = int(params[name] if value is None else value)
        return model._default_manager.filter(workspace=by.workspace).get(pk=pk)
    except (KeyError, ValueError, TypeError, ObjectDoesNotExist):
        raise ValidationError(
            {name: f"Choose a {model._meta.verbose_name} of this workspace."}
        ) from None


def _date(params: Params, name: str) -> datetime.date | None:
    if not params.get(name):
        return None
    try:
        return datetime.date.fromisoformat(str(params[name]))
    except ValueError:
        raise ValidationError({name: "Enter a date as YYYY-MM-DD."}) from None


def _decimal(params: Params, name: str) -> decimal.Decimal:
    try:
        return decimal.Decimal(str(params[name]))
    except (KeyError, decimal.InvalidOperation):
        raise ValidationError({name: "Enter a number."}) from None


def _reschedule(by: Member, p: Params, reason: str) -> None:
    initiative = _get(Initiative, by, p, "initiative_id")
    changes: dict[str, Any] = {n: _date(p, n) for n in ("start_date", "end_date") if n in p}
    roadmaps.initiative_update(initiative=initiative, by=by, reason=reason, **changes)


def _move(by: Member, p: Params, reason: str) -> None:
    initiative = _get(Initiative, by, p, "initiative_id")
    roadmaps.initiative_update(
        initiative=initiative, horizon=p.get("horizon"), by=by, reason=reason
    )


def _resize(by: Member, p: Params, reason: str) -> None:
    initiative = _get(Initiative, by, p, "initiative_id")
    roadmaps.initiative_update(
        initiative=initiative, effort=_decimal(p, "effort"), by=by, reason=reason
    )


def _drop_initiative(by: Member, p: Params, reason: str) -> None:
    initiative = _get(Initiative, by, p, "initiative_id")
    roadmaps.initiative_update(
        initiative=initiative, status=InitiativeStatus.DROPPED, by=by, reason=reason
    )


def _defer(by: Member, p: Params, reason: str) -> None:
    """Each initiative out of the cycle as the domain defines it (`whatif.defer_to`), so the
    plan gets exactly what the simulation evaluated."""
    cycle = _get(Cycle, by, p, "cycle_id")
    ids = p.get("initiative_ids")
    if not isinstance(ids, list | tuple) or not ids:
        raise ValidationError({"initiative_ids": "Choose at least one initiative."})
    facts = CycleFacts(cycle.pk, cycle.name, cycle.start, cycle.end, cycle.state)
    for value in ids:
        initiative = _get(Initiative, by, p, "initiative_ids", value)
        changes = defer_to(
            InitiativeFacts(
                initiative.pk,
                initiative.title,
                initiative.status,
                initiative.horizon,
                initiative.start_date,
                initiative.end_date,
            ),
            facts,
        )
        fields: dict[str, Any] = {"horizon": changes["horizon"]}
        if "start" in changes:
            fields["start_date"] = changes["start"]
        if "end" in changes:
            fields["end_date"] = changes["end"]
        roadmaps.initiative_update(initiative=initiative, by=by, reason=reason, **fields)


def _remove_contribution(by: Member, p: Params, reason: str) -> None:
    initiative_id, key_result_id = p.get("initiative_id"), p.get("key_result_id")
    contribution = (
        None
        if initiative_id is None or key_result_id is None
        else Contribution.objects.in_workspace(by.workspace)
        .filter(initiative_id=initiative_id, key_result_id=key_result_id)
        .first()
    )
    if contribution is None:
        raise ValidationError({"key_result_id": "That link no longer exists."})
    roadmaps.contribution_delete(contribution=contribution, by=by, reason=reason)


def _add_contribution(by: Member, p: Params, reason: str) -> None:
    delta = p.get("expected_delta")
    roadmaps.contribution_create(
        initiative=_get(Initiative, by, p, "initiative_id"),
        key_result=_get(KeyResult, by, p, "key_result_id"),
        expected_impact=str(p.get("expected_impact", "")),
        expected_delta=_decimal(p, "expected_delta") if delta not in (None, "") else None,
        by=by,
        reason=reason,
    )


def _add_dependency(by: Member, p: Params, reason: str) -> None:
    roadmaps.dependency_create(
        initiative=_get(Initiative, by, p, "initiative_id"),
        depends_on=_get(Initiative, by, p, "depends_on_id"),
        by=by,
        reason=reason,
    )


def _remove_dependency(by: Member, p: Params, reason: str) -> None:
    initiative_id, depends_on_id = p.get("initiative_id"), p.get("depends_on_id")
    dependency = (
        None
        if initiative_id is None or depends_on_id is None
        else Dependency.objects.in_workspace(by.workspace)
        .filter(initiative_id=initiative_id, depends_on_id=depends_on_id)
        .first()
    )
    if dependency is None:
        raise ValidationError({"depends_on_id": "That dependency no longer exists."})
    roadmaps.dependency_delete(dependency=dependency, by=by, reason=reason)


def _mark_needs_no_initiative(by: Member, p: Params, reason: str) -> None:
    key_result = _get(KeyResult, by, p, "key_result_id")
    okrs.key_result_update(key_result=key_result, needs_no_initiative=True, by=by, reason=reason)


def _drop_key_result(by: Member, p: Params, reason: str) -> None:
    key_result = _get(KeyResult, by, p, "key_result_id")
    okrs.key_result_update(key_result=key_result, status=GoalStatus.DROPPED, by=by, reason=reason)


def _retarget_key_result(by: Member, p: Params, reason: str) -> None:
    key_result = _get(KeyResult, by, p, "key_result_id")
    okrs.key_result_update(
        key_result=key_result, target_value=p.get("target_value"), by=by, reason=reason
    )


def _reweight_key_result(by: Member, p: Params, reason: str) -> None:
    key_result = _get(KeyResult, by, p, "key_result_id")
    okrs.key_result_update(
        key_result=key_result, weight=_decimal(p, "weight"), by=by, reason=reason
    )


def _set_capacity(by: Member, p: Params, reason: str) -> None:
    roadmaps.team_capacity_set(
        team=_get(Team, by, p, "team_id"),
        cycle=_get(Cycle, by, p, "cycle_id"),
        person_weeks=p.get("person_weeks"),  # type: ignore[arg-type]  # raw: the model refuses a bad one, naming the field
        by=by,
        reason=reason,
    )


def _align_objective(by: Member, p: Params, reason: str) -> None:
    objective = _get(Objective, by, p, "objective_id")
    okrs.objective_update(
        objective=objective, pillar=_get(Pillar, by, p, "pillar_id"), by=by, reason=reason
    )


CARRY_OUT: dict[str, Callable[[Member, Params, str], None]] = {
    "reschedule_initiative": _reschedule,
    "move_initiative": _move,
    "resize_initiative": _resize,
    "drop_initiative": _drop_initiative,
    "defer_initiatives": _defer,
    "remove_contribution": _remove_contribution,
    "add_contribution": _add_contribution,
    "add_dependency": _add_dependency,
    "remove_dependency": _remove_dependency,
    "mark_needs_no_initiative": _mark_needs_no_initiative,
    "drop_key_result": _drop_key_result,
    "retarget_key_result": _retarget_key_result,
    "reweight_key_result": _reweight_key_result,
    "set_capacity": _set_capacity,
    "align_objective": _align_objective,
}


def carry_out(edit: Edit, *, by: Member, reason: str) -> None:
    """Make one edit to the plan through its service (which checks the role)."""
    action = CARRY_OUT.get(edit.action)
    if action is None:
        raise ValidationError({"action": f"Unknown edit {edit.action!r}."})
    action(by, edit.params, reason)
