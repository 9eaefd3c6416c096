"""Pull sources: JSON or CSV fetched through the egress guard from a local server (allowed
in the test), or a read-only query on PostgreSQL; every run on record."""

import datetime
import secrets
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import time_machine
from django.utils import timezone
from psycopg import sql

from tandem.okrs.models import CheckIn
from tandem.sources import fetching
from tandem.sources.models import DataSource, SourceRun
from tandem.sources.services import sources_pull_due
from tests.sources.conftest import V1

# The "warehouse" a SQL source reads: a database of its own on the local PostgreSQL server
# (whichever database the suite itself runs on), made for the test and dropped after.
SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def _set(api, key_result, **body):
    return api.put(f"{V1}/key-results/{key_result.pk}/source", body)


def _run(api, key_result):
    return api.post(f"{V1}/key-results/{key_result.pk}/source/run")


def test_json_value_at_a_path(api, key_result, feed, allow_egress):
    allow_egress("127.0.0.1")
    feed.body = b'{"data": {"weeks": [{"teams": 80}, {"teams": 96}]}}'
    made = _set(api, key_result, kind="json", url=feed.url, path="data.weeks[-1].teams")
    assert made.status_code == 201 and made.json["next_run_at"] is not None
    run = _run(api, key_result)
    assert run.status_code == 200 and run.json["value"] == "96.0000" and run.json["error"] == ""
    check_in = CheckIn.objects.get()
    assert (check_in.value, check_in.source, check_in.confidence) == (96, "json", None)
    key_result.refresh_from_db()
    assert key_result.current_value == 96


def test_csv_column_of_the_last_row(api, key_result, feed, allow_egress):
    allow_egress("127.0.0.1")
    feed.content_type, feed.body = "text/csv", b"week,teams\n2026-11-02,90\n2026-11-09,104\n\n"
    _set(api, key_result, kind="csv", url=feed.url, column="teams", every="hourly")
    assert _run(api, key_result).json["value"] == "104.0000"
    feed.body = b"week,teams\n2026-11-09,oops\n"
    assert "not a number" in _run(api, key_result).json["error"]


@pytest.mark.parametrize(
    ("body", "path", "error"),
    [
        (b"<html>hello</html>", "teams", "The response is not JSON."),
        (b'{"teams": 3}', "count", "No value at $.count: no key 'count' in the document."),
        (b'{"teams": [1, 2]}', "teams[5]", "No value at $.teams[5]: $.teams has 2 items."),
        (b'{"teams": {"n": 1}}', "teams", "The value at $.teams is an object, not a number."),
        (b'{"teams": null}', "teams", "The value at $.teams is nothing, not a number."),
    ],
)
def test_a_bad_answer_is_a_clear_error_on_the_source(
    api, key_result, feed, allow_egress, body, path, error
):
    allow_egress("127.0.0.1")
    feed.body = body
    _set(api, key_result, kind="json", url=feed.url, path=path)
    run = _run(api, key_result)
    assert run.json["error"] == error and run.json["value"] is None
    source = api.get(f"{V1}/key-results/{key_result.pk}/source").json
    assert source["last_error"] == error and source["failing_since"] is not None
    assert not source["failing"]  # not yet for a day
    assert not CheckIn.objects.exists()


def test_http_errors_and_oversized_answers(api, key_result, feed, allow_egress, monkeypatch):
    allow_egress("127.0.0.1")
    _set(api, key_result, kind="json", url=feed.url, path="")
    feed.status = 503
    assert _run(api, key_result).json["error"] == "The server answered HTTP 503."
    feed.status, feed.body = 200, b"7" * 2000
    monkeypatch.setattr(fetching, "MAX_RESPONSE", 1024)
    assert _run(api, key_result).json["error"] == "The response is larger than 1 KB."
    assert not CheckIn.objects.exists() and SourceRun.objects.count() == 2


def test_internal_addresses_are_refused_unless_allowed(api, key_result, feed, allow_egress):
    for url in (feed.url, "http://10.1.2.3/x", "http://169.254.169.254/latest", "ftp://a.example/"):
        refused = _set(api, key_result, kind="json", url=url, path="teams")
        assert refused.status_code == 422, url
        assert refused.json["errors"][0]["field"] == "url"
    assert not DataSource.objects.exists()
    allow_egress("127.0.0.1")
    assert _set(api, key_result, kind="json", url=feed.url, path="teams").status_code == 201
    allow_egress()  # allowed when set, no longer when it runs: refused then, recorded
    assert "loopback" in _run(api, key_result).json["error"]
    assert feed.requests == 0


