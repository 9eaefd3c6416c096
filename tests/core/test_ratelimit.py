"""API calls are limited per user in windows counted in the database (so every app server
shares them, exactly): over the limit, 429 with Retry-After and the usual JSON error. Each
server leases tokens in blocks, so a call does not write the counter every time."""

import datetime

import pytest
import time_machine

from tandem import config
from tandem.accounts.services import api_token_create
from tandem.core.models import RateCounter
from tandem.core.ratelimit import Limiter, lease_size
from tests.api.conftest import Api

START = datetime.datetime(2026, 12, 1, 9, 0, 10, tzinfo=datetime.UTC)


@pytest.fixture
def limited(settings):
    settings.TANDEM_API_RATE_LIMIT = config.env_rate("X", "", {"X": "3/minute"})


def _api(member) -> Api:
    _, token = api_token_create(user=member.user, name="script")
    return Api(token)


@time_machine.travel(START, tick=False)
def test_over_the_limit_the_api_answers_429_until_the_window_ends(owner, editor, limited):
    api = _api(owner)
    assert [api.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get("/api/v1/me")
    assert refused.status_code == 429
    assert refused.json == {"detail": "Too many requests."}
    assert refused["Retry-After"] == "50"  # 09:00:10 → the window ends at 09:01:00

    assert _api(editor).get("/api/v1/me").status_code == 200  # per user, not for all
    with time_machine.travel(START + datetime.timedelta(seconds=50), tick=False):
        assert api.get("/api/v1/me").status_code == 200


@time_machine.travel(START, tick=False)
def test_the_browser_session_counts_against_the_same_user(owner, client_as, limited):
    browser = client_as(owner)
    assert [browser.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 200]
    assert _api(owner).get("/api/v1/me").status_code == 429
    assert RateCounter.objects.get().count == 4  # one row, counted in the database


def test_anonymous_calls_are_refused_before_they_count(client, db, limited):
    assert client.get("/api/v1/me").status_code == 401
    assert not RateCounter.objects.exists()


def test_429_is_a_documented_answer(client, db):
    schema = client.get("/api/openapi.json").json()
    me = schema["paths"]["/api/v1/me"]["get"]["responses"]
    assert "429" in me


@pytest.mark.parametrize("value", ["600", "ten/minute", "0/minute", "5/fortnight", "-1/hour"])
def test_a_bad_limit_fails_loudly_naming_the_variable(value):
    with pytest.raises(config.ConfigError, match="TANDEM_API_RATE_LIMIT"):
        config.env_rate("TANDEM_API_RATE_LIMIT", "600/minute", {"TANDEM_API_RATE_LIMIT": value})


def test_the_limit_reads_as_written():
    assert config.env_rate("L", "600/minute", {}) == (600, 60)
    assert config.env_rate("L", "600/minute", {"L": "5000/hour"}) == (5000, 3600)
    assert config.env_rate("L", "600/minute", {"L": "off"}) is None


def test_a_database_that_cannot_count_does_not_take_the_api_down(owner, limited):
    from django.db import OperationalError, connection

    api = _api(owner)

    def counting_fails(execute, sql, params, many, context):
        if "core_ratecounter" in sql:
            raise OperationalError("database is locked")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting_fails):
        assert [api.get("/api/v1/me").status_code for _ in range(5)] == [200] * 5


# Each process leases a block of tokens from the shared counter and spends it locally; two
# Limiter objects stand for two app servers on one database.
WINDOW = int(START.timestamp()) - 10  # 09:00:00


def _calls(limiters, count: int, allowed: int, window: int = WINDOW) -> list[bool]:
    """`count` calls of one user, each answered by the next server in turn."""
    return [limiters[i % len(limiters)].allow("api:7", window, allowed) for i in range(count)]


@pytest.mark.parametrize("allowed", [1, 5, 49, 600, 617])
def test_two_servers_share_one_limit_exactly(db, allowed):
    a, b = Limiter(), Limiter()
    answers = _calls([a, b], 2 * allowed + 30, allowed)
    assert answers.count(True) == allowed
    # Once the limit is reached, refused by both until the window ends.
    assert not any(answers[-30:])


def test_a_small_limit_is_counted_call_by_call(db):
    a, b = Limiter(), Limiter()
    assert _calls([a, b], 7, 5) == [True] * 5 + [False] * 2
    assert lease_size(5) == lease_size(49) == 1
    # The first refusal by each server is written; after it the server knows.
    assert RateCounter.objects.get().count == 7
    assert _calls([a, b], 4, 5) == [False] * 4
    assert RateCounter.objects.get().count == 7


def test_a_server_writes_the_counter_once_per_lease(db, django_assert_num_queries):
    limiter = Limiter()
    assert lease_size(600) == lease_size(1_000_000) == 12  # at most 12, whatever the limit
    with django_assert_num_queries(1):
        assert _calls([limiter], 12, 600) == [True] * 12
    assert RateCounter.objects.get().count == 12
    with django_assert_num_queries(1):
        assert limiter.allow("api:7", WINDOW, 600)
    assert RateCounter.objects.get().count == 24  # leased, though 11 of them are unspent


def test_a_lease_ends_with_its_window(db):
    limiter = Limiter()
    assert limiter.allow("api:7", WINDOW, 600)  # leases 12
    assert limiter.allow("api:7", WINDOW + 60, 600)  # a new window: a new lease
    counts = RateCounter.objects.order_by("window_start").values_list("count", flat=True)
    assert list(counts) == [12, 12]


def test_tokens_leased_by_another_server_count_as_used(db):
    a, b = Limiter(), Limiter()
    assert _calls([a], 600 - 12 + 1, 600) == [True] * 589  # a holds 11 more
    assert b.allow("api:7", WINDOW, 600) is False
    assert _calls([a], 12, 600) == [True] * 11 + [False]


@time_machine.travel(START, tick=False)
def test_calls_within_a_lease_still_answer_429_at_the_limit(owner, settings):
    settings.TANDEM_API_RATE_LIMIT = (100, 60)  # leases of 2
    api = _api(owner)
    answers = [api.get("/api/v1/me").status_code for _ in range(101)]
    assert answers == [200] * 100 + [429]
    assert RateCounter.objects.get().count == 102  # 50 leases of 2, then an empty one
