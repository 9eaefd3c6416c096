"""Trying a change before making it, in a real browser on the demo: the Growth
over-capacity conflict offers only fixes that open nothing as severe, the rest under
"Other options, with side effects" with what they open; a scenario is started, an edit
added and evaluated beside today's plan, and a card dragged on the board in scenario mode
changes the scenario, not the plan. Screenshots at 1280 and 390 px."""

import re

import pytest
from playwright.sync_api import expect

from .test_foundation import log_in
from .test_roadmap import drop, lane_of

pytestmark = pytest.mark.browser


def both_widths(page, screenshot, name: str) -> None:
    screenshot(page, name)
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_the_growth_conflict_says_what_each_fix_closes_and_opens(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    page.goto(f"{tandem_server.url}/w/acme/conflicts/?rule=over_capacity")
    page.locator(".conflict-row", has_text="'Growth'").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Over capacity")
    one_click = page.locator(".fix-list").first
    expect(one_click).to_contain_text("Raise the capacity to 40 person-weeks")
    side = page.locator(".fix-list--side-effects")
    expect(page.get_by_role("heading", name="Other options, with side effects")).to_be_visible()
    expect(side).to_contain_text("the fewest moves")
    both_widths(page, screenshot, "conflict-fix-effects")
    side.locator("li").first.get_by_role("link", name="Apply…").click()
    dialog = page.locator("dialog[open]")
    expect(dialog.locator(".fix-effects")).to_contain_text("Closes 1")
    expect(dialog.locator(".fix-effects-head--opens")).to_contain_text("Opens")
    expect(dialog.locator(".fix-effects")).to_contain_text("High")
    both_widths(page, screenshot, "conflict-fix-effects-dialog")
    dialog.get_by_role("button", name="Cancel").click()
    assert page.console_errors == []


def test_a_scenario_is_evaluated_and_the_board_drag_changes_only_it(
    tandem_server, page, screenshot
):
    log_in(page, tandem_server)
    page.get_by_role("navigation", name=re.compile("Acme")).get_by_role(
        "link", name="Scenarios", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scenarios")
    page.get_by_label("Name").fill("Growth within capacity")
    page.get_by_role("button", name="Start the scenario").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Growth within capacity")

    page.get_by_text("Add an edit").click()
    page.get_by_label("Edit", exact=True).select_option("set_capacity")
    page.get_by_label("Team").select_option(label="Growth")
    page.locator("#id_cycle_id option").nth(1).wait_for(state="attached")
    page.get_by_label("Cycle").select_option(index=1)
    page.get_by_label("Capacity (pw)").fill("40")
    page.get_by_role("button", name="Add to the scenario").click()
    expect(page.locator(".flash-success")).to_contain_text("Added to the scenario")
    expect(page.locator(".scenario-edits")).to_contain_text("Set the capacity of 'Growth'")
    expect(page.get_by_role("heading", name=re.compile("Capacity per team"))).to_be_visible()
    both_widths(page, screenshot, "scenario-page")

    page.get_by_role("link", name="Try on the board").click()
    expect(page.locator(".scenario-banner")).to_contain_text(
        "Scenario mode: Growth within capacity"
    )
    card = page.locator(".cell[data-horizon=next] li.initiative").first
    card_id = card.get_attribute("id")
    target = lane_of(card).locator(".cell[data-horizon=now] .card-list")
    drop(page, card, target)
    expect(page.locator(f"#{card_id}")).to_have_attribute("data-saved", "1")
    page.reload()
    moved = page.locator(f".cell[data-horizon=now] #{card_id}")
    expect(moved).to_be_visible()
    expect(moved.locator(".proposed-tag")).to_have_text("Changed in this scenario")
    both_widths(page, screenshot, "board-scenario-mode")
    # The plan itself is unchanged: outside scenario mode the card is still in Next.
    page.get_by_role("link", name="Leave scenario mode").click()
    expect(page.locator(f".cell[data-horizon=next] #{card_id}")).to_be_visible()
    assert page.console_errors == []


def _start_scenario(page, server, name: str) -> str:
    """Starts a scenario from its page and opens the board in its mode; returns the board's
    address."""
    page.goto(f"{server.url}/w/acme/scenarios/")
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Start the scenario").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    page.get_by_role("link", name="Try on the board").click()
    expect(page.locator(".scenario-banner")).to_contain_text(f"Scenario mode: {name}")
    return page.url


def test_a_scenario_move_from_the_menu_and_a_stale_drag(tandem_server, page, screenshot):
    """The Move menu adds the move to the scenario (through the scenario's edit form) and
    comes back to the card; a drag on a board shown before someone else's edit is refused,
    said, and the scenario shown as it is now."""
    log_in(page, tandem_server)
    board_url = _start_scenario(page, tandem_server, "Pull work forward")
    card = page.locator(".cell[data-horizon=next] li.initiative").first
    card_id = card.get_attribute("id")
    title = card.locator(".card-title a").inner_text()
    card.locator(".move-menu summary").click()
    card.get_by_role("button", name="Move to Now").click()
    expect(page.locator(".flash-success")).to_contain_text(f"Move '{title}' to Now")
    moved = page.locator(f".cell[data-horizon=now] #{card_id}")
    expect(moved.locator(".proposed-tag")).to_have_text("Changed in this scenario")
    expect(moved.locator(".move-menu summary")).to_be_focused()
    both_widths(page, screenshot, "board-scenario-move-menu")

    # Someone else (another tab) adds an edit; this tab's board is now behind.
    other = page.context.new_page()
    other.goto(board_url)
    their_card = other.locator(".cell[data-horizon=later] li.initiative").first
    their_card.locator(".move-menu summary").click()
    their_card.get_by_role("button", name="Move to Next").click()
    expect(other.locator(".flash-success")).to_contain_text("Added to the scenario")
    other.close()

    card = page.locator(".cell[data-horizon=next] li.initiative").first
    card_id = card.get_attribute("id")
    target = lane_of(card).locator(".cell[data-horizon=later] .card-list")
    drop(page, card, target, navigates=True)
    expect(page.locator(".flash-warning")).to_contain_text(
        "Someone else changed this scenario meanwhile"
    )
    expect(page.locator(f".cell[data-horizon=next] #{card_id}")).to_be_visible()
    both_widths(page, screenshot, "board-scenario-stale-drag")
    # The browser logs the refused request itself; nothing else went wrong.
    assert all("412" in error for error in page.console_errors), page.console_errors


def test_a_scenario_move_without_javascript(tandem_server, browser, screenshot):
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        log_in(page, tandem_server)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        _start_scenario(page, tandem_server, "Later, without scripts")
        card = page.locator(".cell[data-horizon=now] li.initiative").first
        card_id = card.get_attribute("id")
        card.locator(".move-menu summary").click()
        card.get_by_role("button", name="Move to Later").click()
        expect(page.locator(".flash-success")).to_contain_text("to Later")
        moved = page.locator(f".cell[data-horizon=later] #{card_id}")
        expect(moved.locator(".proposed-tag")).to_have_text("Changed in this scenario")
        both_widths(page, screenshot, "board-scenario-move-no-js")
        # The plan itself is unchanged.
        page.get_by_role("link", name="Leave scenario mode").click()
        expect(page.locator(f".cell[data-horizon=now] #{card_id}")).to_be_visible()
    finally:
        context.close()
