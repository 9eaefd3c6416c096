"""The roadmap: roadmaps, initiatives (and their moves), contributions, dependencies,
insights and team capacities."""

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from tandem.accounts.models import Member
from tandem.core.api import (
    ERRORS,
    Id,
    Message,
    Page,
    Scopable,
    fields_as,
    get_or_404,
    member,
    resolve,
    resolve_many,
)
from tandem.core.preconditions import IF_MATCH_PARAMETER, expected_version
from tandem.core.spreadsheet import EXPORT_OPENAPI, ExportFormat, download
from tandem.core.versioning import unless_bumped
from tandem.domain.similar import Match
from tandem.okrs.models import Cycle, KeyResult, Objective
from tandem.okrs.schemas import SimilarOut, SimilarTitle
from tandem.roadmaps import selectors, services
from tandem.roadmaps.exports import initiative_sheet
from tandem.roadmaps.filters import InitiativeFilters, InsightFilters
from tandem.roadmaps.models import (
    Contribution,
    Dependency,
    Initiative,
    Insight,
    Roadmap,
    TeamCapacity,
)
from tandem.roadmaps.schemas import (
    CapacityIn,
    CapacityOut,
    ContributionIn,
    ContributionOut,
    DependencyIn,
    DependencyOut,
    InitiativeIn,
    InitiativeOut,
    InitiativePatch,
    InsightIn,
    InsightOut,
    InsightPatch,
    MoveIn,
    RoadmapIn,
    RoadmapOut,
    RoadmapPatch,
)
from tandem.strategy.models import Pillar, Team

router = Router(tags=["roadmap"])

WS = "/workspaces/{workspace}"
FIELDS = {
    "team": "team_id",
    "owner": "owner_id",
    "roadmap": "roadmap_id",
    "key_result": "key_result_id",
    "initiative": "initiative_id",
    "depends_on": "depends_on_id",
    "cycle": "cycle_id",
    "initiatives": "initiative_ids",
}


def _references(by: Member, data: dict[str, Any]) -> dict[str, Any]:
    """Turn the *_id fields of a body into this workspace's objects (422 when not ours)."""
    models: dict[str, Scopable[Any]] = {
        "team_id": Team.objects,
        "owner_id": Member.objects,
        "roadmap_id": Roadmap.objects,
    }
    for name, queryset in models.items():
        if name in data:
            data[name.removesuffix("_id")] = resolve(queryset, by, data.pop(name), field=name)
    return data


# ---------------------------------------------------------------- roadmaps


@router.get(f"{WS}/roadmaps", response={200: list[RoadmapOut], **ERRORS}, summary="Roadmaps")
@paginate(Page)
def roadmap_list(request: HttpRequest, workspace: str) -> object:
    return Roadmap.objects.in_workspace(member(request, workspace).workspace)


@router.post(f"{WS}/roadmaps", response={201: RoadmapOut, **ERRORS}, summary="Create a roadmap")
def roadmap_create(request: HttpRequest, workspace: str, payload: RoadmapIn) -> Status[Roadmap]:
    by = member(request, workspace)
    data = _references(by, payload.dict())
    with fields_as(**FIELDS):
        return Status(201, services.roadmap_create(by=by, **data))


@router.get(
    f"{WS}/roadmaps/{{roadmap_id}}", response={200: RoadmapOut, **ERRORS}, summary="A roadmap"
)
def roadmap_read(request: HttpRequest, workspace: str, roadmap_id: Id) -> Roadmap:
    return get_or_404(Roadmap.objects, member(request, workspace), roadmap_id)


@router.patch(
    f"{WS}/roadmaps/{{roadmap_id}}",
    response={200: RoadmapOut, **ERRORS},
    summary="Update a roadmap",
)
def roadmap_update(
    request: HttpRequest, workspace: str, roadmap_id: Id, payload: RoadmapPatch
) -> Roadmap:
    by = member(request, workspace)
    roadmap = get_or_404(Roadmap.objects, by, roadmap_id)
    changes = _references(by, payload.dict(exclude_unset=True))
    reason = str(changes.pop("reason", ""))
    with fields_as(**FIELDS):
        return services.roadmap_update(
            roadmap=roadmap,
            by=by,
            reason=reason,
            expected_version=expected_version(request),
            **changes,
        )


# ---------------------------------------------------------------- initiatives


