"""A person resolves a conflict of the demo from its page: records why it arose and what
was decided, reschedules the late initiative with one confirmed click, sees the conflict
close, and finds it in the decision log. Each page is saved as a screenshot."""

import re

import pytest
from playwright.sync_api import expect

from .test_foundation import log_in

pytestmark = pytest.mark.browser


def test_resolve_a_late_delivery_from_the_conflict_page(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    nav = page.get_by_role("navigation", name=re.compile("Acme"))
    nav.get_by_role("link", name="Conflicts", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Conflicts")
    expect(page.locator(".nav-count")).to_have_text(re.compile(r"^\d+$"))
    open_before = int(page.locator(".nav-count").inner_text())
    screenshot(page, "conflicts-inbox")

    page.get_by_label("Rule").select_option("late_delivery")
    page.get_by_role("button", name="Filter").click()
    row = page.locator(".conflict-row", has_text="Shard the primary database")
    expect(row).to_have_count(1)
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Late delivery")
    expect(page.get_by_role("link", name="Shard the primary database")).to_be_visible()

    page.get_by_label("Root cause", exact=True).select_option("estimation")
    page.get_by_label("What happened").fill("The data migration took twice the estimate.")
    page.get_by_label("Decision", exact=True).select_option("revise_roadmap")
    page.get_by_label("Why this decision").fill("Cut the long tail of tables; ship in quarter.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".flash-success")).to_contain_text("Decision recorded")
    screenshot(page, "conflict-page")

    fixes = page.locator(".fix-list li", has_text="End 'Shard the primary database'")
    fixes.get_by_role("link", name="Apply…").click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("End date")).to_be_focused()
    screenshot(page, "conflict-fix-dialog")
    dialog.get_by_role("button", name="Apply").click()

    expect(page.locator(".conflict-closed")).to_contain_text("Closed by itself after this change")
    expect(page.locator(".conflict-status").first).to_have_text("Resolved")
    expect(page.get_by_role("heading", name="Edits made")).to_be_visible()
    expect(page.locator(".event-list").first).to_contain_text("end date")
    expect(page.locator(".nav-count")).to_have_text(str(open_before - 1))
    screenshot(page, "conflict-resolved")

    page.get_by_role("link", name="← Conflicts").click()
    page.get_by_role("link", name="Decision log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Decision log"))
    entry = page.locator(".decision", has_text="Shard the primary database")
    expect(entry).to_contain_text("Revise the roadmap")
    expect(entry).to_contain_text("Estimation: The data migration took twice the estimate.")
    expect(entry).to_contain_text("end date")
    screenshot(page, "decision-log")
    assert page.console_errors == []
