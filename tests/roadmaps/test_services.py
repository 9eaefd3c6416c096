import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tandem.activity.models import ChangeEvent
from tandem.okrs.services import key_result_archive
from tandem.roadmaps.models import Contribution, Dependency, Initiative, InsightStatus, TeamCapacity
from tandem.roadmaps.services import (
    contribution_create,
    dependency_create,
    initiative_update,
    insight_create,
    insight_link,
    team_capacity_set,
)
from tests.factories import make_cycle, make_initiative, make_key_result, make_roadmap, make_team


def test_an_end_before_the_start_is_refused(owner):
    with pytest.raises(ValidationError) as excinfo:
        make_initiative(
            owner, start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2026, 4, 1)
        )
    assert excinfo.value.message_dict == {
        "end_date": ["The end date cannot come before the start date."]
    }
    assert not Initiative.objects.exists()


def test_effort_below_zero_is_refused(owner):
    with pytest.raises(ValidationError) as excinfo:
        make_initiative(owner, effort=Decimal("-1"))
    assert excinfo.value.message_dict == {"effort": ["Effort cannot be below zero."]}


def test_every_move_is_recorded_as_a_move(owner):
    initiative = make_initiative(owner, horizon="next")
    initiative_update(initiative=initiative, horizon="now", position=0, by=owner)
    event = ChangeEvent.objects.about(initiative).filter(action="moved").get()
    assert event.before == {"horizon": "next"}
    assert event.after == {"horizon": "now"}


def test_a_dependency_loop_is_refused_naming_the_loop(owner):
    roadmap = make_roadmap(owner)
    a, b, c = (
        make_initiative(owner, roadmap=roadmap, title=t) for t in ("Auth", "Billing", "Checkout")
    )
    dependency_create(initiative=a, depends_on=b, by=owner)
    dependency_create(initiative=b, depends_on=c, by=owner)
    with pytest.raises(ValidationError) as excinfo:
        dependency_create(initiative=c, depends_on=a, by=owner)
    assert excinfo.value.message_dict == {
        "depends_on": ["This would close a loop: 'Checkout' → 'Auth' → 'Billing' → 'Checkout'."]
    }
    assert Dependency.objects.count() == 2


def test_an_initiative_cannot_depend_on_itself_or_on_another_workspace(owner, outsider):
    initiative = make_initiative(owner)
    with pytest.raises(ValidationError) as excinfo:
        dependency_create(initiative=initiative, depends_on=initiative, by=owner)
    assert "depends_on" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        dependency_create(initiative=initiative, depends_on=make_initiative(outsider), by=owner)
    assert excinfo.value.message_dict == {"depends_on": ["must belong to this workspace."]}
    assert not Dependency.objects.exists()


def test_no_contribution_to_an_archived_key_result(owner):
    key_result = make_key_result(owner)
    key_result_archive(key_result=key_result, by=owner)
    with pytest.raises(ValidationError) as excinfo:
        contribution_create(initiative=make_initiative(owner), key_result=key_result, by=owner)
    assert "key_result" in excinfo.value.message_dict
    assert not Contribution.objects.exists()


def test_a_contribution_is_made_once(owner):
    initiative, key_result = make_initiative(owner), make_key_result(owner)
    contribution_create(
        initiative=initiative, key_result=key_result, expected_impact="+5 pts", by=owner
    )
    with pytest.raises(ValidationError) as excinfo:
        contribution_create(initiative=initiative, key_result=key_result, by=owner)
    assert excinfo.value.message_dict == {
        "key_result": ["This initiative already contributes to that key result."]
    }


def test_triaging_an_insight_links_it_and_marks_it_triaged(owner):
    insight = insight_create(title="SSO please", kind="customer_feedback", importance=5, by=owner)
    assert insight.status == InsightStatus.NEW
    initiative = make_initiative(owner)
    insight_link(insight=insight, initiatives=[initiative], by=owner)
    insight.refresh_from_db()
    assert insight.status == InsightStatus.TRIAGED
    assert list(initiative.insights.all()) == [insight]


def test_importance_runs_from_1_to_5(owner):
    with pytest.raises(ValidationError) as excinfo:
        insight_create(title="x", kind="market_research", importance=9, by=owner)
    assert excinfo.value.message_dict == {"importance": ["Importance runs from 1 to 5."]}


def test_capacity_is_set_once_per_team_and_cycle_and_updated_after(owner):
    team, cycle = make_team(owner), make_cycle(owner)
    team_capacity_set(team=team, cycle=cycle, person_weeks=Decimal(40), by=owner)
    team_capacity_set(
        team=team, cycle=cycle, person_weeks=Decimal(36), by=owner, reason="Parental leave"
    )
    capacity = TeamCapacity.objects.get()
    assert capacity.person_weeks == 36
    assert ChangeEvent.objects.about(capacity).get(action="updated").reason == "Parental leave"
    with pytest.raises(ValidationError) as excinfo:
        team_capacity_set(team=make_team(owner), cycle=cycle, person_weeks=Decimal(-1), by=owner)
    assert excinfo.value.message_dict == {"person_weeks": ["Capacity cannot be below zero."]}