class InitiativeExportFilters(InitiativeFilters):
    format: ExportFormat = "csv"

    def filter_format(self, value: str) -> Q:
        return Q()  # how the file is written, not which initiatives


@router.get(
    f"{WS}/initiatives/export",
    response={200: str, **ERRORS},
    summary="Initiatives as CSV or XLSX",
    openapi_extra=EXPORT_OPENAPI,
)
def initiative_export(
    request: HttpRequest, workspace: str, filters: Query[InitiativeExportFilters]
) -> HttpResponse:
    """The initiatives the board shows with these filters, in board order, with their RICE
    inputs and score, insights and the key results they contribute to."""
    by = member(request, workspace)
    # Another workspace's id is refused by name, not answered with an empty file.
    for queryset, name in (
        (Roadmap.objects, "roadmap_id"),
        (Team.objects, "team_id"),
        (Pillar.objects, "pillar_id"),
        (Objective.objects, "objective_id"),
    ):
        resolve(queryset, by, getattr(filters, name), field=name)
    sheet = initiative_sheet(by.workspace, filters)
    return download(sheet, filters.format, f"{by.workspace.slug} initiatives")


@router.get(
    f"{WS}/initiatives", response={200: list[InitiativeOut], **ERRORS}, summary="Initiatives"
)
@paginate(Page)
def initiative_list(
    request: HttpRequest, workspace: str, filters: Query[InitiativeFilters]
) -> object:
    """In board order (horizon, then position), done and dropped too unless a status is
    asked for; the board's filters, by the same definition."""
    found = Initiative.objects.in_workspace(member(request, workspace).workspace)
    return filters.filter(found).on_board()


@router.post(
    f"{WS}/initiatives", response={201: InitiativeOut, **ERRORS}, summary="Create an initiative"
)
def initiative_create(
    request: HttpRequest, workspace: str, payload: InitiativeIn
) -> Status[Initiative]:
    by = member(request, workspace)
    data = _references(by, payload.dict())
    if data["roadmap"] is None:
        raise HttpError(422, "roadmap_id is required.")
    with fields_as(**FIELDS):
        return Status(201, services.initiative_create(by=by, **data))


@router.get(
    f"{WS}/initiatives/similar",
    response={200: list[SimilarOut], **ERRORS},
    summary="Initiatives with a similar title",
)
def initiative_similar(
    request: HttpRequest, workspace: str, title: SimilarTitle = ""
) -> list[Match]:
    """Initiatives not done or dropped whose title reads like `title` (word order, case,
    small words and plurals aside), most alike first: check before creating one, as the
    page warns after."""
    by = member(request, workspace)
    return selectors.similar_initiatives(by.workspace, title)


@router.post(
    f"{WS}/insights/{{insight_id}}/initiatives",
    response={201: InitiativeOut, **ERRORS},
    summary="Create an initiative from an insight",
)
def initiative_create_from_insight(
    request: HttpRequest, workspace: str, insight_id: Id, payload: InitiativeIn
) -> Status[Initiative]:
    """As creating an initiative, and the insight becomes its evidence (its other links
    stay): what "Create initiative from this" in the insight inbox does."""
    by = member(request, workspace)
    insight = get_or_404(Insight.objects, by, insight_id)
    data = _references(by, payload.dict())
    with fields_as(**FIELDS):
        return Status(
            201,
            services.initiative_create_from_insight(insight=insight, by=by, **data),
        )


@router.get(
    f"{WS}/initiatives/{{initiative_id}}",
    response={200: InitiativeOut, **ERRORS},
    summary="An initiative",
)
def initiative_read(request: HttpRequest, workspace: str, initiative_id: Id) -> Initiative:
    return get_or_404(Initiative.objects, member(request, workspace), initiative_id)


@router.patch(
    f"{WS}/initiatives/{{initiative_id}}",
    response={200: InitiativeOut, **ERRORS},
    summary="Update an initiative",
)
def initiative_update(
    request: HttpRequest, workspace: str, initiative_id: Id, payload: InitiativePatch
) -> Initiative:
    """Horizon and order change with the move operation; dates and status here are moves
    too in the history."""
    by = member(request, workspace)
    initiative = get_or_404(Initiative.objects, by, initiative_id)
    changes = _references(by, payload.dict(exclude_unset=True))
    reason = str(changes.pop("reason", ""))
    with fields_as(**FIELDS):
        return services.initiative_update(
            initiative=initiative,
            by=by,
            reason=reason,
            expected_version=expected_version(request),
            **changes,
        )


