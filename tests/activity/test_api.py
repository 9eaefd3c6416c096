"""The activity API: the feed of the workspace, a team and one object; your notifications;
webhooks and their deliveries for admins, with a URL that is not http(s) refused."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.activity.models import DeliveryStatus, Notification, Webhook, WebhookDelivery
from tandem.activity.watching import watch_start
from tandem.activity.webhooks import queue_delivery, webhook_create
from tandem.okrs.services import key_result_update
from tests import factories
from tests.reviews.test_api import Api, fields, rows


def test_feed_of_the_workspace_a_team_and_one_object(owner):
    team = factories.make_team(owner, name="Growth")
    objective = factories.make_objective(owner, team=team, title="Grow")
    key_result = factories.make_key_result(owner, objective=objective, title="NPS 50")
    other = factories.make_initiative(owner, title="Unrelated")
    key_result_update(key_result=key_result, by=owner, title="NPS 55", reason="Board ask")
    api = Api(owner)

    feed = api.get("/activity").json()
    latest = feed["items"][0]
    assert latest["text"] == "Olivia Owner edited 'NPS 55' (title NPS 50 → NPS 55)"
    assert (latest["reason"], latest["actor"], latest["kind"]) == (
        "Board ask",
        "Olivia Owner",
        "keyresult",
    )
    assert latest["before"] == {"title": "NPS 50"}

    one = api.get("/activity", entity=f"key_result-{key_result.pk}").json()
    assert {e["object_id"] for e in one["items"]} == {str(key_result.pk)}
    assert one["count"] == 2  # created, then edited
    of_team = api.get("/activity", team_id=team.pk).json()
    assert str(other.pk) not in {
        e["object_id"] for e in of_team["items"] if e["kind"] == "initiative"
    }
    assert {e["object_repr"] for e in of_team["items"]} >= {"Growth", "Grow", "NPS 55"}
    assert fields(api.get("/activity", entity="nonsense")) == ["entity"]
    assert fields(api.get("/activity", entity="initiative-99999")) == ["entity"]


@pytest.mark.django_db(transaction=True)
def test_notifications_list_and_mark_read(owner, editor):
    # Committed for real: watchers are notified after the commit, as in production.
    key_result = factories.make_key_result(owner, title="NPS 50")
    watch_start(obj=key_result, by=editor)
    for title in ("NPS 55", "NPS 60"):
        key_result_update(key_result=key_result, by=owner, title=title)
    api = Api(editor)
    unread = api.get("/notifications", unread="true").json()
    assert unread["count"] == 2
    assert "NPS 60" in unread["items"][0]["text"]
    first = unread["items"][1]["id"]
    assert api.send("post", "/notifications/read", {"notification_ids": [first]}).json() == {
        "marked": 1
    }
    assert api.get("/notifications", unread="true").json()["count"] == 1
    # The owner cannot mark the editor's notifications.
    Api(owner).send("post", "/notifications/read", {})
    assert api.send("post", "/notifications/read", {}).json() == {"marked": 1}
    assert api.get("/notifications").json()["count"] == 2


def test_webhooks_for_admins(owner):
    api = Api(owner)
    created = api.send(
        "post",
        "/webhooks",
        {"name": "#product", "url": "https://hooks.example/x", "events": ["conflict_opened"]},
    )
    assert created.status_code == 201
    hook = created.json()
    assert hook["format"] == "slack" and len(hook["secret"]) == 64
    assert [h["name"] for h in api.get("/webhooks").json()["items"]] == ["#product"]

    webhook = Webhook.objects.get()
    delivery = queue_delivery(webhook=webhook, event="conflict_opened", text="Late", url="/")
    delivery.status, delivery.attempts = DeliveryStatus.FAILED, 5
    delivery.last_error = "The receiver answered 500 Internal Server Error."
    delivery.save()
    failed = api.get("/webhook-deliveries", status="failed").json()["items"]
    assert failed[0]["last_error"] == "The receiver answered 500 Internal Server Error."
    assert failed[0]["attempts"] == 5
    retried = api.send("post", f"/webhook-deliveries/{delivery.pk}/retry").json()
    assert (retried["status"], retried["attempts"]) == ("pending", 0)
    # Only a failed delivery goes again: a pending or delivered one would arrive twice.
    again = api.send("post", f"/webhook-deliveries/{delivery.pk}/retry")
    assert again.status_code == 422
    assert again.json()["errors"] == [
        {"field": "status", "message": "Only a failed delivery can be sent again."}
    ]
    assert api.get("/webhook-deliveries", webhook_id=webhook.pk).json()["count"] == 1

    assert api.send("delete", f"/webhooks/{webhook.pk}").status_code == 204
    assert not Webhook.objects.exists() and not WebhookDelivery.objects.exists()


def test_a_webhook_url_must_be_http(owner):
    api = Api(owner)
    before = rows()
    for url in ["ftp://files.example/x", "javascript:alert(1)", "hooks.example"]:
        response = api.send("post", "/webhooks", {"url": url, "events": ["conflict_opened"]})
        assert fields(response) == ["url"], url
        assert "http:// or https://" in response.json()["errors"][0]["message"]
    assert fields(api.send("post", "/webhooks", {"url": "https://x.example", "events": []})) == [
        "events"
    ]
    assert rows() == before


def test_a_webhook_changes_only_what_is_sent(owner):
    api = Api(owner)
    webhook = webhook_create(
        name="#p", url="https://x.example", format="slack", events=["conflict_opened"], by=owner
    )
    before = rows()
    refused = api.send("patch", f"/webhooks/{webhook.pk}", {"url": "ftp://x.example"})
    assert fields(refused) == ["url"]
    assert rows() == before
    changed = api.send("patch", f"/webhooks/{webhook.pk}", {"format": "teams", "active": False})
    assert changed.status_code == 200
    body = changed.json()
    assert (body["format"], body["active"], body["url"]) == ("teams", False, "https://x.example")


def test_non_admins_cannot_touch_webhooks(owner, editor, viewer):
    webhook = webhook_create(
        name="#p", url="https://x.example", format="slack", events=["conflict_opened"], by=owner
    )
    delivery = queue_delivery(webhook=webhook, event="conflict_opened", text="x", url="/")
    clients = [Api(editor), Api(viewer)]
    before = rows()
    for api in clients:
        assert api.get("/webhooks").status_code == 403
        assert api.get("/webhook-deliveries").status_code == 403
        body = {"url": "https://y.example", "events": ["conflict_opened"]}
        assert api.send("post", "/webhooks", body).status_code == 403
        assert api.send("delete", f"/webhooks/{webhook.pk}").status_code == 403
        assert api.send("patch", f"/webhooks/{webhook.pk}", {"active": False}).status_code == 403
        assert api.send("post", f"/webhook-deliveries/{delivery.pk}/retry").status_code == 403
    assert rows() == before


def _queries(api, path, **params):
    with CaptureQueriesContext(connection) as queries:
        assert api.get(path, **params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("path", "params"),
    [("/activity", {}), ("/notifications", {}), ("/webhook-deliveries", {})],
)
def test_list_queries_do_not_grow_with_rows(owner, editor, path, params):
    webhook = webhook_create(
        name="#p", url="https://x.example", format="slack", events=["watched_change"], by=owner
    )

    def add(n):
        for _ in range(n):
            key_result = factories.make_key_result(owner)
            watch_start(obj=key_result, by=editor)
            key_result_update(key_result=key_result, by=editor, title="Renamed")
            queue_delivery(webhook=webhook, event="watched_change", text="x", url="/")
            Notification.objects.create(workspace=owner.workspace, recipient=owner, text="x")

    api = Api(owner)
    add(2)
    _queries(api, path, **params)  # warm: the token's first use is written once
    few = _queries(api, path, **params)
    add(10)
    assert _queries(api, path, **params) == few
