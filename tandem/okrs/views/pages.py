"""OKR pages to read: the cycle overview, the alignment tree, my OKRs, an objective and a
key result. Each loads what it shows in a fixed number of queries."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tandem.accounts.access import TandemRequest, workspace_view
from tandem.accounts.zones import local_today
from tandem.activity.models import ChangeEvent
from tandem.conflicts.badges import conflict_badges
from tandem.core.spreadsheet import download, export_format
from tandem.core.tenancy import get_in_workspace_or_404
from tandem.domain.alignment import key_result_status
from tandem.domain.chart import progress_chart
from tandem.domain.collector import collector_paused
from tandem.domain.forecast import Forecast
from tandem.domain.freshness import rhythm, staleness
from tandem.okrs import selectors
from tandem.okrs.exports import okr_sheet
from tandem.okrs.filters import page_objective_filters
from tandem.okrs.forms import CheckInForm, ContributionForm, GradeForm
from tandem.okrs.models import CheckIn, Cycle, CycleState, GoalStatus, KeyResult, Objective
from tandem.planning.forecasts import key_result_forecasts, with_forecasts
from tandem.roadmaps.models import Contribution
from tandem.sources.panel import source_context
from tandem.strategy.models import Team
from tandem.web import shell


@dataclass(frozen=True)
class TeamObjectives:
    team: Team | None
    objectives: list[Objective]


def _cycle_page(request: TandemRequest, objectives: bool = True, **extra: Any) -> dict[str, Any]:
    """What the overview, the tree and my OKRs share: the chosen cycle, its objectives with
    their status and forecasts (unless the page loads those it shows itself: the tree),
    and the conflict badges."""
    workspace = request.workspace
    # The objectives' filter the API's list takes too (?team=, ?pillar=, ?owner=, ?parent=).
    filters = page_objective_filters(request.GET)
    cycles = list(Cycle.objects.in_workspace(workspace))
    cycle = _chosen_cycle(request, cycles)
    annotated: list[Objective] = []
    elapsed = 0.0
    if cycle is not None:
        elapsed = selectors.elapsed(cycle, local_today(workspace, request.member))
    if cycle is not None and objectives:
        chosen = filters.filter(selectors.cycle_objectives(workspace, cycle))
        annotated = selectors.annotate(chosen, elapsed)
        annotated = with_forecasts(annotated, local_today(workspace, request.member))
        selectors.mark_stale(
            annotated,
            cycle,
            local_today(workspace, request.member),
            workspace.check_in_every_days,
        )
    return {
        "cycles": cycles,
        "cycle": cycle,
        "elapsed": round(elapsed * 100),
        "share": elapsed,
        "objectives": annotated,
        "badges": conflict_badges(workspace) if annotated else {},
        "cycle_open": cycle is not None and cycle.state != CycleState.CLOSED,
        "can_edit": request.member.has_role("editor"),
        "page_url": request.path,
        "export_query": f"cycle={cycle.pk}" if cycle else "",
        "filtered": any(
            value is not None
            for name, value in filters.dict().items()
            if name not in {"cycle_id", "status"}
        ),
        **extra,
    }


@workspace_view
def okr_list(request: TandemRequest) -> HttpResponse:
    context = _cycle_page(request)
    context["groups"] = group_by_team(context["objectives"])
    cycle = context["cycle"]
    # A cycle being planned (where closing the last one lands) offers to start it, unless
    # another is running: an admin's job.
    context["offer_start"] = (
        cycle is not None
        and cycle.state == CycleState.PLANNING
        and request.member.has_role("admin")
        and not any(c.state == CycleState.ACTIVE for c in context["cycles"])
    )
    return render(request, "okrs/okr_list.html", context)


# A pillar's branch shows its first objectives (whole subtrees, at least this many rows);
# a link shows the rest (?all=1). A cycle of thousands stays a page one can read.
TREE_WINDOW = 30


@workspace_view
def okr_tree(request: TandemRequest) -> HttpResponse:
    context = _cycle_page(request, objectives=False)
    workspace, cycle = request.workspace, context["cycle"]
    show_all = request.GET.get("all") == "1"
    branches: list[selectors.Branch] = []
    # The roll-up reads a row per key result of the cycle and the page draws a row per
    # objective shown: tens of thousands of small objects and no cycles among them.
    with collector_paused():
        if cycle is not None:
            window = None if show_all else TREE_WINDOW
            branches = selectors.tree_page(workspace, cycle, context["share"], window=window)
            # Forecasts ("% likely") and stale marks for the objectives shown only.
            shown = [row[0] for branch in branches for row in branch.rows]
            today = local_today(workspace, request.member)
            with_forecasts(shown, today)
            selectors.mark_stale(shown, cycle, today, workspace.check_in_every_days)
            context["badges"] = conflict_badges(workspace) if shown else {}
        context["branches"] = branches
        context["show_all"] = show_all
        return render(request, "okrs/okr_tree.html", context)


@workspace_view
def okr_mine(request: TandemRequest) -> HttpResponse:
    context = _cycle_page(request)
    context["objectives"] = selectors.mine(context["objectives"], request.member)
    context["export_query"] += "&mine=1"
    return render(request, "okrs/okr_mine.html", context)


@workspace_view
def okr_export(request: TandemRequest) -> HttpResponse:
    """The cycle's OKRs as CSV or XLSX (?format=), chosen as the pages choose them; ?mine=1
    keeps My OKRs' filter."""
    workspace = request.workspace
    fmt = export_format(request.GET.get("format"))
    cycle = _chosen_cycle(request, list(Cycle.objects.in_workspace(workspace)))
    if cycle is None:
        raise Http404("No cycle here.")
    member = request.member
    mine = member if request.GET.get("mine") == "1" else None
    sheet = okr_sheet(workspace, cycle, local_today(workspace, member), mine)
    return download(sheet, fmt, f"{workspace.slug} OKRs {cycle.name}")


