"""Search over the API: the same ranked results as the page and the command palette."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tandem.core.api import ERRORS, member
from tandem.search.query import KIND_LABELS, LIMIT, QUERY_MAX, search

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = Field(
        max_length=QUERY_MAX,
        description="Words to find; each matches as a prefix and all must match.",
    )
    limit: int = Field(LIMIT, ge=1, le=50)


class SearchResultOut(Schema):
    kind: str = Field(description=f"One of: {', '.join(KIND_LABELS)}.")
    id: int | None = Field(description="The object's id; none for a page.")
    title: str
    context: str = Field(description="What it belongs to: a key result's objective, ...")
    url: str | None = Field(description="Its page in the web interface, when it has one.")


@router.get(
    "/workspaces/{workspace}/search",
    response={200: list[SearchResultOut], **ERRORS},
    summary="Search the workspace",
)
def workspace_search(request: HttpRequest, workspace: str, params: Query[SearchParams]) -> object:
    """Objectives, key results, initiatives, insights, conflicts, people, pillars, teams and
    pages of the workspace matching every word of `q`, best first (a full-text index)."""
    by = member(request, workspace)
    return [
        SearchResultOut(kind=r.kind, id=r.object_id, title=r.title, context=r.context, url=r.url)
        for r in search(member=by, query=params.q, limit=params.limit)
    ]
