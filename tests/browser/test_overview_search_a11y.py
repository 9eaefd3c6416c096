"""The executive overview (and its one-sheet print), search from the header and the Ctrl-K
palette, the phone header, the dark theme, and axe-core over every main page."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .test_foundation import log_in

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
# A4 at 96 px per inch, less the print stylesheet's 10 mm margins.
A4_WIDTH, A4_HEIGHT = 718, 1047

MAIN_PAGES = [
    "",
    "executive/",
    "okrs/",
    "okrs/tree/",
    "okrs/mine/",
    "okrs/cycles/",
    "roadmap/",
    "roadmap/timeline/",
    "roadmap/priorities/",
    "roadmap/capacity/",
    "roadmap/insights/",
    "conflicts/",
    "conflicts/decisions/",
    "reviews/",
    "reviews/baselines/",
    "strategy/",
    "activity/",
    "notifications/",
    "search/?q=sso",
]


def workspace_url(page) -> str:
    return re.match(r"(.*/w/[\w-]+/)", page.url).group(1)


@pytest.fixture
def axe_page(browser, tandem_server):
    """A page whose context lets the test inject axe-core (our CSP refuses inline script)."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make install-dev` installs it (npm ci in tests/browser)")
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    page = context.new_page()
    log_in(page, tandem_server)
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .map(v => ({id: v.id, impact: v.impact,
                        where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_main_pages_have_no_serious_accessibility_violations(axe_page, scheme):
    axe_page.emulate_media(color_scheme=scheme)
    base = workspace_url(axe_page)
    found = {}
    for path in MAIN_PAGES:
        axe_page.goto(base + path)
        bad = [
            v
            for v in axe_violations(axe_page)
            # Skipped heading levels are only "moderate", but they are fixed too.
            if v["impact"] in {"serious", "critical"} or v["id"] == "heading-order"
        ]
        if bad:
            found[path] = bad
    assert found == {}


def test_executive_overview_reads_and_prints_on_one_sheet(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    page.get_by_role("link", name="Executive overview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Executive overview")
    for name in ("Objectives by pillar", "Open conflicts", "Drift since the baseline"):
        expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_role("heading", name="Silent for two weeks or more")).to_be_visible()
    expect(page.get_by_role("heading", name="This week")).to_be_visible()
    expect(page.locator(".exec-table tbody tr").first).to_contain_text("% likely")
    screenshot(page, "executive-1280")
    page.emulate_media(color_scheme="dark")
    assert (
        page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
        == "rgb(16, 20, 27)"
    )
    screenshot(page, "executive-1280-dark")
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "executive-390")
    page.emulate_media(color_scheme="dark")
    screenshot(page, "executive-390-dark")

    # Printed: no header or navigation, and the whole page within one A4 sheet.
    page.emulate_media(media="print", color_scheme="light")
    page.set_viewport_size({"width": A4_WIDTH, "height": A4_HEIGHT})
    expect(page.locator(".site-header")).to_be_hidden()
    height = page.evaluate("document.querySelector('main').getBoundingClientRect().height")
    assert height <= A4_HEIGHT, f"the printed overview is {height} px tall"
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    screenshot(page, "executive-print")


def test_search_from_the_palette_and_the_header(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    palette = page.get_by_role("dialog", name="Go to or search")
    expect(palette).to_be_hidden()
    page.wait_for_load_state("load")
    page.keyboard.press("Control+k")
    expect(palette).to_be_visible()
    expect(page.get_by_role("combobox", name="Go to or search")).to_be_focused()
    page.keyboard.type("sso setup")
    results = palette.locator("#palette-results a")
    expect(results.first).to_be_visible()
    expect(palette).to_contain_text("SSO setup wizard for Okta and Azure AD")
    expect(palette).to_contain_text("Initiative")
    screenshot(page, "search-palette-1280")
    # Arrow keys walk the results; Enter opens the chosen one.
    page.keyboard.press("ArrowDown")
    expect(results.first).to_be_focused()
    # Which match ranks first differs by database (FTS5's bm25, PostgreSQL's ts_rank): an
    # initiative opens its page, an insight its place in the inbox. Enter goes where it links.
    href = results.first.get_attribute("href")
    assert href
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")

    # Pages are found by name, from any page (once its script has loaded).
    page.wait_for_load_state("load")
    page.keyboard.press("Control+k")
    expect(palette).to_be_visible()
    page.keyboard.type("timeline")
    expect(palette.locator("#palette-results a").first).to_contain_text("Timeline")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/roadmap/timeline/$"))

    # The header's box: typing continues in the palette; Escape closes it.
    page.wait_for_load_state("load")
    page.get_by_role("searchbox", name=re.compile("^Search")).type("onboard")
    expect(palette).to_be_visible()
    expect(page.get_by_role("combobox", name="Go to or search")).to_have_value("onboard")
    page.keyboard.press("Escape")
    expect(palette).to_be_hidden()

    # The search page itself, with nothing found and with results, at both widths.
    page.goto(workspace_url(page) + "search/?q=zzzz")
    expect(page.get_by_text("Nothing matches “zzzz”.")).to_be_visible()
    page.goto(workspace_url(page) + "search/?q=onboarding")
    expect(page.locator(".search-item").first).to_be_visible()
    screenshot(page, "search-1280")
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "search-390")
    page.emulate_media(color_scheme="dark")
    screenshot(page, "search-390-dark")


def test_phone_header_stays_under_120_px(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    page.set_viewport_size({"width": 390, "height": 800})
    base = workspace_url(page)
    for path in ("", "okrs/", "roadmap/", "conflicts/", "executive/", "search/?q=sso"):
        page.goto(base + path)
        height = page.evaluate("document.querySelector('.site-header').offsetHeight")
        assert height < 120, f"{path or 'overview'}: the header is {height} px tall"
    # Every section is still one tap away: the row scrolls sideways inside itself.
    nav = page.get_by_role("navigation", name=re.compile("Acme"))
    nav.get_by_role("link", name="Strategy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategy")
    screenshot(page, "phone-header-390")
