"""Issue 14's defects as people hit them in a week of real use, each reproduced in the
browser on the demo first, with screenshots at 1280 and 390 px to look at."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from .conftest import TANDEM
from .test_foundation import log_in

pytestmark = pytest.mark.browser

ISO_DAY = re.compile(r"\b20\d\d-\d\d-\d\d\b")


# The innermost elements reaching past the right edge of the viewport.
WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => !e.parentElement.closest('*:is(nav, .table-scroll)'))
  .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))
  .slice(0, 5)"""


def both_widths(page, screenshot, name: str, *, fits: bool = True) -> None:
    screenshot(page, f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 800})
    screenshot(page, f"{name}-390")
    if fits:
        wide = page.evaluate(WIDER_THAN_THE_SCREEN)
        assert wide == [], f"{name} overflows at 390 px: {wide}"
    page.set_viewport_size({"width": 1280, "height": 800})


def test_initiative_history_speaks_in_words(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    page.goto(f"{tandem_server.url}/w/acme/roadmap/")
    card = page.locator(".cell[data-horizon=now] li.initiative").first
    card_id = card.get_attribute("id")
    card.locator(".move-menu summary").click()
    card.get_by_role("button", name="Move to Later").click()
    expect(page.locator(f".cell[data-horizon=later] #{card_id}")).to_be_visible()
    page.locator(f"#{card_id} .card-title a").first.click()
    history = page.locator(".activity-text", has_text="moved it")
    expect(history.first).to_contain_text("moved it from Now to Later")
    text = page.locator("main").inner_text()
    assert "position" not in text
    assert re.search(r"created it\s+(just now|\d+\s\w+ ago)", text), text
    both_widths(page, screenshot, "week-initiative-history")


def test_a_threshold_is_unknown_until_its_first_check_in(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    page.goto(f"{tandem_server.url}/w/acme/okrs/")
    page.get_by_role("link", name="New objective").click()
    page.get_by_label("Title").fill("Keep the lights on")
    page.get_by_role("button", name="Create objective").click()
    page.get_by_label("Title").fill("Uptime")
    page.get_by_label("Kind").select_option("stay_above")
    page.get_by_label("Start").fill("99")
    page.get_by_label("Target").fill("99.9")
    page.get_by_role("button", name="Add key result").click()
    card = page.locator("article.objective", has_text="Keep the lights on")
    row = card.locator("li.kr", has_text="Uptime")
    expect(row.locator(".kr-status")).to_contain_text("Unknown until the first check-in")
    expect(row.locator(".okr-percent")).to_have_count(0)
    expect(card.locator(".pace")).to_have_count(0)
    expect(card.locator(".objective-progress")).to_contain_text("Unknown until the first check-in")
    both_widths(page, screenshot, "week-threshold-unknown")
    row.locator("summary", has_text="Check in").click()
    row.get_by_label("Value").fill("99.95")
    row.get_by_label("Confidence (0–10)").fill("8")
    row.get_by_role("button", name="Save check-in").click()
    row = page.locator("li.kr", has_text="Uptime")
    expect(row.locator(".okr-percent")).to_have_text("100%")


PAGE_TEXT = """() => {
  const main = document.querySelector('main').cloneNode(true);
  main.querySelectorAll('svg, input, textarea, select, script, template').forEach(e => e.remove());
  return main.textContent.replace(/\\s+/g, ' ');
}"""
SHORT_DAY = re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b(?! \d{4})")


def test_pages_write_days_one_way(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    base = f"{tandem_server.url}/w/acme"
    page.goto(f"{base}/roadmap/")
    initiative = page.locator(".card-title a").first.get_attribute("href")
    page.goto(f"{base}/okrs/")
    key_result = page.locator("li.kr a").first.get_attribute("href")
    page.goto(f"{base}/conflicts/")
    conflict = page.locator("main a[href*='/conflicts/']").last.get_attribute("href")
    pages = ["/", "/okrs/", "/roadmap/", "/roadmap/timeline/", "/conflicts/", "/reviews/"]
    urls = [f"{base}{p}" for p in [*pages, "/reviews/baselines/"]]
    urls += [tandem_server.url + p for p in (initiative, key_result, conflict)]
    for path in urls:
        page.goto(path)
        text = page.evaluate(PAGE_TEXT)
        assert not ISO_DAY.search(text), f"{path}: {ISO_DAY.search(text)[0]!r} in ISO"
        assert not SHORT_DAY.search(text), f"{path}: {SHORT_DAY.search(text)[0]!r} has no year"
    page.goto(f"{tandem_server.url}{key_result}")
    # Its chart's overflow at 390 px is issue 14's item 13, not this one's.
    both_widths(page, screenshot, "week-days-key-result", fits=False)


def test_two_check_ins_on_one_day_plot_the_later_one(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    page.goto(f"{tandem_server.url}/w/acme/okrs/")
    measured = page.locator("li.kr").filter(has_not_text="Milestone").filter(has_not_text="Stay")
    measured.locator(".kr-title a, a").first.click()
    points = page.locator("svg.kr-chart-svg circle:not(.chart-forecast)")
    before = points.count()
    for value in ("31", "35"):  # a morning reading, corrected in the afternoon
        page.get_by_role("spinbutton", name="Value").fill(value)
        page.get_by_role("spinbutton", name="Confidence").fill("7")
        page.get_by_role("button", name="Save check-in").click()
        expect(page.get_by_role("heading", name=re.compile(f"^Now: {value}"))).to_be_visible()
    # One point for the day, at its last value, and the list leads with the same reading.
    first_row = page.locator("#history-check-ins ~ * tbody tr").first
    expect(first_row).to_contain_text("35")
    today = first_row.locator("td").first.inner_text()
    assert points.count() <= before + 1
    expect(points.locator("title", has_text=today)).to_have_count(1)
    expect(points.last.locator("title")).to_have_text(re.compile(rf"^{today}: 35\D*$"))
    screenshot(page, "week-same-day-check-ins-1280")


VIEWER = "vera.viewer@example.com"
MAKE_VIEWER = f"""
from tandem.accounts.models import Member, User, Workspace
user = User.objects.create_user("{VIEWER}", "viewer-password-1", name="Vera Viewer")
Member.objects.create(workspace=Workspace.objects.get(slug="acme"), user=user, role="viewer")
"""


def test_a_viewer_is_offered_no_form_they_cannot_use(tandem_server, page, screenshot):
    subprocess.run(
        [str(TANDEM), "shell", "-c", MAKE_VIEWER], env=tandem_server.env, check=True, timeout=120
    )
    page.goto(f"{tandem_server.url}/login/")
    page.get_by_label("Email").fill(VIEWER)
    page.get_by_label("Password").fill("viewer-password-1")
    page.get_by_label("Password").press("Enter")
    base = f"{tandem_server.url}/w/acme"
    page.goto(f"{base}/reviews/")
    expect(page.get_by_role("heading", name="Reviews", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Schedule a review")).to_have_count(0)
    expect(page.locator("main form[method=post]")).to_have_count(0)
    both_widths(page, screenshot, "week-viewer-reviews")
    page.goto(f"{base}/reviews/baselines/")
    expect(page.get_by_role("button", name="Take a baseline now")).to_have_count(0)
    expect(page.get_by_text("Your role lets you read this")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Close "))).to_have_count(0)
    # The server still refuses, whatever the page offers.
    response = page.request.post(f"{base}/reviews/baselines/", form={"name": "Sneaky"})
    assert response.status in {403, 404}


def test_a_team_review_agenda_lists_that_teams_key_results_as_links(
    tandem_server, page, screenshot
):
    log_in(page, tandem_server)
    page.goto(f"{tandem_server.url}/w/acme/reviews/")
    page.get_by_label("Kind").select_option("okr_review")
    page.get_by_label("Title").fill("Team check")
    page.get_by_label("When").fill("2026-12-03T10:00")
    page.locator("input[name=attendees]").first.check()
    team = page.locator("input[name=teams]").first
    team_name = team.locator("xpath=..").inner_text().strip()
    team.check()
    page.get_by_role("button", name="Schedule").click()
    page.get_by_role("button", name="Open review").click()
    items = page.locator(".agenda h3", has_text="Key results to discuss").locator(
        "xpath=following-sibling::ul[1]/li"
    )
    expect(items.first).to_be_visible()
    both_widths(page, screenshot, "week-team-review-agenda")
    for i in range(items.count()):
        link = items.nth(i).get_by_role("link").first
        href = link.get_attribute("href")
        assert "/key-results/" in href or "/okrs/" in href
    items.first.get_by_role("link").first.click()
    expect(page.locator("main")).to_contain_text(team_name)


def test_a_moved_card_stays_in_view_highlighted(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    page.goto(f"{tandem_server.url}/w/acme/roadmap/")
    card = page.locator(".cell[data-horizon=next] li.initiative").first
    card_id = card.get_attribute("id")
    card.locator(".move-menu summary").click()
    card.get_by_role("button", name="Move to Now").click()
    moved = page.locator(f".cell[data-horizon=now] #{card_id}")
    expect(moved).to_be_visible()
    expect(moved).to_have_class(re.compile(r"\bjust-moved\b"))
    screenshot(page, "week-moved-card-1280")
