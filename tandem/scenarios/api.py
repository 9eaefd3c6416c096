"""Scenarios: proposed edits kept apart from the plan, their evaluation, and applying or
discarding them. Viewers read and comment; editors write."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.core.api import ERRORS, Id, Page, get_or_404, member
from tandem.core.preconditions import IF_MATCH_PARAMETER, expected_version
from tandem.core.versioning import etag
from tandem.domain.conflicts import Conflict
from tandem.domain.forecast import Forecast, Outcome
from tandem.scenarios import services
from tandem.scenarios.models import Scenario, ScenarioComment, ScenarioEdit, ScenarioQuerySet
from tandem.scenarios.schemas import (
    ApplyIn,
    CommentIn,
    CommentOut,
    EditIn,
    EditOut,
    EvaluationOut,
    ScenarioIn,
    ScenarioOut,
    ScenarioPatch,
)
from tandem.scenarios.selectors import scenario_evaluation

router = Router(tags=["scenarios"])

WS = "/workspaces/{workspace}"
ONE = f"{WS}/scenarios/{{scenario_id}}"


def _scenarios() -> ScenarioQuerySet:
    return Scenario.objects.prefetch_related("edits")


@router.get(f"{WS}/scenarios", response={200: list[ScenarioOut], **ERRORS}, summary="Scenarios")
@paginate(Page)
def scenario_list(request: HttpRequest, workspace: str) -> Any:
    """Newest first, drafts, applied and discarded alike."""
    by = member(request, workspace)
    return _scenarios().filter(workspace=by.workspace)


@router.post(f"{WS}/scenarios", response={201: ScenarioOut, **ERRORS}, summary="Start a scenario")
def scenario_create(request: HttpRequest, workspace: str, payload: ScenarioIn) -> Status[Scenario]:
    """Made against the plan as it is now: applying it later first shows what changed."""
    by = member(request, workspace)
    return Status(201, services.scenario_create(by=by, **payload.dict()))


@router.get(ONE, response={200: ScenarioOut, **ERRORS}, summary="A scenario")
def scenario_read(request: HttpRequest, workspace: str, scenario_id: Id) -> Scenario:
    return get_or_404(_scenarios(), member(request, workspace), scenario_id)


@router.patch(ONE, response={200: ScenarioOut, **ERRORS}, summary="Rename a scenario")
def scenario_update(
    request: HttpRequest, workspace: str, scenario_id: Id, payload: ScenarioPatch
) -> Scenario:
    """Its name or description, while it is a draft."""
    by = member(request, workspace)
    services.scenario_update(
        scenario=get_or_404(Scenario.objects, by, scenario_id),
        by=by,
        expected_version=expected_version(request),
        **payload.dict(exclude_unset=True),
    )
    return get_or_404(_scenarios(), by, scenario_id)


@router.delete(
    ONE,
    response={204: None, **ERRORS},
    summary="Discard a scenario",
    openapi_extra={"parameters": [IF_MATCH_PARAMETER]},
)
def scenario_delete(request: HttpRequest, workspace: str, scenario_id: Id) -> Status[None]:
    """Discards it: it stays on record, read only. An applied one cannot be discarded.
    Send If-Match with the scenario's version to be told (412) if it changed since."""
    by = member(request, workspace)
    services.scenario_discard(
        scenario=get_or_404(Scenario.objects, by, scenario_id),
        by=by,
        expected_version=expected_version(request),
    )
    return Status(204, None)


@router.post(
    f"{ONE}/edits",
    response={201: EditOut, **ERRORS},
    summary="Propose an edit",
    openapi_extra={"parameters": [IF_MATCH_PARAMETER]},
)
def edit_create(
    request: HttpRequest, response: HttpResponse, workspace: str, scenario_id: Id, payload: EditIn
) -> Status[ScenarioEdit]:
    """Checked against today's plan with the scenario's earlier edits made: an unknown
    object (or one of another workspace), an end before its start or a dependency loop is
    a 422 naming the field. The plan itself does not change. Each edit moves the scenario's
    version: send If-Match with the one you read to be told (412) if it changed since."""
    by = member(request, workspace)
    scenario = get_or_404(Scenario.objects, by, scenario_id)
    edit = services.scenario_add_edit(
        scenario=scenario,
        action=payload.action,
        params=payload.params.dict(exclude_unset=True),
        by=by,
        expected_version=expected_version(request),
    )
    response["ETag"] = etag(scenario.version)  # the scenario's, for the next If-Match
    return Status(201, edit)


