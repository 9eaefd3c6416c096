"""The workspace's strategy: vision, pillars and teams."""

from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.accounts.models import Member
from tandem.core.api import ERRORS, Id, Page, fields_as, get_or_404, member, resolve, resolve_many
from tandem.core.preconditions import expected_version
from tandem.core.versioning import unless_bumped
from tandem.strategy import services
from tandem.strategy.models import Pillar, Strategy, Team
from tandem.strategy.schemas import (
    ArchiveIn,
    PillarIn,
    PillarOut,
    PillarPatch,
    StrategyIn,
    StrategyOut,
    TeamIn,
    TeamOut,
    TeamPatch,
)

router = Router(tags=["strategy"])

WS = "/workspaces/{workspace}"
# Service errors name model fields; the client sent the *_id fields.
TEAM_FIELDS = {"parent": "parent_id", "members": "member_ids", "lead": "lead_id"}


@router.get(f"{WS}/strategy", response={200: StrategyOut, **ERRORS}, summary="The vision")
def strategy_read(request: HttpRequest, workspace: str) -> Strategy | dict[str, object]:
    by = member(request, workspace)
    found = Strategy.objects.in_workspace(by.workspace).first()
    return found or {"version": 0, "vision": "", "updated_at": None}


@router.put(f"{WS}/strategy", response={200: StrategyOut, **ERRORS}, summary="Set the vision")
def strategy_write(request: HttpRequest, workspace: str, payload: StrategyIn) -> Strategy:
    by = member(request, workspace)
    return services.strategy_set_vision(
        vision=payload.vision,
        reason=payload.reason,
        by=by,
        expected_version=expected_version(request),
    )


@router.get(f"{WS}/pillars", response={200: list[PillarOut], **ERRORS}, summary="Pillars")
@paginate(Page)
def pillar_list(request: HttpRequest, workspace: str, archived: bool = False) -> object:
    """Live pillars, or with `archived=true` the archived ones."""
    by = member(request, workspace)
    return Pillar.objects.in_workspace(by.workspace).filter(archived_at__isnull=not archived)


@router.post(f"{WS}/pillars", response={201: PillarOut, **ERRORS}, summary="Create a pillar")
def pillar_create(request: HttpRequest, workspace: str, payload: PillarIn) -> Status[Pillar]:
    by = member(request, workspace)
    return Status(201, services.pillar_create(**payload.dict(), by=by))


@router.get(f"{WS}/pillars/{{pillar_id}}", response={200: PillarOut, **ERRORS}, summary="A pillar")
def pillar_read(request: HttpRequest, workspace: str, pillar_id: Id) -> Pillar:
    return get_or_404(Pillar.objects, member(request, workspace), pillar_id)


@router.patch(
    f"{WS}/pillars/{{pillar_id}}", response={200: PillarOut, **ERRORS}, summary="Update a pillar"
)
def pillar_update(
    request: HttpRequest, workspace: str, pillar_id: Id, payload: PillarPatch
) -> Pillar:
    by = member(request, workspace)
    pillar = get_or_404(Pillar.objects, by, pillar_id)
    changes = payload.dict(exclude_unset=True)
    return services.pillar_update(
        pillar=pillar, by=by, expected_version=expected_version(request), **changes
    )


@router.post(
    f"{WS}/pillars/{{pillar_id}}/archive",
    response={200: PillarOut, **ERRORS},
    summary="Archive a pillar",
)
def pillar_archive(
    request: HttpRequest, workspace: str, pillar_id: Id, payload: ArchiveIn
) -> Pillar:
    by = member(request, workspace)
    pillar = get_or_404(Pillar.objects, by, pillar_id)
    return services.pillar_archive(pillar=pillar, reason=payload.reason, by=by)


@router.get(f"{WS}/teams", response={200: list[TeamOut], **ERRORS}, summary="Teams")
@paginate(Page)
def team_list(request: HttpRequest, workspace: str) -> object:
    by = member(request, workspace)
    return Team.objects.in_workspace(by.workspace).prefetch_related("members")


@router.post(f"{WS}/teams", response={201: TeamOut, **ERRORS}, summary="Create a team")
def team_create(request: HttpRequest, workspace: str, payload: TeamIn) -> Status[Team]:
    by = member(request, workspace)
    parent = resolve(Team.objects, by, payload.parent_id, field="parent_id")
    members = resolve_many(Member.objects, by, payload.member_ids, field="member_ids")
    # Two services, one request: the team and its members are written together or not at all.
    with transaction.atomic(), fields_as(**TEAM_FIELDS):
        team = services.team_create(
            name=payload.name,
            parent=parent,
            color=payload.color,
            by=by,
            external_source=payload.external_source,
            external_id=payload.external_id,
            external_url=payload.external_url,
        )
        if members:
            services.team_set_members(team=team, members=members, by=by)
    return Status(201, team)


@router.get(f"{WS}/teams/{{team_id}}", response={200: TeamOut, **ERRORS}, summary="A team")
def team_read(request: HttpRequest, workspace: str, team_id: Id) -> Team:
    return get_or_404(Team.objects.prefetch_related("members"), member(request, workspace), team_id)


@router.patch(f"{WS}/teams/{{team_id}}", response={200: TeamOut, **ERRORS}, summary="Update a team")
def team_update(request: HttpRequest, workspace: str, team_id: Id, payload: TeamPatch) -> Team:
    by = member(request, workspace)
    team = get_or_404(Team.objects, by, team_id)
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    member_ids = changes.pop("member_ids", None)
    archived = changes.pop("archived", None)
    lead_given = "lead_id" in changes
    lead = resolve(Member.objects, by, changes.pop("lead_id", None), field="lead_id")
    if "parent_id" in changes:
        changes["parent"] = resolve(Team.objects, by, changes.pop("parent_id"), field="parent_id")
    members = None
    if member_ids is not None:
        members = resolve_many(Member.objects, by, member_ids, field="member_ids")
    expected = expected_version(request)
    with transaction.atomic(), fields_as(**TEAM_FIELDS):
        # Called even with no field changes: it is also the permission and version check.
        team = services.team_update(
            team=team, by=by, reason=reason, expected_version=expected, **changes
        )
        if members is not None:
            services.team_set_members(
                team=team, members=members, by=by, expected_version=unless_bumped(team, expected)
            )
        # After the members: the lead must be one of them.
        if lead_given:
            services.team_update(team=team, lead=lead, by=by)
        if archived is not None:
            services.team_archive(team=team, archived=archived, reason=reason, by=by)
    return team
