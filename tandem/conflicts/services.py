"""People's writes to conflicts: the lifecycle, the discussion, the decision and the fixes."""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.accounts.access import require_role
from tandem.accounts.models import Member, Role
from tandem.activity.models import Notification
from tandem.activity.services import collecting_changes, record_change
from tandem.conflicts.detection import conflicts_detect
from tandem.conflicts.models import (
    TRANSITIONS,
    Conflict,
    ConflictComment,
    ConflictEdit,
    ConflictStatus,
    DecisionKind,
    RootCause,
)
from tandem.core.versioning import bump_version, check_version
from tandem.okrs import services as okrs
from tandem.okrs.models import Cycle, GoalStatus, KeyResult, Objective
from tandem.roadmaps import services as roadmaps
from tandem.roadmaps.models import Contribution, Dependency, Initiative, InitiativeStatus
from tandem.strategy.models import Pillar, Team


@transaction.atomic
def conflict_set_status(
    *, conflict: Conflict, status: str, by: Member, reason: str = ""
) -> Conflict:
    require_role(by, Role.EDITOR)
    if status == ConflictStatus.RESOLVED:
        raise ValidationError(
            {
                "status": "A conflict resolves by itself once the plan no longer disagrees: "
                "apply a fix, or record a decision to accept the risk."
            }
        )
    if status not in TRANSITIONS[ConflictStatus(conflict.status)]:
        current = conflict.get_status_display().lower()
        raise ValidationError({"status": f"A {current} conflict cannot become {status}."})
    reason = reason.strip()
    before = conflict.status
    if status == ConflictStatus.DISMISSED:
        if not reason:
            raise ValidationError({"reason": "Say why you dismiss it."})
        conflict.dismissed_reason = reason
        conflict.dismissed_fingerprint = conflict.fingerprint
    conflict.status = status
    bump_version(conflict)
    conflict.save(update_fields=["status", "dismissed_reason", "dismissed_fingerprint"])
    record_change(
        by=by,
        obj=conflict,
        action=f"conflict_{status}",
        before={"status": before},
        after={"status": status},
        reason=reason,
    )
    return conflict


@transaction.atomic
def conflict_record_decision(
    *,
    conflict: Conflict,
    root_cause: str,
    decision: str,
    by: Member,
    root_cause_note: str = "",
    decision_note: str = "",
    expected_version: int | None = None,
) -> Conflict:
    """Record why the conflict arose and what was decided. Accepting the risk dismisses it
    until its inputs change. Only people's edits bump the conflict's version: detection
    refreshing its numbers does not make a decision being written stale."""
    require_role(by, Role.EDITOR)
    check_version(conflict, expected_version)
    errors = {}
    if root_cause not in RootCause.values:
        errors["root_cause"] = "Name the root cause before recording a decision."
    if decision not in DecisionKind.values:
        errors["decision"] = (
            "Choose a decision: revise the OKR, the roadmap, both, or accept the risk."
        )
    if errors:
        raise ValidationError(errors)
    conflict.root_cause = root_cause
    conflict.root_cause_note = root_cause_note.strip()
    conflict.decision = decision
    conflict.decision_note = decision_note.strip()
    conflict.decided_by = by
    conflict.decided_at = timezone.now()
    bump_version(conflict, expected_version)
    conflict.save()
    record_change(
        by=by,
        obj=conflict,
        action="decision_recorded",
        after={
            "root_cause": root_cause,
            "decision": decision,
            "note": conflict.decision_note,
        },
        reason=conflict.root_cause_note,
    )
    if decision == DecisionKind.ACCEPT_RISK and conflict.status in {
        ConflictStatus.OPEN,
        ConflictStatus.ACKNOWLEDGED,
    }:
        conflict_set_status(
            conflict=conflict,
            status=ConflictStatus.DISMISSED,
            by=by,
            reason=f"Risk accepted. {conflict.decision_note}".strip(),
        )
    return conflict


@transaction.atomic
def conflict_invite(
    *, conflict: Conflict, members: Iterable[Member] = (), teams: Iterable[Team] = (), by: Member
) -> Conflict:
    """Invite people and teams to resolve it; each newly invited person is notified."""
    require_role(by, Role.EDITOR)
    members, teams = list(members), list(teams)
    if any(m.workspace_id != by.workspace_id for m in members):
        raise ValidationError({"members": "Every member must belong to this workspace."})
    if any(t.workspace_id != by.workspace_id for t in teams):
        raise ValidationError({"teams": "Every team must belong to this workspace."})
    already = set(conflict.stakeholders.values_list("id", flat=True))
    conflict.stakeholders.add(*members)
    conflict.stakeholder_teams.add(*teams)
    team_members = Member.objects.filter(teams__in=teams) if teams else Member.objects.none()
    invited = {m.pk: m for m in [*members, *team_members] if m.pk not in already and m != by}
    Notification.objects.bulk_create(
        Notification(
            workspace=by.workspace,
            recipient=member,
            text=f"{by} invited you to resolve a conflict: {conflict.sentence}"[:300],
            url=f"/w/{by.workspace.slug}/conflicts/{conflict.pk}/",
        )
        for member in invited.values()
    )
    record_change(
        by=by,
        obj=conflict,
        action="stakeholders_invited",
        after={"members": sorted(m.pk for m in members), "teams": sorted(t.pk for t in teams)},
    )
    return conflict


def conflict_comment(*, conflict: Conflict, body: str, by: Member) -> ConflictComment:
    require_role(by, Role.VIEWER)
    if not body.strip():
        raise ValidationError({"body": "Write something first."})
    return ConflictComment.objects.create(
        workspace=by.workspace, conflict=conflict, author=by, body=body.strip()
    )


