"""The Integrations page: admins create endpoints and see their address, secret and what
each delivery did; nobody else gets in."""

import pytest

from tandem.integrations.models import TrackerEndpoint


def test_an_admin_creates_an_endpoint_and_sees_its_address(owner, client_as):
    client = client_as(owner)
    page = "/w/acme-test/settings/integrations/"

    response = client.post(page, {"kind": "github", "name": "acme/app"}, follow=True)

    endpoint = TrackerEndpoint.objects.get()
    text = response.content.decode()
    assert f"/hooks/{endpoint.token}/" in text
    assert endpoint.secret in text
    assert "Nothing received yet." in text


def test_linear_without_its_secret_is_refused_naming_the_field(owner, client_as):
    response = client_as(owner).post(
        "/w/acme-test/settings/integrations/", {"kind": "linear", "name": "acme"}
    )

    assert response.status_code == 422
    assert "Paste the signing secret Linear shows" in response.content.decode()
    assert not TrackerEndpoint.objects.exists()


@pytest.mark.parametrize("persona", ["editor", "viewer"])
def test_others_are_kept_out(persona, request, owner, client_as):
    client = client_as(request.getfixturevalue(persona))
    assert client.get("/w/acme-test/settings/integrations/").status_code == 403
    assert client.post("/w/acme-test/settings/integrations/", {"kind": "jira"}).status_code == 403
    assert not TrackerEndpoint.objects.exists()
