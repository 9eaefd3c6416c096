"""Token scopes and expiry, the access log, and cutting someone's access."""

import datetime

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.contrib.auth import SESSION_KEY
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import AccessEvent, AccessKind, ApiToken, TokenScope
from tandem.accounts.services import api_token_create, member_access_end, user_deactivate
from tandem.reviews.export import calendar_feed_create
from tests.conftest import PASSWORD

NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def _api(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_a_read_only_token_reads_but_may_not_write(owner):
    _, raw = api_token_create(user=owner.user, name="report", scope=TokenScope.READ)
    client = _api(raw)
    assert client.get("/api/v1/workspaces/acme-test/members").status_code == 200
    response = client.post(
        "/api/v1/workspaces/acme-test/members",
        {"email": "x@acme.test"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "This API token is read-only: it cannot make changes."}


def test_a_token_bound_to_one_workspace_finds_no_other(owner, outsider):
    from tandem.accounts.services import member_add

    member_add(user=owner.user, role="viewer", by=outsider)
    _, raw = api_token_create(user=owner.user, name="acme only", workspace=owner.workspace)
    client = _api(raw)
    assert client.get("/api/v1/workspaces/acme-test").status_code == 200
    response = client.get("/api/v1/workspaces/globex")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})
    slugs = [w["slug"] for w in client.get("/api/v1/workspaces").json()["items"]]
    assert slugs == ["acme-test"]


def test_an_expired_or_revoked_token_is_refused_with_the_reason(owner):
    with time_machine.travel(NOW, tick=False) as traveller:
        token, raw = api_token_create(
            user=owner.user, name="short", expires_at=NOW + datetime.timedelta(days=1)
        )
        assert _api(raw).get("/api/v1/me").status_code == 200
        token.refresh_from_db()
        assert token.last_used_at == NOW
        traveller.shift(datetime.timedelta(days=1))
        response = _api(raw).get("/api/v1/me")
        assert response.status_code == 401
        assert response.json()["detail"] == "This API token expired on 2026-12-02 09:00 UTC."
    other, raw = api_token_create(user=owner.user, name="gone")
    client = Client()
    client.force_login(owner.user)
    client.post(reverse("token_revoke", kwargs={"token_id": other.pk}))
    response = _api(raw).get("/api/v1/me")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_token_api_creates_once_lists_and_revokes(owner):
    _, raw = api_token_create(user=owner.user, name="admin script")
    client = _api(raw)
    response = client.post(
        "/api/v1/tokens",
        {
            "name": "CI",
            "scope": "read",
            "workspace": "acme-test",
            "expires_at": "2099-01-01T00:00Z",
        },
        content_type="application/json",
    )
    assert response.status_code == 422  # more than a year ahead
    assert response.json()["errors"][0]["field"] == "expires_at"
    expires = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=30)).isoformat()
    response = client.post(
        "/api/v1/tokens",
        {"name": "CI", "scope": "read", "workspace": "acme-test", "expires_at": expires},
        content_type="application/json",
    )
    assert response.status_code == 201
    created = response.json()
    assert created["token"].startswith("tdm_")
    assert (created["scope"], created["workspace"], created["state"]) == (
        "read",
        "acme-test",
        "active",
    )
    listed = client.get("/api/v1/tokens").json()["items"]
    assert "token" not in listed[0]
    assert {t["name"] for t in listed} == {"CI", "admin script"}
    assert client.delete(f"/api/v1/tokens/{created['id']}").json()["state"] == "revoked"
    assert _api(created["token"]).get("/api/v1/me").status_code == 401


def test_bad_token_input_names_the_field_and_writes_nothing(owner):
    _, raw = api_token_create(user=owner.user, name="admin script")
    before = ApiToken.objects.count()
    for body, field in [
        ({"name": "x", "scope": "admin"}, "scope"),
        ({"name": "x", "expires_at": "2020-01-01T00:00Z"}, "expires_at"),
        ({"name": "x", "workspace": "globex"}, "workspace"),
        ({"name": "x", "expires_at": "soon"}, "expires_at"),
    ]:
        response = _api(raw).post("/api/v1/tokens", body, content_type="application/json")
        assert response.status_code == 422, body
        assert [e["field"] for e in response.json()["errors"]] == [field], body
    assert ApiToken.objects.count() == before


def test_tokens_page_refuses_a_past_expiry_beside_the_field(owner, client_as):
    html = (
        client_as(owner)
        .post(reverse("token_list"), {"name": "old", "scope": "read", "expires_on": "2020-01-01"})
        .content.decode()
    )
    assert 'id="id_expires_on_error"' in html
    assert "The expiry must be in the future." in html
    assert not ApiToken.objects.filter(name="old").exists()


