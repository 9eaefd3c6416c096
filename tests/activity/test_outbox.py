"""The work that follows a commit (notifications, webhook deliveries, conflict detection)
survives a failure right after the commit: the outbox keeps it until the worker does it."""

import datetime

import pytest
import time_machine
from django.db import OperationalError
from django.utils import timezone

from tandem.activity import outbox
from tandem.activity.models import Notification, OutboxEntry, Webhook, WebhookDelivery
from tandem.activity.watching import watch_start
from tandem.conflicts.models import Conflict
from tandem.okrs.services import key_result_update
from tests import factories

# Real commits: after-commit work runs as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def _lost(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def _later():
    return time_machine.travel(timezone.now() + outbox.GRACE + datetime.timedelta(seconds=1))


@pytest.fixture
def watched(owner, editor):
    Webhook.objects.create(
        workspace=owner.workspace,
        name="#product",
        url="https://hooks.example.test/tandem",
        format="slack",
        events=["watched_change", "conflict_opened"],
        secret="s" * 64,
    )
    key_result = factories.make_key_result(owner, title="NPS 50")
    watch_start(obj=key_result, by=editor)
    WebhookDelivery.objects.all().delete()  # the conflicts a lone key result opens
    return key_result


def test_a_write_s_follow_up_work_runs_right_after_its_commit(owner, editor, watched):
    key_result_update(key_result=watched, by=owner, title="NPS 55")
    assert "NPS 55" in Notification.objects.for_member(editor).get().text
    assert WebhookDelivery.objects.get().event == "watched_change"
    assert not OutboxEntry.objects.exists()


def test_work_lost_after_the_commit_is_done_by_the_worker(owner, editor, watched, monkeypatch):
    monkeypatch.setattr(outbox, "process", _lost)
    key_result_update(key_result=watched, by=owner, title="NPS 55")
    factories.make_initiative(owner, title="Dark mode", status="planned", horizon="next")
    # Both writes committed; what follows them did not happen, but is owed.
    assert not Notification.objects.exists()
    assert not Conflict.objects.filter(rule="orphan_work").exists()
    assert not WebhookDelivery.objects.exists()
    owed = set(OutboxEntry.objects.values_list("subscriber", flat=True))
    assert owed == {"activity.fan_out", "conflicts.detect", "search.index"}
    monkeypatch.undo()

    assert outbox.drain() == 0  # a fresh entry is its request's for a few seconds
    with _later():
        assert outbox.drain() > 0
    assert not OutboxEntry.objects.exists()

    assert "NPS 55" in Notification.objects.for_member(editor).get().text
    conflict = Conflict.objects.get(rule="orphan_work")
    assert conflict.sentence.startswith("'Dark mode' is planned")
    assert WebhookDelivery.objects.filter(event="watched_change").count() == 1
    opened = WebhookDelivery.objects.get(event="conflict_opened")
    assert "'Dark mode' is planned" in opened.text
    with _later():
        assert outbox.drain() == 0  # done once: nothing is notified twice
    assert Notification.objects.count() == 1


def test_a_failing_subscriber_is_retried_later_with_its_error_kept(owner, watched, monkeypatch):
    from tandem.activity import fanout

    monkeypatch.setattr(outbox, "process", _lost)
    key_result_update(key_result=watched, by=owner, title="NPS 55")
    monkeypatch.undo()

    def broken(**kwargs):
        raise ValueError("receiver list unreadable")

    monkeypatch.setitem(
        outbox._subscribers, "activity.fan_out", outbox.Subscriber("activity.fan_out", broken, bool)
    )
    with _later():
        assert outbox.drain() == 2  # detection and the search index; the broken one waits
    entry = OutboxEntry.objects.get()
    assert entry.attempts == 1 and entry.last_error == "ValueError: receiver list unreadable"
    assert entry.run_after > timezone.now() + outbox.GRACE

    monkeypatch.setitem(
        outbox._subscribers,
        "activity.fan_out",
        outbox.Subscriber("activity.fan_out", fanout.fan_out, bool),
    )
    with time_machine.travel(entry.run_after + datetime.timedelta(seconds=1)):
        assert outbox.drain() == 1
    assert WebhookDelivery.objects.get().event == "watched_change"


def test_a_rolled_back_write_leaves_nothing_owed(owner, watched):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        key_result_update(key_result=watched, by=owner, title="NPS 55")
        raise RuntimeError("the request failed")
    assert not OutboxEntry.objects.exists()
    assert not Notification.objects.exists()


def test_a_change_recorded_outside_a_transaction_is_followed_up_at_once(owner, editor, watched):
    from tandem.activity.services import record_change

    record_change(by=owner, obj=watched, action="updated", after={"title": "NPS 60"})
    assert Notification.objects.for_member(editor).count() == 1
    assert not OutboxEntry.objects.exists()
