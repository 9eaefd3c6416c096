"""The roadmap board and timeline at 2,000 initiatives: server time through Django's test
Client, median of several requests. The goal is under 300 ms each."""

from django.test import Client
from django.urls import reverse

from tandem.accounts.models import Member
from tests.bench.scale import build_plan
from tests.bench.timing import median_ms

GOAL_MS = 300


def run() -> None:
    print("Roadmap board and timeline, 2,000 initiatives", flush=True)
    workspace = build_plan(
        slug="roadmap-bench",
        teams=40,
        objectives=120,
        key_results=400,
        initiatives=2000,
        contributions=2600,
        dependencies=500,
    )
    client = Client()
    client.force_login(Member.objects.get(workspace=workspace).user)
    for name in ("roadmap_board", "roadmap_timeline"):
        url = reverse(name, kwargs={"workspace": workspace.slug})
        assert client.get(url).status_code == 200  # warm up
        ms = median_ms(lambda url=url: client.get(url), repeat=7)
        verdict = "ok" if ms < GOAL_MS else f"over the {GOAL_MS} ms goal"
        print(f"  {name:<18} {ms:7.1f} ms  ({verdict})", flush=True)
