"""Search at 10,000 items: the API's answer through Django's test Client (server time,
median of several requests) for common and rare words, prefixes and several words, with a
second workspace of the same size beside it. The goal is under 100 ms each."""

from django.test import Client

from tandem.accounts.models import Member
from tandem.search.index import reindex
from tandem.search.models import SearchEntry
from tests.bench.scale import build_plan
from tests.bench.timing import median_ms

GOAL_MS = 100
QUERIES = ("objective", "key result 12", "init", "team 007", "nothing-matches-this")


def run() -> None:
    print("Search, 10,000 items (and another workspace of 10,000)", flush=True)
    sizes = {"teams": 40, "objectives": 600, "key_results": 2400, "initiatives": 7000}
    workspaces = [
        build_plan(slug=slug, contributions=8000, dependencies=500, **sizes)
        for slug in ("search-bench", "search-other")
    ]
    for workspace in workspaces:
        reindex(workspace_id=workspace.pk)
    workspace = workspaces[0]
    items = SearchEntry.objects.filter(workspace=workspace).count()
    print(f"  {items:,} entries in the workspace searched", flush=True)
    client = Client()
    client.force_login(Member.objects.get(workspace=workspace).user)
    url = f"/api/v1/workspaces/{workspace.slug}/search"
    for query in QUERIES:
        assert client.get(url, {"q": query}).status_code == 200  # warm up
        ms = median_ms(lambda query=query: client.get(url, {"q": query}), repeat=9)
        verdict = "ok" if ms < GOAL_MS else f"over the {GOAL_MS} ms goal"
        print(f"  q={query!r:<24} {ms:7.1f} ms  ({verdict})", flush=True)
