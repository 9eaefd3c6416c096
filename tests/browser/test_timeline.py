"""The roadmap timeline in a real browser on the demo (issue 14.14 and 13.3): a bar dragged
or resized saves through the initiative's PATCH with If-Match, a stale drag is refused with
a message and the bar redrawn as it is now, the arrow keys do the same as a drag, the zoom
(quarters, months, weeks) is remembered, titles are never cut, and in scenario mode a drag
adds a reschedule edit to the scenario and leaves the plan alone. Screenshots at 1280 and
390 px; no horizontal overflow of the page at 390 px."""

import datetime
import json
import re

import pytest
from playwright.sync_api import expect

from .test_foundation import log_in

pytestmark = pytest.mark.browser


def api(page, server, method: str, path: str, body: dict | None = None, **headers: str):
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.fetch(
        f"{server.url}/api/v1/workspaces/acme/{path}",
        method=method,
        headers={"X-CSRFToken": csrf, "Content-Type": "application/json", **headers},
        data=json.dumps(body) if body is not None else None,
    )
    assert response.ok, (response.status, response.text())
    return response.json()


def day(iso: str) -> datetime.date:
    return datetime.date.fromisoformat(iso)


def drag(page, locator, dx: float) -> None:
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y, steps=4)
    page.mouse.move(x + dx, y, steps=4)
    page.mouse.up()


def a_bar(page):
    """An initiative bar wide enough to grab in the middle, away from its ends."""
    pk = (
        page.locator(".tl-item")
        .filter(has=page.locator(".tl-label-inside"))
        .first.get_attribute("data-id")
    )
    return page.locator(f".tl-item[data-id='{pk}']"), pk


def no_overflow_at_390(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 800})


def test_drag_resize_and_keys_reschedule_through_the_api_and_a_stale_drag_never_overwrites(
    tandem_server, page, screenshot
):
    log_in(page, tandem_server)
    page.goto(f"{tandem_server.url}/w/acme/roadmap/timeline/?zoom=quarter")
    item, pk = a_bar(page)
    before = api(page, tandem_server, "GET", f"initiatives/{pk}")

    # Drag the whole bar 10 days later (3 px a day at the quarter zoom).
    drag(page, item.locator(".tl-bar"), 30)
    expect(page.locator("[data-timeline-status]")).to_contain_text("Rescheduled")
    after = api(page, tandem_server, "GET", f"initiatives/{pk}")
    assert day(after["start_date"]) - day(before["start_date"]) == datetime.timedelta(days=10)
    assert day(after["end_date"]) - day(before["end_date"]) == datetime.timedelta(days=10)
    assert after["version"] == before["version"] + 1
    expect(item).to_have_attribute("data-version", str(after["version"]))

    # Drag its end handle: only the end moves (a resize).
    drag(page, item.locator(".tl-handle[data-edge=end]"), 15)
    expect(item).to_have_attribute("data-version", str(after["version"] + 1))
    resized = api(page, tandem_server, "GET", f"initiatives/{pk}")
    assert resized["start_date"] == after["start_date"]
    assert day(resized["end_date"]) - day(after["end_date"]) == datetime.timedelta(days=5)

    # Someone else changes it meanwhile: this page's drag is refused, said so, redrawn.
    theirs = day(resized["end_date"]) + datetime.timedelta(days=20)
    api(
        page,
        tandem_server,
        "PATCH",
        f"initiatives/{pk}",
        {"end_date": theirs.isoformat()},
        **{"If-Match": f'"{resized["version"]}"'},
    )
    drag(page, item.locator(".tl-bar"), -30)
    status = page.locator("[data-timeline-status]")
    expect(status).to_contain_text("changed by someone else")
    expect(status).to_contain_text("was not saved")
    expect(item).to_have_attribute("data-end", theirs.isoformat())
    kept = api(page, tandem_server, "GET", f"initiatives/{pk}")
    assert kept["end_date"] == theirs.isoformat()
    assert kept["start_date"] == resized["start_date"]
    screenshot(page, "timeline-stale-drag")

    # The keyboard does what a drag does: → twice moves it two weeks at this zoom.
    item.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(item).to_have_attribute("data-version", str(kept["version"] + 1))
    keyed = api(page, tandem_server, "GET", f"initiatives/{pk}")
    assert day(keyed["start_date"]) - day(kept["start_date"]) == datetime.timedelta(days=14)
    page.keyboard.press("Shift+ArrowLeft")
    expect(item).to_have_attribute("data-version", str(keyed["version"] + 1))
    shorter = api(page, tandem_server, "GET", f"initiatives/{pk}")
    assert day(keyed["end_date"]) - day(shorter["end_date"]) == datetime.timedelta(days=7)
    assert shorter["start_date"] == keyed["start_date"]

    # A click without a drag still opens the initiative.
    item.locator(".tl-bar").click()
    expect(page).to_have_url(re.compile(rf"/initiatives/{pk}/$"))
    # The browser logs the refused (412) write itself; nothing else went wrong.
    assert [e for e in page.console_errors if "412" not in e] == []


