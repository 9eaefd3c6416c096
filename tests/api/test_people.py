"""Workspaces, invitations and members over the API: happy paths, refusals naming the
field, viewers kept out."""

import pytest
from django.core import mail
from django.test import Client

from tandem.accounts.invitations import invitation_create
from tandem.accounts.models import Invitation, Member, Role, Workspace
from tandem.accounts.services import api_token_create

ACME = "/api/v1/workspaces/acme-test"


def test_creating_a_workspace_makes_the_caller_its_owner(outsider, api_as):
    response = api_as(outsider).post("/api/v1/workspaces", {"name": "Initech Labs"})

    assert response.status_code == 201
    assert response.json["slug"] == "initech-labs"
    assert response.json["role"] == "owner"
    assert Member.objects.get(workspace__slug="initech-labs").user == outsider.user


def test_a_taken_slug_is_a_422_saying_not_available(owner, outsider, api_as):
    response = api_as(outsider).post("/api/v1/workspaces", {"name": "Mine", "slug": "acme-test"})

    assert response.status_code == 422
    assert response.json["errors"] == [
        {"field": "slug", "message": "This web address is not available; choose another one."}
    ]
    assert Workspace.objects.count() == 2


def test_creating_without_a_name_names_the_field(outsider, api_as):
    response = api_as(outsider).post("/api/v1/workspaces", {"name": ""})
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "name"


def test_settings_change_over_patch(owner, api_as):
    response = api_as(owner).patch(ACME, {"time_zone": "Europe/Paris", "cycle_weeks": 6})

    assert response.status_code == 200
    assert response.json["time_zone"] == "Europe/Paris"
    assert response.json["cycle_weeks"] == 6
    bad = api_as(owner).patch(ACME, {"time_zone": "Europe/Atlantis"})
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "time_zone"


def test_an_editor_cannot_change_settings(editor, api_as):
    assert api_as(editor).patch(ACME, {"name": "Mine"}).status_code == 403


def test_invite_list_resend_and_withdraw(owner, api_as, django_capture_on_commit_callbacks):
    api = api_as(owner)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(f"{ACME}/invitations", {"email": "nina@acme.test", "role": "editor"})
    assert created.status_code == 201
    assert created.json["state"] == "pending"
    assert created.json["invited_by"] == "olivia@acme.test"
    assert "token" not in created.json
    assert len(mail.outbox) == 1

    listed = api.get(f"{ACME}/invitations")
    assert [i["email"] for i in listed.json["items"]] == ["nina@acme.test"]

    invitation_id = created.json["id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"{ACME}/invitations/{invitation_id}/resend").status_code == 200
    assert len(mail.outbox) == 2

    assert api.call("delete", f"{ACME}/invitations/{invitation_id}").status_code == 204
    again = api.call("delete", f"{ACME}/invitations/{invitation_id}")
    assert again.status_code == 422
    assert again.json["errors"][0]["field"] == "invitation"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "nope", "role": "viewer"}, "email"),
        ({"email": "nina@acme.test", "role": "emperor"}, "role"),
        ({"role": "viewer"}, "email"),
    ],
)
def test_bad_invitations_are_422s_naming_the_field(owner, api_as, body, field):
    response = api_as(owner).post(f"{ACME}/invitations", body)
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == field
    assert not Invitation.objects.exists()


def test_viewers_cannot_see_or_send_invitations(viewer, api_as):
    api = api_as(viewer)
    assert api.get(f"{ACME}/invitations").status_code == 403
    assert api.post(f"{ACME}/invitations", {"email": "x@acme.test"}).status_code == 403
    assert not Invitation.objects.exists()


def test_remove_a_member_but_never_the_last_owner(owner, editor, api_as):
    api = api_as(owner)
    assert api.call("delete", f"{ACME}/members/{editor.pk}").status_code == 204
    assert not Member.objects.filter(pk=editor.pk).exists()

    refused = api.call("delete", f"{ACME}/members/{owner.pk}")
    assert refused.status_code == 422
    assert refused.json["errors"][0]["field"] == "member"


def test_demoting_the_last_owner_is_refused(owner, api_as):
    response = api_as(owner).patch(f"{ACME}/members/{owner.pk}", {"role": "admin"})
    assert response.status_code == 422
    assert response.json["errors"] == [
        {"field": "role", "message": "A workspace keeps at least one owner."}
    ]


def test_an_admin_cannot_make_an_owner(owner, editor, viewer, api_as):
    editor.role = Role.ADMIN
    editor.save()
    response = api_as(editor).patch(f"{ACME}/members/{viewer.pk}", {"role": "owner"})
    assert response.status_code == 403
    assert Member.objects.get(pk=viewer.pk).role == Role.VIEWER


def test_the_invitation_list_is_constant_in_queries(owner, django_assert_num_queries):
    _, raw = api_token_create(user=owner.user, name="t")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    invitation_create(email="a@acme.test", role="viewer", by=owner)
    client.get(f"{ACME}/invitations")
    with django_assert_num_queries(4) as one:
        client.get(f"{ACME}/invitations")
    for n in range(5):
        invitation_create(email=f"b{n}@acme.test", role="viewer", by=owner)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(f"{ACME}/invitations").json()["count"] == 6


def test_a_team_gets_a_lead_from_its_members_and_is_archived(owner, editor, viewer, api_as):
    api = api_as(owner)
    team = api.post(f"{ACME}/teams", {"name": "Growth", "member_ids": [editor.pk]}).json
    assert team["lead_id"] is None and team["archived_at"] is None

    outside = api.patch(f"{ACME}/teams/{team['id']}", {"lead_id": viewer.pk})
    assert outside.status_code == 422
    assert outside.json["errors"] == [
        {"field": "lead_id", "message": "The lead must be one of the team's members."}
    ]
    led = api.patch(
        f"{ACME}/teams/{team['id']}", {"member_ids": [editor.pk, viewer.pk], "lead_id": viewer.pk}
    )
    assert led.status_code == 200 and led.json["lead_id"] == viewer.pk

    archived = api.patch(f"{ACME}/teams/{team['id']}", {"archived": True})
    assert archived.json["archived_at"] is not None
    assert (
        api_as(editor).patch(f"{ACME}/teams/{team['id']}", {"archived": False}).status_code == 403
    )
