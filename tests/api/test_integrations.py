"""Integrations through the API: admins set endpoints up, rotate and remove them, and read
what each delivery did."""

import json

import pytest
from django.test import Client

from tandem.integrations.models import TrackerEndpoint

URL = "/api/v1/workspaces/acme-test/integrations"


def test_an_admin_adds_rotates_and_removes_an_endpoint(owner, api_as):
    api = api_as(owner)

    created = api.post(URL, {"kind": "gitlab", "name": "acme/web"})

    assert created.status_code == 201, created.json
    body = created.json
    assert body["url"].endswith(f"/hooks/{TrackerEndpoint.objects.get().token}/")
    assert len(body["secret"]) == 64
    assert api.get(URL).json["items"][0]["name"] == "acme/web"

    rotated = api.post(f"{URL}/{body['id']}/rotate", {})
    assert rotated.status_code == 200
    assert (rotated.json["url"], rotated.json["secret"]) != (body["url"], body["secret"])
    old_path = body["url"].split("/hooks/")[1]
    gone = Client().post(f"/hooks/{old_path}", data=b"{}", content_type="application/json")
    assert gone.status_code == 404

    assert api.call("delete", f"{URL}/{body['id']}").status_code == 204
    assert not TrackerEndpoint.objects.exists()


def test_linear_needs_its_signing_secret(owner, api_as, rows):
    api = api_as(owner)
    before = rows()

    refused = api.post(URL, {"kind": "linear"})

    assert refused.status_code == 422
    assert "secret" in json.dumps(refused.json)
    after = rows()
    after.pop("accounts.AccessEvent")  # the access log records the call
    before.pop("accounts.AccessEvent")
    assert after == before


@pytest.mark.parametrize("persona", ["editor", "viewer"])
def test_only_admins_see_endpoints(persona, request, owner, api_as):
    api = api_as(request.getfixturevalue(persona))
    assert api.get(URL).status_code == 403
    assert api.post(URL, {"kind": "github"}).status_code == 403
    assert not TrackerEndpoint.objects.exists()


def test_deliveries_say_what_happened(owner, api_as):
    api = api_as(owner)
    endpoint = api.post(URL, {"kind": "jira"}).json
    Client().post(
        "/hooks/" + endpoint["url"].split("/hooks/")[1],
        data=json.dumps({"webhookEvent": "jira:issue_deleted", "timestamp": 1}),
        content_type="application/json",
    )

    listed = api.get("/api/v1/workspaces/acme-test/integration-deliveries", outcome="ignored")

    assert listed.status_code == 200
    (item,) = listed.json["items"]
    assert item["integration_id"] == endpoint["id"]
    assert "does not follow Jira's 'jira:issue_deleted'" in item["detail"]
