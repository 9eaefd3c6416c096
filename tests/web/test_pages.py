"""Each page shows a member what they came for, and is a 404 for everyone else."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tandem.strategy.services import pillar_create, strategy_set_vision

WORKSPACE_PAGES = [
    "dashboard",
    "okr_list",
    "roadmap_board",
    "strategy",
    "conflict_list",
    "review_list",
]


def page(name: str, workspace) -> str:
    return reverse(name, kwargs={"workspace": workspace.slug})


@pytest.mark.parametrize("name", WORKSPACE_PAGES)
def test_outsider_gets_404_on_every_workspace_page(name, plan, outsider, client_as):
    response = client_as(outsider).get(page(name, plan.owner.workspace))
    assert response.status_code == 404
    assert "Acme Test" not in response.content.decode()


@pytest.mark.parametrize("name", WORKSPACE_PAGES)
def test_anonymous_visitor_is_sent_to_login(name, plan, client):
    url = page(name, plan.owner.workspace)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("name", WORKSPACE_PAGES)
def test_viewer_can_read_every_workspace_page(name, plan, viewer, client_as):
    response = client_as(viewer).get(page(name, plan.owner.workspace))
    assert response.status_code == 200


@time_machine.travel(datetime.datetime(2026, 11, 15, 12, tzinfo=datetime.UTC))
def test_dashboard_shows_cycle_progress_counts_and_activity(plan, client_as):
    response = client_as(plan.owner).get(page("dashboard", plan.owner.workspace))
    html = response.content.decode()
    assert "Q4 2026" in html
    assert "1 Oct 2026 – 31 Dec 2026" in html
    assert "Day 46 of 92" in html
    assert "50%</strong> of the cycle has passed" in html
    assert (
        '<span class="stat-value">2</span> <span class="stat-label">objectives this cycle' in html
    )
    assert (
        '<span class="stat-value">6</span> <span class="stat-label">key results this cycle' in html
    )
    # Two live initiatives per horizon; the finished ones are not counted.
    assert (
        html.count('<span class="stat-value">2</span> <span class="stat-label">initiatives in') == 3
    )
    assert '<span class="stat-value">2</span> <span class="stat-label">open insights' in html
    assert "Olivia Owner</strong>\n            created insight" in html
    assert "<q>Customers ask for SSO 002</q>" in html


def test_dashboard_without_active_cycle_says_so(owner, client_as):
    html = client_as(owner).get(page("dashboard", owner.workspace)).content.decode()
    assert "No active cycle" in html
    assert "objectives this cycle" not in html


def test_okrs_grouped_by_team_with_key_result_numbers(plan, client_as):
    html = client_as(plan.owner).get(page("okr_list", plan.owner.workspace)).content.decode()
    assert html.index("Team 001") < html.index("Objective 001") < html.index("Team 002")
    assert "Activation rate 001" in html
    # start → current (from the check-in) → target, in the key result's unit
    assert "<dd>30%</dd>" in html
    assert "<dd>37.5%</dd>" in html
    assert "<dd>45%</dd>" in html
    assert "<dd>$25,000</dd>" in html
    assert "Milestone not done" in html
    assert "Aspirational" in html
    assert "Committed" in html
    assert "Owner: Olivia Owner" in html


def test_okrs_cycle_picker_shows_another_cycle(plan, client_as):
    client = client_as(plan.owner)
    url = page("okr_list", plan.owner.workspace)
    html = client.get(url, {"cycle": plan.past_cycle.pk}).content.decode()
    assert "No objectives in Q3 2026 yet." in html
    assert "Objective 001" not in html
    assert f'<option value="{plan.past_cycle.pk}" selected>' in html


def test_okrs_cycle_of_another_workspace_is_404(plan, outsider, client_as):
    from tests.factories import make_cycle

    foreign = make_cycle(outsider, name="Globex Q4")
    response = client_as(plan.owner).get(
        page("okr_list", plan.owner.workspace), {"cycle": foreign.pk}
    )
    assert response.status_code == 404


def test_roadmap_columns_hold_their_initiatives(plan, client_as):
    html = client_as(plan.owner).get(page("roadmap_board", plan.owner.workspace)).content.decode()

    def column_of(title: str) -> str:
        before = html[: html.index(title)]
        return before[before.rindex('class="cell board-') :].split('"')[1].removeprefix("cell ")

    assert column_of("Initiative 001 now") == "board-now"
    assert column_of("Initiative 001 next") == "board-next"
    assert column_of("Initiative 001 later") == "board-later"
    assert "5 Oct 2026 – 20 Nov 2026" in html
    assert "3 pw" in html
    assert "Team 001" in html
    assert "Shipped 001" not in html
    assert "2 done or dropped not shown." in html


def test_roadmap_picker_narrows_to_one_roadmap(plan, client_as):
    from tests.factories import make_initiative, make_roadmap

    other = make_roadmap(plan.owner, name="Mobile")
    make_initiative(plan.owner, roadmap=other, title="Offline mode", status="planned")
    client = client_as(plan.owner)
    url = page("roadmap_board", plan.owner.workspace)
    assert "Offline mode" in client.get(url).content.decode()
    html = client.get(url, {"roadmap": plan.roadmap.pk}).content.decode()
    assert "Offline mode" not in html
    assert "Initiative 001 now" in html


def test_strategy_shows_vision_as_markdown_pillars_and_teams(plan, client_as):
    strategy_set_vision(
        vision="Be **the** place where plans meet.\n\n<script>alert(1)</script>", by=plan.owner
    )
    pillar_create(
        name="Delightful onboarding", description="First value in *minutes*.", by=plan.owner
    )
    html = client_as(plan.owner).get(page("strategy", plan.owner.workspace)).content.decode()
    assert "Be <strong>the</strong> place where plans meet." in html
    assert "<script>alert(1)</script>" not in html
    assert "Delightful onboarding" in html
    assert "First value in <em>minutes</em>." in html
    assert "Team 001" in html
    assert "Olivia Owner" in html
