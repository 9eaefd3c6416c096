"""An API call with a bearer token and no session cookie skips the browser middleware
(tandem.web.middleware.TokenCalls) and still gets what every answer gets."""

from tandem.accounts.services import api_token_create
from tests.api.conftest import Api


def test_a_token_call_gets_the_headers_every_answer_gets(owner):
    _, raw = api_token_create(user=owner.user, name="script")
    response = Api(raw).get("/api/v1/me")
    assert response.status_code == 200 and response.json["email"] == owner.user.email
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == str(len(response.content))
    assert not response.cookies  # no session, no CSRF cookie, no messages


def test_a_token_call_to_a_host_not_allowed_is_refused(owner):
    _, raw = api_token_create(user=owner.user, name="script")
    api = Api(raw)
    response = api.client.get("/api/v1/me", headers={**api.headers, "Host": "evil.example"})
    assert response.status_code == 400


def test_a_token_call_to_no_route_is_a_404(owner):
    _, raw = api_token_create(user=owner.user, name="script")
    api = Api(raw)
    response = api.client.get("/api/v1/no-such-thing", headers=api.headers)
    assert response.status_code == 404
    assert response["Content-Security-Policy"]


def test_a_browser_call_with_a_bearer_header_still_needs_its_csrf_token(owner, client_as):
    browser = client_as(owner)
    browser.handler.enforce_csrf_checks = True
    response = browser.post(
        "/api/v1/workspaces",
        {"name": "X", "slug": "x-ws"},
        content_type="application/json",
        headers={"Authorization": "Bearer not-a-token"},
    )
    assert response.status_code == 403  # the session falls back, with its CSRF check
