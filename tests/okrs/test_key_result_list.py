"""Issue 15: the API's list of key results reads plain rows and builds its answer itself.
What it answers must be, byte for byte, what KeyResultOut makes of the key results the ORM
loads (with the forecasts worked out the old way), on a plan that varies everything the
answer shows; its queries do not grow with the page; its filters are one FilterSchema."""

import datetime
import json
from decimal import Decimal

import pytest
from ninja.responses import NinjaJSONEncoder

from tandem.accounts.services import api_token_create
from tandem.okrs.filters import KeyResultFilters
from tandem.okrs.models import Cycle, CycleState, GoalStatus, KeyResult
from tandem.okrs.schemas import KeyResultOut
from tandem.okrs.services import key_result_archive, key_result_check_in, key_result_grade
from tandem.planning.forecasts import key_result_forecasts
from tandem.roadmaps.models import InitiativeStatus
from tandem.roadmaps.services import contribution_create
from tests import factories
from tests.api.conftest import Api
from tests.okrs.conftest import TODAY

V1 = "/api/v1/workspaces/acme-test"


@pytest.fixture
def api(owner):
    _, raw = api_token_create(user=owner.user, name="script")
    api = Api(raw)
    api.get("/api/v1/me")  # the first call of a fresh token records its use
    return api


def _check_ins(owner, kr, *readings):
    for day, value, confidence in readings:
        key_result_check_in(
            key_result=kr,
            value=Decimal(value),
            confidence=confidence,
            note="",
            date=datetime.date(2026, 10, 1) + datetime.timedelta(days=day),
            by=owner,
        )


@pytest.fixture
def plan(owner, editor, cycle):
    """Key results of every kind and state, in an open and a closed cycle, with and
    without owners, check-ins, grades and live or finished work serving them."""
    team = factories.make_team(owner)
    closed = factories.make_cycle(
        owner, start=datetime.date(2026, 7, 1), end=datetime.date(2026, 9, 30)
    )
    grow = factories.make_objective(owner, cycle=cycle, team=team)
    keep = factories.make_objective(owner, cycle=cycle)
    past = factories.make_objective(owner, cycle=closed)
    steady = factories.make_key_result(
        owner,
        objective=grow,
        start_value=Decimal("1400.5"),
        target_value=Decimal("1800.25"),
        owner=editor,
        unit="currency",
        currency="EUR",
        weight=Decimal("2.5"),
    )
    _check_ins(owner, steady, (5, "1450", 7), (19, "1500.75", 6), (33, "1590", 8), (40, "1610", 8))
    falling = factories.make_key_result(
        owner,
        objective=grow,
        kind="decrease",
        start_value=Decimal("4.6"),
        target_value=Decimal("3"),
        check_in_every_days=14,
    )
    _check_ins(owner, falling, (5, "4.5", 5), (19, "4.2", 5), (33, "4.1", 4))
    milestone = factories.make_key_result(
        owner, objective=keep, kind="milestone", start_value=Decimal(0), target_value=Decimal(1)
    )
    _check_ins(owner, milestone, (10, "0", 6), (30, "0", 5), (40, "0", 4))
    above = factories.make_key_result(
        owner,
        objective=keep,
        kind="stay_above",
        start_value=Decimal(90),
        target_value=Decimal(95),
        needs_no_initiative=True,
    )
    _check_ins(owner, above, (3, "96", 9), (17, "97", 9), (31, "94.5", 7))
    factories.make_key_result(owner, objective=keep, title="Silent")
    young = factories.make_key_result(owner, objective=grow, title="Young")
    _check_ins(owner, young, (5, "10", 7), (19, "20", 7))
    done = factories.make_key_result(owner, objective=past, target_value=Decimal(10))
    archived = factories.make_key_result(owner, objective=keep, title="Archived")
    key_result_archive(key_result=archived, reason="", by=owner)
    now = factories.make_initiative(owner, horizon="now", team=team)
    dated = factories.make_initiative(owner, end_date=datetime.date(2027, 2, 1))
    finished = factories.make_initiative(owner, status=InitiativeStatus.DONE)
    contribution_create(initiative=now, key_result=steady, expected_delta=Decimal("120"), by=owner)
    contribution_create(initiative=dated, key_result=steady, by=owner)
    contribution_create(initiative=dated, key_result=falling, expected_delta=Decimal(0), by=owner)
    contribution_create(initiative=finished, key_result=above, by=owner)
    # Grades are given once the cycle is closed.
    Cycle.objects.filter(pk=closed.pk).update(state=CycleState.CLOSED)
    done = KeyResult.objects.select_related("objective__cycle").get(pk=done.pk)
    key_result_grade(key_result=done, grade=Decimal("0.7"), by=owner)
    return {"team": team, "cycle": cycle, "closed": closed, "grow": grow, "steady": steady}


