"""The webhooks page in the browser: an address inside the network is refused beside the
URL field, and nothing is added."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_foundation import log_in

pytestmark = pytest.mark.browser


def test_a_metadata_url_is_refused_beside_the_field(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    page.goto(f"{tandem_server.url}/w/acme/settings/webhooks/")
    expect(page.get_by_role("heading", name="Webhooks", exact=True)).to_be_visible()
    receivers = page.locator("li.webhook").count()

    # An IP literal: the server under test resolves no name, so no DNS is asked.
    page.get_by_label("Name").fill("Metadata")
    page.get_by_label("URL").fill("http://169.254.169.254/latest/meta-data/")
    page.get_by_label("Low confidence").check()
    page.get_by_role("button", name="Add webhook").click()

    expect(page.get_by_text("refused: cloud metadata address")).to_be_visible()
    expect(page.get_by_label("URL")).to_have_value("http://169.254.169.254/latest/meta-data/")
    assert page.locator("li.webhook").count() == receivers
    screenshot(page, "webhooks-refused")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_text("refused: cloud metadata address")).to_be_visible()
    screenshot(page, "webhooks-refused-390")
    assert [e for e in page.console_errors if "422" not in e] == []