def _get(model: type, by: Member, params: dict[str, Any], name: str) -> Any:
    try:
        return model.objects.in_workspace(by.workspace).get(pk=int(params[name]))
    except (KeyError, ValueError, TypeError, model.DoesNotExist):
        raise ValidationError(
            {name: f"Choose a {model._meta.verbose_name} of this workspace."}
        ) from None


def _date(params: dict[str, Any], name: str) -> datetime.date | None:
    if not params.get(name):
        return None
    try:
        return datetime.date.fromisoformat(str(params[name]))
    except ValueError:
        raise ValidationError({name: "Enter a date as YYYY-MM-DD."}) from None


def _reschedule(by: Member, p: dict[str, Any], reason: str) -> None:
    initiative = _get(Initiative, by, p, "initiative_id")
    changes = {n: _date(p, n) for n in ("start_date", "end_date") if n in p}
    roadmaps.initiative_update(initiative=initiative, by=by, reason=reason, **changes)


def _move(by: Member, p: dict[str, Any], reason: str) -> None:
    initiative = _get(Initiative, by, p, "initiative_id")
    roadmaps.initiative_update(
        initiative=initiative, horizon=p.get("horizon"), by=by, reason=reason
    )


def _drop_initiative(by: Member, p: dict[str, Any], reason: str) -> None:
    initiative = _get(Initiative, by, p, "initiative_id")
    roadmaps.initiative_update(
        initiative=initiative, status=InitiativeStatus.DROPPED, by=by, reason=reason
    )


def _remove_contribution(by: Member, p: dict[str, Any], reason: str) -> None:
    contribution = (
        Contribution.objects.in_workspace(by.workspace)
        .filter(initiative_id=p.get("initiative_id"), key_result_id=p.get("key_result_id"))
        .first()
    )
    if contribution is None:
        raise ValidationError({"key_result_id": "That link no longer exists."})
    roadmaps.contribution_delete(contribution=contribution, by=by, reason=reason)


def _add_contribution(by: Member, p: dict[str, Any], reason: str) -> None:
    roadmaps.contribution_create(
        initiative=_get(Initiative, by, p, "initiative_id"),
        key_result=_get(KeyResult, by, p, "key_result_id"),
        expected_impact=str(p.get("expected_impact", "")),
        by=by,
    )


def _remove_dependency(by: Member, p: dict[str, Any], reason: str) -> None:
    dependency = (
        Dependency.objects.in_workspace(by.workspace)
        .filter(initiative_id=p.get("initiative_id"), depends_on_id=p.get("depends_on_id"))
        .first()
    )
    if dependency is None:
        raise ValidationError({"depends_on_id": "That dependency no longer exists."})
    roadmaps.dependency_delete(dependency=dependency, by=by, reason=reason)


def _mark_needs_no_initiative(by: Member, p: dict[str, Any], reason: str) -> None:
    key_result = _get(KeyResult, by, p, "key_result_id")
    okrs.key_result_update(key_result=key_result, needs_no_initiative=True, by=by, reason=reason)


def _drop_key_result(by: Member, p: dict[str, Any], reason: str) -> None:
    key_result = _get(KeyResult, by, p, "key_result_id")
    okrs.key_result_update(key_result=key_result, status=GoalStatus.DROPPED, by=by, reason=reason)


def _retarget_key_result(by: Member, p: dict[str, Any], reason: str) -> None:
    key_result = _get(KeyResult, by, p, "key_result_id")
    okrs.key_result_update(
        key_result=key_result, target_value=p.get("target_value"), by=by, reason=reason
    )


def _set_capacity(by: Member, p: dict[str, Any], reason: str) -> None:
    roadmaps.team_capacity_set(
        team=_get(Team, by, p, "team_id"),
        cycle=_get(Cycle, by, p, "cycle_id"),
        person_weeks=p.get("person_weeks"),
        by=by,
        reason=reason,
    )


def _align_objective(by: Member, p: dict[str, Any], reason: str) -> None:
    objective = _get(Objective, by, p, "objective_id")
    okrs.objective_update(
        objective=objective, pillar=_get(Pillar, by, p, "pillar_id"), by=by, reason=reason
    )


FIXES: dict[str, Callable[[Member, dict[str, Any], str], None]] = {
    "reschedule_initiative": _reschedule,
    "move_initiative": _move,
    "drop_initiative": _drop_initiative,
    "remove_contribution": _remove_contribution,
    "add_contribution": _add_contribution,
    "remove_dependency": _remove_dependency,
    "mark_needs_no_initiative": _mark_needs_no_initiative,
    "drop_key_result": _drop_key_result,
    "retarget_key_result": _retarget_key_result,
    "set_capacity": _set_capacity,
    "align_objective": _align_objective,
}


@transaction.atomic
def conflict_apply_fix(
    *, conflict: Conflict, action: str, params: dict[str, Any], by: Member
) -> Conflict:
    """Make one edit to the plan from the conflict page. The edit goes through the usual
    service (so it is validated and recorded), is linked to the conflict, and detection
    runs at once so the page can show whether the conflict closed."""
    require_role(by, Role.EDITOR)
    fix = FIXES.get(action)
    if fix is None:
        raise ValidationError({"action": f"Unknown fix {action!r}."})
    reason = f"Resolving conflict: {conflict.sentence}"[:500]
    with collecting_changes() as events:
        fix(by, params, reason)
    ConflictEdit.objects.bulk_create(
        ConflictEdit(workspace=by.workspace, conflict=conflict, change_event=event)
        for event in events
        if event.content_type.app_label != "conflicts"
    )
    conflicts_detect(workspace=by.workspace, triggers=events)
    conflict.refresh_from_db()
    return conflict
