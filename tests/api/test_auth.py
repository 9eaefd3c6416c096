"""Who may call the API: Bearer API tokens for scripts, the session (with CSRF) for the
browser, and nobody else."""

from django.test import Client

from tandem.accounts.services import api_token_create, api_token_revoke
from tandem.strategy.models import Team

TEAMS = "/api/v1/workspaces/acme-test/teams"


def test_a_bearer_token_authenticates_its_user(owner, api_as):
    response = api_as(owner).get("/api/v1/me")

    assert response.status_code == 200
    assert response.json == {
        "id": owner.user.pk,
        "email": "olivia@acme.test",
        "name": "Olivia Owner",
        "display_name": "Olivia Owner",
    }


def test_a_bearer_token_can_write_without_csrf(owner, api_as):
    response = api_as(owner).post(TEAMS, {"name": "Platform"})

    assert response.status_code == 201
    assert Team.objects.in_workspace(owner.workspace).get().name == "Platform"


def test_a_revoked_token_is_refused(owner):
    token, raw = api_token_create(user=owner.user, name="laptop")
    api_token_revoke(token=token, by=owner.user)

    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 401
    assert response.json()["detail"] == "This API token was revoked; create a new one."
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_is_refused(db):
    response = Client().get("/api/v1/me", headers={"Authorization": "Bearer tdm_made-up"})

    assert response.status_code == 401


def test_no_credentials_get_a_clear_401(owner, rows):
    before = rows()

    response = Client().post(TEAMS, data={"name": "Platform"}, content_type="application/json")

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Authentication required: send 'Authorization: Bearer <API token>' or log in."
    }
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert rows() == before


def test_the_browser_session_reads(owner, client_as):
    response = client_as(owner).get("/api/v1/workspaces")

    assert response.status_code == 200
    assert [w["slug"] for w in response.json()["items"]] == ["acme-test"]


def test_the_browser_session_cannot_write_without_the_csrf_token(owner, rows):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner.user)
    before = rows()

    response = browser.post(TEAMS, data={"name": "Platform"}, content_type="application/json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert rows() == before


def test_the_browser_session_writes_with_the_csrf_token(owner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner.user)
    # What a page's {% csrf_token %} hands the browser: the cookie and the same secret.
    token = "s3cret" * 5 + "ab"
    browser.cookies["csrftoken"] = token

    response = browser.post(
        TEAMS,
        data={"name": "Platform"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )

    assert response.status_code == 201


def test_a_token_call_skips_the_browser_middleware_and_a_cookie_keeps_it(owner):
    _, raw = api_token_create(user=owner.user, name="script")
    token = {"Authorization": f"Bearer {raw}"}

    script = Client().get("/api/v1/me", headers=token)
    assert script.status_code == 200
    assert not hasattr(script.wsgi_request, "session")
    assert not script.wsgi_request.user.is_authenticated  # the token, not a session, says who

    # With a session cookie the browser path runs as before: an unknown token falls back to
    # the session, whose writes still need the CSRF token.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner.user)
    bad = {"Authorization": "Bearer tdm_made-up"}
    assert browser.get("/api/v1/me", headers=bad).status_code == 200
    refused = browser.post(
        TEAMS, {"name": "Platform"}, content_type="application/json", headers=bad
    )
    assert refused.status_code == 403
