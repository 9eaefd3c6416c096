"""The strategy page: vision, pillars and teams. Editing them arrives with a later issue."""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.accounts.access import workspace_view
from tandem.accounts.models import Member
from tandem.strategy.models import Pillar, Strategy, Team


@workspace_view
def strategy_overview(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    context = {
        "strategy": Strategy.objects.in_workspace(workspace).first(),
        "pillars": Pillar.objects.in_workspace(workspace).filter(archived_at__isnull=True),
        "teams": Team.objects.in_workspace(workspace)
        .select_related("parent")
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.select_related("user")),
        ),
    }
    return render(request, "strategy/strategy.html", context)
