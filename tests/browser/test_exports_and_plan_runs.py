"""Export links on the list pages download what the page shows; a plan file uploaded on
the Plan file page is previewed and applied by the worker while a progress bar polls.
Screenshots at 1280 and 390 px."""

import csv
import io

import pytest
from playwright.sync_api import expect

from .conftest import _tandem
from .test_foundation import log_in

pytestmark = pytest.mark.browser


def _download_csv(page, name: str) -> list[dict[str, str]]:
    with page.expect_download() as info:
        page.get_by_role("link", name=name, exact=True).first.click()
    path = info.value.path()
    return list(csv.DictReader(io.StringIO(open(path, encoding="utf-8").read())))


def test_export_links_keep_the_filters(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    page.goto(f"{tandem_server.url}/w/acme/okrs/")
    okrs = _download_csv(page, "CSV")
    assert okrs and {"Objective", "Key result", "Progress %", "Grade"} <= set(okrs[0])
    screenshot(page, "export-okrs-1280")

    page.goto(f"{tandem_server.url}/w/acme/roadmap/")
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_role("button", name="Apply").click()
    initiatives = _download_csv(page, "CSV")
    assert initiatives and {r["Status"] for r in initiatives} == {"In progress"}
    screenshot(page, "export-roadmap-filtered-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "export-roadmap-filtered-390")

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{tandem_server.url}/w/acme/conflicts/?severity=high")
    conflicts = _download_csv(page, "CSV")
    assert conflicts and {r["Severity"] for r in conflicts} == {"high"}
    screenshot(page, "export-conflicts-1280")
    page.goto(f"{tandem_server.url}/w/acme/conflicts/decisions/")
    expect(page.get_by_role("link", name="XLSX")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "export-decision-log-390")


def test_a_plan_file_previewed_then_applied_with_a_progress_bar(
    tandem_server, page, screenshot, tmp_path
):
    exported = _tandem(tandem_server.env, "plan", "export", "acme")
    # The vision is a block of Markdown: a word added inside it keeps the YAML valid.
    edited = exported.replace("## Every team runs", "## Every team now runs", 1)
    assert edited != exported
    path = tmp_path / "acme-plan.yaml"
    path.write_text(edited)

    log_in(page, tandem_server)
    page.goto(f"{tandem_server.url}/w/acme/")
    page.locator(".user-menu summary").click()
    page.get_by_role("link", name="Plan file").click()
    expect(page.get_by_role("heading", name="Plan file", exact=True)).to_be_visible()
    page.get_by_label("Plan file", exact=True).set_input_files(str(path))
    page.get_by_label("Reason").fill("Vision reworded")
    page.get_by_role("button", name="Preview the changes").click()

    bar = page.locator("progress.meter")
    expect(bar).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Waiting for the worker")
    screenshot(page, "plan-run-progress-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "plan-run-progress-390")
    page.set_viewport_size({"width": 1280, "height": 800})

    _tandem(tandem_server.env, "worker", "--batch")
    expect(page.get_by_role("heading", name="What applying it would do")).to_be_visible(
        timeout=15_000
    )
    expect(page.get_by_role("status")).to_contain_text("1 changed")
    screenshot(page, "plan-run-preview-1280")

    page.get_by_role("button", name="Apply this file").click()
    _tandem(tandem_server.env, "worker", "--batch")
    expect(page.get_by_role("heading", name="Applied")).to_be_visible(timeout=15_000)
    screenshot(page, "plan-run-applied-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "plan-run-applied-390")
    assert page.console_errors == []

    page.goto(f"{tandem_server.url}/w/acme/plan/")
    # Both runs, the preview and the apply, are listed with their reason.
    expect(page.get_by_role("cell", name="Vision reworded")).to_have_count(2)
    expect(page.locator("td", has_text="Preview")).to_be_visible()
    screenshot(page, "plan-page-390")
