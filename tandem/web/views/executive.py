"""The executive overview page (tandem.web.executive reads it)."""

from django.http import HttpResponse
from django.shortcuts import render

from tandem.accounts.access import TandemRequest, workspace_view
from tandem.accounts.zones import local_today
from tandem.web import shell
from tandem.web.executive import executive_overview


@workspace_view
def executive(request: TandemRequest) -> HttpResponse:
    workspace, member = request.workspace, request.member
    today = local_today(workspace, member)
    overview = executive_overview(workspace, shell.active_cycle(request), today)
    return render(request, "web/executive.html", {"overview": overview, "today": today})
