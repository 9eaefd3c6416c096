"""/readyz says 200 only when the database takes a write, migrations are applied and a
worker reported within the last minute; otherwise 503 naming the part that failed."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from tandem.core.worker import beat

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker_alive(db):
    beat("worker-1", timezone.now())


def test_ready_when_every_part_is(client, worker_alive):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "migrations": "ok", "worker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_not_ready_without_a_worker(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["worker"] == "no worker has reported"


def test_not_ready_when_the_worker_went_silent(client, worker_alive):
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3)):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "database": "ok",
        "migrations": "ok",
        "worker": "no heartbeat for 3 min",
    }


def test_not_ready_while_a_migration_is_unapplied(client, worker_alive):
    MigrationRecorder.Migration.objects.filter(app="core").order_by("-id").first().delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "1 unapplied"
    assert response.json()["database"] == "ok"


def test_not_ready_while_another_connection_holds_the_database(client, worker_alive):
    other = connection.get_new_connection(connection.get_connection_params())
    if connection.vendor == "sqlite":
        other.isolation_level = None  # statements as written: no implicit BEGIN
    else:
        other.autocommit = True
    lock = {
        "sqlite": ["BEGIN EXCLUSIVE"],
        "postgresql": ["BEGIN", "LOCK TABLE core_workerheartbeat IN EXCLUSIVE MODE"],
    }[connection.vendor]
    try:
        for statement in lock:
            other.execute(statement)
        response = client.get("/readyz")  # waits the probe's 2 s, not a request's 20 s
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert response.status_code == 503
    assert response.json()["database"].startswith("refuses writes:")


def test_not_ready_while_the_database_is_read_only(client, worker_alive):
    read_only, writable = {
        "sqlite": ("PRAGMA query_only = ON", "PRAGMA query_only = OFF"),
        "postgresql": (
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
        ),
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(read_only)
    try:
        response = client.get("/readyz")
        liveness = client.get("/healthz")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(writable)
    assert response.status_code == 503
    assert response.json()["database"].startswith("refuses writes:")
    assert response.json()["worker"] == "ok"
    assert liveness.status_code == 200  # alive, only not ready


def test_healthz_stays_a_cheap_liveness_check(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1, no write
        assert client.get("/healthz").status_code == 200
