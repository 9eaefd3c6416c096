"""The conflicts API: list with filters and pages, read, and each change, with bad input
refused naming the field and writing nothing."""

import pytest
from django.test import Client

from tandem.accounts.services import api_token_create
from tandem.conflicts.models import ConflictEdit, ConflictStatus


@pytest.fixture
def api_as():
    def make(member) -> Client:
        _, raw = api_token_create(user=member.user, name="script")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def base(member) -> str:
    return f"/api/v1/workspaces/{member.workspace.slug}/conflicts"


def test_list_filters_and_pages(conflicted, owner, api_as):
    client = api_as(owner)
    body = client.get(base(owner)).json()
    assert body["count"] >= 2
    assert body["items"][0]["severity"] == "high"
    late = client.get(base(owner), {"rule": "late_delivery"}).json()
    assert [c["id"] for c in late["items"]] == [conflicted.late.pk]
    assert late["items"][0]["subject"] == [
        {"kind": "initiative", "id": conflicted.initiative.pk},
        {"kind": "key_result", "id": conflicted.key_result.pk},
    ]
    about = client.get(base(owner), {"entity": f"initiative-{conflicted.initiative.pk}"}).json()
    assert about["count"] == 1
    team = client.get(base(owner), {"team_id": conflicted.team.pk}).json()
    assert team["count"] == body["count"]
    page = client.get(base(owner), {"limit": 1, "offset": 1}).json()
    assert len(page["items"]) == 1 and page["count"] == body["count"]


def test_bad_filters_name_the_field(conflicted, owner, api_as):
    client = api_as(owner)
    response = client.get(base(owner), {"entity": "nonsense"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "entity"
    assert client.get(base(owner), {"rule": "nope"}).json()["errors"][0]["field"] == "rule"
    assert client.get(base(owner), {"team_id": 99999}).json()["errors"][0]["field"] == "team_id"


def test_read_change_state_and_decide(conflicted, owner, api_as):
    client = api_as(owner)
    one = f"{base(owner)}/{conflicted.late.pk}"
    assert client.get(one).json()["sentence"] == conflicted.late.sentence

    refused = client.post(f"{one}/status", {"status": "dismissed"}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "reason", "message": "Say why you dismiss it."}]
    acknowledged = client.post(
        f"{one}/status", {"status": "acknowledged"}, content_type="application/json"
    )
    assert acknowledged.json()["status"] == "acknowledged"

    no_cause = client.post(
        f"{one}/decision", {"decision": "accept_risk"}, content_type="application/json"
    )
    assert no_cause.status_code == 422
    assert no_cause.json()["errors"][0]["field"] == "root_cause"
    decided = client.post(
        f"{one}/decision",
        {"root_cause": "market_shift", "decision": "accept_risk", "decision_note": "Fine"},
        content_type="application/json",
    ).json()
    assert (decided["decision"], decided["status"]) == ("accept_risk", "dismissed")


def test_apply_a_fix_and_refuse_an_invalid_one(conflicted, owner, api_as):
    client = api_as(owner)
    fixes = f"{base(owner)}/{conflicted.late.pk}/fixes"
    invalid = client.post(
        fixes,
        {
            "action": "reschedule_initiative",
            "params": {"initiative_id": conflicted.initiative.pk, "end_date": "2025-01-01"},
        },
        content_type="application/json",
    )
    assert invalid.status_code == 422
    assert not ConflictEdit.objects.exists()
    unrelated = client.post(
        fixes, {"action": "drop_key_result", "params": {}}, content_type="application/json"
    )
    assert unrelated.status_code == 422
    assert unrelated.json()["errors"][0]["field"] == "action"
    params = conflicted.late.suggestions[0]["params"]
    done = client.post(
        fixes,
        {"action": "reschedule_initiative", "params": params},
        content_type="application/json",
    )
    assert done.json()["status"] == ConflictStatus.RESOLVED
    assert "Closed by itself after this change" in done.json()["closed_note"]


def test_comment_and_invite(conflicted, owner, editor, api_as):
    client = api_as(owner)
    one = f"{base(owner)}/{conflicted.late.pk}"
    created = client.post(
        f"{one}/comments", {"body": "Who owns this?"}, content_type="application/json"
    )
    assert created.status_code == 201
    assert client.get(f"{one}/comments").json()["items"][0]["body"] == "Who owns this?"
    empty = client.post(f"{one}/comments", {"body": " "}, content_type="application/json")
    assert empty.json()["errors"][0]["field"] == "body"
    invited = client.post(
        f"{one}/stakeholders", {"member_ids": [editor.pk]}, content_type="application/json"
    )
    assert invited.status_code == 200
    assert list(conflicted.late.stakeholders.all()) == [editor]
    nobody = client.post(f"{one}/stakeholders", {}, content_type="application/json")
    assert nobody.json()["errors"][0]["field"] == "member_ids"


def test_viewer_reads_and_comments_but_cannot_change_state(conflicted, viewer, api_as):
    client = api_as(viewer)
    one = f"{base(viewer)}/{conflicted.late.pk}"
    assert client.get(one).status_code == 200
    comment = client.post(f"{one}/comments", {"body": "Noted"}, content_type="application/json")
    assert comment.status_code == 201
    refused = client.post(
        f"{one}/status", {"status": "acknowledged"}, content_type="application/json"
    )
    assert refused.status_code == 403
    conflicted.late.refresh_from_db()
    assert conflicted.late.status == ConflictStatus.OPEN


def test_list_query_count_is_constant(conflicted, owner, api_as, django_assert_num_queries):
    client = api_as(owner)
    # token, rate counter, membership, the count and the page (teams are stored with each),
    # and the plan's mark for the fixes' effects (its newest change; content types cached)
    with django_assert_num_queries(6):
        assert client.get(base(owner), {"status": "all"}).status_code == 200


def test_conflicts_as_of_a_day_look_back_without_touching_the_inbox(conflicted, owner, api_as):
    client = api_as(owner)
    stored = client.get(base(owner)).json()["count"]
    then = client.get(f"{base(owner)}/as-of", {"date": "2026-01-20"})
    assert then.status_code == 200
    keys = [c["key"] for c in then.json()]
    late = (
        f"late_delivery:initiative-{conflicted.initiative.pk}:key_result-{conflicted.key_result.pk}"
    )
    assert late in keys
    assert then.json()[0]["rule_label"]
    # Before the key results were written, only the work existed: it served nothing.
    before = client.get(f"{base(owner)}/as-of", {"date": "2025-12-20"}).json()
    assert [c["rule"] for c in before] == ["orphan_work"]
    assert client.get(base(owner)).json()["count"] == stored
    future = client.get(f"{base(owner)}/as-of", {"date": "2026-03-01"})
    assert future.status_code == 422
    assert future.json()["errors"][0]["field"] == "date"
    nonsense = client.get(f"{base(owner)}/as-of", {"date": "2026-02-30"})
    assert nonsense.status_code == 422 and nonsense.json()["errors"][0]["field"] == "date"