def test_access_log_shows_owners_what_happened(owner, editor, viewer, client_as):
    Client(REMOTE_ADDR="198.51.100.4").post(
        reverse("login"), {"login": editor.user.email, "password": "wrong"}
    )
    api_token_create(user=editor.user, name="editor's script")
    html = client_as(owner).get(reverse("access_log", kwargs={"workspace": "acme-test"}))
    text = html.content.decode()
    assert "Failed sign-in" in text and "198.51.100.4" in text
    assert "Created an API token" in text and "editor&#x27;s script" in text
    assert "Added a member" in text and "vera@acme.test as viewer" in text
    for member in (editor, viewer):
        response = client_as(member).get(reverse("access_log", kwargs={"workspace": "acme-test"}))
        assert response.status_code == 403


def test_access_log_api_is_for_owners_in_constant_queries(
    owner, editor, viewer, django_assert_num_queries
):
    _, raw = api_token_create(user=owner.user, name="owner")
    _, viewer_raw = api_token_create(user=viewer.user, name="viewer")
    url = "/api/v1/workspaces/acme-test/access-log"
    assert _api(viewer_raw).get(url).status_code == 403
    client = _api(raw)
    with django_assert_num_queries(5):  # token, member, count, page, last-used write
        first = client.get(url).json()
    for n in range(20):
        api_token_create(user=editor.user, name=f"script {n}")
    with django_assert_num_queries(4):
        page = client.get(url, {"limit": 10}).json()
    assert page["count"] == first["count"] + 20
    assert page["items"][0]["description"] == "Created an API token"
    assert page["items"][0]["email"] == "eddie@acme.test"


def test_outsiders_events_stay_out_of_the_log(owner, outsider):
    api_token_create(user=outsider.user, name="globex script")
    kinds = AccessEvent.objects.for_workspace(owner.workspace).values_list("email", flat=True)
    assert "oscar@globex.test" not in set(kinds)


def _signed_in(member) -> Client:
    client = Client()
    client.post(reverse("login"), {"login": member.user.email, "password": PASSWORD})
    assert SESSION_KEY in client.session
    return client


def test_deactivating_a_user_cuts_sessions_tokens_and_feeds(owner, editor):
    client = _signed_in(editor)
    _, raw = api_token_create(user=editor.user, name="script")
    _, feed = calendar_feed_create(member=editor, scope="personal")
    assert Client().get(f"/calendar/{feed}.ics").status_code == 200
    assert UserSession.objects.filter(user=editor.user).count() == 1

    user_deactivate(user=editor.user, by=owner.user)

    assert client.get(reverse("dashboard", kwargs={"workspace": "acme-test"})).status_code == 302
    assert SESSION_KEY not in client.session
    assert _api(raw).get("/api/v1/me").status_code == 401
    assert Client().get(f"/calendar/{feed}.ics").status_code == 404
    assert AccessEvent.objects.filter(kind=AccessKind.USER_DEACTIVATED).count() == 1


def test_removing_a_member_cuts_their_sessions_bound_tokens_and_feeds(owner, editor):
    client = _signed_in(editor)
    bound, _ = api_token_create(user=editor.user, name="acme", workspace=owner.workspace)
    _, feed = calendar_feed_create(member=editor, scope="workspace")
    member_access_end(member=editor)
    bound.refresh_from_db()
    assert bound.state == "revoked"
    assert Client().get(f"/calendar/{feed}.ics").status_code == 404
    assert client.get(reverse("home")).status_code == 302


def test_token_command_makes_a_scoped_token_and_names_bad_options(owner, capsys):
    with pytest.raises(CommandError, match="--expires: A token can live a year at most"):
        call_command("token", "create", "--email", owner.user.email, "--expires", "2099-01-01")
    with pytest.raises(CommandError, match=r"--workspace: olivia@acme\.test is not a member"):
        call_command("token", "create", "--email", owner.user.email, "--workspace", "globex")
    call_command(
        "token",
        "create",
        "--email",
        owner.user.email,
        "--scope",
        "read",
        "--workspace",
        "acme-test",
    )
    token = ApiToken.objects.get(name="Command line")
    assert (token.scope, token.workspace, capsys.readouterr().out[:4]) == (
        "read",
        owner.workspace,
        "tdm_",
    )


def test_access_log_page_queries_do_not_grow_with_events(owner, editor, client_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(owner)
    url = reverse("access_log", kwargs={"workspace": "acme-test"})
    client.get(url)  # the session's first request writes it; count the steady state
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(30):
        api_token_create(user=editor.user, name=f"script {n}")
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert "script 29" in html
    assert len(many) == len(few)