def _chosen_cycle(request: TandemRequest, cycles: list[Cycle]) -> Cycle | None:
    """?cycle=<id> if given (a malformed one is a 422 page naming it, one not of ours a
    404), else the active cycle, else the most recent one."""
    wanted = page_objective_filters(request.GET).cycle_id
    if wanted is not None:
        chosen = next((c for c in cycles if c.pk == wanted), None)
        if chosen is None:
            raise Http404("No cycle here.")
        return chosen
    return shell.active_cycle(request) or (cycles[0] if cycles else None)


def group_by_team(objectives: Iterable[Objective]) -> list[TeamObjectives]:
    """Teams alphabetically, objectives without a team last, each in the teams' own order."""

    def team_key(objective: Objective) -> tuple[bool, str, int]:
        team = objective.team
        return (team is None, team.name.lower() if team else "", team.pk if team else 0)

    ordered = sorted(objectives, key=lambda o: (*team_key(o), o.position, o.pk))
    return [
        TeamObjectives(members[0].team, members)
        for _, group in groupby(ordered, key=team_key)
        if (members := list(group))
    ]


def history(workspace: Any, obj: Any) -> Any:
    return (
        ChangeEvent.objects.in_workspace(workspace)
        .filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
        .select_related("actor", "content_type")[:50]
    )


def load_objective(workspace: Any, objective_id: int) -> Objective:
    """One objective with what its card shows, its status set."""
    queryset = (
        Objective.objects.select_related("cycle", "team", "owner__user", "pillar", "parent")
        .prefetch_related(selectors.live_key_results())
        .exclude(status=GoalStatus.DROPPED)
    )
    objective = get_in_workspace_or_404(queryset, workspace, pk=objective_id)
    elapsed = selectors.elapsed(objective.cycle, timezone.localdate())
    selectors.annotate([objective], elapsed)
    with_forecasts([objective], local_today(workspace))
    selectors.mark_stale(
        [objective], objective.cycle, local_today(workspace), workspace.check_in_every_days
    )
    return objective


