"""Webhooks delivered to a receiver this test starts on 127.0.0.1 (allowed on purpose, as
an admin would with TANDEM_EGRESS_ALLOW): payload, signature with time, delivery id,
retry, the egress guard's refusals at creation and at delivery, and a user's request
that never waits on the receiver."""

import datetime
import json
import re
import socket
import threading
import uuid
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from tandem.activity import webhooks
from tandem.activity.models import DeliveryStatus, Webhook, WebhookDelivery
from tandem.okrs.services import key_result_check_in
from tests import factories
from tests.conftest import PUBLIC_ADDRESS
from tests.reviews.test_api import Api, fields, rows

pytestmark = pytest.mark.django_db(transaction=True)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


class Receiver:
    """A local HTTP server: records requests; answers with the next queued status."""

    def __init__(self, statuses=(200,), hang=0.0, location=""):
        self.requests = []
        self.statuses = list(statuses)
        self.released = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                if hang:
                    receiver.released.wait(hang)
                status = (
                    receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                )
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.released.set()
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


@pytest.fixture
def local(allow_egress):
    """This machine's receivers are internal: allowed on purpose, as an admin would."""
    allow_egress("127.0.0.1")


def _low_confidence_check_in(owner, **hook):
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


def _documented_verify():
    """The receiver's verify() exactly as docs/webhooks.md prints it."""
    code = re.search(r"```python\n(.*?)```", DOCS.read_text(), re.S)[1]
    namespace: dict = {}
    exec(code, namespace)
    return namespace["verify"]


def test_a_low_confidence_check_in_reaches_slack_signed(owner, receiver, local):
    r = receiver()
    hook = _low_confidence_check_in(owner, name="#product", url=r.url, format="slack")

    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert webhooks.deliver_webhook.call(delivery.pk) == "delivered"

    headers, body = r.requests[0]
    assert headers["X-Tandem-Event"] == "low_confidence"
    assert headers["X-Tandem-Delivery"] == str(delivery.uuid)
    payload = json.loads(body)
    assert "A check-in at low confidence" in payload["text"]
    assert payload["blocks"][0]["type"] == "section"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1


def test_the_documented_verification_accepts_a_real_delivery_and_refuses_a_replay(
    owner, receiver, local
):
    verify = _documented_verify()
    r = receiver()
    hook = _low_confidence_check_in(owner, name="#product", url=r.url, format="slack")
    webhooks.deliver_webhook.call(WebhookDelivery.objects.get().pk)
    headers, body = r.requests[0]
    signature = headers["X-Tandem-Signature"]
    sent_at = int(re.match(r"t=(\d+),v1=[0-9a-f]{64}$", signature)[1])

    assert verify(hook.secret, signature, body)
    assert verify(hook.secret, signature, body, now=sent_at + 299)
    assert not verify(hook.secret, signature, body, now=sent_at + 301)  # a replay, later
    tampered = body.replace(b"Olivia", b"Oscar")
    assert tampered != body and not verify(hook.secret, signature, tampered)
    assert not verify("another secret", signature, body)
    # The old body-only signature, or a new time put on the old HMAC, does not pass.
    v1 = signature.split("v1=")[1]
    assert not verify(hook.secret, f"t={sent_at + 600},v1={v1}", body, now=sent_at + 600)
    assert not verify(hook.secret, f"sha256={v1}", body)


def test_teams_gets_a_message_card(owner, receiver, local):
    r = receiver()
    _low_confidence_check_in(owner, name="Teams", url=r.url, format="teams")
    webhooks.deliver_webhook.call(WebhookDelivery.objects.get().pk)
    card = json.loads(r.requests[0][1])
    assert card["@type"] == "MessageCard"
    assert card["potentialAction"][0]["targets"][0]["uri"].startswith("http")


