"""Writing the strategy in the browser: the vision, pillars (with their order) and teams.
Admins and owners write; everyone else is refused by the services (403)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from tandem.accounts.access import TandemRequest, workspace_view
from tandem.accounts.models import Member, Role
from tandem.core.forms import Stale, add_service_errors, stale
from tandem.core.tenancy import get_in_workspace_or_404
from tandem.core.versioning import StaleVersion, unless_bumped
from tandem.strategy import services
from tandem.strategy.forms import PillarForm, TeamForm, VisionForm
from tandem.strategy.models import Pillar, Strategy, Team


def _admin(request: TandemRequest) -> Member:
    # Checked before showing a form: a viewer should not fill in a form only to be refused.
    member: Member = request.member
    if not member.has_role(Role.ADMIN):
        raise PermissionDenied("The strategy is written by the workspace's admins and owners.")
    return member


def _to_strategy(member: Member) -> HttpResponse:
    return redirect("strategy", workspace=member.workspace.slug)


@workspace_view
@require_http_methods(["GET", "POST"])
def vision_edit(request: TandemRequest) -> HttpResponse:
    by = _admin(request)
    form = VisionForm(request.POST or None, initial=_vision_initial(by))
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            services.strategy_set_vision(
                vision=form.cleaned_data["vision"],
                by=by,
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as error:
            refused = stale(form, error)
            form = VisionForm(initial=_vision_initial(by))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The vision is saved.")
            return _to_strategy(by)
    context = {"form": form, "stale": refused}
    return render(request, "strategy/vision_form.html", context, status=_status(form, refused))


def _vision_initial(by: Member) -> dict[str, Any]:
    current = Strategy.objects.in_workspace(by.workspace).first()
    if current is None:
        return {"vision": "", "version": 0}
    return {"vision": current.vision, "version": current.version}


def _status(form: Any, refused: Stale | None) -> int:
    return 409 if refused else 422 if form.errors else 200


@workspace_view
@require_http_methods(["GET", "POST"])
def pillar_create(request: TandemRequest) -> HttpResponse:
    by = _admin(request)
    form = PillarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        last = Pillar.objects.in_workspace(by.workspace).order_by("-position").first()
        try:
            fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            pillar = services.pillar_create(
                **fields, position=last.position + 1 if last else 0, by=by
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Pillar “{pillar.name}” added.")
            return _to_strategy(by)
    context = {"form": form, "pillar": None}
    return render(request, "strategy/pillar_form.html", context, status=422 if form.errors else 200)


@workspace_view
@require_http_methods(["GET", "POST"])
def pillar_edit(request: TandemRequest, pillar_id: int) -> HttpResponse:
    by = _admin(request)
    pillar = get_in_workspace_or_404(Pillar.objects, by.workspace, pk=pillar_id)
    form = PillarForm(request.POST or None, initial=_pillar_initial(pillar))
    refused = None
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        expected = fields.pop("version")
        try:
            services.pillar_update(pillar=pillar, by=by, expected_version=expected, **fields)
        except StaleVersion as error:
            refused = stale(form, error)
            pillar.refresh_from_db()
            form = PillarForm(initial=_pillar_initial(pillar))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Pillar “{pillar.name}” saved.")
            return redirect("pillar_detail", workspace=by.workspace.slug, pillar_id=pillar.pk)
    context = {"form": form, "pillar": pillar, "stale": refused}
    return render(request, "strategy/pillar_form.html", context, status=_status(form, refused))


def _pillar_initial(pillar: Pillar) -> dict[str, Any]:
    return {"name": pillar.name, "description": pillar.description, "version": pillar.version}


@workspace_view
@require_POST
def pillar_archive(request: TandemRequest, pillar_id: int) -> HttpResponse:
    by: Member = request.member
    pillar = get_in_workspace_or_404(Pillar.objects, by.workspace, pk=pillar_id)
    if request.POST.get("archived", "1") == "1":
        services.pillar_archive(pillar=pillar, by=by)
        messages.info(request, f"Pillar “{pillar.name}” is archived; its objectives keep it.")
    else:
        services.pillar_update(pillar=pillar, archived_at=None, by=by)
        messages.success(request, f"Pillar “{pillar.name}” is back.")
    return _to_strategy(by)


def _place(value: str, pillar: Pillar, live: list[int]) -> int:
    """The Move menu's words (up, down, top, bottom) or a 0-based place from a drop."""
    here = live.index(pillar.pk) if pillar.pk in live else 0
    moves = {"up": here - 1, "down": here + 1, "top": 0, "bottom": len(live) - 1}
    if value in moves:
        return moves[value]
    try:
        return int(value)
    except ValueError:
        raise ValidationError({"position": "Choose where to move the pillar."}) from None