@router.post(
    f"{WS}/initiatives/{{initiative_id}}/move",
    response={200: InitiativeOut, 409: Message, 412: Message, **ERRORS},
    summary="Move an initiative on the board",
    openapi_extra={"parameters": [IF_MATCH_PARAMETER]},
)
def initiative_move(
    request: HttpRequest, workspace: str, initiative_id: Id, payload: MoveIn
) -> Initiative:
    """The board's drag and drop uses this operation. Send If-Match with the version you
    read (412 if the initiative changed since), or expected_horizon and expected_position
    (409 if someone moved it since), to be refused rather than overwrite another's move."""
    by = member(request, workspace)
    initiative = get_or_404(Initiative.objects, by, initiative_id)
    after = resolve(Initiative.objects, by, payload.after_id, field="after_id")
    before = resolve(Initiative.objects, by, payload.before_id, field="before_id")
    seen = None
    if payload.expected_horizon is not None and payload.expected_position is not None:
        seen = {initiative.pk: (payload.expected_horizon, payload.expected_position)}
    try:
        with fields_as(after="after_id", before="before_id"):
            return services.initiative_move(
                initiative=initiative,
                horizon=payload.horizon,
                after=after,
                before=before,
                seen=seen,
                expected_version=expected_version(request),
                reason=payload.reason,
                by=by,
            )
    except services.StaleBoard:
        raise HttpError(409, "Someone moved this initiative meanwhile; read it again.") from None


# ---------------------------------------------------------------- contributions


@router.get(
    f"{WS}/contributions",
    response={200: list[ContributionOut], **ERRORS},
    summary="Contributions to key results",
)
@paginate(Page)
def contribution_list(
    request: HttpRequest,
    workspace: str,
    initiative_id: Id | None = None,
    key_result_id: Id | None = None,
) -> object:
    found = Contribution.objects.in_workspace(member(request, workspace).workspace).order_by("id")
    if initiative_id is not None:
        found = found.filter(initiative_id=initiative_id)
    if key_result_id is not None:
        found = found.filter(key_result_id=key_result_id)
    return found


@router.post(
    f"{WS}/contributions",
    response={201: ContributionOut, **ERRORS},
    summary="Link an initiative to a key result",
)
def contribution_create(
    request: HttpRequest, workspace: str, payload: ContributionIn
) -> Status[Contribution]:
    by = member(request, workspace)
    initiative = resolve(Initiative.objects, by, payload.initiative_id, field="initiative_id")
    key_result = resolve(KeyResult.objects, by, payload.key_result_id, field="key_result_id")
    with fields_as(**FIELDS):
        contribution = services.contribution_create(
            initiative=initiative,
            key_result=key_result,
            expected_impact=payload.expected_impact,
            expected_delta=payload.expected_delta,
            by=by,
        )
    return Status(201, contribution)


@router.delete(
    f"{WS}/contributions/{{contribution_id}}",
    response={204: None, **ERRORS},
    summary="Unlink an initiative from a key result",
)
def contribution_delete(request: HttpRequest, workspace: str, contribution_id: Id) -> Status[None]:
    by = member(request, workspace)
    contribution = get_or_404(Contribution.objects, by, contribution_id)
    services.contribution_delete(contribution=contribution, by=by)
    return Status(204, None)


# ---------------------------------------------------------------- dependencies


@router.get(
    f"{WS}/dependencies", response={200: list[DependencyOut], **ERRORS}, summary="Dependencies"
)
@paginate(Page)
def dependency_list(request: HttpRequest, workspace: str) -> object:
    return Dependency.objects.in_workspace(member(request, workspace).workspace).order_by("id")


@router.post(
    f"{WS}/dependencies",
    response={201: DependencyOut, **ERRORS},
    summary="Make an initiative depend on another",
)
def dependency_create(
    request: HttpRequest, workspace: str, payload: DependencyIn
) -> Status[Dependency]:
    """A dependency that would close a loop is refused with a 422 naming the loop."""
    by = member(request, workspace)
    initiative = resolve(Initiative.objects, by, payload.initiative_id, field="initiative_id")
    depends_on = resolve(Initiative.objects, by, payload.depends_on_id, field="depends_on_id")
    with fields_as(**FIELDS):
        dependency = services.dependency_create(
            initiative=initiative,
            depends_on=depends_on,
            by=by,
        )
    return Status(201, dependency)