def test_zoom_is_remembered_and_titles_are_never_cut(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    for zoom, label in (("quarter", "Quarters"), ("month", "Months"), ("week", "Weeks")):
        page.goto(f"{tandem_server.url}/w/acme/roadmap/timeline/")
        page.get_by_role("navigation", name="Zoom").get_by_role("link", name=label).click()
        page.goto(f"{tandem_server.url}/w/acme/roadmap/timeline/")
        expect(
            page.get_by_role("navigation", name="Zoom").get_by_role("link", name=label)
        ).to_have_attribute("aria-current", "true")
        expect(page.locator("svg[data-timeline]")).to_have_attribute("data-zoom", zoom)
        # Every bar's label is its whole title, inside the bar only when it fits there.
        cut = page.evaluate(
            """() => [...document.querySelectorAll('.tl-item')].filter(item => {
                 const label = item.querySelector('.tl-label');
                 const title = item.querySelector('title').textContent.split(' · ')[0];
                 if (label.textContent !== title) return true;
                 if (!label.classList.contains('tl-label-inside')) return false;
                 return label.getComputedTextLength() > +item.querySelector('.tl-bar')
                   .getAttribute('width');
               }).map(item => item.dataset.id)"""
        )
        assert cut == []
        # ...and nothing is drawn past the end of the drawing.
        overflow = page.evaluate(
            """() => { const svg = document.querySelector('svg[data-timeline]');
                 const right = svg.getBoundingClientRect().left + svg.width.baseVal.value;
                 return [...svg.querySelectorAll('.tl-label')]
                   .filter(l => l.getBoundingClientRect().right > right + 1).length; }"""
        )
        assert overflow == 0
        screenshot(page, f"timeline-{zoom}")
        page.set_viewport_size({"width": 390, "height": 844})
        screenshot(page, f"timeline-{zoom}-390")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
        page.set_viewport_size({"width": 1280, "height": 800})
    assert page.console_errors == []


def test_a_drag_in_scenario_mode_changes_the_scenario_not_the_plan(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    page.goto(f"{tandem_server.url}/w/acme/roadmap/timeline/?zoom=quarter")
    scenario = api(page, tandem_server, "POST", "scenarios", {"name": "Later launch"})
    page.goto(f"{tandem_server.url}/w/acme/roadmap/timeline/?scenario={scenario['id']}")
    expect(page.locator(".scenario-banner")).to_contain_text("A drag here reschedules")
    item, pk = a_bar(page)
    before = api(page, tandem_server, "GET", f"initiatives/{pk}")
    drag(page, item.locator(".tl-bar"), 21)
    expect(page.locator("[data-timeline-status]")).to_contain_text("Added to the scenario")
    [edit] = api(page, tandem_server, "GET", f"scenarios/{scenario['id']}")["edits"]
    assert edit["action"] == "reschedule_initiative"
    moved = day(before["start_date"]) + datetime.timedelta(days=7)
    assert edit["params"]["start_date"] == moved.isoformat()
    # The plan is unchanged...
    assert api(page, tandem_server, "GET", f"initiatives/{pk}") == before
    # Someone else (another tab) adds an edit: this page's next drag names the scenario's
    # version it knows, is refused, said so, and adds nothing.
    api(
        page,
        tandem_server,
        "POST",
        f"scenarios/{scenario['id']}/edits",
        {"action": "move_initiative", "params": {"initiative_id": int(pk), "horizon": "later"}},
    )
    drag(page, item.locator(".tl-bar"), 21)
    expect(page.locator("[data-timeline-status]")).to_contain_text(
        "Someone else changed this scenario"
    )
    assert len(api(page, tandem_server, "GET", f"scenarios/{scenario['id']}")["edits"]) == 2
    screenshot(page, "timeline-scenario-stale")
    page.console_errors[:] = [e for e in page.console_errors if "412" not in e]
    # ...and the scenario's timeline keeps the new dates.
    page.reload()
    expect(page.locator(f".tl-item[data-id='{pk}']")).to_have_attribute(
        "data-start", moved.isoformat()
    )
    screenshot(page, "timeline-scenario-mode")
    no_overflow_at_390(page)
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "timeline-scenario-mode-390")
    page.get_by_role("link", name="Leave scenario mode").click()
    expect(page.locator(f".tl-item[data-id='{pk}']")).to_have_attribute(
        "data-start", before["start_date"]
    )
    assert page.console_errors == []
