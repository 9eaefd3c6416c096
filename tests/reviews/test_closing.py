"""Closing a cycle: carry over chosen objectives and key results (page and API, one
service), refuse ids that are not this cycle's unfinished work naming the field, and read
the lessons back on the cycle's page, while planning the next one, and in the API."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.okrs.forms import CycleForm
from tandem.okrs.models import CycleState, KeyResult, Objective
from tandem.okrs.services import key_result_update
from tandem.reviews import closing
from tests import factories
from tests.reviews.test_api import Api, rows


@pytest.fixture
def quarters(owner):
    """Q4 (active) with two unfinished objectives, one finished key result; Q1 planned."""
    q4 = factories.make_cycle(owner, name="Q4")
    q1 = factories.make_cycle(
        owner,
        name="Q1",
        start=datetime.date(2027, 1, 1),
        end=datetime.date(2027, 3, 31),
        state=CycleState.PLANNING,
    )
    grow = factories.make_objective(owner, cycle=q4, title="Grow")
    reach = factories.make_key_result(owner, objective=grow, title="Reach 100")
    keep = factories.make_key_result(owner, objective=grow, title="Keep churn low")
    done = factories.make_key_result(owner, objective=grow, title="Ship it")
    key_result_update(key_result=done, by=owner, current_value=Decimal(100))
    tidy = factories.make_objective(owner, cycle=q4, title="Tidy up")
    clean = factories.make_key_result(owner, objective=tidy, title="Clean the backlog")
    return q4, q1, {"grow": grow, "tidy": tidy}, {"reach": reach, "keep": keep, "clean": clean}


def _carried(cycle):
    return {
        o.title: sorted(kr.title for kr in o.key_results.all())
        for o in Objective.objects.filter(cycle=cycle)
    }


def test_close_carries_only_the_chosen_objectives_and_key_results(owner, quarters):
    q4, q1, objectives, krs = quarters
    closed = closing.cycle_close(
        cycle=q4,
        carry_objective_ids=[objectives["grow"].pk],
        carry_key_result_ids=[krs["reach"].pk],
        by=owner,
    )
    assert (closed.objectives, closed.key_results) == (1, 1)
    assert _carried(q1) == {"Grow": ["Reach 100"]}


def test_carry_over_alone_still_carries_everything_unfinished(owner, quarters):
    q4, q1, _, _ = quarters
    closing.cycle_close(cycle=q4, carry_over=True, by=owner)
    assert _carried(q1) == {
        "Grow": ["Keep churn low", "Reach 100"],
        "Tidy up": ["Clean the backlog"],
    }


def test_an_objective_can_move_without_its_key_results(owner, quarters):
    q4, q1, objectives, _ = quarters
    closing.cycle_close(
        cycle=q4, carry_objective_ids=[objectives["tidy"].pk], carry_key_result_ids=[], by=owner
    )
    assert _carried(q1) == {"Tidy up": []}


def test_carry_refuses_other_work_naming_the_field_and_writes_nothing(owner, outsider, quarters):
    q4, _, objectives, krs = quarters
    done = KeyResult.objects.get(title="Ship it")  # finished: not offered
    elsewhere = factories.make_key_result(outsider)
    before = rows()
    for kwargs, field, words in [
        ({"carry_objective_ids": [elsewhere.objective_id]}, "carry_objective_ids", "Not an"),
        ({"carry_key_result_ids": [elsewhere.pk]}, "carry_key_result_ids", "Not an"),
        ({"carry_key_result_ids": [done.pk]}, "carry_key_result_ids", "Not an"),
        (
            {
                "carry_objective_ids": [objectives["grow"].pk],
                "carry_key_result_ids": [krs["clean"].pk],
            },
            "carry_key_result_ids",
            "only move with its objective “Tidy up”",
        ),
        ({"carry_over": False, "carry_objective_ids": [objectives["grow"].pk]}, "carry_over", ""),
    ]:
        with pytest.raises(ValidationError) as refused:
            closing.cycle_close(cycle=q4, by=owner, **kwargs)
        assert words in refused.value.message_dict[field][0], kwargs
    assert rows() == before
    q4.refresh_from_db()
    assert q4.state == CycleState.ACTIVE


def test_the_api_carries_a_list_of_ids_and_refuses_another_workspace_s(owner, outsider, quarters):
    q4, q1, objectives, krs = quarters
    api = Api(owner)
    path = f"/cycles/{q4.pk}/close"
    elsewhere = factories.make_key_result(outsider)
    before = rows()
    refused = api.send("post", path, {"carry_key_result_ids": [elsewhere.pk]})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "carry_key_result_ids"
    assert rows() == before
    body = {
        "carry_objective_ids": [objectives["grow"].pk, objectives["tidy"].pk],
        "carry_key_result_ids": [krs["keep"].pk],
    }
    closed = api.send("post", path, body)
    assert closed.status_code == 200, closed.content
    assert closed.json()["carried_over"] == {"objectives": 2, "key_results": 1, "initiatives": 0}
    assert _carried(q1) == {"Grow": ["Keep churn low"], "Tidy up": []}


def test_the_close_page_preselects_unfinished_work_and_lands_on_the_next_cycle(
    owner, viewer, quarters, client_as
):
    q4, q1, objectives, krs = quarters
    client = client_as(owner)
    close = reverse("cycle_close", kwargs={"workspace": owner.workspace.slug, "cycle_id": q4.pk})
    page = client.get(close).content.decode()
    for name, pk in [
        ("carry_objective_ids", objectives["grow"].pk),
        ("carry_key_result_ids", krs["clean"].pk),
    ]:
        assert f'name="{name}" value="{pk}" checked' in page
    assert "Ship it</label>" not in page  # finished work is not offered
    # A key result without its objective is refused by name, nothing closed.
    grades = {f"grade_{kr.pk}": "0.5" for kr in KeyResult.objects.filter(objective__cycle=q4)}
    refused = client.post(close, {**grades, "carry_key_result_ids": [krs["clean"].pk]})
    assert refused.status_code == 422
    assert "“Clean the backlog” can only move with its objective" in refused.content.decode()
    q4.refresh_from_db()
    assert q4.state == CycleState.ACTIVE
    landed = client.post(
        close,
        {
            **grades,
            "carry_objective_ids": [objectives["grow"].pk],
            "carry_key_result_ids": [krs["reach"].pk],
            "went_well": "Focus",
            "try_next": "Smaller bets",
        },
        follow=True,
    )
    html = landed.content.decode()
    assert landed.redirect_chain[-1][0].endswith(f"?cycle={q1.pk}")
    assert "Q4 is closed. Carried into Q1: 1 objective, 1 key result, 0 initiatives." in html
    assert "Lessons from Q4" in html and "Smaller bets" in html
    start = reverse(
        "okr_cycle_activate", kwargs={"workspace": owner.workspace.slug, "cycle_id": q1.pk}
    )
    assert f'action="{start}"' in html and "Start Q1" in html
    assert _carried(q1) == {"Grow": ["Reach 100"]}
    # A viewer sees the lessons but no offer to start the cycle.
    seen = client_as(viewer).get(landed.redirect_chain[-1][0]).content.decode()
    assert "Lessons from Q4" in seen and "Start Q1" not in seen
    # Starting from the offer lands back on the cycle, now current.
    started = client.post(start, {"back": "cycle"}, follow=True)
    assert started.redirect_chain[-1][0].endswith(f"?cycle={q1.pk}")
    q1.refresh_from_db()
    assert q1.state == CycleState.ACTIVE and "Start Q1" not in started.content.decode()


def test_a_closed_cycle_shows_its_lessons_and_grades(owner, quarters, client_as):
    q4, q1, _, krs = quarters
    closing.cycle_close(
        cycle=q4,
        grades={krs["reach"].pk: (Decimal("0.4"), "Slow start")},
        retrospective=closing.Lessons(went_well="Focus", went_badly="Hiring", try_next="Pairs"),
        by=owner,
    )
    client = client_as(owner)
    slug = owner.workspace.slug
    page = client.get(reverse("okr_list", kwargs={"workspace": slug}) + f"?cycle={q4.pk}")
    html = page.content.decode()
    assert "Lessons of Q4" in html and "Hiring" in html
    assert 'title="Slow start">Grade 0.4</span>' in html
    # Grow: Reach 0.4, Keep 0.0, Ship 1.0, equal weights; Tidy up: 0.0.
    assert "Grade 0.5</span>" in html and "Grade 0.0</span>" in html
    new = client.get(reverse("objective_create", kwargs={"workspace": slug}) + f"?cycle={q1.pk}")
    assert "Lessons from Q4" in new.content.decode() and "Pairs" in new.content.decode()


def test_the_api_returns_the_lessons_that_apply(owner, outsider, quarters):
    q4, q1, _, _ = quarters
    api = Api(owner)
    assert api.get(f"/cycles/{q4.pk}/lessons").json() == {"cycle_id": q4.pk, "lessons": None}
    closing.cycle_close(cycle=q4, retrospective=closing.Lessons(went_badly="Hiring"), by=owner)
    own = api.get(f"/cycles/{q4.pk}/lessons").json()["lessons"]
    assert (own["cycle_id"], own["cycle_name"], own["went_badly"]) == (q4.pk, "Q4", "Hiring")
    planning = api.get(f"/cycles/{q1.pk}/lessons").json()["lessons"]
    assert (planning["cycle_id"], planning["went_well"]) == (q4.pk, "")
    assert Api(outsider).get(f"/cycles/{q4.pk}/lessons").status_code == 404


def test_the_next_cycle_offered_skips_a_quarter_taken_under_another_name(owner):
    spring = factories.make_cycle(owner, name="Spring")  # 1 Oct to 31 Dec 2026
    form = CycleForm.for_next_quarter([spring], datetime.date(2026, 11, 2))
    assert form.initial["start"] == datetime.date(2027, 1, 1)
