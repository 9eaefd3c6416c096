"""Issue 14 items 4 and 8 in the browser: closing a cycle carries over only the work ticked,
lands on the next cycle with an offer to start it, and the lessons kept are read again (on
the closed cycle with its grades, and while planning the next). Its own workspace, so the
demo's cycles stay as the other tests expect them."""

import pytest
from playwright.sync_api import expect

from .test_overview_search_a11y import axe_page, axe_violations  # noqa: F401 (a fixture)
from .test_week_of_use import both_widths

pytestmark = pytest.mark.browser


def _objective(page, title: str, key_results: list[str]) -> None:
    page.get_by_role("link", name="New objective").click()
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Create objective").click()
    for kr in key_results:
        if kr != key_results[0]:
            page.get_by_role("article", name=title).get_by_role("link", name="Add one").click()
        page.get_by_label("Title").fill(kr)
        page.get_by_label("Start").fill("0")
        page.get_by_label("Target").fill("100")
        page.get_by_role("button", name="Add key result").click()


def _serious(page) -> list[dict]:
    return [v for v in axe_violations(page) if v["impact"] in {"serious", "critical"}]


def test_close_carries_the_ticked_work_and_the_lessons_are_read_again(
    tandem_server,
    axe_page,  # noqa: F811
    screenshot,
):
    page = axe_page
    page.goto(f"{tandem_server.url}/workspaces/new/")
    page.get_by_label("Name").fill("Retro Works")
    page.get_by_role("button", name="Create workspace").click()
    base = f"{tandem_server.url}/w/retro-works"
    page.goto(f"{base}/okrs/cycles/")
    page.get_by_label("Name").fill("Spring")
    page.get_by_role("button", name="Plan cycle").click()
    # A cycle being planned, with none running, offers to start it.
    page.get_by_role("button", name="Start Spring").click()
    expect(page.locator(".cycle-line")).to_contain_text("Current cycle")
    _objective(page, "Grow revenue", ["Reach 100 customers"])
    page.goto(f"{base}/okrs/")
    _objective(page, "Tidy the backlog", ["Close old tickets"])
    page.goto(f"{base}/okrs/cycles/")
    page.get_by_label("Name").fill("Summer")
    page.get_by_role("button", name="Plan cycle").click()

    page.goto(f"{base}/okrs/cycles/")
    page.get_by_role("link", name="Close and grade…").click()
    tidy = page.get_by_role("checkbox", name="Tidy the backlog")
    tickets = page.get_by_role("checkbox", name="Close old tickets")
    expect(tidy).to_be_checked()
    expect(tickets).to_be_checked()
    tidy.uncheck()
    tickets.uncheck()
    page.get_by_label("Went well").fill("Weekly check-ins kept us honest.")
    page.get_by_label("Did not go well").fill("Hiring took the whole quarter.")
    page.get_by_label("Try next").fill("Fewer objectives, smaller bets.")
    both_widths(page, screenshot, "cycle-close-choices")
    assert _serious(page) == []
    page.get_by_role("button", name="Close Spring").click()

    # Landed on Summer: what moved, the lessons to plan with, and the offer to start it.
    expect(page.get_by_role("heading", name="Summer is being planned")).to_be_visible()
    expect(page.locator("main")).to_contain_text(
        "Spring is closed. Carried into Summer: 1 objective, 1 key result, 0 initiatives."
    )
    lessons = page.get_by_role("region", name="Lessons from Spring")
    expect(lessons).to_contain_text("Fewer objectives, smaller bets.")
    expect(page.get_by_role("article", name="Grow revenue")).to_be_visible()
    expect(page.get_by_role("article", name="Tidy the backlog")).to_have_count(0)
    both_widths(page, screenshot, "cycle-close-landed")
    assert _serious(page) == []

    page.get_by_role("link", name="New objective").click()
    expect(page.get_by_role("region", name="Lessons from Spring")).to_contain_text("Hiring")

    # The closed cycle shows its own lessons and every grade.
    page.goto(f"{base}/okrs/")
    page.get_by_label("Cycle").select_option(label="Spring (closed)")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("region", name="Lessons of Spring")).to_contain_text("Weekly check-ins")
    grow = page.get_by_role("article", name="Grow revenue")
    expect(grow.locator(".objective-progress")).to_contain_text("Grade 0.0")
    expect(grow.locator("li.kr")).to_contain_text("Grade 0.0")
    both_widths(page, screenshot, "cycle-closed-lessons")

    page.goto(f"{base}/okrs/")
    page.get_by_role("button", name="Start Summer").click()
    expect(page.locator(".cycle-line")).to_contain_text("Current cycle")
    expect(page.get_by_role("button", name="Start Summer")).to_have_count(0)
