"""OKR pages that write: cycles, objectives, key results, check-ins, grades and links to
initiatives. Every write goes through tandem.okrs.services (or roadmaps' for links)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from tandem.accounts.access import TandemRequest, workspace_view
from tandem.accounts.zones import local_today
from tandem.conflicts.badges import conflict_badges
from tandem.core.forms import add_service_errors, stale, warn_similar
from tandem.core.tenancy import get_in_workspace_or_404
from tandem.core.versioning import StaleVersion
from tandem.okrs import selectors, services
from tandem.okrs.forms import (
    CheckInForm,
    ContributionForm,
    CycleForm,
    GradeForm,
    KeyResultForm,
    ObjectiveForm,
)
from tandem.okrs.models import Cycle, CycleState, KeyResult, Objective
from tandem.okrs.views.pages import key_result_context, load_objective
from tandem.roadmaps.services import contribution_create

GET_POST = require_http_methods(["GET", "POST"])


def _url(request: TandemRequest, name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"workspace": request.workspace.slug, **kwargs})


def _refused(request: TandemRequest, error: Exception) -> None:
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, str(error))


# ---------------------------------------------------------------- cycles


@workspace_view
@GET_POST
def cycle_list(request: TandemRequest) -> HttpResponse:
    workspace = request.workspace
    cycles = list(Cycle.objects.in_workspace(workspace))
    form = CycleForm.for_next_cycle(
        cycles,
        local_today(workspace, request.member),
        workspace.cycle_weeks,
    )
    if request.method == "POST":
        form = CycleForm(request.POST)
        if form.is_valid():
            try:
                cycle = services.cycle_create(**form.cleaned_data, by=request.member)
            except (ValidationError, PermissionDenied) as error:
                _service_error(form, error)
            else:
                messages.success(request, f"{cycle.name} is planned. Write its objectives.")
                return redirect(_url(request, "okr_list") + f"?cycle={cycle.pk}")
    status = 422 if form.errors else 200
    return render(request, "okrs/cycle_list.html", {"cycles": cycles, "form": form}, status=status)


def _service_error(form: Any, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
    else:
        add_service_errors(form, error)


@workspace_view
@require_POST
def cycle_activate(request: TandemRequest, cycle_id: int) -> HttpResponse:
    cycle = get_in_workspace_or_404(Cycle.objects, request.workspace, pk=cycle_id)
    try:
        services.cycle_set_state(cycle=cycle, state=CycleState.ACTIVE, by=request.member)
        messages.success(request, f"{cycle.name} is active: check-ins are open.")
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    if request.POST.get("back") == "cycle":  # started from the cycle's own page
        return redirect(_url(request, "okr_list") + f"?cycle={cycle.pk}")
    return redirect(_url(request, "okr_cycles"))


# ---------------------------------------------------------------- objectives


def _objective_fields(form: ObjectiveForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("reason", None)
    data.pop("version", None)
    return data


@workspace_view
@GET_POST
def objective_create(request: TandemRequest) -> HttpResponse:
    workspace = request.workspace
    cycles = Cycle.objects.in_workspace(workspace).exclude(state=CycleState.CLOSED)
    wanted = request.GET.get("cycle") or request.POST.get("cycle")
    cycle = get_in_workspace_or_404(cycles, workspace, pk=wanted) if wanted else None
    cycle = cycle or cycles.filter(state=CycleState.ACTIVE).first() or cycles.first()
    if cycle is None:
        messages.error(request, "Plan a cycle first: objectives belong to a cycle.")
        return redirect(_url(request, "okr_cycles"))
    initial = {"owner": request.member, "parent": request.GET.get("parent")}
    form = ObjectiveForm(request.POST or None, workspace=workspace, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            objective = services.objective_create(
                cycle=cycle,
                by=request.member,
                **_objective_fields(form),
            )
        except (ValidationError, PermissionDenied) as error:
            _service_error(form, error)
        else:
            messages.success(request, "Objective created. Now add its key results.")
            warn_similar(
                request,
                "objective",
                selectors.similar_objectives(cycle, objective.title, exclude=objective.pk),
            )
            return redirect(_url(request, "key_result_create", objective_id=objective.pk))
    context = {"form": form, "cycle": cycle, "objective": None, "started": False}
    return render(request, "okrs/objective_form.html", context, status=422 if form.errors else 200)


@workspace_view
@GET_POST
def objective_edit(request: TandemRequest, objective_id: int) -> HttpResponse:
    workspace = request.workspace
    objective = get_in_workspace_or_404(
        Objective.objects.select_related("cycle"), workspace, pk=objective_id
    )
    form = ObjectiveForm(
        request.POST or None,
        workspace=workspace,
        exclude=objective,
        initial=_objective_initial(objective),
    )
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_update(
                objective=objective,
                by=request.member,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                **_objective_fields(form),
            )
        except StaleVersion as error:
            refused = stale(form, error)
            objective.refresh_from_db()
            form = ObjectiveForm(
                workspace=workspace, exclude=objective, initial=_objective_initial(objective)
            )
        except (ValidationError, PermissionDenied) as error:
            _service_error(form, error)
        else:
            messages.success(request, "Objective saved.")
            return redirect(_url(request, "objective_detail", objective_id=objective.pk))
    context = {
        "stale": refused,
        "form": form,
        "cycle": objective.cycle,
        "objective": objective,
        "started": objective.cycle.state != CycleState.PLANNING,
    }
    status = 409 if refused else 422 if form.errors else 200
    return render(request, "okrs/objective_form.html", context, status=status)


def _objective_initial(objective: Objective) -> dict[str, Any]:
    return {
        "title": objective.title,
        "description": objective.description,
        "commitment": objective.commitment,
        "owner": objective.owner_id,
        "team": objective.team_id,
        "pillar": objective.pillar_id,
        "parent": objective.parent_id,
        "version": objective.version,
    }


@workspace_view
@require_POST
def objective_archive(request: TandemRequest, objective_id: int) -> HttpResponse:
    objective = get_in_workspace_or_404(Objective.objects, request.workspace, pk=objective_id)
    try:
        services.objective_archive(
            objective=objective,
            reason=request.POST.get("reason", ""),
            by=request.member,
        )
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
        return redirect(_url(request, "objective_detail", objective_id=objective.pk))
    messages.success(request, f"“{objective.title}” is archived.")
    return redirect(_url(request, "okr_list") + f"?cycle={objective.cycle_id}")


# ---------------------------------------------------------------- key results


def _key_result_fields(form: KeyResultForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("reason", None)
    data.pop("version", None)
    return data


@workspace_view
@GET_POST
def key_result_create(request: TandemRequest, objective_id: int) -> HttpResponse:
    workspace = request.workspace
    objective = get_in_workspace_or_404(
        Objective.objects.select_related("cycle"), workspace, pk=objective_id
    )
    form = KeyResultForm(
        request.POST or None, workspace=workspace, initial={"owner": objective.owner_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            key_result = services.key_result_create(
                objective=objective,
                by=request.member,
                **_key_result_fields(form),
            )
        except (ValidationError, PermissionDenied) as error:
            _service_error(form, error)
        else:
            messages.success(request, f"Key result “{key_result.title}” added.")
            if "another" in request.POST:
                return redirect(_url(request, "key_result_create", objective_id=objective.pk))
            return redirect(_url(request, "objective_detail", objective_id=objective.pk))
    context = {"form": form, "objective": objective, "key_result": None, "started": False}
    return render(request, "okrs/key_result_form.html", context, status=422 if form.errors else 200)


@workspace_view
@GET_POST
def key_result_edit(request: TandemRequest, key_result_id: int) -> HttpResponse:
    workspace = request.workspace
    key_result = get_in_workspace_or_404(
        KeyResult.objects.select_related("objective__cycle"), workspace, pk=key_result_id
    )
    initial = _key_result_initial(key_result)
    form = KeyResultForm(request.POST or None, workspace=workspace, initial=initial)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            services.key_result_update(
                key_result=key_result,
                by=request.member,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                **_key_result_fields(form),
            )
        except StaleVersion as error:
            refused = stale(form, error)
            key_result.refresh_from_db()
            form = KeyResultForm(workspace=workspace, initial=_key_result_initial(key_result))
        except (ValidationError, PermissionDenied) as error:
            _service_error(form, error)
        else:
            messages.success(request, "Key result saved.")
            return redirect(_url(request, "key_result_detail", key_result_id=key_result.pk))
    context = {
        "stale": refused,
        "form": form,
        "objective": key_result.objective,
        "key_result": key_result,
        "started": key_result.objective.cycle.state != CycleState.PLANNING,
    }
    status = 409 if refused else 422 if form.errors else 200
    return render(request, "okrs/key_result_form.html", context, status=status)


def _key_result_initial(key_result: KeyResult) -> dict[str, Any]:
    fields = ["title", "kind", "unit", "currency", "start_value", "target_value", "weight"]
    fields.append("check_in_every_days")
    initial: dict[str, Any] = {name: getattr(key_result, name) for name in fields}
    initial.update(
        owner=key_result.owner_id,
        needs_no_initiative=key_result.needs_no_initiative,
        version=key_result.version,
    )
    return initial


@workspace_view
@require_POST
def key_result_archive(request: TandemRequest, key_result_id: int) -> HttpResponse:
    key_result = get_in_workspace_or_404(KeyResult.objects, request.workspace, pk=key_result_id)
    try:
        services.key_result_archive(
            key_result=key_result,
            reason=request.POST.get("reason", ""),
            by=request.member,
        )
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
        return redirect(_url(request, "key_result_detail", key_result_id=key_result.pk))
    messages.success(request, f"“{key_result.title}” is archived.")
    return redirect(_url(request, "objective_detail", objective_id=key_result.objective_id))


def _key_result_or_404(request: TandemRequest, key_result_id: int) -> KeyResult:
    return get_in_workspace_or_404(
        KeyResult.objects.select_related("objective__cycle", "objective__team", "owner__user"),
        request.workspace,
        pk=key_result_id,
    )


@workspace_view
@require_POST
def key_result_check_in(request: TandemRequest, key_result_id: int) -> HttpResponse:
    """From the key result page a normal form post; from a list (htmx) the objective's card
    comes back with the new figures, or with the form and its errors."""
    key_result = _key_result_or_404(request, key_result_id)
    form = CheckInForm(request.POST)
    checked_in = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.key_result_check_in(
                key_result=key_result,
                value=data["value"],
                confidence=data["confidence"],
                note=data["note"],
                date=data["date"] or local_today(request.workspace, request.member),
                by=request.member,
            )
            checked_in = True
        except (ValidationError, PermissionDenied) as error:
            _service_error(form, error)
    if request.htmx:
        objective = load_objective(request.workspace, key_result.objective_id)
        context = {
            "objective": objective,
            "badges": conflict_badges(request.workspace),
            "can_edit": True,
            "cycle_open": objective.cycle.state != CycleState.CLOSED,
            "open_form": None if checked_in else key_result.pk,
            "form": form,
            "checked_in": key_result.pk if checked_in else None,
        }
        return render(request, "okrs/includes/objective_card.html#card", context)
    if checked_in:
        messages.success(request, "Checked in.")
        return redirect(_url(request, "key_result_detail", key_result_id=key_result.pk))
    context = key_result_context(request, key_result, check_in_form=form)
    return render(request, "okrs/key_result_detail.html", context, status=422)


@workspace_view
@require_POST
def key_result_grade(request: TandemRequest, key_result_id: int) -> HttpResponse:
    key_result = _key_result_or_404(request, key_result_id)
    form = GradeForm(request.POST)
    if form.is_valid():
        try:
            services.key_result_grade(
                key_result=key_result,
                grade=form.cleaned_data["grade"],
                comment=form.cleaned_data["comment"],
                by=request.member,
            )
        except (ValidationError, PermissionDenied) as error:
            _service_error(form, error)
    if form.errors:
        context = key_result_context(request, key_result, grade_form=form)
        return render(request, "okrs/key_result_detail.html", context, status=422)
    messages.success(request, "Grade saved.")
    return redirect(_url(request, "key_result_detail", key_result_id=key_result.pk))


@workspace_view
@require_POST
def key_result_link(request: TandemRequest, key_result_id: int) -> HttpResponse:
    """Link an initiative that serves this key result (a Contribution)."""
    key_result = _key_result_or_404(request, key_result_id)
    form = ContributionForm(request.POST, workspace=request.workspace)
    if form.is_valid():
        try:
            contribution_create(
                key_result=key_result,
                initiative=form.cleaned_data["initiative"],
                expected_impact=form.cleaned_data["expected_impact"],
                by=request.member,
            )
        except (ValidationError, PermissionDenied) as error:
            _service_error(form, error)
    if form.errors:
        context = key_result_context(request, key_result, contribution_form=form)
        return render(request, "okrs/key_result_detail.html", context, status=422)
    messages.success(
        request, f"“{form.cleaned_data['initiative'].title}” now serves this key result."
    )
    return redirect(_url(request, "key_result_detail", key_result_id=key_result.pk))