@workspace_view
@require_POST
def pillar_move(request: TandemRequest, pillar_id: int) -> HttpResponse:
    """The Move menu (a form, works without JavaScript) and drag and drop (fetch, JSON)."""
    by: Member = request.member
    pillar = get_in_workspace_or_404(Pillar.objects, by.workspace, pk=pillar_id)
    wants_json = "application/json" in request.headers.get("Accept", "")
    live = list(
        Pillar.objects.in_workspace(by.workspace)
        .filter(archived_at__isnull=True)
        .values_list("pk", flat=True)
    )
    try:
        services.pillar_move(
            pillar=pillar, to=_place(request.POST.get("to", ""), pillar, live), by=by
        )
    except ValidationError as error:
        if wants_json:
            return JsonResponse({"detail": " ".join(error.messages)}, status=422)
        messages.error(request, " ".join(error.messages))
        return _to_strategy(by)
    order = list(
        Pillar.objects.in_workspace(by.workspace)
        .filter(archived_at__isnull=True)
        .values_list("pk", flat=True)
    )
    if wants_json:
        return JsonResponse({"order": order})
    messages.success(request, f"Pillar “{pillar.name}” is now number {order.index(pillar.pk) + 1}.")
    return _to_strategy(by)


def _save_team(form: TeamForm, team: Team | None, by: Member) -> Team:
    data = form.cleaned_data
    members = list(data["members"])
    lead = data["lead"]
    if lead is not None and lead not in members:
        members.append(lead)
    fields: dict[str, Any] = {
        "name": data["name"],
        "color": data["color"],
        "parent": data["parent"],
    }
    expected = data.get("version")
    # One transaction: the team, its members and its lead are saved together or not at all,
    # and only if nobody saved the team since the form was drawn (checked once: the first
    # write that changes something locks the row for the others).
    with transaction.atomic():
        if team is None:
            team = services.team_create(by=by, **fields)
        else:
            team = services.team_update(team=team, by=by, expected_version=expected, **fields)
        services.team_set_members(
            team=team, members=members, by=by, expected_version=unless_bumped(team, expected)
        )
        services.team_update(
            team=team, lead=lead, by=by, expected_version=unless_bumped(team, expected)
        )
    return team


@workspace_view
@require_http_methods(["GET", "POST"])
def team_create(request: TandemRequest) -> HttpResponse:
    by = _admin(request)
    form = TeamForm(request.POST or None, workspace=by.workspace)
    if request.method == "POST" and form.is_valid():
        try:
            team = _save_team(form, None, by)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Team “{team.name}” created.")
            return redirect("team_detail", workspace=by.workspace.slug, team_id=team.pk)
    context = {"form": form, "team": None}
    return render(request, "strategy/team_form.html", context, status=422 if form.errors else 200)


@workspace_view
@require_http_methods(["GET", "POST"])
def team_edit(request: TandemRequest, team_id: int) -> HttpResponse:
    by = _admin(request)
    team = get_in_workspace_or_404(Team.objects, by.workspace, pk=team_id)
    initial = _team_initial(team)
    form = TeamForm(request.POST or None, initial=initial, workspace=by.workspace, team=team)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            _save_team(form, team, by)
        except StaleVersion as error:
            refused = stale(form, error)
            team = get_in_workspace_or_404(Team.objects, by.workspace, pk=team_id)
            form = TeamForm(initial=_team_initial(team), workspace=by.workspace, team=team)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Team “{team.name}” saved.")
            return redirect("team_detail", workspace=by.workspace.slug, team_id=team.pk)
    context = {"form": form, "team": team, "stale": refused}
    return render(request, "strategy/team_form.html", context, status=_status(form, refused))


def _team_initial(team: Team) -> dict[str, Any]:
    return {
        "name": team.name,
        "color": team.color,
        "parent": team.parent_id,
        "members": list(team.members.values_list("pk", flat=True)),
        "lead": team.lead_id,
        "version": team.version,
    }


@workspace_view
@require_POST
def team_archive(request: TandemRequest, team_id: int) -> HttpResponse:
    by: Member = request.member
    team = get_in_workspace_or_404(Team.objects, by.workspace, pk=team_id)
    archived = request.POST.get("archived", "1") == "1"
    services.team_archive(team=team, archived=archived, by=by)
    if archived:
        messages.info(request, f"Team “{team.name}” is archived; its work and history stay.")
    else:
        messages.success(request, f"Team “{team.name}” is back.")
    return redirect("team_detail", workspace=by.workspace.slug, team_id=team.pk)