@workspace_view
def objective_detail(request: TandemRequest, objective_id: int) -> HttpResponse:
    workspace = request.workspace
    objective = load_objective(workspace, objective_id)
    children = selectors.annotate(
        Objective.objects.in_workspace(workspace)
        .active()
        .filter(parent=objective)
        .select_related("cycle", "team", "owner__user")
        .prefetch_related(selectors.live_key_results()),
        selectors.elapsed(objective.cycle, timezone.localdate()),
    )
    children = with_forecasts(children, local_today(workspace, request.member))
    selectors.mark_stale(
        children,
        objective.cycle,
        local_today(workspace, request.member),
        workspace.check_in_every_days,
    )
    context = {
        "objective": objective,
        "cycle": objective.cycle,
        "children": children,
        "cycle_open": objective.cycle.state != CycleState.CLOSED
        and objective.status == GoalStatus.ACTIVE,
        "history": history(workspace, objective),
        "badges": conflict_badges(workspace),
        "can_edit": request.member.has_role("editor"),
        "page_url": request.path,
    }
    return render(request, "okrs/objective_detail.html", context)


@workspace_view
def key_result_detail(request: TandemRequest, key_result_id: int) -> HttpResponse:
    workspace = request.workspace
    key_result = get_in_workspace_or_404(
        KeyResult.objects.select_related("objective__cycle", "objective__team", "owner__user"),
        workspace,
        pk=key_result_id,
    )
    return render(request, "okrs/key_result_detail.html", key_result_context(request, key_result))


def _plain(value: Decimal) -> Decimal:
    """250.0000 → 250, for a form field (normalize alone would give 2.5E+2)."""
    return Decimal(format(value.normalize(), "f"))


def key_result_context(
    request: TandemRequest, key_result: KeyResult, **forms: Any
) -> dict[str, Any]:
    workspace = request.workspace
    cycle = key_result.objective.cycle
    today = local_today(workspace, request.member)
    key_result.tracking = key_result_status(  # type: ignore[attr-defined]  # read by the template, as selectors.annotate sets it
        selectors.figures(key_result), selectors.elapsed(cycle, today)
    )
    check_ins = list(
        CheckIn.objects.in_workspace(workspace)
        .filter(key_result=key_result)
        .select_related("author__user")
        .latest_first()
    )
    outcome = key_result_forecasts([key_result], today)[key_result.pk]
    chart = progress_chart(
        kind=key_result.kind,
        start=cycle.start,
        end=cycle.end,
        start_value=float(key_result.start_value),
        target_value=float(key_result.target_value),
        # Oldest first, as they were taken: the chart keeps each day's last value.
        readings=[(c.date, float(c.value)) for c in reversed(check_ins)],
        today=today,
        forecast=(
            (outcome.value, outcome.low, outcome.high) if isinstance(outcome, Forecast) else None
        ),
    )
    contributions = list(
        Contribution.objects.in_workspace(workspace)
        .filter(key_result=key_result)
        .select_related("initiative__team", "initiative__roadmap")
        .order_by("initiative__title")
    )
    open_for_check_ins = cycle.state != CycleState.CLOSED and key_result.status == GoalStatus.ACTIVE
    every = rhythm(key_result.check_in_every_days, workspace.check_in_every_days)
    stale = (
        staleness(
            last_check_in=key_result.last_check_in,
            created=timezone.localdate(key_result.created_at),
            today=today,
            every=every,
        )
        if open_for_check_ins
        else None
    )
    return {
        "key_result": key_result,
        "objective": key_result.objective,
        "cycle": cycle,
        "check_ins": check_ins,
        "chart": chart,
        "forecast": outcome,
        "contributions": contributions,
        "history": history(workspace, key_result),
        "badges": conflict_badges(workspace),
        "can_edit": request.member.has_role("editor"),
        "open_for_check_ins": open_for_check_ins,
        "rhythm": every,
        "stale": stale,
        "check_in_form": forms.get("check_in_form")
        or CheckInForm(
            initial={
                "value": _plain(key_result.current_value),
                "confidence": key_result.confidence,
                "date": today,
            }
        ),
        "grade_form": forms.get("grade_form")
        or GradeForm(initial={"grade": key_result.grade, "comment": key_result.grade_comment}),
        "contribution_form": forms.get("contribution_form")
        or ContributionForm(workspace=workspace, exclude=[c.initiative_id for c in contributions]),
        **source_context(
            request, key_result, secret=forms.get("secret", ""), form=forms.get("source_form")
        ),
    }
