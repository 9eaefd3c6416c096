"""The plan over HTTP: read as YAML or JSON, dry-run and apply, errors with lines."""

import json

import yaml
from django.test import Client

from tandem.accounts.services import api_token_create
from tandem.okrs.models import Objective
from tests.plans.test_plan_files import PLAN

URL = "/api/v1/workspaces/acme-test/plan"


def _client(member) -> Client:
    _, raw = api_token_create(user=member.user, name="plan script")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _post(client, body: str, **query):
    params = "&".join(f"{k}={v}" for k, v in query.items())
    return client.post(f"{URL}?{params}", data=body, content_type="application/yaml")


def test_dry_run_then_apply_then_read_back_as_yaml_and_json(owner):
    client = _client(owner)
    dry = _post(client, PLAN, dry_run="true")
    assert dry.status_code == 200, dry.content
    assert dry.json()["applied"] is False
    assert dry.json()["counts"]["created"] == 12
    assert not Objective.objects.exists()

    done = _post(client, PLAN, dry_run="false", reason="Q4 planning")
    assert done.status_code == 200 and done.json()["applied"] is True
    assert Objective.objects.get().title == "Activate new teams in their first week"

    as_yaml = client.get(URL)
    assert as_yaml["Content-Type"].startswith("application/yaml")
    document = yaml.safe_load(as_yaml.content)
    assert document["objectives"][0]["key"] == "activation"
    as_json = client.get(URL, headers={"Accept": "application/json"})
    assert json.loads(as_json.content)["objectives"][0]["key_results"][0]["current"] == 35.5
    # A JSON body is a plan file too; nothing left to do.
    again = client.post(
        f"{URL}?dry_run=false", data=as_json.content, content_type="application/json"
    )
    assert again.status_code == 200, again.content
    assert again.json()["counts"] == {"created": 0, "changed": 0, "archived": 0, "removed": 0}


def test_an_editor_may_not_change_the_vision_the_403_names_its_line(owner, editor, rows):
    client = _client(editor)
    before = rows()
    response = _post(client, PLAN, dry_run="false")
    assert response.status_code == 403
    assert response.json()["detail"] == "line 2, vision: This needs the admin role or higher."
    assert rows() == before
    without_vision = PLAN.replace("vision: Every team runs on Acme.\n", "")
    assert _post(client, without_vision, dry_run="true").status_code == 403  # pillars: admin


def test_a_viewer_reads_the_plan_but_may_not_apply_it_nor_dry_run_it(owner, viewer, rows):
    client = _client(viewer)
    assert client.get(URL).status_code == 200
    before = rows()
    for dry_run in ("true", "false"):
        response = _post(client, PLAN, dry_run=dry_run)
        assert response.status_code == 403
    assert rows() == before


def test_a_bad_file_is_a_422_naming_line_and_field(owner, rows):
    client = _client(owner)
    before = rows()
    response = _post(client, PLAN.replace("pillar: adoption", "pillar: nope"), dry_run="false")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "line 24: objectives[0].pillar",
            "message": "No pillar has the key 'nope' in this file.",
        }
    ]
    assert rows() == before


def test_the_json_schema_is_public_and_describes_the_sections():
    schema = json.loads(Client().get("/api/v1/plan-schema").content)
    assert schema["properties"]["format"] == {"const": 1}
    initiative = schema["properties"]["initiatives"]["items"]
    assert initiative["additionalProperties"] is False
    assert "depends_on" in initiative["properties"]
