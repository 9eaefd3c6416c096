"""The roadmap API: create, move (409 when stale), link, depend, triage, set capacity;
bad input is a 422 naming the field and writes nothing."""

from decimal import Decimal

from tandem.roadmaps.models import Initiative
from tests import factories

WS = "/api/v1/workspaces/acme-test"


def test_initiative_lifecycle_through_the_api(owner, api_as):
    api = api_as(owner)
    roadmap = api.post(f"{WS}/roadmaps", {"name": "Mobile"})
    assert roadmap.status_code == 201
    rid = roadmap.json["id"]
    a = api.post(
        f"{WS}/initiatives", {"roadmap_id": rid, "title": "Offline mode", "horizon": "next"}
    )
    b = api.post(f"{WS}/initiatives", {"roadmap_id": rid, "title": "Sync engine", "horizon": "now"})
    assert a.status_code == b.status_code == 201
    a_id, b_id = a.json["id"], b.json["id"]
    moved = api.post(
        f"{WS}/initiatives/{a_id}/move",
        {"horizon": "now", "before_id": b_id, "expected_horizon": "next",
         "expected_position": a.json["position"]},
    )  # fmt: skip
    assert moved.status_code == 200
    assert api.get(f"{WS}/initiatives", horizon="now").json["items"][0]["id"] == a_id
    stale = api.post(
        f"{WS}/initiatives/{a_id}/move",
        {"horizon": "later", "expected_horizon": "next", "expected_position": 0},
    )
    assert stale.status_code == 409
    assert Initiative.objects.get(pk=a_id).horizon == "now"
    dep = api.post(f"{WS}/dependencies", {"initiative_id": a_id, "depends_on_id": b_id})
    assert dep.status_code == 201
    loop = api.post(f"{WS}/dependencies", {"initiative_id": b_id, "depends_on_id": a_id})
    assert loop.status_code == 422
    [error] = loop.json["errors"]
    assert error["field"] == "depends_on_id"
    assert "loop" in error["message"]
    insight = api.post(
        f"{WS}/insights",
        {"kind": "customer_feedback", "title": "Works on the tube", "importance": 5,
         "initiative_ids": [a_id]},
    )  # fmt: skip
    assert insight.status_code == 201
    assert insight.json["status"] == "triaged"


def test_bad_input_names_the_field_and_writes_nothing(owner, outsider, api_as, rows):
    api = api_as(owner)
    roadmap = factories.make_roadmap(owner)
    mine = factories.make_initiative(owner, roadmap=roadmap)
    theirs = factories.make_initiative(outsider)
    key_result = factories.make_key_result(owner)
    from tandem.okrs.services import key_result_update

    key_result_update(key_result=key_result, status="archived", by=owner)
    before = rows()
    cases = [
        (
            f"{WS}/initiatives",
            {
                "roadmap_id": roadmap.pk,
                "title": "X",
                "start_date": "2026-05-02",
                "end_date": "2026-05-01",
            },
            "end_date",
        ),
        (f"{WS}/initiatives", {"roadmap_id": roadmap.pk, "title": "X", "effort": "-1"}, "effort"),
        (
            f"{WS}/dependencies",
            {"initiative_id": mine.pk, "depends_on_id": theirs.pk},
            "depends_on_id",
        ),
        (
            f"{WS}/contributions",
            {"initiative_id": mine.pk, "key_result_id": key_result.pk},
            "key_result_id",
        ),
    ]
    for url, body, field in cases:
        response = api.post(url, body)
        assert response.status_code == 422, (url, response.json)
        assert [e["field"] for e in response.json["errors"]] == [field]
    capacity = api.put(
        f"{WS}/capacities",
        {"team_id": factories.make_team(owner).pk, "cycle_id": factories.make_cycle(owner).pk,
         "person_weeks": str(Decimal(-3))},
    )  # fmt: skip
    assert capacity.status_code == 422
    assert capacity.json["errors"][0]["field"] == "person_weeks"
    after = rows()
    changed = {k for k in before if before[k] != after[k]}
    # Only the team and the cycle the capacity case made (and their history) are new.
    assert changed <= {"strategy.Team", "okrs.Cycle", "activity.ChangeEvent", "conflicts.Conflict"}
