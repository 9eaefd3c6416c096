"""A person logs in to the demo and walks through every section of the foundation, from
the keyboard where it matters; each page is saved as a screenshot to be looked at."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_EMAIL

pytestmark = pytest.mark.browser

SECTIONS = [
    # (navigation link, the page's main heading, screenshot name)
    ("OKRs", re.compile(r"^OKRs"), "okrs"),
    ("Roadmap", re.compile(r"^Roadmap"), "roadmap"),
    ("Conflicts", re.compile(r"^Conflicts$"), "conflicts"),
    ("Reviews", re.compile(r"^Reviews$"), "reviews"),
    ("Strategy", re.compile(r"^Strategy$"), "strategy"),
]


def log_in(page, server) -> None:
    page.goto(f"{server.url}/")
    expect(page).to_have_url(re.compile(r"/login/"))
    page.get_by_label("Email").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(server.demo_password)
    page.get_by_label("Password").press("Enter")


def test_bad_password_is_refused_with_a_clear_message(tandem_server, page, screenshot):
    page.goto(f"{tandem_server.url}/login/")
    page.get_by_label("Email").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match an account")
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_label("Email")).to_have_value(DEMO_EMAIL)
    screenshot(page, "login-refused")


def test_demo_user_tours_the_foundation(tandem_server, page, screenshot):
    log_in(page, tandem_server)
    expect(page).to_have_url(re.compile(r"/w/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Acme"))
    # The skip link is the first stop for the keyboard, and leads past the header.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    header = page.get_by_role("banner")
    expect(header).to_contain_text("Current cycle")
    expect(page.get_by_role("heading", name="Recent activity")).to_be_visible()
    screenshot(page, "dashboard")

    nav = page.get_by_role("navigation", name=re.compile("Acme"))
    for link_name, heading, name in SECTIONS:
        nav.get_by_role("link", name=link_name, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(nav.get_by_role("link", name=link_name, exact=True)).to_have_attribute(
            "aria-current", "page"
        )
        screenshot(page, name)

    # The user menu opens from the keyboard and leads to the API tokens.
    menu = page.locator("details.user-menu > summary")
    menu.focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    page.get_by_label("Name").fill("Weekly export")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_text("it is shown only this once")).to_be_visible()
    expect(page.get_by_label("New API token")).to_have_value(re.compile(r"^tdm_"))
    screenshot(page, "tokens")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{tandem_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Acme"))
    screenshot(page, "dashboard-390")

    # A CSP violation or a failed script shows up here.
    assert page.console_errors == []


def test_logout_from_the_user_menu(tandem_server, page):
    log_in(page, tandem_server)
    expect(page).to_have_url(re.compile(r"/w/[\w-]+/$"))
    page.locator("details.user-menu > summary").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_role("status")).to_contain_text("You are logged out.")
