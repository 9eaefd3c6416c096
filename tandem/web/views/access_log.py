"""The access log of a workspace, for its owners only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.accounts.access import TandemRequest, require_role, workspace_view
from tandem.accounts.accesslog import client_ip
from tandem.accounts.models import AccessEvent, Role
from tandem.accounts.services import workspace_require_two_factor

PAGE_SIZE = 50


@workspace_view
def access_log(request: TandemRequest) -> HttpResponse:
    require_role(request.member, Role.OWNER)
    events = AccessEvent.objects.for_workspace(request.workspace).select_related("actor")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/access_log.html", {"page": page})


@workspace_view
@require_POST
def workspace_two_factor(request: TandemRequest) -> HttpResponse:
    """An owner requires two-factor sign-in for the workspace, or stops requiring it."""
    required = request.POST.get("required") == "true"
    try:
        workspace_require_two_factor(
            by=request.member,
            required=required,
            ip=client_ip(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "Two-factor sign-in is now required for every member."
            if required
            else "Two-factor sign-in is no longer required.",
        )
    return redirect("access_log", workspace=request.workspace.slug)
