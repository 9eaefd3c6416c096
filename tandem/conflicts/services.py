"""People's writes to conflicts: the lifecycle, the discussion, the decision and the fixes."""

from collections.abc import Iterable
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
from tandem.domain.whatif import NEEDS_CHOICE, Edit
from tandem.planning.edits import CARRY_OUT, carry_out
from tandem.strategy.models import Team


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
    if not members and not teams:
        raise ValidationError({"members": "Choose at least one person or team to invite."})
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


# Every edit the engine knows can be offered as a fix; which one a conflict offers is the
# rule's choice, and only a suggestion it currently makes can be applied.
FIXES = CARRY_OUT
# What a person may choose or adjust in a suggested fix before applying it (the form's
# fields): a date, an amount, the key result or initiative or pillar it needs; anything
# else must be the suggestion's own.
ADJUSTABLE_PARAMS = frozenset(
    {"start_date", "end_date", "person_weeks", "target_value", "expected_impact"}
)


def suggested_fix(conflict: Conflict, action: str, params: dict[str, Any]) -> dict[str, Any]:
    """The conflict's current suggestion this fix is, or a ValidationError naming what
    differs: a fix is only ever one the rules suggest now, for a conflict still open."""
    if conflict.status == ConflictStatus.RESOLVED:
        raise ValidationError({"action": "This conflict is resolved: it suggests no fix now."})
    offered: list[dict[str, Any]] = [s for s in conflict.suggestions if s["action"] == action]
    if not offered:
        choices = ", ".join(sorted({s["action"] for s in conflict.suggestions})) or "none"
        raise ValidationError(
            {"action": f"This conflict does not suggest {action}; it suggests: {choices}."}
        )
    mismatch = ""
    for suggestion in offered:
        fixed = suggestion["params"]
        to_choose = set(NEEDS_CHOICE.get(action, ())) - set(fixed)
        differs = [
            name
            for name in sorted(set(fixed) | set(params))
            if name not in ADJUSTABLE_PARAMS
            and name not in to_choose
            and _same(fixed.get(name)) != _same(params.get(name))
        ]
        if not differs:
            return suggestion
        mismatch = differs[0]
    raise ValidationError(
        {mismatch: f"This is not what the conflict suggests: keep its {mismatch}."}
    )


def _same(value: object) -> object:
    """Params compare as the JSON they were stored as: ids as numbers, lists as lists."""
    if isinstance(value, list | tuple):
        return [_same(v) for v in value]
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


@transaction.atomic
def conflict_apply_fix(
    *, conflict: Conflict, action: str, params: dict[str, Any], by: Member
) -> Conflict:
    """Make one edit the conflict currently suggests (`suggested_fix`), from its page or the
    API. The edit goes through the usual
    service (so it is validated and recorded), is linked to the conflict, and detection
    runs at once so the page can show whether the conflict closed."""
    require_role(by, Role.EDITOR)
    suggested_fix(conflict, action, params)
    reason = f"Resolving conflict: {conflict.sentence}"[:500]
    with collecting_changes() as events:
        carry_out(Edit(action, params), by=by, reason=reason)
    ConflictEdit.objects.bulk_create(
        ConflictEdit(workspace=by.workspace, conflict=conflict, change_event=event)
        for event in events
        if event.content_type.app_label != "conflicts"
    )
    conflicts_detect(workspace=by.workspace, triggers=events)
    conflict.refresh_from_db()
    return conflict
