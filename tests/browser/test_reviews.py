"""A quarterly OKR review in the browser: schedule, open, decide, and see it in the feed."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_foundation import log_in

pytestmark = pytest.mark.browser


def test_quarterly_review_decision_reaches_the_feed(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    page.get_by_role("link", name="Reviews", exact=True).click()
    expect(page.get_by_role("heading", name="Reviews", exact=True)).to_be_visible()

    # Bad input: no attendees is refused, naming the field.
    page.get_by_label("Kind").select_option("okr_review")
    page.get_by_label("Title").fill("Q2 OKR review")
    page.get_by_label("When").fill("2026-06-26T10:00")
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text("Invite at least one attendee.")).to_be_visible()

    page.get_by_label("When").fill("2026-06-26T10:00")
    page.locator("input[name=attendees]").first.check()
    page.locator("input[name=attendees]").nth(1).check()
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_role("heading", name="Q2 OKR review")).to_be_visible()

    page.get_by_role("button", name="Open review").click()
    expect(page.get_by_role("heading", name=re.compile("^Agenda"))).to_be_visible()

    page.get_by_role("textbox", name="Decision").fill("Move the SSO launch to next quarter")
    # By name: the searchable picker's filter box is labelled "Filter It changes".
    page.locator("select[data-picker]").first.select_option(index=1)
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    page.get_by_role("textbox", name="Action item").fill("Tell the sales team")
    page.get_by_role("button", name="Add action item").click()
    expect(page.get_by_text("Action item added.")).to_be_visible()
    screenshot(page, "review-quarterly")

    page.get_by_role("link", name="Activity", exact=True).first.click()
    expect(page.get_by_text("Move the SSO launch to next quarter").first).to_be_visible()
    page.goto(f"{tandem_server.url}/w/acme/activity/")
    expect(page.get_by_text("Move the SSO launch to next quarter").first).to_be_visible()
    screenshot(page, "activity-feed")

    page.goto(f"{tandem_server.url}/w/acme/reviews/baselines/")
    page.get_by_label("Name").fill("Before the review")
    page.get_by_role("button", name="Take a baseline now").click()
    expect(page.get_by_text("Baseline “Before the review” taken.")).to_be_visible()
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name=re.compile("→ Now"))).to_be_visible()
    screenshot(page, "baseline-comparison")
    # The one 422 is the refused form without attendees, above.
    assert [e for e in page.console_errors if "422" not in e] == []
