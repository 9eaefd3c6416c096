"""The Integrations page in the browser: an admin adds a GitHub endpoint, GitHub's ping
arrives signed with its secret, and the page shows it received."""

import hashlib
import hmac
import json
import urllib.request
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.test_foundation import log_in

pytestmark = pytest.mark.browser


def test_a_github_endpoint_receives_its_ping(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    page.goto(f"{tandem_server.url}/w/acme/settings/integrations/")
    expect(page.get_by_role("heading", name="Integrations", exact=True)).to_be_visible()

    page.get_by_label("Tracker").select_option("github")
    name = f"acme/app {uuid.uuid4().hex[:6]}"
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Add integration").click()
    expect(page.get_by_text("is ready: paste its address into GitHub")).to_be_visible()

    item = page.locator("li.integration", has_text=name)
    address = item.locator("code.integration-url").inner_text()
    secret = item.locator("code.integration-secret").inner_text()
    path = address.split("/hooks/", 1)[1]
    body = json.dumps({"zen": "Keep it logically awesome.", "hook_id": 1}).encode()
    request = urllib.request.Request(
        f"{tandem_server.url}/hooks/{path}",
        data=body,
        headers={
            "Content-Type": "application/json",
            "X-GitHub-Event": "ping",
            "X-GitHub-Delivery": str(uuid.uuid4()),
            "X-Hub-Signature-256": "sha256="
            + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest(),
        },
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200

    page.reload()
    expect(page.get_by_text("GitHub's ping: the endpoint is reachable.")).to_be_visible()
    screenshot(page, "integrations")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "integrations-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.console_errors == []
