"""Scheduled jobs fire once per slot, however many workers on however many servers look."""

import datetime
import io
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from tandem.conflicts.detection import redetect_daily
from tandem.conflicts.models import Conflict
from tandem.core import schedule
from tandem.core import worker as worker_module
from tandem.core.models import ScheduledJob
from tests.core.test_worker import _orphan_plan, _worker

pytestmark = pytest.mark.django_db(transaction=True)

HOUR = datetime.timedelta(hours=1)
START = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def sleeps(monkeypatch):
    """The worker's pauses, recorded instead of waited."""
    waited: list[float] = []
    monkeypatch.setattr(worker_module.time, "sleep", waited.append)
    return waited


@pytest.fixture
def counted(monkeypatch):
    """Only one job registered: an hourly one that counts its runs."""
    runs: list[datetime.datetime] = []
    monkeypatch.setattr(schedule, "_jobs", {})
    schedule.scheduled("count", every=HOUR)(lambda: runs.append(timezone.now()))
    return runs


def test_slots_are_aligned_to_the_clock():
    assert schedule.next_slot(START, HOUR) == START.replace(minute=0) + HOUR
    day = datetime.timedelta(days=1)
    assert schedule.next_slot(START, day, HOUR * 2) == datetime.datetime(
        2026, 3, 3, 2, tzinfo=datetime.UTC
    )
    # exactly on a boundary: the next one, never the same slot again
    assert schedule.next_slot(START.replace(minute=0), HOUR) == START.replace(minute=0) + HOUR


def test_two_workers_alternating_run_an_hourly_job_once_an_hour(counted, sleeps):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(6 * 4):  # six hours, each worker looking every quarter hour
            _worker(worker_id="server-a").run()
            _worker(worker_id="server-b").run()
            clock.shift(datetime.timedelta(minutes=15))
    # the first look at 09:30, then 10:00, 11:00 ... 15:00
    assert len(counted) == 7
    assert len(set(counted)) == 7
    job = ScheduledJob.objects.get(name="count")
    assert job.runs == 7 and job.last_error == "" and job.last_finished_at is not None
    assert job.due_at == datetime.datetime(2026, 3, 2, 16, tzinfo=datetime.UTC)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need a server database")
def test_two_workers_at_the_same_instant_run_it_once(counted):
    barrier = threading.Barrier(2)
    ran: dict[str, list[str]] = {}

    def look(worker_id):
        try:
            barrier.wait()
            ran[worker_id] = schedule.run_due(worker_id, now=START)
        finally:
            connections.close_all()

    for _ in range(5):
        ScheduledJob.objects.all().delete()
        threads = [threading.Thread(target=look, args=(w,)) for w in ("server-a", "server-b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(ran["server-a"] + ran["server-b"]) == ["count"]
    assert len(counted) == 5


def test_a_failing_job_is_recorded_and_runs_again_next_slot(monkeypatch):
    monkeypatch.setattr(schedule, "_jobs", {})
    calls = []

    def broken():
        calls.append(1)
        raise ValueError("no such table")

    schedule.scheduled("broken", every=HOUR)(broken)
    assert schedule.run_due("a", now=START) == ["broken"]
    assert schedule.run_due("b", now=START) == []
    assert ScheduledJob.objects.get(name="broken").last_error == "ValueError: no such table"
    assert schedule.run_due("b", now=START + HOUR) == ["broken"]
    assert len(calls) == 2


def test_the_registered_jobs():
    names = {job.name for job in schedule.jobs()}
    assert {"recover-stuck-tasks", "prune", "redetect", "digests", "source-pulls"} <= names
    assert all(job.what for job in schedule.jobs())


def test_each_workspace_is_re_detected_once_after_its_own_midnight(owner, outsider, sleeps):
    outsider.workspace.time_zone = "Pacific/Auckland"  # UTC+13 in March
    outsider.workspace.save()
    with time_machine.travel(START, tick=False) as clock:
        _orphan_plan(owner)  # the write's detection was lost: no conflict yet
        assert not Conflict.objects.filter(workspace=owner.workspace).exists()
        assert redetect_daily() == 2
        assert Conflict.objects.filter(workspace=owner.workspace, rule="orphan_work").exists()
        assert redetect_daily() == 0  # same day, another worker
        clock.move_to(datetime.datetime(2026, 3, 2, 11, 5, tzinfo=datetime.UTC))
        assert redetect_daily() == 1  # midnight in Auckland (11:00 UTC)
        clock.move_to(datetime.datetime(2026, 3, 3, 0, 5, tzinfo=datetime.UTC))
        assert redetect_daily() == 1  # midnight in UTC
        assert redetect_daily() == 0


def test_tandem_schedule_lists_the_jobs_and_their_last_run(counted):
    schedule.run_due("server-a", now=START)
    out = io.StringIO()
    call_command("schedule", stdout=out)
    assert "count: every 1:00:00, next 2026-03-02 10:00:00 UTC" in out.getvalue()
    assert "by server-a: ok (1 runs)" in out.getvalue()
