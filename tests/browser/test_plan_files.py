"""A plan file round trip on the running demo: exported, given a Jira reference, applied
with the CLI; the initiative's page then links to Jira. Screenshots at 1280 and 390 px."""

import re

import pytest
import yaml
from playwright.sync_api import expect

from .conftest import _tandem
from .test_foundation import log_in

pytestmark = pytest.mark.browser


def test_an_applied_reference_shows_as_a_link(tandem_server, page, screenshot, tmp_path):
    exported = _tandem(tandem_server.env, "plan", "export", "acme")
    plan = yaml.safe_load(exported)
    initiative = plan["initiatives"][0]
    marked = exported.replace(
        f"  title: {initiative['title']}\n",
        f"  title: {initiative['title']}\n  source: jira\n  external_id: ACME-42\n"
        "  url: https://jira.example/browse/ACME-42\n",
        1,
    )
    assert marked != exported
    path = tmp_path / "plan.yaml"
    path.write_text(marked)
    dry = _tandem(tandem_server.env, "plan", "apply", "acme", str(path), "--dry-run")
    assert dry.startswith("Plan: 0 created, 1 changed, 0 archived, 0 removed.")
    _tandem(tandem_server.env, "plan", "apply", "acme", str(path), "--reason", "Jira links")

    log_in(page, tandem_server)
    expect(page).to_have_url(re.compile(r"/w/[\w-]+/$"))
    page.goto(f"{tandem_server.url}/w/acme/roadmap/")
    page.get_by_role("link", name=initiative["title"], exact=True).first.click()
    link = page.get_by_role("link", name="jira ACME-42")
    expect(link).to_have_attribute("href", "https://jira.example/browse/ACME-42")
    screenshot(page, "plan-initiative-external-link-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "plan-initiative-external-link-390")
