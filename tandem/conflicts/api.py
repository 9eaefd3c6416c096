"""Conflicts: list and read them, change their state, record the root cause and the
decision, apply a suggested fix, discuss and invite."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from tandem.accounts.models import Member
from tandem.accounts.zones import local_today
from tandem.conflicts import exports, selectors, services
from tandem.conflicts.detection import conflicts_as_of
from tandem.conflicts.models import Conflict, ConflictComment, ConflictStatus
from tandem.conflicts.schemas import (
    CommentIn,
    CommentOut,
    ConflictOut,
    DecisionIn,
    FixIn,
    FoundOut,
    InviteIn,
    StatusIn,
)
from tandem.conflicts.selectors import ConflictFilters, DecisionFilters
from tandem.conflicts.simulation import simulated_fixes, with_current_effects
from tandem.core import bounds
from tandem.core.api import ERRORS, Id, Page, fields_as, get_or_404, member, resolve, resolve_many
from tandem.core.api_fields import Date
from tandem.core.spreadsheet import EXPORT_OPENAPI, ExportFormat, download
from tandem.okrs.models import Cycle
from tandem.strategy.models import Team

router = Router(tags=["conflicts"])

WS = "/workspaces/{workspace}"
ONE = f"{WS}/conflicts/{{conflict_id}}"


@router.get(f"{WS}/conflicts", response={200: list[ConflictOut], **ERRORS}, summary="Conflicts")
@paginate(Page)
def conflict_list(
    request: HttpRequest, workspace: str, filters: Query[ConflictFilters]
) -> QuerySet[Conflict]:
    """Most severe first. `status=attention` (the default) is open and acknowledged together;
    `entity=initiative-12` keeps those about one entity; `team_id` those concerning a team's
    initiatives, objectives or key results. Each suggestion's `effects` are given when
    they have been worked out on the plan as it is now (reading the conflict does it)."""
    by = member(request, workspace)
    inbox = selectors.conflict_inbox(by.workspace, _inbox_filters(by, filters), counts=False)
    return with_current_effects(inbox.rows, by.workspace)


def _inbox_filters(by: Member, filters: ConflictFilters) -> ConflictFilters:
    """Another workspace's team is refused by name, not answered with an empty list."""
    resolve(Team.objects, by, filters.team_id, field="team_id")
    return filters


class ConflictExportFilters(ConflictFilters):
    format: ExportFormat = "csv"

    def filter_format(self, value: str) -> Q:
        return Q()  # how the file is written, not which conflicts


@router.get(
    f"{WS}/conflicts/export",
    response={200: str, **ERRORS},
    summary="Conflicts as CSV or XLSX",
    openapi_extra=EXPORT_OPENAPI,
)
def conflict_export(
    request: HttpRequest, workspace: str, filters: Query[ConflictExportFilters]
) -> HttpResponse:
    """The conflicts the list gives with these filters, most severe first, with what they
    are about, their teams, root cause and decision."""
    by = member(request, workspace)
    sheet = exports.conflict_sheet(by.workspace, _inbox_filters(by, filters))
    return download(sheet, filters.format, f"{by.workspace.slug} conflicts")


class DecisionExportFilters(DecisionFilters):
    format: ExportFormat = "csv"

    def filter_format(self, value: str) -> Q:
        return Q()  # how the file is written, not which decisions


@router.get(
    f"{WS}/decisions/export",
    response={200: str, **ERRORS},
    summary="The decision log as CSV or XLSX",
    openapi_extra=EXPORT_OPENAPI,
)
def decision_export(
    request: HttpRequest, workspace: str, filters: Query[DecisionExportFilters]
) -> HttpResponse:
    """Every decision taken on a conflict of the cycle, newest first: root cause, decision,
    who decided, the stakeholders and the edits made to the plan."""
    by = member(request, workspace)
    cycles = list(Cycle.objects.in_workspace(by.workspace).order_by("-start"))
    cycle = selectors.decision_log_cycle(cycles, filters)
    sheet = exports.decision_sheet(by.workspace, cycle)
    name = f"{by.workspace.slug} decisions {cycle.name if cycle else ''}"
    return download(sheet, filters.format, name)


class AsOf(Schema):
    date: Date = Field(description="The day to look back to, up to today.")


