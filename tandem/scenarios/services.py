"""People's writes to scenarios. A scenario never touches the plan until it is applied;
applying carries out its edits through the ordinary services in one transaction (so the
outbox runs one detection for the lot), each ChangeEvent linked to the scenario."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.accounts.access import require_role
from tandem.accounts.models import Member, Role
from tandem.accounts.zones import local_today
from tandem.activity.models import ChangeEvent
from tandem.activity.services import collecting_changes, record_change
from tandem.conflicts.detection import PLAN_APPS
from tandem.core.versioning import bump_version, check_version, save_versioned
from tandem.domain.whatif import ACTIONS, Edit, EditError, apply_edits, describe, normalised
from tandem.planning.edits import carry_out
from tandem.planning.snapshot import load_plan
from tandem.scenarios.models import (
    Scenario,
    ScenarioChange,
    ScenarioComment,
    ScenarioEdit,
    ScenarioStatus,
)


def plan_changes_since(scenario: Scenario) -> list[ChangeEvent]:
    """The changes made to the plan since the scenario's base, oldest first."""
    return list(
        ChangeEvent.objects.in_workspace(scenario.workspace)
        .filter(pk__gt=scenario.base_event_id, content_type__app_label__in=PLAN_APPS)
        .select_related("actor", "content_type")
        .order_by("pk")[:200]
    )


