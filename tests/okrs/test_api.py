"""The OKR API, driven the way a script drives it: a Bearer token and JSON."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accounts.services import api_token_create
from tandem.activity.models import ChangeEvent
from tandem.okrs.models import CheckIn, KeyResult, Objective
from tandem.okrs.services import key_result_archive
from tests import factories
from tests.api.conftest import Api

V1 = "/api/v1/workspaces/acme-test"


@pytest.fixture
def api(owner):
    _, raw = api_token_create(user=owner.user, name="script")
    return Api(raw)


def test_cycle_lifecycle_plan_activate_close_grades(api, owner):
    created = api.post(
        f"{V1}/cycles", {"name": "Q3 2026", "start": "2026-07-01", "end": "2026-09-30"}
    )
    assert created.status_code == 201 and created.json["state"] == "planning"
    pk = created.json["id"]
    assert api.post(f"{V1}/cycles/{pk}/activate", {}).json["state"] == "active"
    objective = factories.make_objective(owner, cycle=factories_cycle(pk))
    kr = factories.make_key_result(owner, objective=objective, target_value=Decimal(10))
    api.post(
        f"{V1}/key-results/{kr.pk}/check-ins",
        {"value": "10", "confidence": 9, "date": "2026-08-03"},
    )
    closed = api.post(f"{V1}/cycles/{pk}/close", {"reason": "done"})
    assert closed.json["state"] == "closed"
    assert api.get(f"{V1}/key-results/{kr.pk}").json["grade"] == "1.00"
    late = api.post(f"{V1}/key-results/{kr.pk}/check-ins", {"value": "11", "confidence": 9})
    assert late.status_code == 422
    assert late.json["errors"][0]["field"] == "key_result"
    assert "closed" in late.json["errors"][0]["message"]


def factories_cycle(pk):
    from tandem.okrs.models import Cycle

    return Cycle.objects.get(pk=pk)


def test_objective_create_read_update_archive_with_filters(api, owner, editor, cycle):
    team = factories.make_team(owner, name="Growth")
    body = {
        "cycle_id": cycle.pk,
        "title": "Grow",
        "team_id": team.pk,
        "owner_id": editor.pk,
        "commitment": "aspirational",
    }
    created = api.post(f"{V1}/objectives", body)
    assert created.status_code == 201, created.json
    pk = created.json["id"]
    assert created.json["progress"] is None
    factories.make_objective(owner, cycle=cycle, title="Other")
    listed = api.get(f"{V1}/objectives", team_id=team.pk)
    assert [o["title"] for o in listed.json["items"]] == ["Grow"] and listed.json["count"] == 1
    assert api.get(f"{V1}/objectives", owner_id=editor.pk).json["count"] == 1
    assert api.get(f"{V1}/objectives", cycle_id=cycle.pk, limit=1).json["count"] == 2
    patched = api.patch(f"{V1}/objectives/{pk}", {"title": "Grow faster", "reason": "sharper"})
    assert patched.json["title"] == "Grow faster"
    assert ChangeEvent.objects.filter(action="updated", reason="sharper").exists()
    archived = api.post(f"{V1}/objectives/{pk}/archive", {"reason": "merged"})
    assert archived.json["status"] == "archived"
    assert api.get(f"{V1}/objectives", status="archived").json["count"] == 1


def test_a_parent_in_another_workspace_is_refused_naming_the_field(api, outsider, cycle):
    foreign = factories.make_objective(outsider)
    response = api.post(
        f"{V1}/objectives", {"cycle_id": cycle.pk, "title": "X", "parent_id": foreign.pk}
    )
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "parent_id"
    assert not Objective.objects.filter(title="X").exists()


def test_key_results_of_every_kind_and_impossible_ones_refused(api, owner, cycle):
    objective = factories.make_objective(owner, cycle=cycle)
    kinds = [
        {"kind": "increase", "start_value": "10", "target_value": "50"},
        {"kind": "decrease", "start_value": "200", "target_value": "0"},
        {"kind": "stay_above", "target_value": "99.5", "unit": "percent"},
        {"kind": "stay_below", "target_value": "300"},
        {"kind": "milestone"},
        {"kind": "increase", "target_value": "25000", "unit": "currency", "currency": "eur"},
    ]
    for fields in kinds:
        response = api.post(
            f"{V1}/key-results", {"objective_id": objective.pk, "title": "KR", **fields}
        )
        assert response.status_code == 201, (fields, response.json)
    assert KeyResult.objects.get(unit="currency").currency == "EUR"
    refused = api.post(
        f"{V1}/key-results",
        {
            "objective_id": objective.pk,
            "title": "Bad",
            "kind": "decrease",
            "start_value": "0",
            "target_value": "200",
        },
    )
    assert refused.status_code == 422
    assert refused.json["errors"] == [
        {"field": "target_value", "message": "To decrease, the target must be below the start."}
    ]
    wrong_type = api.post(
        f"{V1}/key-results",
        {"objective_id": objective.pk, "title": "Bad", "kind": "increase", "target_value": "lots"},
    )
    assert wrong_type.status_code == 422 and wrong_type.json["errors"][0]["field"] == "target_value"
    assert KeyResult.objects.count() == len(kinds)


def test_key_result_filters_update_and_archive(api, owner, editor, cycle):
    team = factories.make_team(owner)
    objective = factories.make_objective(owner, cycle=cycle, team=team)
    mine = factories.make_key_result(owner, objective=objective, owner=editor)
    factories.make_key_result(owner)  # another cycle, no owner
    assert [k["id"] for k in api.get(f"{V1}/key-results", owner_id=editor.pk).json["items"]] == [
        mine.pk
    ]
    assert api.get(f"{V1}/key-results", team_id=team.pk).json["count"] == 1
    assert api.get(f"{V1}/key-results", cycle_id=cycle.pk).json["count"] == 1
    patched = api.patch(f"{V1}/key-results/{mine.pk}", {"target_value": "120", "weight": "2"})
    assert (patched.json["target_value"], patched.json["weight"]) == ("120.0000", "2.00")
    assert api.post(f"{V1}/key-results/{mine.pk}/archive", {}).json["status"] == "archived"


def test_check_ins_backdated_take_their_place_and_list_latest_first(api, owner, cycle):
    kr = factories.make_key_result(owner, objective=factories.make_objective(owner, cycle=cycle))
    url = f"{V1}/key-results/{kr.pk}/check-ins"
    assert (
        api.post(
            url, {"value": "40", "confidence": 7, "note": "ok", "date": "2026-11-01"}
        ).status_code
        == 201
    )
    assert api.post(url, {"value": "20", "confidence": 5, "date": "2026-10-15"}).status_code == 201
    listed = api.get(url).json
    assert [c["date"] for c in listed["items"]] == ["2026-11-01", "2026-10-15"]
    read = api.get(f"{V1}/key-results/{kr.pk}").json
    assert (read["current_value"], read["confidence"], read["progress"]) == ("40.0000", 7, 0.4)


def test_bad_check_ins_are_refused_and_change_nothing(api, owner, cycle):
    kr = factories.make_key_result(owner, objective=factories.make_objective(owner, cycle=cycle))
    url = f"{V1}/key-results/{kr.pk}/check-ins"
    too_sure = api.post(url, {"value": "1", "confidence": 11})
    assert too_sure.status_code == 422 and too_sure.json["errors"][0]["field"] == "confidence"
    key_result_archive(key_result=kr, by=owner)
    archived = api.post(url, {"value": "1", "confidence": 5})
    assert archived.status_code == 422 and archived.json["errors"][0]["field"] == "key_result"
    assert not CheckIn.objects.exists()


def test_a_viewer_reads_but_cannot_write(owner, viewer, cycle):
    _, raw = api_token_create(user=viewer.user, name="viewer script")
    api = Api(raw)
    assert api.get(f"{V1}/cycles").status_code == 200
    refused = api.post(f"{V1}/objectives", {"cycle_id": cycle.pk, "title": "Nope"})
    assert refused.status_code == 403
    assert not Objective.objects.exists()


def test_the_okr_api_is_documented(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/v1/workspaces/{workspace}/key-results/{key_result_id}/check-ins" in paths
    assert "post" in paths["/api/v1/workspaces/{workspace}/cycles/{cycle_id}/close"]


def test_today_is_the_default_check_in_date(api, owner, cycle):
    kr = factories.make_key_result(owner, objective=factories.make_objective(owner, cycle=cycle))
    created = api.post(f"{V1}/key-results/{kr.pk}/check-ins", {"value": "3", "confidence": 8})
    assert created.json["date"] == datetime.date(2026, 11, 15).isoformat()


def _check_in(by, kr, *readings):
    from tandem.okrs.services import key_result_check_in

    for day, value, confidence in readings:
        key_result_check_in(
            key_result=kr,
            value=Decimal(value),
            confidence=confidence,
            note="",
            date=datetime.date(2026, 10, day) if day < 32 else datetime.date(2026, 11, day - 31),
            by=by,
        )


def test_key_results_carry_a_forecast_once_three_check_ins_are_in(
    api, owner, cycle, django_assert_num_queries
):
    objective = factories.make_objective(owner, cycle=cycle)
    steady = factories.make_key_result(owner, objective=objective, title="Steady")
    _check_in(owner, steady, (5, "10", 7), (19, "30", 7), (33, "50", 8), (45, "67", 8))
    young = factories.make_key_result(owner, objective=objective, title="Young")
    _check_in(owner, young, (5, "10", 7), (19, "20", 7))
    factories.make_key_result(owner, objective=objective, title="Silent")

    read = api.get(f"{V1}/key-results/{steady.pk}").json
    forecast = read["forecast"]
    assert read["forecast_reason"] is None
    assert 0.7 < forecast["probability"] <= 1
    assert forecast["low"] <= forecast["value"] <= forecast["high"]
    assert 110 < forecast["value"] < 150  # 67 halfway and 20 more every fortnight
    assert "4 check-ins" in forecast["basis"]

    listed = {k["title"]: k for k in api.get(f"{V1}/key-results").json["items"]}
    assert listed["Steady"]["forecast"] == forecast
    assert listed["Young"]["forecast"] is None
    assert listed["Young"]["forecast_reason"] == "Not enough data: 2 check-ins, 3 are needed."
    assert listed["Silent"]["forecast_reason"] == "No check-in yet."

    # The forecasts cost the same queries however many key results a page holds.
    with CaptureQueriesContext(connection) as three:
        api.get(f"{V1}/key-results")
    for n in range(6):
        kr = factories.make_key_result(owner, objective=objective, title=f"More {n}")
        _check_in(owner, kr, (5, "10", 7), (19, "25", 7), (33, "40", 8))
    with django_assert_num_queries(len(three)):
        assert len(api.get(f"{V1}/key-results").json["items"]) == 9
