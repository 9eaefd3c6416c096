"""The Import page: upload a file, map what needs mapping, preview row by row, confirm.

One form carries the file, the format and the mappings; htmx posts it for a preview (a
dry run) and again to import, so the chosen file stays in the form between the steps and
the server keeps nothing in between."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from tandem.accounts.access import TandemRequest, require_role, workspace_view
from tandem.accounts.models import Role
from tandem.core.forms import set_choices
from tandem.core.params import BadParameter
from tandem.domain.planfile import PlanError
from tandem.plans import runs
from tandem.plans.importers import FORMATS, TEMPLATES
from tandem.plans.importers.spreadsheets import INITIATIVE_COLUMNS, OKR_COLUMNS, template
from tandem.plans.importers.tables import MAX_BYTES
from tandem.plans.importing import ImportInvalid, ImportResult, import_file, import_options
from tandem.plans.models import PlanRun
from tandem.roadmaps.models import Roadmap
from tandem.strategy.models import Team

MAX_MAPPINGS = 500
SHOWN_ROWS = 300


class ImportForm(forms.Form):
    format = forms.ChoiceField(
        label="What the file is",
        choices=[(f.name, f.label) for f in FORMATS.values()],
    )
    file = forms.FileField(
        label="File", help_text=f"CSV, XLSX or JSON, at most {MAX_BYTES // 1024 // 1024} MB."
    )
    roadmap = forms.ChoiceField(
        label="Roadmap for new initiatives",
        required=False,
        help_text="Initiatives a row does not place on a roadmap go here.",
    )

    def __init__(self, *args: Any, roadmaps: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "roadmap", [(name, name) for name in roadmaps])


def _mappings(request: TandemRequest, prefix: str) -> dict[str, str]:
    found = {
        key.removeprefix(prefix): (request.POST.get(key) or "").strip()
        for key in request.POST
        if key.startswith(prefix)
    }
    if len(found) > MAX_MAPPINGS or any(len(k) > 200 or len(v) > 200 for k, v in found.items()):
        raise BadParameter(prefix.rstrip(":"), "Too many or too long mappings.")
    return found


@workspace_view
@require_http_methods(["GET", "POST"])
def import_page(request: TandemRequest) -> HttpResponse:
    by = request.member
    require_role(by, Role.EDITOR)
    roadmaps = list(
        Roadmap.objects.filter(workspace=by.workspace)
        .order_by("name")
        .values_list("name", flat=True)
    )
    form = ImportForm(request.POST or None, request.FILES or None, roadmaps=roadmaps)
    context: dict[str, Any] = {"form": form, "formats": FORMATS.values(), "templates": TEMPLATES}
    if request.method == "POST" and form.is_valid():
        queued = _queued_if_large(request, by, form)
        if queued is not None:
            url = reverse("plan_run", kwargs={"workspace": by.workspace.slug, "run_id": queued.pk})
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        context.update(_run(request, by, form))
    if request.htmx:
        return render(request, "plans/import.html#outcome", context)
    return render(request, "plans/import.html", context)


def _queued_if_large(request: TandemRequest, by: Any, form: ImportForm) -> PlanRun | None:
    """A large import is carried out by the worker, as a large plan file is (same size
    threshold), and followed on its run's page with a progress bar."""
    upload = form.cleaned_data["file"]
    large = runs.QUEUE_FROM_BYTES < upload.size <= MAX_BYTES
    if request.POST.get("action") != "import" or not large:
        return None
    return runs.import_run_queue(
        by=by,
        format_name=form.cleaned_data["format"],
        data=upload.read(),
        roadmap=form.cleaned_data["roadmap"],
        teams=_mappings(request, "team:"),
        columns=_mappings(request, "column:"),
        file_name=upload.name,
    )


def _run(request: TandemRequest, by: Any, form: ImportForm) -> dict[str, Any]:
    format_name = form.cleaned_data["format"]
    upload = form.cleaned_data["file"]
    teams, columns = _mappings(request, "team:"), _mappings(request, "column:")
    importing = request.POST.get("action") == "import"
    context: dict[str, Any] = {"teams": teams, "columns": columns, "format": FORMATS[format_name]}
    if upload.size > MAX_BYTES:
        message = (
            f"The file is {upload.size:,} bytes; the import limit is {MAX_BYTES:,} bytes (5 MB)."
        )
        context["errors"] = [PlanError(1, "file", message, unit="row")]
        return context
    try:
        found = import_file(
            format_name=format_name,
            data=upload.read(),
            by=by,
            dry_run=not importing,
            options=import_options(
                by, format_name, roadmap=form.cleaned_data["roadmap"], teams=teams, columns=columns
            ),
            file_name=upload.name,
        )
    except ImportInvalid as error:
        context["errors"] = error.errors
        if error.fragment is not None:
            context.update(
                _mapping_context(by, error.fragment.mappable, format_name, teams, columns)
            )
        return context
    except PermissionDenied as error:
        context["errors"] = [PlanError(1, "file", str(error) or "Not allowed.")]
        return context
    context.update(_mapping_context(by, found.fragment.mappable, format_name, teams, columns))
    counts = [(a, found.count(a)) for a in ("created", "changed", "unchanged")]
    context.update(
        result=found,
        done=importing and found.result.applied,
        counts=[(a, n) for a, n in counts if n],
        change_count=found.count("created") + found.count("changed"),
        shown_rows=found.rows[:SHOWN_ROWS],
        hidden_rows=max(0, len(found.rows) - SHOWN_ROWS),
    )
    if context["done"]:
        messages.success(request, _summary(found))
        context["roadmap_url"] = reverse("roadmap_board", kwargs={"workspace": by.workspace.slug})
        context["okrs_url"] = reverse("okr_list", kwargs={"workspace": by.workspace.slug})
    return context


def _summary(found: ImportResult) -> str:
    return (
        f"Imported: {found.count('created')} created, {found.count('changed')} changed, "
        f"{found.count('unchanged')} unchanged."
    )


def _mapping_context(
    by: Any,
    mappable: dict[str, list[str]],
    format_name: str,
    teams: dict[str, str],
    columns: dict[str, str],
) -> dict[str, Any]:
    team_names = list(
        Team.objects.filter(workspace=by.workspace, archived_at=None)
        .order_by("name")
        .values_list("name", flat=True)
    )
    by_name = {name.casefold(): name for name in team_names}
    known = OKR_COLUMNS if "okrs" in format_name else INITIATIVE_COLUMNS
    return {
        "team_names": team_names,
        "team_rows": [
            (label, teams[label] if label in teams else by_name.get(label.casefold(), ""))
            for label in mappable.get("teams", [])
        ],
        "column_rows": [
            (header, columns.get(header, "")) for header in mappable.get("columns", [])
        ],
        "template_columns": list(known.items()),
    }


@workspace_view
@require_http_methods(["GET"])
def import_template(request: TandemRequest) -> HttpResponse:
    kind = request.GET.get("kind", "okrs")
    file_format = request.GET.get("file_format", "csv")
    if kind not in TEMPLATES or file_format not in ("csv", "xlsx"):
        raise BadParameter("kind", "Ask for kind=okrs or initiatives, file_format=csv or xlsx.")
    body, media = template(kind, file_format)
    response = HttpResponse(body, content_type=media)
    response["Content-Disposition"] = f'attachment; filename="tandem-{kind}.{file_format}"'
    return response
