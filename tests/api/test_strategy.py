"""Vision, pillars and teams over the API: happy paths for the owner, refusals for a viewer,
and bad input that names the field and writes nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accounts.services import member_add, user_create
from tandem.strategy.models import Pillar, Strategy, Team
from tandem.strategy.services import team_set_members
from tests.factories import make_pillar, make_team

ACME = "/api/v1/workspaces/acme-test"


def test_the_vision_is_empty_until_someone_writes_it(viewer, api_as):
    response = api_as(viewer).get(f"{ACME}/strategy")

    assert response.status_code == 200
    assert response.json == {"version": 0, "vision": "", "updated_at": None}


def test_the_owner_sets_the_vision(owner, viewer, api_as):
    response = api_as(owner).put(f"{ACME}/strategy", {"vision": "  Plans people keep.  "})

    assert response.status_code == 200
    assert response.json["vision"] == "Plans people keep."
    assert api_as(viewer).get(f"{ACME}/strategy").json["vision"] == "Plans people keep."
    assert Strategy.objects.in_workspace(owner.workspace).get().vision == "Plans people keep."


def test_pillars_are_created_read_updated_and_archived(owner, api_as):
    api = api_as(owner)

    created = api.post(f"{ACME}/pillars", {"name": "Enterprise ready", "position": 2})
    assert created.status_code == 201
    pillar_id = created.json["id"]
    assert created.json == {
        "id": pillar_id,
        "version": 1,
        "name": "Enterprise ready",
        "description": "",
        "position": 2,
        "archived_at": None,
    }

    assert api.get(f"{ACME}/pillars/{pillar_id}").json == created.json

    updated = api.patch(f"{ACME}/pillars/{pillar_id}", {"description": "SSO, audit, SLAs."})
    assert updated.status_code == 200
    assert updated.json["description"] == "SSO, audit, SLAs."
    assert updated.json["name"] == "Enterprise ready", "fields not sent stay as they were"

    archived = api.post(f"{ACME}/pillars/{pillar_id}/archive", {"reason": "Done."})
    assert archived.status_code == 200
    assert archived.json["archived_at"] is not None
    assert api.get(f"{ACME}/pillars").json["count"] == 0
    assert [p["id"] for p in api.get(f"{ACME}/pillars", archived="true").json["items"]] == [
        pillar_id
    ]


def test_lists_are_paginated_with_a_total_count(owner, api_as):
    for name in ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]:
        make_team(owner, name=name)

    page = api_as(owner).get(f"{ACME}/teams", limit=2, offset=2)

    assert page.status_code == 200
    assert page.json["count"] == 5
    assert [t["name"] for t in page.json["items"]] == ["Charlie", "Delta"]


def test_a_team_is_created_with_parent_and_members(owner, editor, api_as):
    parent = make_team(owner, name="Product")

    response = api_as(owner).post(
        f"{ACME}/teams",
        {
            "name": "Growth",
            "parent_id": parent.pk,
            "color": "#12ab34",
            "member_ids": [editor.pk],
            "external_source": "jira",
            "external_id": "GRW",
            "external_url": "https://jira.example/browse/GRW",
        },
    )

    assert response.status_code == 201
    assert response.json == {
        "id": response.json["id"],
        "version": 2,
        "name": "Growth",
        "parent_id": parent.pk,
        "color": "#12ab34",
        "member_ids": [editor.pk],
        "lead_id": None,
        "archived_at": None,
        "external_source": "jira",
        "external_id": "GRW",
        "external_url": "https://jira.example/browse/GRW",
    }
    # The same Jira key twice in one workspace is refused, naming the field.
    again = api_as(owner).post(
        f"{ACME}/teams", {"name": "Growth 2", "external_source": "jira", "external_id": "GRW"}
    )
    assert again.status_code == 422
    assert again.json["errors"] == [
        {
            "field": "external_id",
            "message": "Another object of this workspace has this source and id.",
        }
    ]
    team = Team.objects.in_workspace(owner.workspace).get(name="Growth")
    assert list(team.members.all()) == [editor]


def test_a_team_is_read_and_updated(owner, editor, api_as):
    team = make_team(owner, name="Growth")
    parent = make_team(owner, name="Product")
    api = api_as(owner)

    assert api.get(f"{ACME}/teams/{team.pk}").json["name"] == "Growth"
    response = api.patch(
        f"{ACME}/teams/{team.pk}", {"parent_id": parent.pk, "member_ids": [owner.pk, editor.pk]}
    )

    assert response.status_code == 200
    assert response.json["parent_id"] == parent.pk
    assert sorted(response.json["member_ids"]) == sorted([owner.pk, editor.pk])
    assert response.json["name"] == "Growth"
    cleared = api.patch(f"{ACME}/teams/{team.pk}", {"parent_id": None, "member_ids": []})
    assert cleared.json["parent_id"] is None
    assert cleared.json["member_ids"] == []


@pytest.mark.parametrize("persona", ["viewer", "editor"])
def test_only_admins_write_the_strategy(request, owner, api_as, rows, persona):
    pillar = make_pillar(owner, name="Enterprise ready")
    team = make_team(owner, name="Growth")
    api = api_as(request.getfixturevalue(persona))
    before = rows()

    writes = [
        api.put(f"{ACME}/strategy", {"vision": "Mine now."}),
        api.post(f"{ACME}/pillars", {"name": "Another"}),
        api.patch(f"{ACME}/pillars/{pillar.pk}", {"name": "Renamed"}),
        api.post(f"{ACME}/pillars/{pillar.pk}/archive", {}),
        api.post(f"{ACME}/teams", {"name": "Another"}),
        api.patch(f"{ACME}/teams/{team.pk}", {"name": "Renamed"}),
        api.patch(f"{ACME}/teams/{team.pk}", {}),
    ]

    assert [w.status_code for w in writes] == [403] * len(writes)
    assert writes[0].json == {"detail": "This needs the admin role or higher."}
    assert rows() == before
    pillar.refresh_from_db()
    team.refresh_from_db()
    assert (pillar.name, pillar.archived_at, team.name) == ("Enterprise ready", None, "Growth")


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, [("name", "Field required")]),
        ({"name": ["Growth"]}, [("name", "Input should be a valid string")]),
        ({"name": "Growth", "parent_id": "first"}, [("parent_id", "Input should be")]),
        ({"name": "Growth", "member_ids": "all"}, [("member_ids", "Input should be")]),
        ({"name": "Growth", "member_ids": ["x"]}, [("member_ids.0", "Input should be")]),
        ({"name": "Existing"}, [("name", "A team with this name already exists.")]),
        ({"name": "Growth", "color": "teal"}, [("color", "Enter a colour as #rrggbb.")]),
        ({"name": "x" * 121}, [("name", "Ensure this value has at most 120 characters")]),
    ],
)
def test_bad_team_input_names_the_field_and_writes_nothing(owner, api_as, rows, body, errors):
    make_team(owner, name="Existing")
    api = api_as(owner)
    before = rows()

    response = api.post(f"{ACME}/teams", body)

    assert response.status_code == 422
    assert response.json["detail"] == "Some fields are not valid."
    got = [(e["field"], e["message"]) for e in response.json["errors"]]
    assert [field for field, _ in got] == [field for field, _ in errors]
    for (_, message), (_, expected) in zip(got, errors, strict=True):
        assert message.startswith(expected)
    assert rows() == before


def test_references_to_another_workspace_are_refused_by_field(owner, outsider, api_as, rows):
    theirs = make_team(outsider, name="Globex platform")
    api = api_as(owner)
    before = rows()

    foreign_parent = api.post(f"{ACME}/teams", {"name": "Growth", "parent_id": theirs.pk})
    foreign_member = api.post(f"{ACME}/teams", {"name": "Growth", "member_ids": [outsider.pk]})

    assert foreign_parent.status_code == foreign_member.status_code == 422
    assert foreign_parent.json["errors"] == [
        {"field": "parent_id", "message": f"No team with id {theirs.pk} in this workspace."}
    ]
    assert foreign_member.json["errors"] == [
        {"field": "member_ids", "message": f"No member with id {outsider.pk} in this workspace."}
    ]
    assert rows() == before


def test_an_update_with_a_bad_member_changes_nothing_else(owner, outsider, api_as, rows):
    team = make_team(owner, name="Growth")
    api = api_as(owner)
    before = rows()

    response = api.patch(
        f"{ACME}/teams/{team.pk}", {"name": "Renamed", "member_ids": [owner.pk, outsider.pk]}
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["member_ids"]
    team.refresh_from_db()
    assert team.name == "Growth"
    assert rows() == before


def test_a_team_cannot_be_its_own_parent(owner, api_as, rows):
    team = make_team(owner, name="Growth")
    api = api_as(owner)
    before = rows()

    response = api.patch(f"{ACME}/teams/{team.pk}", {"parent_id": team.pk})

    assert response.status_code == 422
    assert response.json["errors"] == [
        {"field": "parent_id", "message": "A team cannot be its own parent."}
    ]
    assert rows() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": None}, "name"),
        ({"position": -1}, "position"),
        ({"position": "first"}, "position"),
        ({"name": "Taken"}, "name"),
    ],
)
def test_bad_pillar_updates_name_the_field(owner, api_as, rows, body, field):
    make_pillar(owner, name="Taken")
    pillar = make_pillar(owner, name="Enterprise ready")
    api = api_as(owner)
    before = rows()

    response = api.patch(f"{ACME}/pillars/{pillar.pk}", body)

    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == [field]
    pillar.refresh_from_db()
    assert pillar.name == "Enterprise ready"
    assert rows() == before


def test_a_limit_out_of_range_is_refused_by_name(owner, api_as):
    response = api_as(owner).get(f"{ACME}/pillars", limit=0)

    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "limit"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{name:", "The body is not valid JSON"),
        ('{"name": NaN}', "NaN is not a number JSON allows."),
        ("[null, null]", "Send a JSON object as the request body."),
        ("null", "Send a JSON object as the request body."),
        (b"\xff\xfe", "The body is not valid JSON"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_documented_422(owner, api_as, rows, body, message):
    api = api_as(owner)
    before = rows()

    response = api.client.post(
        f"{ACME}/teams", data=body, content_type="application/json", headers=api.headers
    )

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] is None and error["message"].startswith(message)
    assert rows() == before


def test_a_missing_body_is_refused(owner, api_as, rows):
    api = api_as(owner)
    before = rows()

    response = api.client.post(
        f"{ACME}/teams", data="", content_type="application/json", headers=api.headers
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": None, "message": "Send a JSON object as the request body."}
    ]
    assert rows() == before


def test_an_object_of_another_workspace_is_not_found(owner, outsider, api_as):
    theirs = make_pillar(outsider, name="Globex pillar")

    response = api_as(owner).get(f"{ACME}/pillars/{theirs.pk}")

    assert response.status_code == 404
    assert response.json == {"detail": "Not found."}
    assert Pillar.objects.get(pk=theirs.pk).name == "Globex pillar"


def _queries_for_a_page(api, url):
    api.get(url)  # a token's first use records it; that write is not the page's cost
    with CaptureQueriesContext(connection) as queries:
        assert api.get(url).status_code == 200
    return len(queries)


def test_a_page_of_teams_costs_the_same_queries_for_2_and_20_teams(owner, editor, api_as):
    api = api_as(owner)
    for n in range(2):
        team_set_members(team=make_team(owner, name=f"Team {n}"), members=[owner], by=owner)
    few = _queries_for_a_page(api, f"{ACME}/teams")
    for n in range(2, 20):
        team_set_members(team=make_team(owner, name=f"Team {n}"), members=[editor], by=owner)

    assert _queries_for_a_page(api, f"{ACME}/teams") == few


def test_a_page_of_members_costs_the_same_queries_for_2_and_20_members(owner, viewer, api_as):
    api = api_as(owner)
    few = _queries_for_a_page(api, f"{ACME}/members")
    for n in range(18):
        user = user_create(email=f"person{n}@acme.test", password=None)
        member_add(user=user, role="viewer", by=owner)

    assert _queries_for_a_page(api, f"{ACME}/members") == few