def _expected(workspace, queryset, limit=50, offset=0) -> bytes:
    """The page as the list answered before it read plain rows."""
    key_results = list(queryset.select_related("objective__cycle", "workspace"))
    outcomes = key_result_forecasts(key_results, TODAY)
    for kr in key_results:
        kr.forecast_outcome = outcomes[kr.pk]
    items = [KeyResultOut.model_validate(kr).model_dump() for kr in key_results]
    body = {"items": items[offset : offset + limit], "count": len(items)}
    return json.dumps(body, cls=NinjaJSONEncoder).encode()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"limit": 3, "offset": 2},
        {"limit": 2, "offset": 20},
        {"status": "archived"},
        {"owner_id": "editor"},
        {"team_id": "team"},
        {"cycle_id": "closed"},
        {"objective_id": "grow", "limit": 1},
    ],
)
def test_the_answer_is_byte_for_byte_what_the_schema_makes(api, owner, editor, plan, params):
    known = {"editor": editor, **plan}
    query = {k: known[v].pk if isinstance(v, str) and v in known else v for k, v in params.items()}
    lookups = {
        "cycle_id": "objective__cycle_id",
        "team_id": "objective__team_id",
        "objective_id": "objective_id",
        "owner_id": "owner_id",
        "status": "status",
    }
    wanted = {"status": GoalStatus.ACTIVE} | {
        lookups[k]: v for k, v in query.items() if k in lookups
    }
    expected = _expected(
        owner.workspace,
        KeyResult.objects.in_workspace(owner.workspace).filter(**wanted),
        limit=query.get("limit", 50),
        offset=query.get("offset", 0),
    )
    response = api.get(f"{V1}/key-results", **query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.content == expected
    if not params:  # the plan's variety made it to the answer
        items = response.json["items"]
        assert {i["kind"] for i in items} == {"increase", "decrease", "milestone", "stay_above"}
        assert any(i["forecast"] for i in items) and any(i["forecast_reason"] for i in items)


def test_queries_do_not_grow_with_the_page_or_the_filters(
    api, owner, plan, django_assert_num_queries
):
    # The token, the membership, then the count, the rows, their check-ins and the work
    # serving them (the rate limit is off in tests).
    for params in ({"limit": 1}, {"limit": 500}, {"team_id": plan["team"].pk, "limit": 2}):
        with django_assert_num_queries(6):
            assert api.get(f"{V1}/key-results", **params).status_code == 200


def test_another_workspaces_key_results_are_never_listed(api, owner, outsider, plan):
    theirs = factories.make_key_result(outsider, objective=factories.make_objective(outsider))
    listed = api.get(f"{V1}/key-results", limit=500).json["items"]
    assert theirs.pk not in {i["id"] for i in listed}
    # Filtering by their objective finds nothing here, rather than their key result.
    assert api.get(f"{V1}/key-results", objective_id=theirs.objective_id).json["count"] == 0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("cycle_id", "abc"),
        ("team_id", "0"),
        ("owner_id", "99999999999999999999999"),
        ("objective_id", "1.5"),
        ("status", "finished"),
    ],
)
def test_a_bad_filter_is_a_422_naming_it(api, plan, name, value):
    response = api.get(f"{V1}/key-results", **{name: value})
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == [name]


def test_the_filter_is_one_definition_for_rows_and_querysets(owner, plan):
    filters = KeyResultFilters(cycle_id=plan["cycle"].pk, team_id=plan["team"].pk)
    assert filters.columns() == {
        "objective.cycle_id": plan["cycle"].pk,
        "objective.team_id": plan["team"].pk,
        "status": GoalStatus.ACTIVE,
    }
    found = filters.filter(KeyResult.objects.in_workspace(owner.workspace))
    assert plan["steady"] in found and all(kr.objective.team == plan["team"] for kr in found)
