"""The executive overview: what it says, and a fixed number of queries."""

import datetime

import time_machine
from django.urls import reverse

from tandem.okrs.models import KeyResult
from tandem.reviews.baselines import baseline_take
from tandem.roadmaps.services import contribution_create, initiative_update
from tests import factories


def test_executive_overview_query_count_does_not_grow(plan, client_as, django_assert_num_queries):
    baseline_take(workspace=plan.owner.workspace, by=plan.owner, cycle=plan.cycle)
    client = client_as(plan.owner)
    url = reverse("executive_overview", kwargs={"workspace": plan.owner.workspace.slug})
    client.get(url)
    # Layout 7; objectives, key results, pillars, conflict badges, check-ins and work for
    # the forecasts, the baseline, the plan snapshot (one query per table), conflicts by
    # severity and the first of them, the week's changes counted and the latest.
    with django_assert_num_queries(28) as first:
        client.get(url)
    plan.grow(6)
    with django_assert_num_queries(len(first.captured_queries)):
        html = client.get(url).content.decode()
    assert "Objective 008" in html


@time_machine.travel(datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC), tick=False)
def test_executive_overview_tells_pace_drift_silence_and_the_week(plan, client_as):
    workspace = plan.owner.workspace
    initiative = plan.roadmap.initiatives.get(title="Initiative 001 now")
    key_result = KeyResult.objects.get(title="Activation rate 001")
    contribution_create(initiative=initiative, key_result=key_result, by=plan.owner)
    baseline_take(workspace=workspace, by=plan.owner, name="Start of Q4", cycle=plan.cycle)
    initiative_update(initiative=initiative, end_date=datetime.date(2026, 12, 20), by=plan.owner)
    factories.make_objective(plan.owner, cycle=plan.cycle, title="A fresh objective")
    html = (
        client_as(plan.owner)
        .get(reverse("executive_overview", kwargs={"workspace": workspace.slug}))
        .content.decode()
    )
    assert "<h1>Executive overview</h1>" in html
    assert "Not aligned to a pillar" in html and "Objective 001" in html
    # Checked in on 2 Nov: more than two weeks ago on 25 Nov.
    assert "Activation rate 001" in html and "last check-in 2 Nov 2026, 23 days" in html
    assert "since “Start of Q4”" in html and "Initiative 001 now: rescheduled" in html
    assert "Open conflicts" in html
    assert "additions" in html  # this week's changes, counted


def test_dashboard_links_to_the_executive_overview(owner, client_as):
    html = (
        client_as(owner)
        .get(reverse("dashboard", kwargs={"workspace": owner.workspace.slug}))
        .content.decode()
    )
    assert reverse("executive_overview", kwargs={"workspace": owner.workspace.slug}) in html
