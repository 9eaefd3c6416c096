"""Optimistic concurrency through the API: every object read carries an ETag (its version),
and every PATCH and PUT sent with a stale If-Match answers 412 and writes nothing. Without
If-Match the last write wins, as before."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from tandem.activity.models import ChangeEvent, Webhook
from tandem.reviews import services as reviews
from tandem.scenarios import services as scenarios
from tandem.sources import services as sources
from tests import factories

WS = "/api/v1/workspaces/acme-test"


@dataclass
class Case:
    """A writable object: where to write it, two different bodies, and where to read it."""

    method: str
    url: str
    first: dict[str, Any]
    second: dict[str, Any]
    read: str | None


def _review(owner):
    return reviews.review_schedule(
        kind="okr_review",
        title="Q4 review",
        scheduled_at=datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC),
        attendees=[owner],
        by=owner,
    )


def _webhook(owner):
    # Made directly: this test is not about which addresses a webhook may reach.
    return Webhook.objects.create(
        workspace=owner.workspace,
        name="Ops",
        url="https://hooks.example/x",
        events=["conflict_opened"],
        format="slack",
        secret="s" * 64,
    )


def _one(
    path: str, make: Callable[[Any], Any], first: dict, second: dict, readable: bool = True
) -> Callable:
    def build(owner, editor):
        url = f"{WS}/{path}/{make(owner).pk}"
        return Case("patch", url, first, second, url if readable else None)

    return build


def _capacity(owner, editor):
    team, cycle = factories.make_team(owner), factories.make_cycle(owner)
    body = {"team_id": team.pk, "cycle_id": cycle.pk}
    return Case(
        "put",
        f"{WS}/capacities",
        {**body, "person_weeks": "10"},
        {**body, "person_weeks": "12"},
        None,
    )


def _member(owner, editor):
    url = f"{WS}/members/{editor.pk}"
    return Case("patch", url, {"role": "admin"}, {"role": "viewer"}, None)


def _source(owner, editor):
    key_result = factories.make_key_result(owner)
    sources.source_set(key_result=key_result, by=owner, kind="push")
    url = f"{WS}/key-results/{key_result.pk}/source"
    body = {"kind": "json", "path": "count", "every": "daily"}
    return Case(
        "put",
        url,
        {**body, "url": "https://metrics.example/a.json"},
        {**body, "url": "https://metrics.example/b.json"},
        url,
    )


CASES: dict[tuple[str, str], Callable] = {
    ("patch", ""): lambda owner, editor: Case(
        "patch", WS, {"name": "Acme Inc"}, {"name": "Acme Corp"}, WS
    ),
    ("patch", "/members/{member_id}"): _member,
    ("patch", "/cycles/{cycle_id}"): _one(
        "cycles", factories.make_cycle, {"name": "Q4 2026"}, {"name": "Autumn 2026"}
    ),
    ("patch", "/objectives/{objective_id}"): _one(
        "objectives", factories.make_objective, {"title": "Win SMB"}, {"title": "Win mid-market"}
    ),
    ("patch", "/key-results/{key_result_id}"): _one(
        "key-results", factories.make_key_result, {"title": "NPS 40"}, {"title": "NPS 45"}
    ),
    ("patch", "/roadmaps/{roadmap_id}"): _one(
        "roadmaps", factories.make_roadmap, {"name": "Mobile"}, {"name": "Apps"}
    ),
    ("patch", "/initiatives/{initiative_id}"): _one(
        "initiatives", factories.make_initiative, {"title": "Offline"}, {"title": "Sync"}
    ),
    ("patch", "/insights/{insight_id}"): _one(
        "insights",
        lambda by: factories.roadmaps.insight_create(
            title="Wants SSO", kind="customer_feedback", by=by
        ),
        {"title": "Wants SAML"},
        {"title": "Wants OIDC"},
    ),
    ("put", "/capacities"): _capacity,
    ("put", "/key-results/{key_result_id}/source"): _source,
    ("put", "/strategy"): lambda owner, editor: Case(
        "put",
        f"{WS}/strategy",
        {"vision": "Plans kept."},
        {"vision": "Plans met."},
        f"{WS}/strategy",
    ),
    ("patch", "/pillars/{pillar_id}"): _one(
        "pillars", factories.make_pillar, {"name": "Trust"}, {"name": "Reach"}
    ),
    ("patch", "/teams/{team_id}"): _one(
        "teams", factories.make_team, {"name": "Growth"}, {"name": "Core"}
    ),
    ("patch", "/reviews/{review_id}"): _one(
        "reviews", _review, {"title": "Q4 OKRs"}, {"title": "Q4 OKR review"}
    ),
    ("patch", "/scenarios/{scenario_id}"): _one(
        "scenarios",
        lambda by: scenarios.scenario_create(name="Plan B", by=by),
        {"name": "Plan C"},
        {"name": "Plan D"},
    ),
    ("patch", "/webhooks/{webhook_id}"): _one(
        "webhooks", _webhook, {"name": "Ops room"}, {"name": "Product room"}, readable=False
    ),
}


def test_every_patch_and_put_of_the_api_is_covered(db):
    schema = Client().get("/api/openapi.json").json()
    prefix = "/api/v1/workspaces/{workspace}"
    writes = {
        (method, path.removeprefix(prefix))
        for path, item in schema["paths"].items()
        for method in item
        if method in {"patch", "put"}
    }
    assert writes == set(CASES)
    for method, path in writes:
        operation = schema["paths"][prefix + path][method]
        assert "412" in operation["responses"]
        assert "If-Match" in {p["name"] for p in operation["parameters"]}


@pytest.mark.parametrize("operation", list(CASES), ids=lambda op: f"{op[0]} {op[1]}")
def test_a_stale_if_match_is_refused_with_412_and_writes_nothing(operation, owner, editor, api_as):
    case = CASES[operation](owner, editor)
    api = api_as(owner)
    write = getattr(api, case.method)

    first = write(case.url, case.first)  # no If-Match: last write wins
    assert first.status_code == 200, first.json
    read_version = first.json["version"]
    assert first["ETag"] == f'"{read_version}"'
    if case.read is not None:
        read = api.get(case.read)
        assert read["ETag"] == f'"{read_version}"'
        assert read.json["version"] == read_version

    second = write(case.url, case.second, {"If-Match": f'"{read_version}"'})
    assert second.status_code == 200, second.json
    current = second.json["version"]
    assert current > read_version
    assert second["ETag"] == f'"{current}"'

    events = ChangeEvent.objects.count()
    stale = write(case.url, case.first, {"If-Match": f'"{read_version}"'})
    assert stale.status_code == 412
    assert "changed since you read it" in stale.json["detail"]
    assert stale["ETag"] == f'"{current}"'
    assert ChangeEvent.objects.count() == events

    # The second write's values are still there: sending them again changes nothing.
    again = write(case.url, case.second, {"If-Match": f'"{current}"'})
    assert again.status_code == 200
    assert again.json["version"] == current


def test_if_match_star_or_weak_tag_is_accepted_and_garbage_is_a_422(owner, api_as):
    api = api_as(owner)
    initiative = factories.make_initiative(owner)
    url = f"{WS}/initiatives/{initiative.pk}"

    assert api.patch(url, {"title": "A"}, {"If-Match": "*"}).status_code == 200
    assert api.patch(url, {"title": "B"}, {"If-Match": 'W/"2"'}).status_code == 200
    refused = api.patch(url, {"title": "C"}, {"If-Match": "version three"})
    assert refused.status_code == 422
    assert refused.json["errors"][0]["field"] == "If-Match"
    initiative.refresh_from_db()
    assert (initiative.title, initiative.version) == ("B", 3)


def test_a_viewer_with_a_current_if_match_is_still_refused(owner, viewer, api_as):
    initiative = factories.make_initiative(owner)
    response = api_as(viewer).patch(
        f"{WS}/initiatives/{initiative.pk}", {"title": "Mine"}, {"If-Match": '"1"'}
    )
    assert response.status_code == 403


def test_a_member_list_item_carries_its_version(owner, editor, api_as):
    items = api_as(owner).get(f"{WS}/members").json["items"]
    assert {item["version"] for item in items} == {1}


def test_the_move_on_the_board_honours_if_match_like_a_patch(owner, api_as):
    """The board's drag calls this POST with the card's version: documented, and refused
    with 412 when stale (tests/roadmaps/test_pages.py drives it as the board does)."""
    operation = (
        Client()
        .get("/api/openapi.json")
        .json()["paths"]["/api/v1/workspaces/{workspace}/initiatives/{initiative_id}/move"]["post"]
    )
    assert "412" in operation["responses"]
    assert "If-Match" in {p["name"] for p in operation["parameters"]}
    api = api_as(owner)
    initiative = factories.make_initiative(owner, horizon="next")
    url = f"{WS}/initiatives/{initiative.pk}/move"
    read = initiative.version
    moved = api.post(url, {"horizon": "now"}, {"If-Match": f'"{read}"'})
    assert moved.status_code == 200 and moved["ETag"] == f'"{read + 1}"'
    stale = api.post(url, {"horizon": "later"}, {"If-Match": f'"{read}"'})
    assert stale.status_code == 412
    # Even a move to where it already is: the mover's view was stale.
    assert api.post(url, {"horizon": "now"}, {"If-Match": f'"{read}"'}).status_code == 412
    initiative.refresh_from_db()
    assert initiative.horizon == "now"
