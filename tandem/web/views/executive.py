"""The executive overview page (tandem.web.executive reads it)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.accounts.access import workspace_view
from tandem.accounts.zones import local_today
from tandem.web import shell
from tandem.web.executive import executive_overview


@workspace_view
def executive(request: HttpRequest) -> HttpResponse:
    workspace, member = request.workspace, request.member  # type: ignore[attr-defined]
    today = local_today(workspace, member)
    overview = executive_overview(workspace, shell.active_cycle(request), today)
    return render(request, "web/executive.html", {"overview": overview, "today": today})
