"""Someone of their own (not the demo user, whom other tests sign in as) goes through the
account pages: sign-in, a scoped token, two-factor enrolment with a code computed here, the
access log; each at 1280 and 390 px."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.accounts.test_two_factor import totp

from .conftest import _tandem

pytestmark = pytest.mark.browser

EMAIL = "sam@example.com"
PASSWORD = "a long walk in the hills"


def _both_widths(page, screenshot, name: str) -> None:
    screenshot(page, name)
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_account_pages(tandem_server, page, screenshot):
    _tandem(tandem_server.env, "createuser", "--email", EMAIL, "--password", PASSWORD)
    page.goto(f"{tandem_server.url}/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to Tandem")
    _both_widths(page, screenshot, "login")

    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Name").fill("Sam's Studio")
    page.get_by_role("button", name=re.compile("Create")).click()
    expect(page).to_have_url(re.compile(r"/w/sams-studio/$"))

    page.goto(f"{tandem_server.url}/settings/tokens/")
    page.get_by_label("Name").fill("Nightly export")
    page.get_by_label("Access").select_option("read")
    page.get_by_label("Workspace", exact=True).select_option(label="Sam's Studio")
    next_month = datetime.date.today() + datetime.timedelta(days=30)
    page.get_by_label("Expires on").fill(next_month.isoformat())
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_label("New API token")).to_have_value(re.compile(r"^tdm_"))
    row = page.get_by_role("row", name=re.compile("Nightly export"))
    expect(row).to_contain_text("Read only")
    expect(row).to_contain_text("Sam's Studio")
    _both_widths(page, screenshot, "tokens-scoped")

    page.goto(f"{tandem_server.url}/2fa/totp/activate/")
    # Turning on two-factor asks for the password again first.
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Confirm")).click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    _both_widths(page, screenshot, "two-factor-enrol")
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp(secret, datetime.datetime.now(datetime.UTC)))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Recovery Codes"))
    _both_widths(page, screenshot, "two-factor-recovery-codes")
    recovery_code = page.get_by_label("Unused codes").input_value().split()[0]

    page.goto(f"{tandem_server.url}/w/sams-studio/access-log/")
    log = page.get_by_role("table")
    expect(log).to_contain_text("Turned two-factor on")
    expect(log).to_contain_text("Created an API token")
    expect(log).to_contain_text("Signed in")
    _both_widths(page, screenshot, "access-log")

    # Signing in again takes the password, then a second factor (here a recovery code).
    page.locator("details.user-menu > summary").click()
    page.get_by_role("button", name="Log out").click()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/2fa/authenticate/$"))
    _both_widths(page, screenshot, "two-factor-sign-in")
    page.get_by_label("Code").fill(recovery_code)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    expect(page).to_have_url(re.compile(r"/w/sams-studio/$"))

    page.locator("details.user-menu > summary").click()
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Password Reset"))
    _both_widths(page, screenshot, "password-reset")
    assert page.console_errors == []
