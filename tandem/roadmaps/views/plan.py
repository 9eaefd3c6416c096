"""Timeline, priorities, capacity and the insight inbox: each reads the roadmap in a fixed
number of queries and hands plain data to a pure function in tandem.domain."""

import datetime
import decimal
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from tandem.accounts.access import TandemRequest, workspace_view
from tandem.accounts.models import Role
from tandem.accounts.zones import local_today
from tandem.core.forms import add_service_errors
from tandem.core.params import id_param
from tandem.core.tenancy import get_in_workspace_or_404
from tandem.domain.capacity import team_loads
from tandem.domain.prioritisation import Rice, value_effort_plot, value_vs_effort
from tandem.domain.timeline import ZOOMS, CycleSpec, Due, Item, LaneSpec, layout
from tandem.okrs.models import Cycle, CycleState, GoalStatus, KeyResult
from tandem.roadmaps import selectors, services
from tandem.roadmaps.filters import inbox_insight_filters
from tandem.roadmaps.forms import InsightForm
from tandem.roadmaps.models import Dependency, Initiative, Insight, InsightStatus
from tandem.scenarios.models import Scenario
from tandem.scenarios.selectors import scenario_plan
from tandem.strategy.models import Team

NO_TEAM_COLOR = "#8a94a6"
# The timeline's zoom, remembered in this browser once chosen (a view setting, not data).
ZOOM_COOKIE = "tandem_timeline_zoom"
ZOOM_LABELS = {"quarter": "Quarters", "month": "Months", "week": "Weeks"}


