"""Imports over HTTP: preview, import, errors naming rows, templates, roles."""

import tablib
from django.test import Client

from tandem.accounts.services import api_token_create
from tandem.roadmaps.models import Initiative
from tests.plans.test_imports import FILES

URL = "/api/v1/workspaces/acme-test/imports"


def _client(member) -> Client:
    _, raw = api_token_create(user=member.user, name="import script")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _post(client, name, content_type="text/csv", **query):
    return client.post(
        URL + "?" + "&".join(f"{k}={v}" for k, v in query.items()),
        data=(FILES / name).read_bytes(),
        content_type=content_type,
    )


def test_preview_then_import(plan):
    client = _client(plan)
    dry = _post(client, "jira-search.csv", format="jira-csv", team="Onboarding=Growth")
    assert dry.status_code == 200, dry.content
    body = dry.json()
    assert body["applied"] is False
    assert body["counts"] == {"created": 4, "changed": 0, "unchanged": 0}
    first = body["rows"][0]
    assert (first["line"], first["kind"], first["action"]) == (2, "initiative", "created")
    assert first["label"] == "ACME-101 Guided setup for new teams"
    assert {"title", "status", "start", "end", "team"} <= set(first["fields"])
    assert "Onboarding" in body["mappable"]["teams"]
    assert not Initiative.objects.exists()
    done = _post(
        client, "jira-search.json", "application/json", format="jira-json", dry_run="false"
    )
    assert done.status_code == 200 and done.json()["applied"] is True
    assert Initiative.objects.filter(external_source="jira").count() == 2


def test_errors_name_the_row_and_write_nothing(plan):
    response = _client(plan).post(
        URL + "?format=csv-initiatives&dry_run=false",
        data=b"ID,Title,Start,End\nA,Alpha,2027-02-01,2027-01-01\n",
        content_type="text/csv",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "row 2: End", "message": "The end comes before the start."}
    ]
    assert not Initiative.objects.exists()


def test_bad_mapping_and_roles(plan, viewer):
    response = _post(_client(plan), "jira-search.csv", format="jira-csv", team="Onboarding")
    assert response.status_code == 422
    response = _post(_client(plan), "jira-search.csv", format="jira-csv", team="Onboarding=Nope")
    assert response.json()["errors"][0] == {
        "field": "row 2: Component/s",
        "message": "No team 'Nope' in this workspace.",
    }
    assert _post(_client(viewer), "jira-search.csv", format="jira-csv").status_code == 403


def test_templates_import_as_they_are(plan):
    client = Client()
    for kind in ("okrs", "initiatives"):
        for file_format in ("csv", "xlsx"):
            response = client.get(f"/api/v1/import-template?kind={kind}&file_format={file_format}")
            assert response.status_code == 200
            assert f"tandem-{kind}.{file_format}" in response["Content-Disposition"]
    sheet = tablib.Dataset().load(
        client.get("/api/v1/import-template?kind=okrs&file_format=xlsx").content, format="xlsx"
    )
    assert sheet.headers[:2] == ["Objective ID", "Objective"]
    response = _client(plan).post(
        URL + "?format=csv-okrs&dry_run=true",
        data=client.get("/api/v1/import-template").content,
        content_type="text/csv",
    )
    assert response.status_code == 200, response.content
    assert response.json()["counts"]["created"] == 3
