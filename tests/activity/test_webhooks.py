"""Webhooks delivered to a receiver this test starts on 127.0.0.1: payload, signature,
retry after a failure, and a user's request that never waits on the receiver."""

import datetime
import hashlib
import hmac
import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError

from tandem.activity import webhooks
from tandem.activity.models import DeliveryStatus, WebhookDelivery
from tandem.okrs.services import key_result_check_in
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


class Receiver:
    """A local HTTP server: records requests; answers with the next queued status."""

    def __init__(self, statuses=(200,), hang=0.0):
        self.requests = []
        self.statuses = list(statuses)
        self.hang = hang
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                if receiver.hang:
                    threading.Event().wait(receiver.hang)
                status = (
                    receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                )
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(**kwargs):
        made.append(Receiver(**kwargs))
        return made[-1]

    yield make
    for r in made:
        r.close()


def _low_confidence_check_in(owner, django_capture_on_commit_callbacks, **hook):
    # These tests commit for real (transaction=True): after-commit work runs as in production.
    made = webhooks.webhook_create(by=owner, events=["low_confidence"], **hook)
    key_result = factories.make_key_result(owner)
    key_result_check_in(
        key_result=key_result,
        value=Decimal(5),
        confidence=2,
        note="Blocked on legal",
        date=datetime.date(2026, 10, 8),
        by=owner,
    )
    return made


def test_a_low_confidence_check_in_reaches_slack_signed(
    owner, receiver, django_capture_on_commit_callbacks
):
    r = receiver()
    hook = _low_confidence_check_in(
        owner, django_capture_on_commit_callbacks, name="#product", url=r.url, format="slack"
    )

    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert webhooks.deliver_webhook.call(delivery.pk) == "delivered"

    headers, body = r.requests[0]
    expected = "sha256=" + hmac.new(hook.secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Tandem-Signature"] == expected
    assert headers["X-Tandem-Event"] == "low_confidence"
    payload = json.loads(body)
    assert "A check-in at low confidence" in payload["text"]
    assert payload["blocks"][0]["type"] == "section"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1


def test_teams_gets_a_message_card(owner, receiver, django_capture_on_commit_callbacks):
    r = receiver()
    _low_confidence_check_in(
        owner, django_capture_on_commit_callbacks, name="Teams", url=r.url, format="teams"
    )
    webhooks.deliver_webhook.call(WebhookDelivery.objects.get().pk)
    card = json.loads(r.requests[0][1])
    assert card["@type"] == "MessageCard"
    assert card["potentialAction"][0]["targets"][0]["uri"].startswith("http")


def test_a_failed_delivery_is_retried_and_shown(
    owner, receiver, django_capture_on_commit_callbacks
):
    r = receiver(statuses=[500, 200])
    _low_confidence_check_in(
        owner, django_capture_on_commit_callbacks, name="Flaky", url=r.url, format="slack"
    )
    delivery = WebhookDelivery.objects.get()

    outcome = webhooks.deliver_webhook.call(delivery.pk)
    assert outcome.startswith("retry at")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error == "The receiver answered 500 Internal Server Error."

    assert webhooks.deliver_webhook.call(delivery.pk) == "delivered"
    assert len(r.requests) == 2
    assert r.requests[0][1] == r.requests[1][1]  # the same signed body, sent again


def test_after_five_failures_the_delivery_is_failed(
    owner, receiver, django_capture_on_commit_callbacks, client_as
):
    r = receiver(statuses=[500])
    _low_confidence_check_in(
        owner, django_capture_on_commit_callbacks, name="Down", url=r.url, format="slack"
    )
    delivery = WebhookDelivery.objects.get()
    for _ in range(webhooks.MAX_ATTEMPTS):
        webhooks.deliver_webhook.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 5
    page = client_as(owner).get(f"/w/{owner.workspace.slug}/settings/webhooks/").content.decode()
    assert "Failed" in page and "answered 500" in page


def test_a_hanging_receiver_never_blocks_the_request(owner, receiver, client_as):
    r = receiver(hang=30)
    webhooks.webhook_create(
        name="Slow", url=r.url, format="slack", events=["low_confidence"], by=owner
    )
    key_result = factories.make_key_result(owner)
    # The check-in request itself makes no HTTP call: it only queues the delivery.
    key_result_check_in(
        key_result=key_result,
        value=Decimal(1),
        confidence=1,
        date=datetime.date(2026, 10, 8),
        by=owner,
    )
    assert r.requests == []


def test_webhook_url_must_be_http(owner):
    with pytest.raises(ValidationError) as error:
        webhooks.webhook_create(
            name="x",
            url="ftp://example.test/",
            format="slack",
            events=["conflict_opened"],
            by=owner,
        )
    assert "url" in error.value.message_dict


def test_the_webhook_form_names_the_url_field(owner, client_as):
    response = client_as(owner).post(
        f"/w/{owner.workspace.slug}/settings/webhooks/",
        {
            "name": "x",
            "url": "javascript:alert(1)",
            "format": "slack",
            "events": ["conflict_opened"],
        },
    )
    assert response.status_code == 422
    assert "The webhook URL must start with http:// or https://." in response.content.decode()
