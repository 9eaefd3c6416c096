"""The forecast as a user meets it in the demo: a figure beside each key result and
objective, and a fan from the latest check-in to the end of the cycle on the key result's
chart. Screenshots at 1280 and 390 px."""

import re

import pytest
from playwright.sync_api import expect

from .test_foundation import log_in

pytestmark = pytest.mark.browser

KEY_RESULT = "Raise week-1 activation from 38% to 50%"


def test_forecasts_in_the_list_the_tree_and_on_the_chart(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    page.get_by_role("navigation", name=re.compile("Acme")).get_by_role(
        "link", name="OKRs", exact=True
    ).click()
    row = page.locator("li.kr", has_text=KEY_RESULT)
    expect(row.locator(".likely")).to_have_text(re.compile(r"^\d{1,3} % likely$"))
    # A key result of the next quarter has no check-in yet: no number, the reason on hover.
    page.get_by_role("link", name="Alignment tree").click()
    expect(page.locator(".tree-figures .likely").first).to_have_text(
        re.compile(r"^\d{1,3} % likely$")
    )
    screenshot(page, "forecast-tree")

    page.get_by_role("link", name="By team").click()
    page.get_by_role("link", name=KEY_RESULT).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(KEY_RESULT)
    chart = page.locator("svg.kr-chart-svg")
    expect(chart.locator("polygon.chart-fan")).to_have_count(1)
    expect(chart.locator("circle.chart-forecast")).to_have_count(1)
    summary = page.locator(".forecast-summary")
    expect(summary).to_contain_text(re.compile(r"\d{1,3} % likely\s+to reach 50% by"))
    expect(summary).to_contain_text("Trend of")
    screenshot(page, "forecast-key-result")

    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "forecast-key-result-390")
    page.go_back()
    page.get_by_role("link", name="Alignment tree").click()
    screenshot(page, "forecast-tree-390")
    assert page.console_errors == []
