"""Baselines and their comparison with drift, and closing a cycle with its retrospective."""

import decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse

from tandem.accounts.access import TandemRequest, workspace_view
from tandem.accounts.zones import local_today
from tandem.core.tenancy import get_in_workspace_or_404
from tandem.domain import baselines as domain
from tandem.okrs.models import Cycle
from tandem.planning.snapshot import load_plan
from tandem.reviews import baselines, closing
from tandem.reviews.models import Baseline


def _side(request: TandemRequest, value: str | None, workspace: Any) -> tuple[str, Any, str]:
    """('now', live plan) or (id, the baseline's plan), with a label."""
    if not value or value == "now":
        today = local_today(workspace, request.member)
        return "now", load_plan(workspace, today), "Now"
    found = get_in_workspace_or_404(Baseline.objects, workspace, pk=value)
    return str(found.pk), domain.snapshot_from_json(found.content), found.name


@workspace_view
def baseline_list(request: TandemRequest) -> HttpResponse:
    workspace = request.workspace
    if request.method == "POST":
        cycle = Cycle.objects.in_workspace(workspace).active().order_by("-start").first()
        try:
            taken = baselines.baseline_take(
                workspace=workspace,
                by=request.member,
                name=request.POST.get("name", ""),
                cycle=cycle,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Baseline “{taken.name}” taken.")
        return redirect("baseline_list", workspace=workspace.slug)
    items = Baseline.objects.in_workspace(workspace).select_related("cycle", "taken_by__user")
    items = items.defer("content")
    all_baselines = list(items)
    cycles = Cycle.objects.in_workspace(workspace).exclude(state="planning")
    cycle_id = request.GET.get("cycle")
    cycle = None
    if cycle_id:
        cycle = get_in_workspace_or_404(Cycle.objects, workspace, pk=cycle_id)
    else:
        cycle = cycles.filter(state="active").first() or cycles.first()
    context: dict[str, Any] = {
        "baselines": all_baselines,
        "cycles": cycles,
        "cycle": cycle,
        "compare": None,
    }
    left = request.GET.get("from") or (str(all_baselines[0].pk) if all_baselines else None)
    if left:
        left_id, old, left_label = _side(request, left, workspace)
        right_id, new, right_label = _side(request, request.GET.get("to"), workspace)
        comparison = domain.compare(
            old, new, cycle.pk if cycle and request.GET.get("scope") == "cycle" else None
        )
        context.update(
            compare=comparison,
            left=left_id,
            right=right_id,
            left_label=left_label,
            right_label=right_label,
            scope=request.GET.get("scope", "all"),
        )
    if cycle is not None:
        points = baselines.drift_points(cycle, local_today(workspace, request.member))
        context["drift_points"] = points
        context["drift_now"] = round(points[-1][1] * 100) if points else None
        context["plot"] = domain.drift_plot(points, cycle.start, cycle.end) if points else None
    return render(request, "reviews/baselines.html", context)


def _ids(request: TandemRequest, name: str, errors: list[str]) -> list[int]:
    try:
        return [int(raw) for raw in request.POST.getlist(name)]
    except ValueError:
        errors.append(f"{name}: every choice is an id.")
        return []


@workspace_view
def cycle_close(request: TandemRequest, cycle_id: int) -> HttpResponse:
    workspace = request.workspace
    cycle = get_in_workspace_or_404(Cycle.objects, workspace, pk=cycle_id)
    plan = closing.close_plan(cycle)
    errors: list[str] = []
    if request.method == "POST":
        grades: dict[int, tuple[decimal.Decimal, str]] = {}
        for kr, _ in plan.key_results:
            raw = request.POST.get(f"grade_{kr.pk}", "").strip()
            try:
                value = decimal.Decimal(raw)
            except decimal.InvalidOperation:
                errors.append(f"The grade of “{kr.title}” must be a number from 0.0 to 1.0.")
                continue
            grades[kr.pk] = (value, request.POST.get(f"comment_{kr.pk}", ""))
        # The checkboxes: every unfinished objective and key result, preselected.
        objective_ids = _ids(request, "carry_objective_ids", errors)
        key_result_ids = _ids(request, "carry_key_result_ids", errors)
        if not errors:
            try:
                closed = closing.cycle_close(
                    cycle=cycle,
                    grades=grades,
                    retrospective=closing.Lessons(
                        went_well=request.POST.get("went_well", ""),
                        went_badly=request.POST.get("went_badly", ""),
                        try_next=request.POST.get("try_next", ""),
                    ),
                    carry_objective_ids=objective_ids,
                    carry_key_result_ids=key_result_ids,
                    by=request.member,
                )
            except ValidationError as error:
                errors += error.messages
            else:
                return _closed(request, closed, plan)
    retro = getattr(cycle, "retro", None)
    posted = request.POST if request.method == "POST" else None
    context = {
        "cycle": cycle,
        "plan": plan,
        "errors": errors,
        "retro": retro,
        "posted": request.POST,
        "carry_objectives": _kept(posted, "carry_objective_ids", plan),
        "carry_key_results": _kept(posted, "carry_key_result_ids", plan),
    }
    return render(request, "reviews/cycle_close.html", context, status=422 if errors else 200)


def _kept(posted: Any, name: str, plan: closing.ClosePlan) -> set[str]:
    """The ids ticked: all unfinished ones at first, what was sent after a refusal."""
    if posted is not None:
        return set(posted.getlist(name))
    if name == "carry_objective_ids":
        return {str(item.objective.pk) for item in plan.carry}
    return {str(kr.pk) for item in plan.carry for kr in item.key_results}


def _closed(
    request: TandemRequest, closed: closing.Closed, plan: closing.ClosePlan
) -> HttpResponseRedirect:
    """Land on the cycle the work went to (which offers to start it), else the closed one."""
    name = plan.cycle.name
    if plan.next_cycle is not None and closed.objectives:
        messages.success(
            request,
            f"{name} is closed. Carried into {plan.next_cycle.name}: {closed.objectives} "
            f"objective{pluralize(closed.objectives)}, {closed.key_results} key "
            f"result{pluralize(closed.key_results)}, {closed.initiatives} "
            f"initiative{pluralize(closed.initiatives)}.",
        )
        landing = plan.next_cycle
    else:
        messages.success(request, f"{name} is closed and graded; nothing was carried over.")
        landing = plan.cycle
    url = reverse("okr_list", kwargs={"workspace": request.workspace.slug})
    return redirect(f"{url}?cycle={landing.pk}")