@router.get(
    f"{WS}/conflicts/as-of",
    response={200: list[FoundOut], **ERRORS},
    summary="Conflicts as they stood on a day",
)
def conflicts_on(request: HttpRequest, workspace: str, query: Query[AsOf]) -> list[dict[str, Any]]:
    """What the rules find with the plan as it stood on `date` (the key results that
    existed then, at their check-ins up to that day; the roadmap as it is), most severe
    first. Nothing is stored: the inbox is not touched."""
    by = member(request, workspace)
    if not bounds.EARLIEST <= query.date <= bounds.LATEST:
        raise ValidationError({"date": bounds.DATE_MESSAGE})
    if query.date > local_today(by.workspace, by):
        raise ValidationError({"date": "A look back takes a date up to today."})
    return [
        {
            "key": c.key,
            "rule": c.rule.value,
            "rule_label": c.rule.label,
            "severity": c.severity.value,
            "sentence": c.sentence,
            "subject": [{"kind": r.kind, "id": r.id} for r in c.subject],
            "involved": [{"kind": r.kind, "id": r.id} for r in c.involved],
        }
        for c in conflicts_as_of(workspace=by.workspace, day=query.date)
    ]


@router.get(ONE, response={200: ConflictOut, **ERRORS}, summary="A conflict")
def conflict_read(request: HttpRequest, workspace: str, conflict_id: Id) -> Conflict:
    """Each suggestion carries its `effects`: the fix evaluated as a one-edit scenario on the
    plan as detection last saw it, what it would close and open (the list carries them too)."""
    by = member(request, workspace)
    conflict = get_or_404(Conflict.objects, by, conflict_id)
    if conflict.status != ConflictStatus.RESOLVED:
        conflict.simulated = simulated_fixes(conflict)  # type: ignore[attr-defined]  # read by ConflictOut.resolve_suggestions
    return conflict


@router.post(f"{ONE}/status", response={200: ConflictOut, **ERRORS}, summary="Change its state")
def conflict_status(
    request: HttpRequest, workspace: str, conflict_id: Id, payload: StatusIn
) -> Conflict:
    by = member(request, workspace)
    conflict = get_or_404(Conflict.objects, by, conflict_id)
    return services.conflict_set_status(
        conflict=conflict, status=payload.status, reason=payload.reason, by=by
    )


@router.post(
    f"{ONE}/decision",
    response={200: ConflictOut, **ERRORS},
    summary="Record the root cause and the decision",
)
def conflict_decision(
    request: HttpRequest, workspace: str, conflict_id: Id, payload: DecisionIn
) -> Conflict:
    by = member(request, workspace)
    conflict = get_or_404(Conflict.objects, by, conflict_id)
    return services.conflict_record_decision(conflict=conflict, by=by, **payload.dict())


@router.post(f"{ONE}/fixes", response={200: ConflictOut, **ERRORS}, summary="Apply a fix")
def conflict_fix(request: HttpRequest, workspace: str, conflict_id: Id, payload: FixIn) -> Conflict:
    """Make one edit to the plan, linked to the conflict; detection runs at once, so the
    answer says whether the conflict is now resolved."""
    by = member(request, workspace)
    conflict = get_or_404(Conflict.objects, by, conflict_id)
    return services.conflict_apply_fix(
        conflict=conflict,
        action=payload.action,
        params=payload.params.dict(exclude_unset=True),
        by=by,
    )


@router.get(f"{ONE}/comments", response={200: list[CommentOut], **ERRORS}, summary="The discussion")
@paginate(Page)
def comment_list(request: HttpRequest, workspace: str, conflict_id: Id) -> object:
    by = member(request, workspace)
    conflict = get_or_404(Conflict.objects, by, conflict_id)
    return ConflictComment.objects.filter(conflict=conflict)


@router.post(f"{ONE}/comments", response={201: CommentOut, **ERRORS}, summary="Comment")
def comment_create(
    request: HttpRequest, workspace: str, conflict_id: Id, payload: CommentIn
) -> Status[ConflictComment]:
    by = member(request, workspace)
    conflict = get_or_404(Conflict.objects, by, conflict_id)
    return Status(201, services.conflict_comment(conflict=conflict, body=payload.body, by=by))


@router.post(
    f"{ONE}/stakeholders", response={200: ConflictOut, **ERRORS}, summary="Invite stakeholders"
)
def conflict_invite(
    request: HttpRequest, workspace: str, conflict_id: Id, payload: InviteIn
) -> Conflict:
    """Each person invited, and everyone in an invited team, is notified in the app."""
    by = member(request, workspace)
    conflict = get_or_404(Conflict.objects, by, conflict_id)
    members = resolve_many(Member.objects, by, payload.member_ids, field="member_ids")
    teams = resolve_many(Team.objects, by, payload.team_ids, field="team_ids")
    with fields_as(members="member_ids", teams="team_ids"):
        return services.conflict_invite(conflict=conflict, members=members, teams=teams, by=by)