def test_a_failed_delivery_is_retried_with_the_same_id_and_shown(owner, receiver, local):
    r = receiver(statuses=[500, 200])
    _low_confidence_check_in(owner, name="Flaky", url=r.url, format="slack")
    delivery = WebhookDelivery.objects.get()

    outcome = webhooks.deliver_webhook.call(delivery.pk)
    assert outcome.startswith("retry at")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error == "HTTP 500"

    assert webhooks.deliver_webhook.call(delivery.pk) == "delivered"
    assert len(r.requests) == 2
    (first, first_body), (second, second_body) = r.requests
    assert first_body == second_body  # the same body, sent again
    # ...under the same delivery id, for the receiver to drop if it saw the first one.
    assert first["X-Tandem-Delivery"] == second["X-Tandem-Delivery"] == str(delivery.uuid)
    assert uuid.UUID(first["X-Tandem-Delivery"]).version == 4


def test_every_delivery_has_its_own_id(owner, receiver, local):
    r = receiver()
    _low_confidence_check_in(owner, name="#p", url=r.url, format="slack")
    _low_confidence_check_in(owner, name="#q", url=r.url, format="slack")
    for delivery in WebhookDelivery.objects.all():
        webhooks.deliver_webhook.call(delivery.pk)
    ids = [headers["X-Tandem-Delivery"] for headers, _ in r.requests]
    assert len(ids) == 3 and len(set(ids)) == 3  # 1 + 2: the first hook hears both check-ins


def test_after_five_failures_the_delivery_is_failed(owner, receiver, local, client_as):
    r = receiver(statuses=[500])
    _low_confidence_check_in(owner, name="Down", url=r.url, format="slack")
    delivery = WebhookDelivery.objects.get()
    for _ in range(webhooks.MAX_ATTEMPTS):
        webhooks.deliver_webhook.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 5
    page = client_as(owner).get(f"/w/{owner.workspace.slug}/settings/webhooks/").content.decode()
    assert "Failed" in page and "HTTP 500" in page


def test_a_hanging_receiver_never_blocks_the_request(owner, receiver, local):
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


def test_a_hanging_receiver_is_a_timeout(owner, receiver, local, monkeypatch):
    monkeypatch.setattr(webhooks, "TIMEOUT_SECONDS", 0.5)
    r = receiver(hang=30)
    _low_confidence_check_in(owner, name="Slow", url=r.url, format="slack")
    webhooks.deliver_webhook.call(WebhookDelivery.objects.get().pk)
    assert WebhookDelivery.objects.get().last_error == "timeout"


def test_a_closed_port_is_recorded_without_the_port(owner, local):
    with socket.socket() as probe:  # a port nothing listens on once this closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _low_confidence_check_in(
        owner, name="Gone", url=f"http://127.0.0.1:{port}/hook", format="slack"
    )
    webhooks.deliver_webhook.call(WebhookDelivery.objects.get().pk)
    assert WebhookDelivery.objects.get().last_error == "connection refused"


# ---------------------------------------------------------------- the egress guard

INTERNAL = [
    "http://127.0.0.1:9/",
    "http://localhost/",
    "http://[::1]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fd00:ec2::254]/",
    "http://10.0.0.1/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://[::ffff:127.0.0.1]/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://intranet.test/",  # a DNS name resolving to 127.0.0.1
]


@pytest.fixture
def intranet(dns):
    dns["intranet.test"] = ["127.0.0.1"]


@pytest.mark.django_db
def test_internal_urls_are_refused_by_the_api(owner, intranet):
    api = Api(owner)
    before = rows()
    for url in INTERNAL:
        response = api.send("post", "/webhooks", {"url": url, "events": ["conflict_opened"]})
        assert fields(response) == ["url"], url
        assert "refused: " in response.json()["errors"][0]["message"], url
    assert rows() == before  # 0 of 12 accepted


@pytest.mark.django_db
@pytest.mark.parametrize("url", INTERNAL)
def test_an_internal_url_is_refused_by_the_service_with_its_reason(owner, intranet, url):
    with pytest.raises(ValidationError) as error:
        webhooks.webhook_create(
            name="x", url=url, format="slack", events=["conflict_opened"], by=owner
        )
    [message] = error.value.message_dict["url"]
    reason = re.search(r"\(refused: (.*?)\)", message)[1]
    assert reason in {"loopback address", "cloud metadata address", "private address"}


