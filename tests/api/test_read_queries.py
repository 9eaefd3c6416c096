"""Issue 15: the API's hottest reads in a fixed number of queries, whatever the page holds.

`make bench` measures their speed; here the queries are counted: the token (with its
user), the membership (with workspace and user), then what the call itself reads. The rate
limit is on, and costs no query here: the first call leased a block of its tokens (one
write per 20 calls at this limit, see tests/core/test_ratelimit.py)."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from tandem.okrs.services import key_result_check_in
from tandem.roadmaps.services import contribution_create
from tests import factories
from tests.api.conftest import Api

V1 = "/api/v1/workspaces/acme-test"
NOW = datetime.datetime(2026, 11, 15, 12, 0, tzinfo=datetime.UTC)  # in the default cycle
CHECKED = datetime.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _counted(settings):
    settings.TANDEM_API_RATE_LIMIT = (1000, 60)
    with time_machine.travel(NOW, tick=False):  # one window of the limit for the whole test
        yield


@pytest.fixture
def api(api_as, owner) -> Api:
    api = api_as(owner)
    api.get("/api/v1/me")  # the first call of a fresh token records its use, and leases
    return api


def test_me_is_one_query(api, owner, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = api.get("/api/v1/me")
    assert response.json["email"] == owner.user.email


def test_one_objective_is_four_queries(api, owner, django_assert_num_queries):
    objective = factories.make_objective(owner, title="Grow")
    for _ in range(3):
        kr = factories.make_key_result(owner, objective=objective)
        key_result_check_in(key_result=kr, value=Decimal(50), confidence=7, date=CHECKED, by=owner)
    with django_assert_num_queries(4):
        response = api.get(f"{V1}/objectives/{objective.pk}")
    assert response.json["title"] == "Grow" and response.json["progress"] == 0.5


def _key_results(owner, count: int) -> None:
    cycle = factories.make_cycle(owner)
    objective = factories.make_objective(owner, cycle=cycle)
    initiative = factories.make_initiative(owner)
    for _ in range(count):
        kr = factories.make_key_result(owner, objective=objective)
        key_result_check_in(
            key_result=kr,
            value=Decimal(20),
            confidence=7,
            date=CHECKED,
            by=owner,
        )
        contribution_create(initiative=initiative, key_result=kr, by=owner)


@pytest.mark.parametrize("count", [1, 20])
def test_a_page_of_key_results_is_six_queries_however_many(
    api, owner, count, django_assert_num_queries
):
    _key_results(owner, count)
    with django_assert_num_queries(6):
        response = api.get(f"{V1}/key-results", limit=20)
    assert response.json["count"] == count and len(response.json["items"]) == count
    assert all(item["forecast"] or item["forecast_reason"] for item in response.json["items"])
