"""The caller, their workspaces and the members of a workspace, over the API."""

import pytest

from tandem.accounts.models import Member, Role
from tandem.accounts.services import user_create
from tests.conftest import PASSWORD

ACME = "/api/v1/workspaces/acme-test"


@pytest.fixture
def newcomer(db):
    return user_create(email="nina@acme.test", password=PASSWORD, name="Nina New")


def test_workspaces_lists_only_the_callers(owner, outsider, api_as):
    response = api_as(owner).get("/api/v1/workspaces")

    assert response.status_code == 200
    assert response.json["count"] == 1
    (workspace,) = response.json["items"]
    assert workspace["slug"] == "acme-test"
    assert workspace["name"] == "Acme Test"
    assert workspace["role"] == "owner"


def test_a_workspace_reads_with_the_callers_role(viewer, api_as):
    response = api_as(viewer).get(ACME)

    assert response.status_code == 200
    assert response.json["slug"] == "acme-test"
    assert response.json["role"] == "viewer"


def test_a_workspace_that_does_not_exist_is_not_found(owner, api_as):
    response = api_as(owner).get("/api/v1/workspaces/nope")

    assert response.status_code == 404
    assert response.json == {"detail": "Not found."}


def test_members_are_listed_with_email_and_role(owner, viewer, api_as):
    response = api_as(viewer).get(f"{ACME}/members")

    assert response.status_code == 200
    assert response.json["count"] == 2
    by_email = {m["email"]: m for m in response.json["items"]}
    assert by_email["olivia@acme.test"]["role"] == "owner"
    assert by_email["vera@acme.test"] == {
        "id": viewer.pk,
        "version": 1,
        "user_id": viewer.user.pk,
        "email": "vera@acme.test",
        "name": "Vera Viewer",
        "role": "viewer",
        "joined_at": by_email["vera@acme.test"]["joined_at"],
    }


def test_an_owner_adds_an_existing_user_by_email(owner, newcomer, api_as):
    response = api_as(owner).post(f"{ACME}/members", {"email": "NINA@acme.test", "role": "editor"})

    assert response.status_code == 201
    assert response.json["email"] == "nina@acme.test"
    assert response.json["role"] == "editor"
    added = Member.objects.in_workspace(owner.workspace).get(user=newcomer)
    assert added.role == Role.EDITOR


def test_an_owner_changes_a_role(owner, viewer, api_as):
    response = api_as(owner).patch(f"{ACME}/members/{viewer.pk}", {"role": "editor"})

    assert response.status_code == 200
    assert response.json["role"] == "editor"
    viewer.refresh_from_db()
    assert viewer.role == Role.EDITOR


def test_a_viewer_cannot_add_members_or_even_learn_who_has_an_account(
    viewer, newcomer, api_as, rows
):
    api = api_as(viewer)
    before = rows()

    known = api.post(f"{ACME}/members", {"email": "nina@acme.test", "role": "viewer"})
    unknown = api.post(f"{ACME}/members", {"email": "nobody@acme.test", "role": "viewer"})

    assert known.status_code == unknown.status_code == 403
    assert known.json == unknown.json
    assert "admin" in known.json["detail"]
    assert rows() == before


def test_a_viewer_cannot_change_roles(owner, viewer, api_as, rows):
    api = api_as(viewer)
    before = rows()

    response = api.patch(f"{ACME}/members/{viewer.pk}", {"role": "owner"})

    assert response.status_code == 403
    viewer.refresh_from_db()
    assert viewer.role == Role.VIEWER
    assert rows() == before


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"email": "nobody@acme.test"}, "email", "No Tandem user has this email address."),
        ({"email": "vera@acme.test"}, "email", "This person is already a member of the workspace."),
        ({"email": "nina@acme.test", "role": "boss"}, "role", "Input should be"),
        ({"role": "viewer"}, "email", "Field required"),
        ({"email": 42}, "email", "Input should be a valid string"),
    ],
)
def test_bad_member_input_names_the_field(
    owner, viewer, newcomer, api_as, rows, body, field, message
):
    api = api_as(owner)
    before = rows()

    response = api.post(f"{ACME}/members", body)

    assert response.status_code == 422
    assert response.json["detail"] == "Some fields are not valid."
    assert [e["field"] for e in response.json["errors"]] == [field]
    assert response.json["errors"][0]["message"].startswith(message)
    assert rows() == before


def test_the_last_owner_keeps_the_role(owner, api_as, rows):
    api = api_as(owner)
    before = rows()

    response = api.patch(f"{ACME}/members/{owner.pk}", {"role": "viewer"})

    assert response.status_code == 422
    assert response.json["errors"] == [
        {"field": "role", "message": "A workspace keeps at least one owner."}
    ]
    assert rows() == before


def test_a_member_of_another_workspace_is_not_found(owner, outsider, api_as, rows):
    api = api_as(owner)
    before = rows()

    response = api.patch(f"{ACME}/members/{outsider.pk}", {"role": "viewer"})

    assert response.status_code == 404
    assert rows() == before


def test_the_grace_period_of_new_key_results_is_a_workspace_setting(owner):
    from tandem.accounts.services import api_token_create
    from tests.api.conftest import Api

    _, raw = api_token_create(user=owner.user, name="script")
    api = Api(raw)
    url = f"/api/v1/workspaces/{owner.workspace.slug}"
    changed = api.patch(url, {"new_key_result_grace_days": 14})
    assert changed.status_code == 200 and changed.json["new_key_result_grace_days"] == 14
    refused = api.patch(url, {"new_key_result_grace_days": 91})
    assert refused.status_code == 422
    assert refused.json["errors"][0]["field"] == "new_key_result_grace_days"
