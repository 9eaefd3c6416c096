"""Issue 15: detection re-runs cost next to nothing when nothing changed, and an edit
rewrites only the conflicts whose inputs it moved."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.conflicts.detection import conflicts_detect
from tandem.conflicts.models import Conflict
from tandem.roadmaps.services import contribution_create, initiative_update
from tests.factories import (
    make_cycle,
    make_initiative,
    make_key_result,
    make_objective,
    make_team,
)

D = datetime.date


@pytest.fixture(autouse=True)
def _mid_quarter():
    with time_machine.travel(datetime.datetime(2026, 2, 15, 12, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def two_late(owner):
    """Two initiatives serve a Q1 key result and both end after Q1."""
    cycle = make_cycle(owner, name="Q1 2026", start=D(2026, 1, 1), end=D(2026, 3, 31))
    key_result = make_key_result(owner, objective=make_objective(owner, cycle=cycle))
    late = []
    for title, end in (("Onboarding", D(2026, 4, 20)), ("Billing", D(2026, 4, 30))):
        initiative = make_initiative(
            owner,
            title=title,
            status="in_progress",
            horizon="now",
            start_date=D(2026, 1, 10),
            end_date=end,
        )
        contribution_create(initiative=initiative, key_result=key_result, by=owner)
        late.append(initiative)
    return late


def _late_conflict(initiative):
    return Conflict.objects.get(rule="late_delivery", sentence__contains=initiative.title)


def test_a_rerun_with_nothing_changed_reads_three_rows_and_writes_nothing(owner, two_late):
    first = conflicts_detect(workspace=owner.workspace)
    assert len(first.opened) >= 2
    with CaptureQueriesContext(connection) as queries:
        again = conflicts_detect(workspace=owner.workspace)
    assert (again.opened, again.reopened, again.closed) == ([], [], [])
    assert again.refreshed == len(first.opened)
    statements = [q["sql"].split()[0] for q in queries.captured_queries]
    # The newest change, the mark, the count of what stands; no plan is loaded.
    assert [s for s in statements if s not in {"SAVEPOINT", "RELEASE"}] == ["SELECT"] * 3


def test_an_edit_rewrites_only_the_conflicts_it_moved(owner, two_late):
    onboarding, billing = two_late
    conflicts_detect(workspace=owner.workspace)
    # Marked by hand: a rewrite of Billing's conflict would put its sentence back.
    Conflict.objects.filter(pk=_late_conflict(billing).pk).update(sentence="Billing, untouched")
    initiative_update(initiative=onboarding, end_date=D(2026, 5, 10), by=owner)
    conflicts_detect(workspace=owner.workspace)
    assert "40 days after Q1 2026 ends" in _late_conflict(onboarding).sentence
    assert Conflict.objects.filter(sentence="Billing, untouched").exists()


def test_a_new_day_runs_the_rules_again(owner, two_late):
    conflicts_detect(workspace=owner.workspace)
    tomorrow = datetime.datetime(2026, 2, 16, 12, tzinfo=datetime.UTC)
    with time_machine.travel(tomorrow), CaptureQueriesContext(connection) as queries:
        conflicts_detect(workspace=owner.workspace)
    assert any("roadmaps_initiative" in q["sql"] for q in queries.captured_queries)


def _orphans(owner, team, count):
    for index in range(count):
        make_initiative(owner, title=f"Orphan {index}", status="planned", team=team)


def test_the_inbox_costs_the_same_queries_at_two_sizes_and_filters_by_stored_teams(
    owner, client_as, django_assert_num_queries
):
    make_cycle(owner, name="Q1 2026", start=D(2026, 1, 1), end=D(2026, 3, 31))
    growth, platform = make_team(owner, name="Growth"), make_team(owner, name="Platform")
    _orphans(owner, growth, 3)
    conflicts_detect(workspace=owner.workspace)
    client = client_as(owner)
    url = reverse("conflict_list", kwargs={"workspace": owner.workspace.slug})
    client.get(url)  # warm the caches a running server has warm
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _orphans(owner, platform, 12)
    conflicts_detect(workspace=owner.workspace)
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(url)
    assert page.status_code == 200

    stored = Conflict.objects.filter(rule="orphan_work")
    assert {c.team_ids[0] for c in stored} == {growth.pk, platform.pk}
    only_growth = client.get(url, {"team": growth.pk})
    assert [row["conflict"].team_ids for row in only_growth.context["rows"]] == [[growth.pk]] * 3