@router.delete(
    f"{ONE}/edits/{{edit_id}}",
    response={204: None, **ERRORS},
    summary="Withdraw an edit",
    openapi_extra={"parameters": [IF_MATCH_PARAMETER]},
)
def edit_delete(request: HttpRequest, workspace: str, scenario_id: Id, edit_id: Id) -> Status[None]:
    by = member(request, workspace)
    scenario = get_or_404(Scenario.objects, by, scenario_id)
    edit = get_or_404(ScenarioEdit.objects.filter(scenario=scenario), by, edit_id)
    services.scenario_remove_edit(edit=edit, by=by, expected_version=expected_version(request))
    return Status(204, None)


@router.get(
    f"{ONE}/evaluation", response={200: EvaluationOut, **ERRORS}, summary="Evaluate a scenario"
)
def scenario_evaluate(request: HttpRequest, workspace: str, scenario_id: Id) -> dict[str, Any]:
    """Today's plan and today's plan with the edits, side by side: conflicts opened, closed
    and changed, forecasts changed, and capacity per team and cycle. Nothing is stored."""
    by = member(request, workspace)
    scenario = get_or_404(Scenario.objects, by, scenario_id)
    evaluated = scenario_evaluation(scenario)
    if evaluated.evaluation is None:
        raise ValidationError({"edits": evaluated.error})
    return evaluation_out(evaluated.evaluation)


@router.post(
    f"{ONE}/apply",
    response={200: ScenarioOut, **ERRORS},
    summary="Apply a scenario",
    openapi_extra={"parameters": [IF_MATCH_PARAMETER]},
)
def scenario_apply(
    request: HttpRequest, workspace: str, scenario_id: Id, payload: ApplyIn
) -> Scenario:
    """Every edit through the ordinary services in one transaction with one reason; one
    detection follows; each change is linked to the scenario. If the plan changed since the
    scenario was made, nothing is written and the 422 on `confirmed_through` says so: read
    the changes (the activity feed), then send the number it gives. With If-Match, a
    scenario changed since you read it is a 412 and nothing is applied."""
    by = member(request, workspace)
    scenario = get_or_404(Scenario.objects, by, scenario_id)
    services.scenario_apply(
        scenario=scenario, by=by, expected_version=expected_version(request), **payload.dict()
    )
    return get_or_404(_scenarios(), by, scenario_id)


@router.get(f"{ONE}/comments", response={200: list[CommentOut], **ERRORS}, summary="The discussion")
@paginate(Page)
def comment_list(request: HttpRequest, workspace: str, scenario_id: Id) -> Any:
    by = member(request, workspace)
    scenario = get_or_404(Scenario.objects, by, scenario_id)
    return ScenarioComment.objects.filter(scenario=scenario)


@router.post(f"{ONE}/comments", response={201: CommentOut, **ERRORS}, summary="Comment")
def comment_create(
    request: HttpRequest, workspace: str, scenario_id: Id, payload: CommentIn
) -> Status[ScenarioComment]:
    by = member(request, workspace)
    scenario = get_or_404(Scenario.objects, by, scenario_id)
    return Status(201, services.scenario_comment(scenario=scenario, body=payload.body, by=by))


def _conflict(c: Conflict) -> dict[str, Any]:
    return {
        "key": c.key,
        "rule": c.rule.value,
        "rule_label": c.rule.label,
        "severity": c.severity.value,
        "sentence": c.sentence,
    }


def _forecast(outcome: Outcome) -> dict[str, Any]:
    if isinstance(outcome, Forecast):
        return {
            "probability": round(outcome.probability, 4),
            "value": outcome.value,
            "low": outcome.low,
            "high": outcome.high,
            "basis": outcome.basis,
        }
    return {"probability": None, "value": None, "low": None, "high": None, "basis": outcome.reason}


def evaluation_out(evaluation: Any) -> dict[str, Any]:
    return {
        "conflicts_opened": [_conflict(c) for c in evaluation.opened],
        "conflicts_closed": [_conflict(c) for c in evaluation.closed],
        "conflicts_changed": [
            {
                "key": after.key,
                "rule": after.rule.value,
                "severity_before": before.severity.value,
                "severity_after": after.severity.value,
                "sentence_before": before.sentence,
                "sentence_after": after.sentence,
            }
            for before, after in evaluation.changed
        ],
        "forecasts_changed": [
            {
                "key_result_id": f.key_result.id,
                "title": f.key_result.title,
                "before": _forecast(f.before),
                "after": _forecast(f.after),
            }
            for f in evaluation.forecasts
        ],
        "capacity": [
            {
                "team_id": r.team_id,
                "team": r.team,
                "cycle_id": r.cycle_id,
                "cycle": r.cycle,
                "capacity_before": r.capacity_before,
                "capacity_after": r.capacity_after,
                "load_before": r.load_before,
                "load_after": r.load_after,
                "over_before": r.over_before,
                "over_after": r.over_after,
            }
            for r in evaluation.capacity
        ],
    }
