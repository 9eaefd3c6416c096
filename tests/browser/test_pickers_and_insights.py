"""Issue 14 item 7 in the browser: an initiative created from an insight, the duplicate
warning for a similar title, and a searchable key result picker that preselects nothing and
lists the current cycle first (axe-core: no serious or critical violation)."""

import re

import pytest
from playwright.sync_api import expect

from .test_overview_search_a11y import axe_page, axe_violations  # noqa: F401 (a fixture)
from .test_week_of_use import both_widths

pytestmark = pytest.mark.browser


def _serious(page) -> list[dict]:
    return [v for v in axe_violations(page) if v["impact"] in {"serious", "critical"}]


def test_an_insight_becomes_an_initiative_linked_through_a_searchable_picker(
    axe_page,  # noqa: F811
    tandem_server,
    screenshot,
):
    page = axe_page
    page.goto(f"{tandem_server.url}/w/acme/roadmap/insights/")
    card = page.locator("li.card[id^=insight-]").first
    insight = card.locator("h2").inner_text()
    start = card.get_by_role("link", name="Create initiative from this")
    again = start.get_attribute("href")
    start.click()
    expect(page.get_by_label("Title")).to_have_value(insight)
    expect(page.get_by_label("Description")).to_contain_text(f"From the insight “{insight}”")
    both_widths(page, screenshot, "insight-to-initiative-form")
    page.get_by_role("button", name="Create initiative").click()
    expect(page.locator("main")).to_contain_text(f"with “{insight}” as its evidence")
    first = page.url

    # The same insight again: created, with a warning naming the look-alike.
    page.goto(tandem_server.url + again)
    page.get_by_role("button", name="Create initiative").click()
    warning = re.compile(rf"Similar initiatives? already exists?: “{re.escape(insight)}”")
    expect(page.locator("main")).to_contain_text(warning)
    screenshot(page, "insight-similar-warning-1280")

    # Link a key result: nothing chosen up front, the current cycle's group first.
    page.goto(first)
    picker = page.locator("select[name=key_result]")
    expect(picker).to_have_value("")
    groups = picker.locator("optgroup")
    expect(groups.first).to_have_attribute("label", re.compile(r"\(current\)$"))
    wanted = groups.first.locator("option").nth(2).inner_text()
    total = picker.locator("option:not([value=''])").count()
    search = page.get_by_label("Filter Key result")
    search.fill(" ".join(wanted.split(" · ")[0].split()[:3]))
    expect(page.locator(".picker-count")).to_contain_text(f"of {total} match")
    shown = picker.locator("option:not([hidden]):not([value=''])")
    assert 1 <= shown.count() < total
    both_widths(page, screenshot, "key-result-picker-filtered")
    assert _serious(page) == []
    search.press("Enter")
    expect(picker).not_to_have_value("")
    chosen = picker.locator("option:checked").inner_text()
    page.get_by_role("button", name="Link", exact=True).click()
    expect(page.locator("main")).to_contain_text("now serves")
    expect(page.locator(".link-list").first).to_contain_text(chosen.split(" · ")[0])