def test_bad_settings_name_their_field(api, key_result, settings):
    settings.TANDEM_SQL_SOURCES = {"warehouse": SERVER}
    cases = [
        ({"kind": "json", "url": "https://metrics.example/x", "path": "a..b"}, "path"),
        ({"kind": "csv", "url": "https://metrics.example/x"}, "column"),
        ({"kind": "json", "path": "a"}, "url"),
        ({"kind": "sql", "database": "crm", "query": "select 1"}, "database"),
        ({"kind": "sql", "database": "warehouse"}, "query"),
        ({"kind": "json", "url": "https://metrics.example/x", "every": "monthly"}, "every"),
        ({"kind": "ftp"}, "kind"),
    ]
    for body, field in cases:
        refused = _set(api, key_result, **body)
        assert refused.status_code == 422, body
        assert field in [e["field"] for e in refused.json["errors"]], (body, refused.json)
    assert not DataSource.objects.exists()


def test_scheduled_pulls_run_each_source_once_per_slot(api, key_result, feed, allow_egress):
    allow_egress("127.0.0.1")
    feed.body = b'{"teams": 120}'
    _set(api, key_result, kind="json", url=feed.url, path="teams", every="hourly")
    now = timezone.now()
    assert sources_pull_due(now=now) == 1
    assert sources_pull_due(now=now) == 0  # a second worker at the same moment
    assert sources_pull_due(now=now + datetime.timedelta(minutes=59)) == 0
    feed.body = b'{"teams": 121}'
    assert sources_pull_due(now=now + datetime.timedelta(hours=1)) == 1
    assert feed.requests == 2
    assert [r.trigger for r in SourceRun.objects.all()] == ["schedule", "schedule"]
    assert list(CheckIn.objects.values_list("value", flat=True)) == [120, 121]


def test_a_source_failing_for_a_day_is_flagged(api, key_result, feed, allow_egress):
    allow_egress("127.0.0.1")
    feed.status = 500
    _set(api, key_result, kind="json", url=feed.url, path="teams", every="hourly")
    sources_pull_due()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        sources_pull_due()
        source = api.get(f"{V1}/key-results/{key_result.pk}/source").json
        assert source["failing"] and source["last_error"] == "The server answered HTTP 500."
        feed.status, feed.body = 200, b'{"teams": 5}'
        assert _run(api, key_result).json["value"] == "5.0000"
        source = api.get(f"{V1}/key-results/{key_result.pk}/source").json
        assert not source["failing"] and source["failing_since"] is None
    assert [r.trigger for r in SourceRun.objects.order_by("at")] == [
        "schedule",
        "schedule",
        "manual",
    ]


@pytest.fixture
def warehouse(settings):
    try:
        admin = psycopg.connect(SERVER, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip("no PostgreSQL server at 127.0.0.1:5432")
    name = f"tandem_warehouse_{secrets.token_hex(6)}"
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    dsn = urlunsplit(urlsplit(SERVER)._replace(path=f"/{name}"))
    try:
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute("CREATE TABLE source_test_teams (week date, teams int)")
            connection.execute(
                "INSERT INTO source_test_teams VALUES ('2026-11-02', 90), ('2026-11-09', 111)"
            )
            settings.TANDEM_SQL_SOURCES = {"warehouse": dsn}
            yield connection
    finally:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


def test_sql_reads_the_first_column_of_the_first_row(api, key_result, warehouse):
    query = "SELECT teams FROM source_test_teams ORDER BY week DESC LIMIT 1"
    assert _set(api, key_result, kind="sql", database="warehouse", query=query).status_code == 201
    assert _run(api, key_result).json["value"] == "111.0000"
    assert CheckIn.objects.get().source == "sql"


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("DELETE FROM source_test_teams", "The query tried to write; a data source may only read."),
        ("UPDATE source_test_teams SET teams = 0", "The query tried to write"),
        ("SELECT 1; DELETE FROM source_test_teams", "The query must be one statement"),
        ("SELECT teams FROM source_test_teams WHERE false", "The query returned no row."),
        ("SELECT pg_sleep(2)", "The query ran past its"),
        ("SELEC 1", "The query is not valid"),
    ],
)
def test_sql_that_writes_or_runs_too_long_is_stopped(
    api, key_result, warehouse, monkeypatch, query, error
):
    monkeypatch.setattr(fetching, "SQL_TIMEOUT_MS", 300)
    _set(api, key_result, kind="sql", database="warehouse", query=query)
    assert _run(api, key_result).json["error"].startswith(error)
    assert warehouse.execute("SELECT count(*) FROM source_test_teams").fetchone() == (2,)
    assert not CheckIn.objects.exists()
