"""The shell's own pages: the way in, a new workspace, the overview, and the sections
whose issues are still open."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LogoutView
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from tandem.accounts.access import SignedInRequest, TandemRequest, workspace_view
from tandem.accounts.accesslog import access_log_record, client_ip
from tandem.accounts.models import AccessKind, User, Workspace
from tandem.accounts.services import workspace_create
from tandem.accounts.zones import local_today
from tandem.core.forms import add_service_errors
from tandem.demo.copies import demo_copy_request
from tandem.web import shell
from tandem.web.dashboard import dashboard_summary
from tandem.web.forms import WorkspaceForm
from tandem.web.onboarding import checklist


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    first = shell.user_workspaces(request.user).first()
    if first is not None:
        return redirect("dashboard", workspace=first.slug)
    return render(request, "web/workspace_create.html", {"form": WorkspaceForm(), "first": True})


@login_required
@require_http_methods(["GET", "POST"])
def workspace_new(request: SignedInRequest) -> HttpResponse:
    form = WorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name, slug = form.cleaned_data["name"], form.cleaned_data["slug"]
        try:
            workspace = workspace_create(name=name, slug=slug, owner=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Workspace “{workspace.name}” is ready.")
            return redirect("dashboard", workspace=workspace.slug)
    first = not shell.user_workspaces(request.user).exists()
    return render(request, "web/workspace_create.html", {"form": form, "first": first})


class Logout(LogoutView):
    """Django's POST-only logout, telling the person it worked."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user if isinstance(request.user, User) else None
        response = super().post(request, *args, **kwargs)
        if user is not None:
            access_log_record(kind=AccessKind.SIGN_OUT, actor=user, ip=client_ip(request))
        messages.info(request, "You are logged out.")
        return response


@workspace_view
def dashboard(request: TandemRequest) -> HttpResponse:
    cycle = shell.active_cycle(request)
    workspace, member = request.workspace, request.member
    summary = dashboard_summary(workspace, cycle, local_today(workspace, member))
    context = {"summary": summary, "checklist": checklist(workspace, member)}
    return render(request, "web/dashboard.html", context)


@login_required
@require_POST
def demo_copy(request: SignedInRequest) -> HttpResponse:
    """Explore the demo: a copy of Acme of the user's own, built by the worker."""
    slug = demo_copy_request(user=request.user)
    return redirect("demo_copy_wait", workspace=slug)


@login_required
def demo_copy_wait(request: SignedInRequest, workspace: str) -> HttpResponse:
    """Polled by htmx until the copy exists; then off to it."""
    found = Workspace.objects.filter(slug=workspace).first()
    if found is not None:
        if not found.members.filter(user=request.user).exists():
            raise Http404("No workspace here.")
        url = reverse("dashboard", kwargs={"workspace": workspace})
        if request.htmx:
            return HttpResponse(headers={"HX-Redirect": url})
        return redirect(url)
    return render(request, "web/demo_copy_wait.html", {"slug": workspace})
