"""The scenario pages, below w/<workspace>/scenarios/: the list, and one scenario with its
evaluation beside today's plan. The board's scenario mode adds its moves through the same
doors as any edit: a drag through the API's edits, the Move menu through scenario_edit_add."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tandem.accounts.access import TandemRequest, workspace_view
from tandem.accounts.models import Member, Role
from tandem.activity.describe import describe_change
from tandem.core.forms import add_service_errors
from tandem.core.params import int_param
from tandem.core.versioning import StaleVersion
from tandem.scenarios import services
from tandem.scenarios.forms import ApplyForm, CommentForm, EditForm, ScenarioForm
from tandem.scenarios.models import Scenario, ScenarioComment, ScenarioEdit
from tandem.scenarios.selectors import scenario_evaluation


def _scenario(request: TandemRequest, scenario_id: int) -> Scenario:
    return get_object_or_404(
        Scenario.objects.in_workspace(request.workspace).select_related("author__user"),
        pk=scenario_id,
    )


def scenario_url(scenario: Scenario) -> str:
    return reverse(
        "scenario_detail",
        kwargs={"workspace": scenario.workspace.slug, "scenario_id": scenario.pk},
    )


@workspace_view
def scenario_list(request: TandemRequest) -> HttpResponse:
    workspace = request.workspace
    member: Member = request.member
    form = ScenarioForm()
    status = 200
    if request.method == "POST":
        form = ScenarioForm(request.POST)
        if form.is_valid():
            try:
                scenario = services.scenario_create(by=member, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect(scenario_url(scenario))
        status = 400
    scenarios = (
        Scenario.objects.in_workspace(workspace)
        .select_related("author__user")
        .prefetch_related("edits")
    )
    return render(
        request,
        "scenarios/list.html",
        {
            "scenarios": scenarios,
            "form": form,
            "can_edit": member.has_role(Role.EDITOR),
        },
        status=status,
    )


def _page(
    request: TandemRequest, scenario: Scenario, status: int = 200, **forms: Any
) -> HttpResponse:
    workspace = request.workspace
    member: Member = request.member
    can_edit = member.has_role(Role.EDITOR) and scenario.is_draft
    evaluated = scenario_evaluation(scenario) if scenario.is_draft else None
    changes = services.plan_changes_since(scenario) if scenario.is_draft else []
    applied = [
        (c.change_event, describe_change(c.change_event))
        for c in scenario.changes.select_related("change_event__actor")
    ]
    context = {
        "scenario": scenario,
        "edits": ScenarioEdit.objects.filter(scenario=scenario).select_related("author__user"),
        "evaluated": evaluated,
        "can_edit": can_edit,
        "edit_form": forms.get("edit") or EditForm(workspace=workspace),
        "apply_form": forms.get("apply") or ApplyForm(),
        "comment_form": forms.get("comment") or CommentForm(),
        "comments": ScenarioComment.objects.filter(scenario=scenario).select_related(
            "author__user"
        ),
        "base_changes": [(e, describe_change(e)) for e in forms.get("base_changes", changes)],
        "confirm_through": forms.get("confirm_through"),
        "applied": applied,
        "share_url": request.build_absolute_uri(scenario_url(scenario)),
    }
    return render(request, "scenarios/detail.html", context, status=status)


# As the board says it: what happened, that nothing was saved, and what is shown now.
STALE = (
    "Someone else changed this scenario meanwhile (an edit added or withdrawn, or it was "
    "renamed, applied or discarded), so your change was not saved. This is the scenario as "
    "it is now: check it and try again."
)


@workspace_view
def scenario_detail(request: TandemRequest, scenario_id: int) -> HttpResponse:
    return _page(request, _scenario(request, scenario_id))


@workspace_view
@require_POST
def scenario_edit_add(request: TandemRequest, scenario_id: int) -> HttpResponse:
    """Adds an edit from the scenario's page, or from the board in scenario mode: its Move
    menu (for the keyboard and without JavaScript; a drag calls the API's edits) posts a
    move_initiative here with the scenario's version as the board showed it and `next`,
    the board to go back to, where the outcome is then said."""
    scenario = _scenario(request, scenario_id)
    form = EditForm(request.POST, workspace=request.workspace)
    back = _back(request)
    if form.is_valid():
        try:
            edit = services.scenario_add_edit(
                scenario=scenario,
                action=form.cleaned_data["action"],
                params=form.params(),
                by=request.member,
                expected_version=int_param(request.POST, "version"),
            )
        except StaleVersion:
            messages.warning(request, STALE)
            if back:
                return redirect(back)
            return _page(request, _scenario(request, scenario_id), status=409, edit=form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Added to the scenario: {edit.label}.")
            return redirect(back or scenario_url(scenario) + "#evaluation")
    if back:
        messages.error(request, " ".join(_said(form)))
        return redirect(back)
    return _page(request, scenario, status=400, edit=form)


def _back(request: TandemRequest) -> str:
    """`next` when it is one of our own pages, else empty."""
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return ""


def _said(form: EditForm) -> list[str]:
    """The form's errors as sentences naming their field, for a page that shows no form."""
    said = []
    for name, errors in form.errors.items():
        label = form[name].label if name in form.fields else ""
        said += [f"{label}: {error}" if label else str(error) for error in errors]
    return said


@workspace_view
@require_POST
def scenario_edit_remove(request: TandemRequest, scenario_id: int, edit_id: int) -> HttpResponse:
    scenario = _scenario(request, scenario_id)
    edit = get_object_or_404(ScenarioEdit.objects.filter(scenario=scenario), pk=edit_id)
    try:
        services.scenario_remove_edit(
            edit=edit, by=request.member, expected_version=int_param(request.POST, "version")
        )
    except StaleVersion:
        messages.warning(request, STALE)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Withdrawn: {edit.label}.")
    return redirect(scenario_url(scenario))


@workspace_view
@require_POST
def scenario_comment(request: TandemRequest, scenario_id: int) -> HttpResponse:
    scenario = _scenario(request, scenario_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.scenario_comment(
                scenario=scenario,
                body=form.cleaned_data["body"],
                by=request.member,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(scenario_url(scenario) + "#discussion")
    return _page(request, scenario, status=400, comment=form)


@workspace_view
@require_POST
def scenario_discard(request: TandemRequest, scenario_id: int) -> HttpResponse:
    scenario = _scenario(request, scenario_id)
    try:
        services.scenario_discard(
            scenario=scenario,
            by=request.member,
            expected_version=int_param(request.POST, "version"),
        )
    except StaleVersion:
        messages.warning(request, STALE)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Scenario discarded. The plan is unchanged.")
    return redirect(scenario_url(scenario))


@workspace_view
@require_POST
def scenario_apply(request: TandemRequest, scenario_id: int) -> HttpResponse:
    scenario = _scenario(request, scenario_id)
    form = ApplyForm(request.POST)
    if form.is_valid():
        try:
            services.scenario_apply(
                scenario=scenario,
                reason=form.cleaned_data["reason"],
                confirmed_through=form.cleaned_data["confirmed_through"],
                by=request.member,
                expected_version=int_param(request.POST, "version"),
            )
        except StaleVersion:
            messages.warning(request, STALE)
            return _page(request, _scenario(request, scenario_id), status=409, apply=form)
        except services.BaseChanged as changed:
            # Ask again, showing what changed; the form now carries the last change seen.
            data = request.POST.copy()
            data["confirmed_through"] = str(changed.latest)
            return _page(
                request,
                scenario,
                status=409,
                apply=ApplyForm(data),
                base_changes=changed.changes,
                confirm_through=changed.latest,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Scenario applied: the plan now has its edits.")
            return redirect(scenario_url(scenario))
    return _page(request, scenario, status=400, apply=form)
