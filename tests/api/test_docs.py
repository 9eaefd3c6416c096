"""The API describes itself: OpenAPI JSON and Swagger UI, served from our own origin."""

import re

from django.test import Client

EXPECTED = {
    ("get", "/api/v1/me"),
    ("get", "/api/v1/workspaces"),
    ("get", "/api/v1/workspaces/{workspace}"),
    ("get", "/api/v1/workspaces/{workspace}/members"),
    ("post", "/api/v1/workspaces/{workspace}/members"),
    ("patch", "/api/v1/workspaces/{workspace}/members/{member_id}"),
    ("get", "/api/v1/workspaces/{workspace}/strategy"),
    ("put", "/api/v1/workspaces/{workspace}/strategy"),
    ("get", "/api/v1/workspaces/{workspace}/pillars"),
    ("post", "/api/v1/workspaces/{workspace}/pillars"),
    ("get", "/api/v1/workspaces/{workspace}/pillars/{pillar_id}"),
    ("patch", "/api/v1/workspaces/{workspace}/pillars/{pillar_id}"),
    ("post", "/api/v1/workspaces/{workspace}/pillars/{pillar_id}/archive"),
    ("get", "/api/v1/workspaces/{workspace}/teams"),
    ("post", "/api/v1/workspaces/{workspace}/teams"),
    ("get", "/api/v1/workspaces/{workspace}/teams/{team_id}"),
    ("patch", "/api/v1/workspaces/{workspace}/teams/{team_id}"),
}


def test_openapi_lists_the_operations_with_both_ways_to_authenticate(db):
    response = Client().get("/api/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    operations = {(m, path) for path, item in schema["paths"].items() for m in item}
    assert operations >= EXPECTED
    assert set(schema["components"]["securitySchemes"]) == {"BearerToken", "BrowserSession"}
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


def test_openapi_documents_the_error_bodies(db):
    schema = Client().get("/api/openapi.json").json()

    create_team = schema["paths"]["/api/v1/workspaces/{workspace}/teams"]["post"]
    assert set(create_team["responses"]) == {"201", "401", "403", "404", "409", "422", "429"}
    invalid = schema["components"]["schemas"]["Invalid"]
    assert set(invalid["properties"]) == {"detail", "errors"}


def test_the_docs_page_loads_everything_from_our_own_origin(owner, client_as):
    response = client_as(owner).get("/api/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert not re.search(r"(https?:)?//", html), "the docs page must not reference another site"
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert Client().get(asset).status_code == 200, asset


def test_only_the_docs_page_allows_inline_styles(owner, client_as):
    client = client_as(owner)

    docs = client.get("/api/docs")["Content-Security-Policy"]
    api = client.get("/api/v1/me")["Content-Security-Policy"]

    assert "style-src 'self' 'unsafe-inline'" in docs
    assert "script-src 'self';" in docs, "Swagger UI runs without inline script"
    assert "'unsafe-inline'" not in api