def _latest_plan_change(workspace: Any) -> int:
    last = (
        ChangeEvent.objects.in_workspace(workspace)
        .filter(content_type__app_label__in=PLAN_APPS)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return last or 0


def _draft(scenario: Scenario) -> None:
    if scenario.status != ScenarioStatus.DRAFT:
        raise ValidationError(
            {
                "status": f"This scenario was {scenario.get_status_display().lower()}: "
                "it can no longer change."
            }
        )


@transaction.atomic
def scenario_create(*, name: str, by: Member, description: str = "") -> Scenario:
    require_role(by, Role.EDITOR)
    scenario = Scenario(
        workspace=by.workspace,
        name=name.strip(),
        description=description.strip(),
        author=by,
        base_event_id=_latest_plan_change(by.workspace),
    )
    if not scenario.name:
        raise ValidationError({"name": "Give the scenario a name."})
    scenario.full_clean()
    scenario.save()
    record_change(by=by, obj=scenario, action="created", after={"name": scenario.name})
    return scenario


@transaction.atomic
def scenario_update(
    *,
    scenario: Scenario,
    by: Member,
    name: str | None = None,
    description: str | None = None,
    expected_version: int | None = None,
) -> Scenario:
    """Rename it or change its description (a draft only)."""
    require_role(by, Role.EDITOR)
    check_version(scenario, expected_version)
    _draft(scenario)
    before = {"name": scenario.name, "description": scenario.description}
    if name is not None:
        scenario.name = name.strip()
        if not scenario.name:
            raise ValidationError({"name": "Give the scenario a name."})
    if description is not None:
        scenario.description = description.strip()
    after = {"name": scenario.name, "description": scenario.description}
    if after == before:
        return scenario  # nothing to change, nor a version to claim
    scenario.full_clean()
    save_versioned(scenario, ["name", "description"], expected_version)
    record_change(
        by=by,
        obj=scenario,
        action="updated",
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
    )
    return scenario


@transaction.atomic
def scenario_add_edit(
    *,
    scenario: Scenario,
    action: str,
    params: dict[str, Any],
    by: Member,
    expected_version: int | None = None,
) -> ScenarioEdit:
    """Check the edit against today's plan with the scenario's earlier edits made (errors
    name the field; an object of another workspace is unknown here), then keep it. With
    `expected_version`, refused (StaleVersion) when the scenario changed since it was read."""
    require_role(by, Role.EDITOR)
    check_version(scenario, expected_version)
    _draft(scenario)
    if action not in ACTIONS:
        raise ValidationError({"action": f"Unknown edit {action!r}."})
    plan = load_plan(by.workspace, local_today(by.workspace, by))
    earlier = [Edit(e.action, e.params) for e in scenario.edits.all()]
    new = Edit(action, params)
    try:
        edited = apply_edits(plan, earlier)
    except EditError as error:
        raise ValidationError(
            {"edits": f"Edit {(error.index or 0) + 1} no longer applies to the plan: {error}"}
        ) from None
    try:
        apply_edits(edited, [new])
    except EditError as error:
        raise ValidationError(error.errors) from None
    stored = normalised(edited, new)
    bump_version(scenario, expected_version)
    edit = ScenarioEdit.objects.create(
        workspace=by.workspace,
        scenario=scenario,
        action=action,
        params=stored,
        label=describe(edited, Edit(action, stored))[:300],
        author=by,
    )
    record_change(by=by, obj=scenario, action="scenario_edit_added", after={"edit": edit.label})
    return edit


@transaction.atomic
def scenario_remove_edit(
    *, edit: ScenarioEdit, by: Member, expected_version: int | None = None
) -> None:
    require_role(by, Role.EDITOR)
    check_version(edit.scenario, expected_version)
    _draft(edit.scenario)
    bump_version(edit.scenario, expected_version)
    record_change(
        by=by, obj=edit.scenario, action="scenario_edit_removed", before={"edit": edit.label}
    )
    edit.delete()


def scenario_comment(*, scenario: Scenario, body: str, by: Member) -> ScenarioComment:
    require_role(by, Role.VIEWER)
    if not body.strip():
        raise ValidationError({"body": "Write something first."})
    comment = ScenarioComment(
        workspace=by.workspace, scenario=scenario, author=by, body=body.strip()
    )
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def scenario_discard(
    *, scenario: Scenario, by: Member, expected_version: int | None = None
) -> Scenario:
    require_role(by, Role.EDITOR)
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    check_version(scenario, expected_version)
    _draft(scenario)
    scenario.status = ScenarioStatus.DISCARDED
    scenario.closed_at = timezone.now()
    scenario.closed_by = by
    save_versioned(scenario, ["status", "closed_at", "closed_by"], expected_version)
    record_change(
        by=by, obj=scenario, action="scenario_discarded", after={"status": scenario.status}
    )
    return scenario


class BaseChanged(ValidationError):
    """The plan changed since the scenario's base: say what, and ask again."""

    def __init__(self, changes: list[ChangeEvent], latest: int) -> None:
        self.changes = changes
        self.latest = latest
        super().__init__(
            {
                "confirmed_through": (
                    f"The plan changed since this scenario was made ({len(changes)} "
                    f"change{'s' if len(changes) != 1 else ''}). Review them, then apply "
                    f"again with confirmed_through={latest}."
                )
            }
        )


@transaction.atomic
def scenario_apply(
    *,
    scenario: Scenario,
    reason: str,
    by: Member,
    confirmed_through: int | None = None,
    expected_version: int | None = None,
) -> Scenario:
    """Apply every edit as one change set. If the plan changed since the scenario's base
    and the caller has not seen those changes (`confirmed_through`, the last change they
    reviewed), nothing is written: BaseChanged lists them. Edits are checked against the
    plan as it is now and carried out by the services, which check again. With
    `expected_version`, a scenario changed since it was read is refused (StaleVersion)."""
    require_role(by, Role.EDITOR)
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    check_version(scenario, expected_version)
    _draft(scenario)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the plan changes this way."})
    edits = [Edit(e.action, e.params) for e in scenario.edits.all()]
    if not edits:
        raise ValidationError({"edits": "This scenario has no edits to apply."})
    latest = _latest_plan_change(by.workspace)
    seen = max(scenario.base_event_id, confirmed_through or 0)
    if latest > seen:
        raise BaseChanged(plan_changes_since(scenario), latest)
    plan = load_plan(by.workspace, local_today(by.workspace, by))
    try:
        apply_edits(plan, edits)
    except EditError as error:
        field, message = next(iter(error.errors.items()))
        raise ValidationError(
            {"edits": f"Edit {(error.index or 0) + 1} no longer applies ({field}): {message}"}
        ) from None
    note = f"Scenario '{scenario.name}': {reason}"[:500]
    with collecting_changes() as events:
        for edit in edits:
            carry_out(edit, by=by, reason=note)
    ScenarioChange.objects.bulk_create(
        ScenarioChange(workspace=by.workspace, scenario=scenario, change_event=event)
        for event in events
    )
    scenario.status = ScenarioStatus.APPLIED
    scenario.closed_at = timezone.now()
    scenario.closed_by = by
    scenario.applied_reason = reason
    save_versioned(
        scenario, ["status", "closed_at", "closed_by", "applied_reason"], expected_version
    )
    record_change(
        by=by, obj=scenario, action="scenario_applied", after={"edits": len(edits)}, reason=reason
    )
    return scenario
