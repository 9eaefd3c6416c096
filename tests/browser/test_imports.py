"""The Import page on the running demo: a Jira export previewed, its labels mapped to
teams, imported; a bad spreadsheet's errors by row and column. Screenshots at 1280 and
390 px of each step."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .test_foundation import log_in

pytestmark = pytest.mark.browser
FILES = Path(__file__).parent.parent / "plans" / "imports"


def _both(page, screenshot, name):
    expect(page.locator("#import-busy")).to_be_hidden()
    screenshot(page, f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_import_a_jira_export_step_by_step(tandem_server, page, screenshot, tmp_path):
    log_in(page, tandem_server)
    expect(page).to_have_url(re.compile(r"/w/[\w-]+/$"))
    page.goto(f"{tandem_server.url}/w/acme/roadmap/")
    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Import", exact=True)).to_be_visible()
    _both(page, screenshot, "import-1-upload")

    bad = tmp_path / "initiatives.csv"
    bad.write_text("ID,Title,Start,End,Colour\nA,Alpha,2027-02-01,2027-01-01,red\n")
    page.get_by_label("What the file is").select_option("csv-initiatives")
    page.get_by_label("File", exact=True).set_input_files(str(bad))
    page.get_by_role("button", name="Preview").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Row 1, Colour: Unknown column")
    page.get_by_label("Colour").select_option("ignore")
    page.get_by_role("button", name="Preview again").click()
    expect(page.get_by_role("alert")).to_contain_text("Row 2, End: The end comes before the start.")
    expect(page.get_by_label("Colour")).to_have_value("ignore")  # the mapping stays on offer
    _both(page, screenshot, "import-2-row-errors")

    page.get_by_label("What the file is").select_option("jira-csv")
    page.get_by_label("File", exact=True).set_input_files(str(FILES / "jira-search.csv"))
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.get_by_role("heading", name="3. Check the preview")).to_be_visible()
    expect(page.get_by_label("Onboarding")).to_have_value("Onboarding")  # matched by name
    page.get_by_label("growth").select_option("Growth")
    page.get_by_role("button", name="Preview again").click()
    expect(page.get_by_role("button", name="Import 4 changes")).to_be_visible()
    _both(page, screenshot, "import-3-map-and-preview")

    page.get_by_role("button", name="Import 4 changes").click()
    expect(page.get_by_text("Imported.")).to_be_visible()
    _both(page, screenshot, "import-4-done")
    page.get_by_role("link", name="Open the roadmap").click()
    expect(page.get_by_text("Guided setup for new teams").first).to_be_visible()
    assert page.console_errors == []
