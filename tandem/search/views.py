"""The search page, and the results list the header's command palette (Ctrl/Cmd-K) loads."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem.accounts.access import TandemRequest, workspace_view
from tandem.search.query import QUERY_MAX, search


@require_GET
@workspace_view
def search_page(request: TandemRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:QUERY_MAX]
    results = search(member=request.member, query=query)
    template = "search/search.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"query": query, "results": results})
