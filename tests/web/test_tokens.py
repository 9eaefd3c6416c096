"""Personal API tokens from the settings page."""

import re

from django.urls import reverse

from tandem.accounts.models import ApiToken
from tandem.accounts.services import api_token_authenticate, api_token_create


def test_token_page_lists_only_my_tokens(owner, outsider, client_as):
    api_token_create(user=owner.user, name="CI export")
    api_token_create(user=outsider.user, name="Globex sync")
    html = client_as(owner).get(reverse("token_list")).content.decode()
    assert "CI export" in html
    assert "Globex sync" not in html
    assert "never" in html  # last used


def test_creating_a_token_shows_it_once_and_it_works(owner, client_as):
    client = client_as(owner)
    response = client.post(reverse("token_list"), {"name": "Nightly report", "scope": "write"})
    html = response.content.decode()
    assert "Copy it now: it is shown only this once." in html
    raw = re.search(r'value="(tdm_[^"]+)"', html).group(1)
    assert api_token_authenticate(raw) == owner.user
    assert response["Cache-Control"] == "no-store"
    again = client.get(reverse("token_list")).content.decode()
    assert raw not in again
    assert "Nightly report" in again


def test_token_needs_a_name(owner, client_as):
    html = client_as(owner).post(reverse("token_list"), {"name": "  "}).content.decode()
    assert 'id="id_name_error"' in html
    assert not ApiToken.objects.filter(user=owner.user).exists()


def test_revoking_my_token(owner, client_as):
    token, raw = api_token_create(user=owner.user, name="Old script")
    response = client_as(owner).post(
        reverse("token_revoke", kwargs={"token_id": token.pk}), follow=True
    )
    html = response.content.decode()
    assert "Token “Old script” is revoked" in html
    assert "Revoked" in html
    assert api_token_authenticate(raw) is None


def test_revoking_someone_elses_token_is_404_and_changes_nothing(owner, outsider, client_as):
    token, raw = api_token_create(user=outsider.user, name="Globex sync")
    response = client_as(owner).post(reverse("token_revoke", kwargs={"token_id": token.pk}))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert api_token_authenticate(raw) == outsider.user


def test_revoke_is_post_only(owner, client_as):
    token, _ = api_token_create(user=owner.user, name="Keep me")
    url = reverse("token_revoke", kwargs={"token_id": token.pk})
    assert client_as(owner).get(url).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_pages_need_login(client):
    assert client.get(reverse("token_list"))["Location"].startswith(reverse("login"))