@router.delete(
    f"{WS}/dependencies/{{dependency_id}}",
    response={204: None, **ERRORS},
    summary="Remove a dependency",
)
def dependency_delete(request: HttpRequest, workspace: str, dependency_id: Id) -> Status[None]:
    by = member(request, workspace)
    dependency = get_or_404(Dependency.objects, by, dependency_id)
    services.dependency_delete(dependency=dependency, by=by)
    return Status(204, None)


# ---------------------------------------------------------------- insights


@router.get(f"{WS}/insights", response={200: list[InsightOut], **ERRORS}, summary="Insights")
@paginate(Page)
def insight_list(request: HttpRequest, workspace: str, filters: Query[InsightFilters]) -> object:
    """Every insight, or those of one status (the insight inbox's filter)."""
    found = Insight.objects.in_workspace(member(request, workspace).workspace)
    return filters.filter(found).prefetch_related("initiatives")


@router.post(f"{WS}/insights", response={201: InsightOut, **ERRORS}, summary="Record an insight")
def insight_create(request: HttpRequest, workspace: str, payload: InsightIn) -> Status[Insight]:
    by = member(request, workspace)
    data = payload.dict()
    ids = data.pop("initiative_ids")
    initiatives = resolve_many(Initiative.objects, by, ids, field="initiative_ids")
    with transaction.atomic(), fields_as(**FIELDS):
        insight = services.insight_create(by=by, **data)
        if initiatives:
            services.insight_link(insight=insight, initiatives=initiatives, by=by)
    return Status(201, insight)


@router.get(
    f"{WS}/insights/{{insight_id}}", response={200: InsightOut, **ERRORS}, summary="An insight"
)
def insight_read(request: HttpRequest, workspace: str, insight_id: Id) -> Insight:
    return get_or_404(Insight.objects, member(request, workspace), insight_id)


@router.patch(
    f"{WS}/insights/{{insight_id}}",
    response={200: InsightOut, **ERRORS},
    summary="Update or triage an insight",
)
def insight_update(
    request: HttpRequest, workspace: str, insight_id: Id, payload: InsightPatch
) -> Insight:
    """`initiative_ids` replaces the initiatives the insight is evidence for."""
    by = member(request, workspace)
    insight = get_or_404(Insight.objects, by, insight_id)
    changes = payload.dict(exclude_unset=True)
    reason = str(changes.pop("reason", ""))
    ids = changes.pop("initiative_ids", None)
    initiatives = None
    if ids is not None:
        initiatives = resolve_many(Initiative.objects, by, ids, field="initiative_ids")
    expected = expected_version(request)
    with transaction.atomic(), fields_as(**FIELDS):
        insight = services.insight_update(
            insight=insight, by=by, reason=reason, expected_version=expected, **changes
        )
        if initiatives is not None:
            services.insight_link(
                insight=insight,
                initiatives=initiatives,
                by=by,
                expected_version=unless_bumped(insight, expected),
            )
    return insight


# ---------------------------------------------------------------- capacities


@router.get(
    f"{WS}/capacities", response={200: list[CapacityOut], **ERRORS}, summary="Team capacities"
)
@paginate(Page)
def capacity_list(request: HttpRequest, workspace: str, cycle_id: Id | None = None) -> object:
    found = TeamCapacity.objects.in_workspace(member(request, workspace).workspace).order_by("id")
    return found if cycle_id is None else found.filter(cycle_id=cycle_id)


@router.put(
    f"{WS}/capacities",
    response={200: CapacityOut, **ERRORS},
    summary="Set a team's capacity for a cycle",
)
def capacity_set(request: HttpRequest, workspace: str, payload: CapacityIn) -> TeamCapacity:
    by = member(request, workspace)
    team = resolve(Team.objects, by, payload.team_id, field="team_id")
    cycle = resolve(Cycle.objects, by, payload.cycle_id, field="cycle_id")
    with fields_as(**FIELDS):
        return services.team_capacity_set(
            team=team,
            cycle=cycle,
            person_weeks=payload.person_weeks,
            reason=payload.reason,
            by=by,
            expected_version=expected_version(request),
        )
