"""Idempotency-Key on POST: a retry returns the first answer and creates nothing; the same
key with another body is a 422; keys are per caller, bounded, and forgotten after 24 h."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from tandem.core.models import IdempotencyKey
from tandem.roadmaps.models import Initiative, Roadmap
from tests import factories

WS = "/api/v1/workspaces/acme-test"
KEY = {"Idempotency-Key": "7c0d6a0e-3f0b-4b7e-9a57-0d1f2c3b4a59"}


def test_five_posts_with_one_key_create_one_object_and_answer_the_same(owner, api_as):
    api = api_as(owner)
    roadmap = factories.make_roadmap(owner)
    body = {"roadmap_id": roadmap.pk, "title": "Offline mode"}

    answers = [api.post(f"{WS}/initiatives", body, KEY) for _ in range(5)]

    assert Initiative.objects.filter(title="Offline mode").count() == 1
    assert {a.status_code for a in answers} == {201}
    assert all(a.json == answers[0].json for a in answers)
    assert [a.get("Idempotent-Replayed") for a in answers] == [None] + ["true"] * 4
    assert {a["ETag"] for a in answers} == {'"1"'}


def test_the_same_body_with_other_spacing_or_key_order_is_the_same_request(owner, api_as):
    api = api_as(owner)
    first = api.post(f"{WS}/roadmaps", {"name": "Mobile", "description": "Apps"}, KEY)
    again = api.client.post(
        f"{WS}/roadmaps",
        data='{ "description": "Apps",   "name": "Mobile" }',
        content_type="application/json",
        headers={**api.headers, **KEY},
    )
    assert again.status_code == 201
    assert again.json() == first.json
    assert Roadmap.objects.filter(name="Mobile").count() == 1


def test_the_same_key_with_another_body_is_a_422_naming_the_header(owner, api_as, rows):
    api = api_as(owner)
    assert api.post(f"{WS}/roadmaps", {"name": "Mobile"}, KEY).status_code == 201
    before = rows()

    other = api.post(f"{WS}/roadmaps", {"name": "Web"}, KEY)

    assert other.status_code == 422
    assert other.json["errors"][0]["field"] == "Idempotency-Key"
    assert rows() == before


def test_the_same_key_on_another_address_is_another_request(owner, api_as):
    api = api_as(owner)
    assert api.post(f"{WS}/roadmaps", {"name": "Mobile"}, KEY).status_code == 201
    assert api.post(f"{WS}/pillars", {"name": "Mobile"}, KEY).status_code == 422


def test_keys_are_per_caller(owner, editor, api_as):
    body = {"roadmap_id": factories.make_roadmap(owner).pk, "title": "Offline mode"}
    mine = api_as(owner).post(f"{WS}/initiatives", body, KEY)
    theirs = api_as(editor).post(f"{WS}/initiatives", body, KEY)

    assert mine.status_code == theirs.status_code == 201
    assert theirs.get("Idempotent-Replayed") is None
    assert mine.json["id"] != theirs.json["id"]
    assert Initiative.objects.filter(title="Offline mode").count() == 2


def test_a_refused_request_keeps_nothing_so_the_key_can_be_used_again(owner, viewer, api_as):
    refused = api_as(owner).post(f"{WS}/roadmaps", {"name": ""}, KEY)
    assert refused.status_code == 422
    assert not IdempotencyKey.objects.exists()

    created = api_as(owner).post(f"{WS}/roadmaps", {"name": "Mobile"}, KEY)
    assert created.status_code == 201
    assert created.get("Idempotent-Replayed") is None


def test_a_request_still_in_flight_is_answered_409(owner, api_as, rows):
    api = api_as(owner)
    IdempotencyKey.objects.create(
        user=owner.user,
        key=KEY["Idempotency-Key"],
        fingerprint=_fingerprint_of(owner, api_as, {"name": "Mobile"}),
        lease="another-request",
        created=timezone.now(),
    )
    before = rows()

    response = api.post(f"{WS}/roadmaps", {"name": "Mobile"}, KEY)

    assert response.status_code == 409
    assert "still being processed" in response.json["detail"]
    assert rows() == before


def test_a_claim_whose_request_died_is_taken_over_after_the_lease(owner, api_as):
    fingerprint = _fingerprint_of(owner, api_as, {"name": "Mobile"})
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=3)):
        IdempotencyKey.objects.create(
            user=owner.user,
            key=KEY["Idempotency-Key"],
            fingerprint=fingerprint,
            lease="a-killed-worker",
            created=timezone.now(),
        )

    response = api_as(owner).post(f"{WS}/roadmaps", {"name": "Mobile"}, KEY)

    assert response.status_code == 201
    assert Roadmap.objects.filter(name="Mobile").count() == 1


def test_keys_are_forgotten_after_24_hours(owner, api_as):
    api = api_as(owner)
    body = {"roadmap_id": factories.make_roadmap(owner).pk, "title": "Offline mode"}
    assert api.post(f"{WS}/initiatives", body, KEY).status_code == 201
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        again = api.post(f"{WS}/initiatives", body, KEY)
    assert again.status_code == 201
    assert again.get("Idempotent-Replayed") is None
    assert Initiative.objects.filter(title="Offline mode").count() == 2
    assert IdempotencyKey.objects.count() == 1


@pytest.mark.parametrize(
    "key",
    ["", " ", "x" * 256, "caf\u00e9", "tab\there"],
    ids=["empty", "blank", "long", "latin", "tab"],
)
def test_a_key_that_is_not_1_to_255_printable_ascii_characters_is_a_422(key, owner, api_as, rows):
    api = api_as(owner)
    before = rows()
    response = api.post(f"{WS}/roadmaps", {"name": "Mobile"}, {"Idempotency-Key": key})
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "Idempotency-Key"
    assert rows() == before


def test_without_a_key_every_post_creates(owner, api_as):
    api = api_as(owner)
    api.post(f"{WS}/roadmaps", {"name": "Mobile"})
    api.post(f"{WS}/roadmaps", {"name": "Mobile 2"})
    assert Roadmap.objects.count() == 2
    assert not IdempotencyKey.objects.exists()


def test_every_post_documents_the_header_and_the_409(db, api_as):
    from django.test import Client

    schema = Client().get("/api/openapi.json").json()
    posts = [item["post"] for item in schema["paths"].values() if "post" in item]
    assert posts
    for operation in posts:
        assert "Idempotency-Key" in {p["name"] for p in operation["parameters"]}
        assert "409" in operation["responses"]


def _fingerprint_of(owner, api_as, body):
    """The fingerprint a request stores, read back from a real one: make it, take the
    row's fingerprint, then forget the row and what it made."""
    api = api_as(owner)
    api.post(f"{WS}/roadmaps", body, {"Idempotency-Key": "probe"})
    row = IdempotencyKey.objects.get(key="probe")
    Roadmap.objects.filter(name=body["name"]).delete()
    row.delete()
    return row.fingerprint