@workspace_view
def roadmap_timeline(request: TandemRequest) -> HttpResponse:
    workspace = request.workspace
    today = local_today(workspace, request.member)
    chosen = request.GET.get("zoom")
    zoom = chosen if chosen in ZOOMS else request.COOKIES.get(ZOOM_COOKIE)
    zoom = zoom if zoom in ZOOMS else "quarter"
    teams = list(Team.objects.in_workspace(workspace).order_by("name"))
    color = {t.pk: t.color for t in teams}
    rows: Any = (
        Initiative.objects.in_workspace(workspace)
        .exclude(status="dropped")
        .values_list("id", "title", "team_id", "start_date", "end_date", "status", "version")
    )
    dependencies: Any = Dependency.objects.in_workspace(workspace).values_list(
        "initiative_id", "depends_on_id"
    )
    # `?scenario=ID`: the timeline as the scenario would leave the roadmap.
    scenario = None
    if "scenario" in request.GET:
        scenario = get_in_workspace_or_404(
            Scenario.objects, workspace, pk=id_param(request.GET, "scenario") or 0
        )
        edited = scenario_plan(scenario) if scenario.is_draft else None
        if edited is not None:
            rows = [
                (i.id, i.title, i.team_id, i.start, i.end, i.status, 0)
                for i in edited.initiatives
                if i.status != "dropped"
            ]
            dependencies = [(d.initiative_id, d.depends_on_id) for d in edited.dependencies]
    items, undated, versions = [], 0, {}
    for pk, title, team_id, start, end, status, version in rows:
        if start is None or end is None:
            undated += 1
            continue
        items.append(
            Item(pk, title, team_id, start, end, status, color.get(team_id, NO_TEAM_COLOR))
        )
        versions[pk] = version
    used = {item.lane for item in items}
    lanes = [LaneSpec(t.pk, t.name, t.color) for t in teams if t.pk in used]
    if None in used:
        lanes.append(LaneSpec(None, "No team"))
    cycles = [
        CycleSpec(name, start, end)
        for name, start, end in Cycle.objects.in_workspace(workspace).values_list(
            "name", "start", "end"
        )
    ]
    due: dict[datetime.date, list[str]] = defaultdict(list)
    for title, end in (
        KeyResult.objects.in_workspace(workspace)
        .filter(status=GoalStatus.ACTIVE, objective__status=GoalStatus.ACTIVE)
        .values_list("title", "objective__cycle__end")
    ):
        due[end].append(title)
    timeline = layout(
        today=today,
        lanes=lanes,
        items=items,
        cycles=cycles,
        dues=[Due(day, tuple(titles)) for day, titles in due.items()],
        dependencies=dependencies,
        zoom=zoom,
    )
    editable = request.member.has_role(Role.EDITOR) and (scenario is None or scenario.is_draft)
    context = {
        "timeline": timeline,
        "bars": [(bar, versions[bar.item.id]) for bar in timeline.bars],
        "undated": undated,
        "count": len(items),
        "scenario": scenario,
        "zooms": ZOOM_LABELS,
        "editable": editable,
        # A drag saves through the API: the initiative's PATCH (If-Match: its version) or,
        # in scenario mode, a reschedule edit added to the scenario.
        "save_url": reverse(
            "api:edit_create", kwargs={"workspace": workspace.slug, "scenario_id": scenario.pk}
        )
        if scenario
        else reverse(
            "api:initiative_update", kwargs={"workspace": workspace.slug, "initiative_id": 0}
        ).removesuffix("0"),
        "initiative_base": reverse(
            "initiative_create", kwargs={"workspace": workspace.slug}
        ).removesuffix("new/"),
    }
    response = render(request, "roadmaps/timeline.html", context)
    if chosen in ZOOMS:
        response.set_cookie(
            ZOOM_COOKIE,
            chosen,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


SORTS = {
    "rice": ("RICE score", lambda r: -(r["rice"].score if r["rice"].score is not None else -1)),
    "value": ("value", lambda r: -r["rice"].value),
    "effort": ("effort", lambda r: r["rice"].effort),
    "evidence": ("evidence", lambda r: -r["evidence"].weight),
}


@workspace_view
def roadmap_priorities(request: TandemRequest) -> HttpResponse:
    workspace = request.workspace
    sort = request.GET.get("sort", "rice")
    if sort not in SORTS:
        sort = "rice"
    initiatives = list(
        Initiative.objects.in_workspace(workspace)
        .exclude(status__in=["done", "dropped"])
        .select_related("team")
        .order_by("title")
    )
    evidence = selectors.evidence_by_initiative(workspace)
    served = selectors.served_key_results(workspace)
    rices = [Rice(i.reach, float(i.impact), i.confidence, float(i.effort)) for i in initiatives]
    quadrants = value_vs_effort(rices)
    rows: list[dict[str, Any]] = [
        {
            "initiative": i,
            "rice": rice,
            "quadrant": quadrant,
            "evidence": evidence.get(i.pk, selectors.Evidence()),
            "serves": sum(s.live for s in served.get(i.pk, [])),
        }
        for i, rice, quadrant in zip(initiatives, rices, quadrants, strict=True)
    ]
    rows.sort(key=SORTS[sort][1])
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row["quadrant"].label] += 1
    plot = value_effort_plot(rices)
    dots = (
        [(dot, initiatives[dot.index], quadrants[dot.index]) for dot in plot.dots] if plot else []
    )
    context = {
        "rows": rows,
        "sort": sort,
        "sorts": SORTS,
        "quadrant_counts": dict(counts),
        "plot": plot,
        "dots": dots,
    }
    return render(request, "roadmaps/priorities.html", context)


@workspace_view
def roadmap_capacity(request: TandemRequest) -> HttpResponse:
    workspace = request.workspace
    inputs = selectors.capacity_inputs(workspace, local_today(workspace, request.member))
    loads = team_loads(
        teams=inputs.teams,
        cycles=inputs.cycles,
        initiatives=inputs.initiatives,
        capacities=inputs.capacities,
        active_cycle=inputs.active_cycle,
    )
    grid = {(load.team.id, load.cycle.id): load for load in loads}
    rows = [
        {"team": team, "cells": [grid[(team.pk, cycle.id)] for cycle in inputs.cycles]}
        for team in inputs.team_rows
    ]
    over = [load for load in loads if load.over]
    context = {
        "cycles": inputs.cycle_rows,
        "rows": rows,
        "over": over,
        "active_cycle": inputs.active_cycle,
        "can_edit": request.member.has_role(Role.EDITOR),
    }
    return render(request, "roadmaps/capacity.html", context)


