"""`tandem worker` outlasts database errors, recovers what a killed worker left running, and
does the after-commit work the requests could not."""

import datetime

import pytest
import time_machine
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tandem.activity import outbox
from tandem.activity.models import DeliveryStatus, OutboxEntry, WebhookDelivery
from tandem.activity.webhooks import webhook_create
from tandem.conflicts.detection import detect_in_background
from tandem.conflicts.models import Conflict
from tandem.core import worker as worker_module
from tandem.core.models import WorkerHeartbeat
from tandem.core.worker import Worker, beat, recover_stuck_tasks
from tests import factories
from tests.activity.test_webhooks import Receiver

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sleeps(monkeypatch):
    """The worker's pauses, recorded instead of waited."""
    waited: list[float] = []
    monkeypatch.setattr(worker_module.time, "sleep", waited.append)
    return waited


def _worker(**options) -> Worker:
    defaults = {
        "queue_names": ["default"],
        "interval": 1,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "test-worker",
        "excluded_queue_names": [],
    }
    return Worker(**(defaults | options))


def _orphan_plan(owner):
    factories.make_cycle(owner, name="Q1 2026")
    with outbox_lost():
        factories.make_initiative(owner, title="Dark mode", status="planned", horizon="next")


class outbox_lost:
    """The after-commit run of the writes inside fails as a dropped connection would."""

    def __enter__(self):
        self.saved = outbox.process

        def lost(*args, **kwargs):
            raise OperationalError("server closed the connection unexpectedly")

        outbox.process = lost

    def __exit__(self, *exc):
        outbox.process = self.saved


def test_the_worker_waits_out_database_errors_and_carries_on(owner, sleeps):
    detect_in_background.enqueue(owner.workspace_id, [])
    failures = iter(["database is locked", "terminating connection due to administrator command"])

    def failing(execute, sql, params, many, context):
        message = next(failures, None) if DBTaskResult._meta.db_table in sql else None
        if message is not None:
            raise OperationalError(message)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(failing):
        _worker().run()  # --batch: returns once the queue is empty, not on the errors

    assert sleeps[:2] == [worker_module.FIRST_BACKOFF, worker_module.FIRST_BACKOFF * 2]
    [task] = DBTaskResult.objects.all()
    assert task.status == "SUCCESSFUL"


def test_a_task_left_running_by_a_killed_worker_is_run_again(owner, sleeps):
    detect_in_background.enqueue(owner.workspace_id, [])
    task = DBTaskResult.objects.get()
    task.claim("killed-worker")  # claimed, then the process died: no heartbeat since
    beat("killed-worker", timezone.now())
    assert recover_stuck_tasks() == 0  # its worker reported a moment ago

    later = timezone.now() + worker_module.STALE_AFTER + datetime.timedelta(seconds=1)
    with time_machine.travel(later):
        assert recover_stuck_tasks() == 1
    task.refresh_from_db()
    assert task.status == "READY"
    _worker().run()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.worker_ids == ["killed-worker", "test-worker"]


def test_a_task_of_a_live_worker_is_left_alone(owner):
    detect_in_background.enqueue(owner.workspace_id, [])
    task = DBTaskResult.objects.get()
    task.claim("busy-worker")
    later = timezone.now() + worker_module.STALE_AFTER + datetime.timedelta(minutes=5)
    with time_machine.travel(later):
        beat("busy-worker", timezone.now())  # a long task; its heartbeat thread goes on
        assert recover_stuck_tasks() == 0


def test_a_delivery_interrupted_by_kill_9_is_sent_again_with_its_id(owner, allow_egress, sleeps):
    allow_egress("127.0.0.1")
    receiver = Receiver()
    try:
        webhook_create(
            name="#ops", url=receiver.url, format="slack", events=["conflict_opened"], by=owner
        )
        factories.make_cycle(owner, name="Q1 2026")
        factories.make_initiative(owner, title="Dark mode", status="planned", horizon="next")
        delivery = WebhookDelivery.objects.get(text__contains="Dark mode")
        task = DBTaskResult.objects.get(args_kwargs__args=[delivery.pk])
        task.claim("killed-worker")
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
            _worker().run()  # recovery runs first, then the task
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.DELIVERED
        [headers] = [h for h, body in receiver.requests if b"Dark mode" in body]
        assert headers["X-Tandem-Delivery"] == str(delivery.uuid)
    finally:
        receiver.close()


def test_the_worker_does_after_commit_work_its_request_lost(owner, sleeps):
    _orphan_plan(owner)
    assert not Conflict.objects.filter(rule="orphan_work").exists()
    with time_machine.travel(timezone.now() + outbox.GRACE + datetime.timedelta(seconds=1)):
        _worker().run()
    assert Conflict.objects.filter(rule="orphan_work").exists()
    assert not OutboxEntry.objects.exists()


def test_the_worker_reports_while_it_runs(owner, sleeps):
    _worker(worker_id="reporting").run()
    assert WorkerHeartbeat.objects.filter(worker_id="reporting").exists()


def test_a_task_failing_because_the_database_did_is_run_again_not_failed(
    owner, sleeps, monkeypatch
):
    from tandem.conflicts import detection

    detect = detection._detect_for
    calls = []

    def lost_once(*args):
        calls.append(args)
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")
        return detect(*args)

    monkeypatch.setattr(detection, "_detect_for", lost_once)
    detect_in_background.enqueue(owner.workspace_id, [])
    _worker().run()
    [task] = DBTaskResult.objects.all()
    assert task.status == "SUCCESSFUL" and len(calls) == 2
