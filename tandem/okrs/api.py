"""The OKR API: cycles, objectives, key results and check-ins."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.renderers import JSONRenderer

from tandem.accounts.models import Member
from tandem.accounts.zones import local_today
from tandem.core.api import ERRORS, Id, Page, fields_as, get_or_404, member, resolve
from tandem.core.preconditions import expected_version
from tandem.core.rows import one_row
from tandem.core.spreadsheet import EXPORT_OPENAPI, ExportFormat, download
from tandem.domain.similar import Match
from tandem.okrs import selectors, services
from tandem.okrs.exports import okr_sheet
from tandem.okrs.filters import KeyResultFilters, ObjectiveFilters
from tandem.okrs.models import (
    CheckIn,
    Cycle,
    CycleState,
    KeyResult,
    Objective,
    ObjectiveQuerySet,
)
from tandem.okrs.schemas import (
    PROGRESS_FIELDS,
    CheckInIn,
    CheckInOut,
    CycleIn,
    CycleOut,
    CyclePatch,
    KeyResultIn,
    KeyResultOut,
    KeyResultPatch,
    ObjectiveIn,
    ObjectiveOut,
    ObjectivePatch,
    ReasonIn,
    SimilarOut,
    SimilarTitle,
    key_result_body,
)
from tandem.planning.forecasts import row_forecasts
from tandem.strategy.models import Pillar, Team

router = Router(tags=["okrs"])

WS = "/workspaces/{workspace}"
# Service errors name model fields; the client sent the *_id fields.
ID_FIELDS = {
    "cycle": "cycle_id",
    "parent": "parent_id",
    "pillar": "pillar_id",
    "team": "team_id",
    "owner": "owner_id",
    "objective": "objective_id",
}
# Which body id names which model, for the objective's references.
OBJECTIVE_REFS = {
    "parent_id": Objective.objects,
    "pillar_id": Pillar.objects,
    "team_id": Team.objects,
    "owner_id": Member.objects,
}


def _references(by: Member, changes: dict[str, Any], refs: dict[str, Any]) -> dict[str, Any]:
    """Swap each `<name>_id` sent for the object of this workspace (422 if there is none)."""
    for field, queryset in refs.items():
        if field in changes:
            pk = changes.pop(field)
            changes[field.removesuffix("_id")] = resolve(queryset, by, pk, field=field)
    return changes


# ---------------------------------------------------------------- cycles


@router.get(f"{WS}/cycles", response={200: list[CycleOut], **ERRORS}, summary="Cycles")
@paginate(Page)
def cycle_list(request: HttpRequest, workspace: str, state: CycleState | None = None) -> object:
    """Newest first; `state` filters (planning, active, closed)."""
    by = member(request, workspace)
    cycles = Cycle.objects.in_workspace(by.workspace)
    return cycles.filter(state=state) if state else cycles


@router.post(f"{WS}/cycles", response={201: CycleOut, **ERRORS}, summary="Plan a cycle")
def cycle_create(request: HttpRequest, workspace: str, payload: CycleIn) -> Status[Cycle]:
    """A new cycle is in planning; activate it to open check-ins."""
    by = member(request, workspace)
    return Status(201, services.cycle_create(**payload.dict(), by=by))


@router.get(f"{WS}/cycles/{{cycle_id}}", response={200: CycleOut, **ERRORS}, summary="A cycle")
def cycle_read(request: HttpRequest, workspace: str, cycle_id: Id) -> Cycle:
    return get_or_404(Cycle.objects, member(request, workspace), cycle_id)


@router.patch(
    f"{WS}/cycles/{{cycle_id}}", response={200: CycleOut, **ERRORS}, summary="Update a cycle"
)
def cycle_update(request: HttpRequest, workspace: str, cycle_id: Id, payload: CyclePatch) -> Cycle:
    by = member(request, workspace)
    cycle = get_or_404(Cycle.objects, by, cycle_id)
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    return services.cycle_update(
        cycle=cycle, by=by, reason=reason, expected_version=expected_version(request), **changes
    )


@router.post(
    f"{WS}/cycles/{{cycle_id}}/activate",
    response={200: CycleOut, **ERRORS},
    summary="Start (or reopen) a cycle",
)
def cycle_activate(request: HttpRequest, workspace: str, cycle_id: Id, payload: ReasonIn) -> Cycle:
    by = member(request, workspace)
    cycle = get_or_404(Cycle.objects, by, cycle_id)
    return services.cycle_set_state(
        cycle=cycle, state=CycleState.ACTIVE, reason=payload.reason, by=by
    )


# ---------------------------------------------------------------- export


class OkrExportFilters(Schema):
    cycle_id: Id | None = Field(None, description="The current cycle when not given.")
    mine: bool = Field(False, description="Only the OKRs the caller owns, as on My OKRs.")
    format: ExportFormat = "csv"


@router.get(
    f"{WS}/okrs/export",
    response={200: str, **ERRORS},
    summary="A cycle's OKRs as CSV or XLSX",
    openapi_extra=EXPORT_OPENAPI,
)
def okr_export(
    request: HttpRequest, workspace: str, filters: Query[OkrExportFilters]
) -> HttpResponse:
    """One row per live key result (an objective without one gets a row too) with its
    objective, progress, pace, confidence and grade. Text cells a spreadsheet would run as
    a formula are written with a leading apostrophe."""
    by = member(request, workspace)
    cycle = resolve(Cycle.objects, by, filters.cycle_id, field="cycle_id")
    cycle = cycle or selectors.current_cycle(by.workspace)
    if cycle is None:
        raise HttpError(404, "This workspace has no cycle yet.")
    today = local_today(by.workspace, by)
    sheet = okr_sheet(by.workspace, cycle, today, by if filters.mine else None)
    return download(sheet, filters.format, f"{by.workspace.slug} OKRs {cycle.name}")


# ---------------------------------------------------------------- objectives


def _objectives(by: Member) -> ObjectiveQuerySet:
    return Objective.objects.in_workspace(by.workspace).prefetch_related(
        selectors.live_key_results(owners=False)
    )


@router.get(f"{WS}/objectives", response={200: list[ObjectiveOut], **ERRORS}, summary="Objectives")
@paginate(Page)
def objective_list(
    request: HttpRequest, workspace: str, filters: Query[ObjectiveFilters]
) -> object:
    """Live objectives by default (`status=archived` for the archived ones), filtered by
    cycle, team, owner, pillar or parent."""
    by = member(request, workspace)
    return filters.filter(_objectives(by))


@router.get(
    f"{WS}/objectives/similar",
    response={200: list[SimilarOut], **ERRORS},
    summary="Objectives with a similar title",
)
def objective_similar(
    request: HttpRequest,
    workspace: str,
    title: SimilarTitle = "",
    cycle_id: Id | None = None,
) -> list[Match]:
    """Live objectives of the cycle (the current one when not given) whose title reads like
    `title`, most alike first: check before creating one, as the page warns after."""
    by = member(request, workspace)
    if cycle_id is None:
        cycle = Cycle.objects.in_workspace(by.workspace).active().order_by("-start").first()
    else:
        cycle = get_or_404(Cycle.objects, by, cycle_id)
    return selectors.similar_objectives(cycle, title) if cycle else []


@router.post(f"{WS}/objectives", response={201: ObjectiveOut, **ERRORS}, summary="Create one")
def objective_create(
    request: HttpRequest, workspace: str, payload: ObjectiveIn
) -> Status[Objective]:
    by = member(request, workspace)
    fields = payload.dict()
    cycle = resolve(Cycle.objects, by, fields.pop("cycle_id"), field="cycle_id")
    fields = _references(by, fields, OBJECTIVE_REFS)
    with fields_as(**ID_FIELDS):
        objective = services.objective_create(cycle=cycle, by=by, **fields)
    return Status(201, get_or_404(_objectives(by), by, objective.pk))


@router.get(
    f"{WS}/objectives/{{objective_id}}",
    response={200: ObjectiveOut, **ERRORS},
    summary="An objective",
)
def objective_read(request: HttpRequest, workspace: str, objective_id: Id) -> Objective:
    by = member(request, workspace)
    # As get_or_404(_objectives(by), ...), with SQL written once: the hottest read.
    objective = one_row(Objective, where={"workspace": by.workspace_id, "id": objective_id})
    if objective is None:
        raise Http404
    # Only what its progress reads: the rows of all their fields cost more than the query.
    live = selectors.live_key_results_of(objective, only=PROGRESS_FIELDS)
    objective.live_key_results = live  # type: ignore[attr-defined]  # read by ObjectiveOut, as Prefetch(to_attr=) sets it
    return objective


@router.patch(
    f"{WS}/objectives/{{objective_id}}",
    response={200: ObjectiveOut, **ERRORS},
    summary="Update an objective",
)
def objective_update(
    request: HttpRequest, workspace: str, objective_id: Id, payload: ObjectivePatch
) -> Objective:
    """Send only what changes; in a started cycle, say why in `reason`."""
    by = member(request, workspace)
    objective = get_or_404(Objective.objects.select_related("cycle"), by, objective_id)
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    changes = _references(by, changes, OBJECTIVE_REFS)
    with fields_as(**ID_FIELDS):
        services.objective_update(
            objective=objective,
            by=by,
            reason=reason,
            expected_version=expected_version(request),
            **changes,
        )
    return get_or_404(_objectives(by), by, objective_id)


@router.post(
    f"{WS}/objectives/{{objective_id}}/archive",
    response={200: ObjectiveOut, **ERRORS},
    summary="Archive an objective",
)
def objective_archive(
    request: HttpRequest, workspace: str, objective_id: Id, payload: ReasonIn
) -> Objective:
    by = member(request, workspace)
    objective = get_or_404(Objective.objects, by, objective_id)
    services.objective_archive(objective=objective, reason=payload.reason, by=by)
    return get_or_404(_objectives(by), by, objective_id)


# ---------------------------------------------------------------- key results


class KeyResultPage(Page):
    """A page of key results read as plain rows, each with its forecast: four queries for
    the whole page (the count, the rows, their check-ins and the work serving them)."""

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        by, filters = queryset
        count, items = selectors.key_result_rows(
            by.workspace_id, filters, limit=pagination.limit, offset=pagination.offset
        )
        outcomes = row_forecasts(items, local_today(by.workspace))
        for kr in items:
            kr.forecast_outcome = outcomes[kr.id]
        return {"items": [key_result_body(kr) for kr in items], "count": count}


JSON = JSONRenderer()  # the API's renderer (tandem.api sets no other)


def _as_built(view: Callable[..., Any]) -> Callable[..., Any]:
    """Answers what `view` returns as it is: KeyResultPage builds KeyResultOut's shape
    itself (key_result_body). The OpenAPI document still describes the page ninja's
    paginate declares; validating each row through the schema again cost most of the time
    of the call."""

    @wraps(view)
    def answer(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        body = JSON.render(request, view(request, **kwargs), response_status=200)
        return HttpResponse(body, content_type=f"{JSON.media_type}; charset={JSON.charset}")

    return answer


@router.get(
    f"{WS}/key-results", response={200: list[KeyResultOut], **ERRORS}, summary="Key results"
)
@_as_built
@paginate(KeyResultPage)
def key_result_list(
    request: HttpRequest, workspace: str, filters: Query[KeyResultFilters]
) -> object:
    """Live key results by default, filtered by cycle, objective, team (of the objective) or
    owner."""
    return member(request, workspace), filters


@router.post(f"{WS}/key-results", response={201: KeyResultOut, **ERRORS}, summary="Create one")
def key_result_create(
    request: HttpRequest, workspace: str, payload: KeyResultIn
) -> Status[KeyResult]:
    """Impossible definitions are refused naming the field: to increase, the target must be
    above the start; to decrease, below it."""
    by = member(request, workspace)
    fields = payload.dict()
    objective = resolve(
        Objective.objects.select_related("cycle"),
        by,
        fields.pop("objective_id"),
        field="objective_id",
    )
    fields = _references(by, fields, {"owner_id": Member.objects})
    with fields_as(**ID_FIELDS):
        key_result = services.key_result_create(objective=objective, by=by, **fields)
    return Status(201, key_result)


@router.get(
    f"{WS}/key-results/{{key_result_id}}",
    response={200: KeyResultOut, **ERRORS},
    summary="A key result",
)
def key_result_read(request: HttpRequest, workspace: str, key_result_id: Id) -> KeyResult:
    return get_or_404(KeyResult.objects, member(request, workspace), key_result_id)


@router.patch(
    f"{WS}/key-results/{{key_result_id}}",
    response={200: KeyResultOut, **ERRORS},
    summary="Update a key result",
)
def key_result_update(
    request: HttpRequest, workspace: str, key_result_id: Id, payload: KeyResultPatch
) -> KeyResult:
    """Send only what changes. `grade` (0.0 to 1.0) is how a closed cycle is graded."""
    by = member(request, workspace)
    key_result = get_or_404(KeyResult.objects.select_related("objective__cycle"), by, key_result_id)
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    if "grade" in changes:
        grade = changes.pop("grade")
        if changes:
            raise ValidationError({"grade": "Send a grade on its own, without other changes."})
        return services.key_result_grade(
            key_result=key_result, grade=grade, by=by, expected_version=expected_version(request)
        )
    changes = _references(by, changes, {"owner_id": Member.objects})
    with fields_as(**ID_FIELDS):
        services.key_result_update(
            key_result=key_result,
            by=by,
            reason=reason,
            expected_version=expected_version(request),
            **changes,
        )
    key_result.refresh_from_db()  # amounts as stored, the same as a read returns
    return key_result


@router.post(
    f"{WS}/key-results/{{key_result_id}}/archive",
    response={200: KeyResultOut, **ERRORS},
    summary="Archive a key result",
)
def key_result_archive(
    request: HttpRequest, workspace: str, key_result_id: Id, payload: ReasonIn
) -> KeyResult:
    by = member(request, workspace)
    key_result = get_or_404(KeyResult.objects, by, key_result_id)
    return services.key_result_archive(key_result=key_result, reason=payload.reason, by=by)


# ---------------------------------------------------------------- check-ins


@router.get(
    f"{WS}/key-results/{{key_result_id}}/check-ins",
    response={200: list[CheckInOut], **ERRORS},
    summary="A key result's check-ins",
)
@paginate(Page)
def check_in_list(request: HttpRequest, workspace: str, key_result_id: Id) -> object:
    """Latest first, by date."""
    by = member(request, workspace)
    key_result = get_or_404(KeyResult.objects, by, key_result_id)
    return CheckIn.objects.in_workspace(by.workspace).filter(key_result=key_result).latest_first()


@router.post(
    f"{WS}/key-results/{{key_result_id}}/check-ins",
    response={201: CheckInOut, **ERRORS},
    summary="Check in",
)
def check_in_create(
    request: HttpRequest, workspace: str, key_result_id: Id, payload: CheckInIn
) -> Status[CheckIn]:
    """A reading: value, confidence 0–10 and a note. A backdated check-in takes its place in
    history; the key result's current value follows the latest by date. Refused in a closed
    cycle and on an archived key result."""
    by = member(request, workspace)
    key_result = get_or_404(KeyResult.objects.select_related("objective__cycle"), by, key_result_id)
    check_in = services.key_result_check_in(
        key_result=key_result,
        value=payload.value,
        confidence=payload.confidence,
        note=payload.note,
        date=payload.date or local_today(by.workspace, by),
        by=by,
    )
    return Status(201, check_in)
