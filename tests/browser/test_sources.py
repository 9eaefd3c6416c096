"""A key result fed by a script: set a push source on the key result page, copy the curl
line, push a value and see it as a check-in marked with its source. Screenshots at 1280 and
390 px."""

import json
import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from .test_foundation import log_in

pytestmark = pytest.mark.browser

KEY_RESULT = "Grow mobile weekly active users from 4,200 to 7,000"


def _push(url: str, secret: str, value: object) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps({"value": value}).encode(),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_a_push_source_feeds_the_key_result(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    page.get_by_role("navigation", name=re.compile("Acme")).get_by_role(
        "link", name="OKRs", exact=True
    ).click()
    page.get_by_role("link", name=KEY_RESULT).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(KEY_RESULT)
    card = page.locator("section.source-card")
    expect(card).to_contain_text("No data source")

    # An internal address is refused on its field, and nothing is saved.
    card.get_by_label("Where the value comes from").select_option("json")
    card.get_by_label("Address").fill("http://127.0.0.1:5432/metrics")
    card.get_by_label("Path to the value").fill("data.users")
    card.get_by_role("button", name="Save source").click()
    expect(card.locator("#id_url_error")).to_contain_text("loopback address")
    expect(card).to_contain_text("No data source")

    card.get_by_label("Where the value comes from").select_option("push")
    card.get_by_role("button", name="Save source").click()
    expect(card).to_contain_text("shown only this once")
    secret = card.locator("#push-secret").input_value()
    curl = card.locator("#push-curl").input_value()
    assert secret.startswith("tsp_") and secret in curl
    push_url = re.search(r"curl -X POST (\S+)", curl)[1]  # type: ignore[index]
    assert push_url.startswith(f"{tandem_server.url}/api/v1/push/")
    screenshot(page, "source-push-secret")

    assert _push(push_url, "tsp_wrong", 5100) == 401
    assert _push(push_url, secret, 5100) == 201
    page.reload()
    expect(card).not_to_contain_text("shown only this once")
    expect(card.locator("#push-curl")).to_have_value(re.compile("Bearer YOUR_SECRET"))
    expect(card.locator(".source-facts")).to_contain_text("5,100")
    expect(card.locator(".source-runs")).to_contain_text("checked in")
    expect(page.get_by_role("heading", name=re.compile("^Now: 5,100"))).to_be_visible()
    expect(page.locator("#history-check-ins + .table-scroll tbody tr").first).to_contain_text(
        "from its push source"
    )
    card.scroll_into_view_if_needed()
    screenshot(page, "source-key-result")

    page.set_viewport_size({"width": 390, "height": 844})
    card.scroll_into_view_if_needed()
    screenshot(page, "source-key-result-390")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide at 390 px"
    # The refused address answered 422 with the form and its error, as it should.
    assert [e for e in page.console_errors if "422" not in e] == []
