"""The shell's own pages: the way in, a new workspace, the overview, and the sections
whose issues are still open."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LogoutView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from tandem.accounts.access import workspace_view
from tandem.accounts.services import workspace_create
from tandem.accounts.zones import local_today
from tandem.web import shell
from tandem.web.dashboard import dashboard_summary
from tandem.web.forms import WorkspaceForm, add_service_errors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    first = shell.user_workspaces(request).first()
    if first is not None:
        return redirect("dashboard", workspace=first.slug)
    return render(request, "web/workspace_create.html", {"form": WorkspaceForm(), "first": True})


@login_required
@require_http_methods(["GET", "POST"])
def workspace_new(request: HttpRequest) -> HttpResponse:
    form = WorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name, slug = form.cleaned_data["name"], form.cleaned_data["slug"]
        try:
            workspace = workspace_create(name=name, slug=slug, owner=request.user)
        except ValidationError as error:
            add_service_errors(form, _explain_taken_slug(error, slug or slugify(name)))
        else:
            messages.success(request, f"Workspace “{workspace.name}” is ready.")
            return redirect("dashboard", workspace=workspace.slug)
    first = not shell.user_workspaces(request).exists()
    return render(request, "web/workspace_create.html", {"form": form, "first": first})


def _explain_taken_slug(error: ValidationError, slug: str) -> ValidationError:
    if not hasattr(error, "error_dict") or "slug" not in error.error_dict:
        return error
    if any(e.code == "unique" for e in error.error_dict["slug"]):
        taken = f"The web address “{slug}” is taken; choose another one."
        error.error_dict["slug"] = [ValidationError(taken, code="unique")]
    return error


class Logout(LogoutView):
    """Django's POST-only logout, telling the person it worked."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You are logged out.")
        return response


@workspace_view
def dashboard(request: HttpRequest) -> HttpResponse:
    cycle = shell.active_cycle(request)
    summary = dashboard_summary(
        request.workspace, cycle, local_today(request.workspace, request.member)
    )  # type: ignore[attr-defined]
    return render(request, "web/dashboard.html", {"summary": summary})
