"""Two tabs editing one objective in a real browser: the later save is refused, the form
comes back with what the first tab saved, a message above it and what the second tab had
typed. Screenshots at 1280 and 390 px."""

import re

import pytest
from playwright.sync_api import expect

from .test_foundation import log_in

pytestmark = pytest.mark.browser


def test_a_second_tab_does_not_overwrite_the_first(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    page.goto(f"{tandem_server.url}/w/acme/okrs/")
    hrefs = page.locator("a[href*='/objectives/']").evaluate_all("links => links.map(a => a.href)")
    detail = next(href for href in hrefs if re.search(r"/objectives/\d+/$", href))
    edit_url = detail + "edit/"
    page.goto(edit_url)
    title = page.get_by_label("Title")
    original = title.input_value()

    other_tab = page.context.new_page()
    other_tab.goto(edit_url)
    other_tab.get_by_label("Title").fill(f"{original} (agreed with sales)")
    other_tab.get_by_role("button", name="Save objective").click()
    expect(other_tab.get_by_text("Objective saved.")).to_be_visible()
    other_tab.close()

    title.fill(f"{original} (my wording)")
    page.get_by_label("Description").fill("Why this matters, as I see it.")
    page.get_by_role("button", name="Save objective").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Someone else saved this objective while you were editing it")
    expect(alert).to_contain_text(f"{original} (my wording)")
    expect(alert).to_contain_text("Why this matters, as I see it.")
    expect(title).to_have_value(f"{original} (agreed with sales)")
    screenshot(page, "stale-form-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "stale-form-390")
    # Chromium logs the page's own 409 as a failed load; nothing else may fail.
    assert [e for e in page.console_errors if "409 (Conflict)" not in e] == []

    # The form now holds the current version: saving it again goes through.
    page.get_by_role("button", name="Save objective").click()
    expect(page.get_by_text("Objective saved.")).to_be_visible()
