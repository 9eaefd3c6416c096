"""Issue 15: a plan larger than a page draws. The board draws its first 12 lanes and lists
the others with links; the alignment tree shows each branch's first objectives and links to
the rest. Both at 1280 and 390 px, on a workspace of their own so the demo stays as it is."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from .conftest import SCREENSHOTS, TANDEM
from .test_week_of_use import both_widths

pytestmark = pytest.mark.browser

PLANNER = "planner@scale.test"
PASSWORD = "planner-password-1"
TEAMS = [
    "Billing", "Checkout", "Data platform", "Design system", "Growth", "Identity",
    "Integrations", "Mobile", "Onboarding", "Payments", "Reporting", "Search", "Security",
    "Support tools", "Web",
]  # fmt: skip
# Objectives aligned to the pillar: more than the tree's window of 30 rows.
GOALS = 34

MAKE_PLAN = f"""
import datetime
from decimal import Decimal
from tandem.accounts.models import Member, User
from tandem.accounts.services import workspace_create
from tandem.okrs.services import (
    cycle_create, key_result_check_in, key_result_create, objective_create
)
from tandem.roadmaps.services import initiative_create, roadmap_create
from tandem.strategy.services import pillar_create, team_create

user = User.objects.create_user("{PLANNER}", "{PASSWORD}", name="Pat Planner")
workspace = workspace_create(name="Scale Co", owner=user, slug="scale")
by = Member.objects.get(workspace=workspace, user=user)
roadmap = roadmap_create(name="Product", by=by)
teams = [team_create(name=name, by=by) for name in {TEAMS!r}]
horizons = ["now", "next", "later"]
for n, team in enumerate(teams):
    for h in horizons[: 1 + n % 3]:
        initiative_create(
            roadmap=roadmap, title=f"{{team.name}}: {{h}} work", team=team, horizon=h, by=by
        )
today = datetime.date.today()
cycle = cycle_create(
    name="This quarter",
    start=today - datetime.timedelta(days=30),
    end=today + datetime.timedelta(days=60),
    state="active",
    by=by,
)
pillar = pillar_create(name="Grow revenue", by=by)
goals = []
for n in range({GOALS}):
    team = teams[n % len(teams)]
    goal = objective_create(
        cycle=cycle, title=f"{{team.name}} goal {{n + 1:02}}", pillar=pillar, team=team, by=by
    )
    kr = key_result_create(
        objective=goal,
        title=f"Reach 100 for {{team.name}}",
        kind="increase",
        start_value=Decimal(0),
        target_value=Decimal(100),
        by=by,
    )
    if n % 4:  # check-ins, so rows carry "% likely" and a confidence, or not
        for weeks, share in [(3, 1), (2, 2), (1, 3)]:  # three: enough to forecast
            key_result_check_in(
                key_result=kr,
                value=Decimal(share * n),
                confidence=1 + n % 10,
                date=today - datetime.timedelta(weeks=weeks),
                by=by,
            )
    goals.append(goal)
objective_create(cycle=cycle, title="Aligned beneath the last goal", parent=goals[-1], by=by)
"""


@pytest.fixture(scope="module")
def scale(tandem_server):
    subprocess.run(
        [str(TANDEM), "shell", "-c", MAKE_PLAN], env=tandem_server.env, check=True, timeout=300
    )
    return f"{tandem_server.url}/w/scale"


def log_in_as_planner(page, tandem_server) -> None:
    page.goto(f"{tandem_server.url}/login/")
    page.get_by_label("Email").fill(PLANNER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page).not_to_have_url(re.compile(r"/login/"))


def on_a_phone(page, name: str, end) -> None:
    """Viewport-sized shots at 390 px of the page's top and of `end` (the full-page shot of a
    long page is too tall to judge): what a phone shows first and where the list ends."""
    page.set_viewport_size({"width": 390, "height": 800})
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{name}-390-top.png"))
    end.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"{name}-390-end.png"))
    page.set_viewport_size({"width": 1280, "height": 800})


def test_the_board_lists_the_lanes_it_does_not_draw(tandem_server, scale, page, screenshot):
    log_in_as_planner(page, tandem_server)
    page.goto(f"{scale}/roadmap/")
    expect(page.locator("section.lane")).to_have_count(12)
    # The line under the heading says lanes are left out and leads to them: on a phone the
    # list is thousands of pixels down.
    page.get_by_role("link", name="3 more listed below").click()
    more = page.get_by_role("region", name="3 more lanes")
    expect(more).to_be_in_viewport()
    expect(more).to_be_visible()
    expect(more.get_by_role("link")).to_have_text(
        ["Security", "Support tools", "Web", "Show every lane and card"]
    )
    both_widths(page, screenshot, "large-board-more-lanes")
    on_a_phone(page, "large-board-more-lanes", more)
    more.get_by_role("link", name="Security").click()
    expect(page.locator("section.lane")).to_have_count(1)
    expect(page.locator("li.initiative")).to_contain_text(["Security: now work"])
    page.goto(f"{scale}/roadmap/?all=1")
    expect(page.locator("section.lane")).to_have_count(15)
    expect(page.get_by_role("region", name=re.compile("more lane"))).to_have_count(0)
    assert page.console_errors == []


def test_the_tree_links_to_the_objectives_past_its_window(tandem_server, scale, page, screenshot):
    log_in_as_planner(page, tandem_server)
    page.goto(f"{scale}/okrs/tree/")
    branch = page.locator("section.tree-branch").filter(has_text="Grow revenue")
    expect(branch.get_by_role("treeitem")).to_have_count(30)
    expect(branch.locator(".likely").first).to_have_text(re.compile(r"\d+ % likely"))
    link = branch.get_by_role("link", name="5 more objectives in this branch")
    expect(link).to_be_visible()
    both_widths(page, screenshot, "large-tree-more-objectives")
    on_a_phone(page, "large-tree-more-objectives", link)
    link.click()
    expect(page).to_have_url(re.compile(r"all=1"))
    expect(branch.get_by_role("treeitem")).to_have_count(GOALS + 1)
    expect(branch.get_by_role("treeitem", name=re.compile("Aligned beneath"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("more objectives"))).to_have_count(0)
    assert page.console_errors == []
