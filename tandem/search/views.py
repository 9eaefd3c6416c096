"""The search page, and the results list the header's command palette (Ctrl/Cmd-K) loads."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem.accounts.access import workspace_view
from tandem.search.query import QUERY_MAX, search


@require_GET
@workspace_view
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:QUERY_MAX]
    results = search(member=request.member, query=query)  # type: ignore[attr-defined]
    template = "search/search.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#results"
    return render(request, template, {"query": query, "results": results})
