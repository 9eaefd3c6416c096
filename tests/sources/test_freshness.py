"""Freshness: stale key results marked against their check-in rhythm; sources failing for
over a day on the overview and in review agendas."""

import datetime
from decimal import Decimal

import time_machine
from django.utils import timezone

from tandem.domain.freshness import rhythm, staleness
from tandem.okrs.services import key_result_check_in, key_result_update
from tandem.reviews.services import review_open, review_schedule
from tandem.sources.services import sources_pull_due
from tests import factories
from tests.sources.conftest import V1

TODAY = datetime.date(2026, 11, 16)


def test_the_rhythm_and_staleness_rule():
    assert rhythm(None, None) == 7 and rhythm(None, 10) == 10 and rhythm(3, 10) == 3
    day = datetime.timedelta(days=1)
    fresh = staleness(last_check_in=TODAY - 7 * day, created=None, today=TODAY, every=7)
    assert fresh is None
    stale = staleness(last_check_in=TODAY - 8 * day, created=None, today=TODAY, every=7)
    assert stale.sentence == "no check-in for 8 days (rhythm: every 7 days)"
    new = staleness(last_check_in=None, created=TODAY - 2 * day, today=TODAY, every=7)
    assert new is None
    never = staleness(last_check_in=None, created=TODAY - 9 * day, today=TODAY, every=7)
    assert never.short == "never checked in"


def test_lists_and_tree_mark_stale_key_results(owner, key_result, client_as):
    key_result_check_in(
        key_result=key_result,
        value=Decimal(20),
        confidence=7,
        date=TODAY - datetime.timedelta(days=10),
        by=owner,
    )
    other = factories.make_key_result(owner, objective=key_result.objective, title="Fortnightly")
    key_result_update(key_result=other, check_in_every_days=14, by=owner)
    key_result_check_in(
        key_result=other,
        value=Decimal(5),
        confidence=7,
        date=TODAY - datetime.timedelta(days=10),
        by=owner,
    )
    client = client_as(owner)
    page = client.get("/w/acme-test/okrs/").content.decode()
    assert page.count("Stale: 10 days old") == 1
    tree = client.get("/w/acme-test/okrs/tree/").content.decode()
    assert "1 stale" in tree
    detail = client.get(f"/w/acme-test/okrs/key-results/{key_result.pk}/").content.decode()
    assert "No check-in for 10 days (rhythm: every 7 days)." in detail
    overview = client.get("/w/acme-test/").content.decode()
    assert "older than its check-in rhythm" in overview


def test_a_source_failing_for_a_day_shows_on_the_overview_and_in_agendas(
    owner, key_result, api, feed, allow_egress, client_as
):
    allow_egress("127.0.0.1")
    feed.status = 502
    api.put(
        f"{V1}/key-results/{key_result.pk}/source",
        {"kind": "json", "url": feed.url, "path": "teams", "every": "hourly"},
    )
    sources_pull_due()
    client = client_as(owner)
    assert "Data sources failing" not in client.get("/w/acme-test/").content.decode()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=26)):
        sources_pull_due()
        overview = client.get("/w/acme-test/").content.decode()
        assert "Data sources failing" in overview and "HTTP 502" in overview
        detail = client.get(f"/w/acme-test/okrs/key-results/{key_result.pk}/").content.decode()
        assert "Its data source has been failing since" in detail
        review = review_schedule(
            kind="weekly_check_in",
            title="Weekly",
            scheduled_at=timezone.now(),
            attendees=[owner],
            by=owner,
        )
        review = review_open(review=review, by=owner)
        [failing] = review.agenda["failing_sources"]
        assert failing["key_result_id"] == key_result.pk
        assert failing["error"] == "The server answered HTTP 502."
