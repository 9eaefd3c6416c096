"""The roadmap in a real browser on the demo: drag a card from Next to Now and find it
there after a reload, move one from the keyboard, link one to a key result from its card,
and screenshots of every roadmap view to look at."""

import re

import pytest
from playwright.sync_api import expect

from .test_foundation import log_in
from .test_week_of_use import both_widths

pytestmark = pytest.mark.browser


def board(page, server) -> None:
    page.goto(f"{server.url}/w/acme/roadmap/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Roadmap")


def lane_of(card):
    return card.locator("xpath=ancestor::section[contains(@class, 'lane')]")


def drop(page, card, target, *, navigates: bool = False) -> None:
    """Drag `card` onto `target`. Playwright's mouse does not start an HTML5 drag in
    headless Chromium here, so the drag events are dispatched as the browser would,
    carrying one DataTransfer. A refused drop reloads the page (`navigates`)."""
    transfer = page.evaluate_handle("new DataTransfer()")
    card.dispatch_event("dragstart", {"dataTransfer": transfer})
    box = target.bounding_box()
    position = {"clientX": box["x"] + 20, "clientY": box["y"] + 5, "dataTransfer": transfer}
    target.dispatch_event("dragover", position)
    if navigates:
        with page.expect_navigation():
            target.dispatch_event("drop", position)
        return
    target.dispatch_event("drop", position)
    card.dispatch_event("dragend", {"dataTransfer": transfer})


def test_drag_a_card_from_next_to_now_and_it_stays(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    board(page, tandem_server)
    screenshot(page, "roadmap-board")
    page.screenshot(path=str(screenshot(page, "roadmap-board").with_name("roadmap-board-top.png")))
    card = page.locator(".cell[data-horizon=next] li.initiative").first
    card_id = card.get_attribute("id")
    title = card.locator(".card-title a").first.inner_text()
    target = lane_of(card).locator(".cell[data-horizon=now] .card-list")
    drop(page, card, target)
    moved = page.locator(f"#{card_id}")
    expect(moved).to_have_attribute("data-saved", "1")
    page.reload()
    expect(page.locator(f".cell[data-horizon=now] #{card_id}")).to_be_visible()
    expect(page.locator(f"#{card_id} .card-title a")).to_have_text(title)
    assert page.console_errors == []


def test_a_drag_on_a_stale_board_is_refused_and_the_board_says_why(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    board(page, tandem_server)
    card = page.locator(".cell[data-horizon=next] li.initiative").first
    card_id = card.get_attribute("id")
    title = card.locator(".card-title a").first.inner_text()
    # Someone else changed the card after this board was drawn: the version it shows is old.
    card.evaluate("c => { c.dataset.version = String(Number(c.dataset.version) + 1000); }")
    target = lane_of(card).locator(".cell[data-horizon=now] .card-list")
    drop(page, card, target, navigates=True)
    notice = page.locator(".flash-warning")
    expect(notice).to_contain_text(f"“{title}” was moved or changed by someone else meanwhile")
    expect(page.locator(f".cell[data-horizon=next] #{card_id}")).to_be_visible()
    both_widths(page, screenshot, "roadmap-board-stale-drag")
    top = screenshot(page, "roadmap-board-stale-drag").with_name("roadmap-board-stale-top.png")
    page.screenshot(path=str(top))
    # The message was for that reload only.
    page.reload()
    expect(page.locator(".flash-warning")).to_have_count(0)


def test_move_a_card_with_the_keyboard(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    board(page, tandem_server)
    card = page.locator(".cell[data-horizon=now] li.initiative").first
    card_id = card.get_attribute("id")
    summary = card.locator(".move-menu summary")
    summary.focus()
    page.keyboard.press("Enter")
    later = card.get_by_role("button", name="Move to Later")
    expect(later).to_be_visible()
    later.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_contain_text("(Later)")
    expect(page.locator(f".cell[data-horizon=later] #{card_id}")).to_be_visible()
    # Focus returns to the moved card's menu, so the next move is one key away.
    expect(page.locator(f"#{card_id} .move-menu summary")).to_be_focused()


def test_link_an_initiative_to_a_key_result_from_its_card(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    board(page, tandem_server)
    card = page.locator("li.initiative.serves-nothing").first
    card_id = card.get_attribute("id")
    card.get_by_role("link", name="Link key result").click()
    form = card.locator("form.contribution-form")
    expect(form).to_be_visible()
    select = form.locator("select[name=key_result]")  # the picker's filter box is labelled too
    expect(select).to_have_value("")  # nothing chosen up front: one click links nothing
    first = select.locator("option:not([value=''])").first
    select.select_option(first.get_attribute("value"))
    kr_title = first.inner_text().split(" · ", 1)[0]  # "key result · its objective"
    form.get_by_label("Expected impact").fill("Unblocks the enterprise pilots")
    screenshot(page, "roadmap-link-key-result")
    form.get_by_role("button", name="Link").click()
    expect(page.locator(".flash-success")).to_contain_text(kr_title)
    linked = page.locator(f"#{card_id}")
    expect(linked.locator(".served")).to_contain_text(kr_title)
    expect(linked).not_to_have_class(re.compile("serves-nothing"))


def test_roadmap_views_screenshots(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    for path, heading, name in [
        ("timeline/", "Roadmap timeline", "roadmap-timeline"),
        ("insights/", "Insight inbox", "roadmap-insights"),
        ("capacity/", "Team capacity", "roadmap-capacity"),
        ("priorities/", "Priorities", "roadmap-priorities"),
        ("?lanes=objective", "Roadmap", "roadmap-board-by-objective"),
    ]:
        page.goto(f"{tandem_server.url}/w/acme/roadmap/{path}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        path = screenshot(page, name)
        page.screenshot(path=str(path.with_name(f"{name}-top.png")))
    page.goto(f"{tandem_server.url}/w/acme/roadmap/")
    page.locator("li.initiative .card-title a").first.click()
    expect(page.get_by_role("heading", name="Key results it serves")).to_be_visible()
    screenshot(page, "roadmap-initiative")
    assert page.console_errors == []