@require_POST
@workspace_view
def team_capacity_set(request: TandemRequest) -> HttpResponse:
    workspace, member = request.workspace, request.member
    team = get_in_workspace_or_404(Team.objects, workspace, pk=request.POST.get("team") or 0)
    cycle = get_in_workspace_or_404(
        Cycle.objects.exclude(state=CycleState.CLOSED),
        workspace,
        pk=request.POST.get("cycle") or 0,
    )
    try:
        weeks = decimal.Decimal(request.POST.get("person_weeks", "").strip())
        services.team_capacity_set(team=team, cycle=cycle, person_weeks=weeks, by=member)
    except decimal.InvalidOperation:
        messages.error(request, "Capacity: enter a number of person-weeks.")
    except ValidationError as error:
        messages.error(request, "Capacity: " + " ".join(error.messages))
    else:
        messages.success(request, f"{team.name} has {weeks} person-weeks in {cycle.name}.")
    return redirect("roadmap_capacity", workspace=workspace.slug)


@require_http_methods(["GET", "POST"])
@workspace_view
def insight_inbox(request: TandemRequest) -> HttpResponse:
    workspace, member = request.workspace, request.member
    filters = inbox_insight_filters(request.GET)
    status = filters.status
    form = InsightForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            insight = services.insight_create(by=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Recorded “{insight.title}”. Triage it onto initiatives.")
            return redirect("insight_inbox", workspace=workspace.slug)
    insights = (
        filters.filter(Insight.objects.in_workspace(workspace))
        .prefetch_related("initiatives")
        .order_by("-importance", "-created_at", "-id")[:200]
    )
    counts = dict(
        Insight.objects.in_workspace(workspace)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    context = {
        "form": form,
        "insights": insights,
        "status": status,
        "tabs": [(value, label, counts.get(value, 0)) for value, label in InsightStatus.choices],
        "initiatives": Initiative.objects.in_workspace(workspace)
        .exclude(status__in=["done", "dropped"])
        .order_by("title")
        .only("id", "title"),
        "can_edit": request.member.has_role(Role.EDITOR),
    }
    return render(request, "roadmaps/insights.html", context)


@require_POST
@workspace_view
def insight_triage(request: TandemRequest, insight_id: int) -> HttpResponse:
    """Add an initiative to an insight's, remove one, or archive the insight."""
    workspace, member = request.workspace, request.member
    insight = get_in_workspace_or_404(Insight.objects, workspace, pk=insight_id)
    linked = list(insight.initiatives.all())
    if request.POST.get("archive"):
        services.insight_update(insight=insight, by=member, status=InsightStatus.ARCHIVED)
        messages.success(request, f"Archived “{insight.title}”.")
    elif remove := request.POST.get("remove"):
        keep = [i for i in linked if str(i.pk) != remove]
        services.insight_link(insight=insight, initiatives=keep, by=member)
        messages.success(request, "Unlinked.")
    else:
        initiative = get_in_workspace_or_404(
            Initiative.objects, workspace, pk=request.POST.get("initiative") or 0
        )
        if initiative not in linked:
            services.insight_link(insight=insight, initiatives=[*linked, initiative], by=member)
        messages.success(request, f"“{insight.title}” is now evidence for “{initiative.title}”.")
    back = request.POST.get("status")
    back = back if back in InsightStatus.values else InsightStatus.NEW
    url = reverse("insight_inbox", kwargs={"workspace": workspace.slug})
    return redirect(f"{url}?status={back}#insight-{insight.pk}")
