"""Push sources: a script posts a value with the source's own secret."""

import json

from tandem.accounts.services import api_token_create
from tandem.activity.models import ChangeEvent
from tandem.okrs.models import CheckIn
from tandem.reviews.closing import cycle_close
from tandem.sources.models import DataSource, SourceRun
from tests.api.conftest import Api
from tests.sources.conftest import V1


def _push(client, url, secret, body, content_type="application/json"):
    data = json.dumps(body) if content_type == "application/json" else body
    return client.post(
        url, data=data, content_type=content_type, headers={"Authorization": f"Bearer {secret}"}
    )


def test_a_pushed_value_becomes_a_check_in_marked_with_its_source(api, key_result, client):
    made = api.put(f"{V1}/key-results/{key_result.pk}/source", {"kind": "push"})
    assert made.status_code == 201
    push_url, secret = made.json["push_url"], made.json["secret"]
    assert push_url.startswith("http://testserver/api/v1/push/") and secret.startswith("tsp_")
    assert DataSource.objects.get().secret_hash != secret  # only a hash is kept

    answer = _push(client, push_url, secret, {"value": 42})
    assert answer.status_code == 201, answer.content
    check_in = CheckIn.objects.get(key_result=key_result)
    assert (check_in.value, check_in.confidence, check_in.source) == (42, None, "push")
    assert check_in.author.user.email == "eddie@acme.test"
    key_result.refresh_from_db()
    assert key_result.current_value == 42
    # the same value again the same day: a run, not a second check-in
    assert (
        _push(client, push_url, secret, "value=42", "application/x-www-form-urlencoded").status_code
        == 201
    )
    assert CheckIn.objects.count() == 1 and SourceRun.objects.count() == 2
    assert (
        _push(
            client, push_url, secret, "value=57.5", "application/x-www-form-urlencoded"
        ).status_code
        == 201
    )
    key_result.refresh_from_db()
    assert key_result.current_value == 57.5

    # the secret is never shown again
    read = api.get(f"{V1}/key-results/{key_result.pk}/source")
    assert read.json["secret"] is None and read.json["push_url"] == push_url
    assert read.json["last_value"] == "57.5000"


def test_a_wrong_secret_gets_401_and_writes_nothing(api, key_result, client):
    made = api.put(f"{V1}/key-results/{key_result.pk}/source", {"kind": "push"})
    events = ChangeEvent.objects.count()
    for headers in ({"Authorization": "Bearer tsp_wrong"}, {}, {"Authorization": "Basic eA=="}):
        answer = client.post(
            made.json["push_url"],
            data='{"value": 1}',
            content_type="application/json",
            headers=headers,
        )
        assert answer.status_code == 401 and "secret" in answer.json()["detail"]
    assert (
        _push(
            client,
            made.json["push_url"].replace("push/", "push/x"),
            made.json["secret"],
            {"value": 1},
        ).status_code
        == 401
    )
    assert not CheckIn.objects.exists() and not SourceRun.objects.exists()
    assert ChangeEvent.objects.count() == events


def test_bad_pushes_are_refused_naming_the_value(api, key_result, client):
    made = api.put(f"{V1}/key-results/{key_result.pk}/source", {"kind": "push"})
    url, secret = made.json["push_url"], made.json["secret"]
    for body in (
        {"value": "lots"},
        {"value": True},
        {"count": 3},
        [1],
        {"value": "NaN"},
        {"value": 10**20},
    ):
        answer = _push(client, url, secret, body)
        assert answer.status_code == 422, body
        assert answer.json()["errors"][0]["field"] == "value"
    assert _push(client, url, secret, "not json").status_code == 422
    assert _push(client, url, secret, "42", "text/plain").status_code == 422
    huge = _push(client, url, secret, {"value": 1, "pad": "x" * 5000})
    assert huge.status_code == 413
    assert client.get(url).status_code == 405
    assert not CheckIn.objects.exists() and not SourceRun.objects.exists()


def test_rotating_the_secret_retires_the_old_one(api, key_result, client):
    made = api.put(f"{V1}/key-results/{key_result.pk}/source", {"kind": "push"})
    rotated = api.post(f"{V1}/key-results/{key_result.pk}/source/secret")
    assert rotated.status_code == 200 and rotated.json["secret"] != made.json["secret"]
    assert rotated.json["push_url"] == made.json["push_url"]
    assert (
        _push(client, made.json["push_url"], made.json["secret"], {"value": 1}).status_code == 401
    )
    assert (
        _push(client, made.json["push_url"], rotated.json["secret"], {"value": 1}).status_code
        == 201
    )
    assert ChangeEvent.objects.filter(action="secret_rotated").exists()


def test_switching_to_a_pull_drops_the_secret(api, key_result, client, allow_egress, feed):
    allow_egress("127.0.0.1")
    made = api.put(f"{V1}/key-results/{key_result.pk}/source", {"kind": "push"})
    pulled = api.put(
        f"{V1}/key-results/{key_result.pk}/source",
        {"kind": "json", "url": feed.url, "path": "teams"},
    )
    assert pulled.status_code == 200 and pulled.json["push_url"] is None
    assert pulled.json["every"] == "daily"
    assert (
        _push(client, made.json["push_url"], made.json["secret"], {"value": 1}).status_code == 401
    )


def test_viewers_cannot_set_or_see_secrets(owner, viewer, key_result, client_as):
    _, raw = api_token_create(user=viewer.user, name="v")
    refused = Api(raw).put(f"{V1}/key-results/{key_result.pk}/source", {"kind": "push"})
    assert refused.status_code == 403
    assert not DataSource.objects.exists()


def test_a_closed_cycle_takes_no_pushed_value(api, key_result, client, owner):
    made = api.put(f"{V1}/key-results/{key_result.pk}/source", {"kind": "push"})
    cycle_close(cycle=key_result.objective.cycle, by=owner)
    answer = _push(client, made.json["push_url"], made.json["secret"], {"value": 5})
    assert answer.status_code == 422 and "closed" in answer.json()["detail"]
    assert not CheckIn.objects.exists() and not SourceRun.objects.exists()
