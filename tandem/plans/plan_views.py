"""The Plan file page: download the workspace's plan as YAML, upload a file to preview or
apply it on the task queue, and follow a run's progress (htmx polling) to its summary."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.accounts.access import TandemRequest, workspace_view
from tandem.accounts.models import Role
from tandem.core.tenancy import get_in_workspace_or_404
from tandem.domain.planfile import PlanInvalid
from tandem.domain.planfile_write import write_plan
from tandem.plans import runs, yamlio
from tandem.plans.exporting import export_plan
from tandem.plans.models import PlanRun

RECENT = 10


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label="Plan file", help_text="YAML or JSON, as `tandem plan export` writes it."
    )
    reason = forms.CharField(
        max_length=500,
        required=False,
        help_text="Recorded with every change, e.g. 'Q3 planning import'.",
    )


@workspace_view
def plan_page(request: TandemRequest) -> HttpResponse:
    workspace = request.workspace
    member = request.member
    form = PlanUploadForm()
    if request.method == "POST":
        form = PlanUploadForm(request.POST, request.FILES)
        upload = form.files.get("file")
        if upload is not None and upload.size and upload.size > yamlio.MAX_BYTES:
            size, limit = f"{upload.size:,}", f"{yamlio.MAX_BYTES:,}"
            form.add_error("file", f"The file is {size} bytes; the limit is {limit} bytes.")
        if form.is_valid():
            try:
                run = runs.plan_run_queue(
                    by=member,
                    document=form.cleaned_data["file"].read(),
                    reason=form.cleaned_data["reason"],
                    dry_run=request.POST.get("action") != "apply",
                )
            except PlanInvalid as error:
                form.add_error("file", error.errors[0].message)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("plan_run", workspace=workspace.slug, run_id=run.pk)
    recent = PlanRun.objects.in_workspace(workspace).select_related("requested_by__user")
    context = {
        "form": form,
        "can_edit": member.has_role(Role.EDITOR),
        "runs": recent[:RECENT],
        "max_mb": yamlio.MAX_BYTES // (1024 * 1024),
    }
    return render(request, "plans/plan_page.html", context, status=400 if form.errors else 200)


@workspace_view
def plan_download(request: TandemRequest) -> HttpResponse:
    workspace = request.workspace
    text = yamlio.dump(write_plan(export_plan(workspace)[0]))
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{workspace.slug}-plan.yaml"'
    return response


@workspace_view
def plan_run(request: TandemRequest, run_id: int) -> HttpResponse:
    """The run's page; htmx asks for its status partial every second until it is over."""
    run = get_in_workspace_or_404(
        PlanRun.objects.select_related("workspace"), request.workspace, pk=run_id
    )
    context = {"run": run, "can_edit": request.member.has_role(Role.EDITOR)}
    if request.htmx:
        return render(request, "plans/plan_run.html#status", context)
    return render(request, "plans/plan_run.html", context)


@workspace_view
@require_POST
def plan_run_apply(request: TandemRequest, run_id: int) -> HttpResponse:
    run = get_in_workspace_or_404(
        PlanRun.objects.select_related("workspace"), request.workspace, pk=run_id
    )
    try:
        applied = runs.plan_run_apply(run=run, by=request.member)
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text or "Not allowed.")
        return redirect("plan_run", workspace=run.workspace.slug, run_id=run.pk)
    return redirect("plan_run", workspace=applied.workspace.slug, run_id=applied.pk)