@pytest.mark.django_db
def test_an_internal_url_is_refused_on_change_and_on_the_page(owner, intranet, client_as):
    hook = webhooks.webhook_create(
        name="#p",
        url="https://hooks.example/x",
        format="slack",
        events=["conflict_opened"],
        by=owner,
    )
    api = Api(owner)
    refused = api.send("patch", f"/webhooks/{hook.pk}", {"url": "http://intranet.test/admin"})
    assert fields(refused) == ["url"]
    hook.refresh_from_db()
    assert hook.url == "https://hooks.example/x"

    response = client_as(owner).post(
        f"/w/{owner.workspace.slug}/settings/webhooks/",
        {"name": "x", "url": "http://169.254.169.254/", "events": ["conflict_opened"]}
        | {"format": "slack"},
    )
    assert response.status_code == 422
    assert "refused: cloud metadata address" in response.content.decode()
    assert Webhook.objects.count() == 1


@pytest.mark.django_db
def test_an_unknown_host_is_refused_at_creation(owner):
    with pytest.raises(ValidationError) as error:
        webhooks.webhook_create(
            name="x",
            url="https://nowhere.test/",
            format="slack",
            events=["conflict_opened"],
            by=owner,
        )
    assert error.value.message_dict["url"] == [
        "Tandem does not send to this URL (refused: could not resolve host)."
    ]


def test_a_redirect_to_loopback_is_not_followed(owner, receiver, dns, allow_egress):
    # A public-looking name (allowed by name, so a server here can play it) answers 302
    # towards another server on 127.0.0.1, which must never hear from us.
    inside = receiver()
    r = receiver(statuses=[302], location=inside.url)
    dns["hooks.partner.test"] = ["127.0.0.1"]
    allow_egress("hooks.partner.test")
    _low_confidence_check_in(
        owner, name="Moved", url=f"http://hooks.partner.test:{r.port}/hook", format="slack"
    )
    webhooks.deliver_webhook.call(WebhookDelivery.objects.get().pk)

    assert len(r.requests) == 1 and inside.requests == []
    assert r.requests[0][0]["Host"] == f"hooks.partner.test:{r.port}"
    delivery = WebhookDelivery.objects.get()
    assert delivery.last_error == "HTTP 302 (redirects are not followed)"
    assert delivery.status == DeliveryStatus.PENDING  # retried later, like any failure


def test_a_name_rebound_to_loopback_after_creation_is_refused_at_delivery(owner, receiver, dns):
    r = receiver()
    dns["rebind.example"] = [PUBLIC_ADDRESS]
    _low_confidence_check_in(
        owner, name="Rebind", url=f"http://rebind.example:{r.port}/hook", format="slack"
    )
    dns["rebind.example"] = ["127.0.0.1"]  # the attacker's DNS answers differently now
    webhooks.deliver_webhook.call(WebhookDelivery.objects.get().pk)

    assert r.requests == []
    assert WebhookDelivery.objects.get().last_error == "refused: loopback address"


def test_the_webhook_url_must_be_http(owner):
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


@pytest.mark.django_db
def test_staff_cannot_point_a_webhook_elsewhere_from_the_admin(owner, admin_client):
    hook = webhooks.webhook_create(
        name="#p",
        url="https://hooks.example/x",
        format="slack",
        events=["conflict_opened"],
        by=owner,
    )
    assert admin_client.get("/admin/activity/webhook/add/").status_code == 403
    form = {"workspace": owner.workspace_id, "name": "#p", "url": "http://127.0.0.1:9/"}
    form |= {"format": "slack", "events": '["conflict_opened"]', "active": "on"}
    form |= {"created_at_0": "2026-12-01", "created_at_1": "10:00:00", "version": hook.version}
    response = admin_client.post(f"/admin/activity/webhook/{hook.pk}/change/", form)
    assert response.status_code == 302  # saved: the name and the rest, not the URL
    hook.refresh_from_db()
    assert hook.url == "https://hooks.example/x"
