"""The email digest: who gets one, what it says, never the same twice, and no email when
there is nothing to say."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from tandem.activity.digest import digest_send
from tandem.activity.models import DigestPreference
from tandem.activity.watching import digest_set, watch_start
from tandem.conflicts.models import Conflict
from tandem.okrs.services import key_result_update
from tandem.reviews import services as reviews
from tandem.strategy.services import team_set_members
from tests import factories

MONDAY = datetime.datetime(2026, 11, 2, 7, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(MONDAY - datetime.timedelta(hours=2), tick=False) as traveller:
        yield traveller


def _send(period="daily"):
    call_command("digest", "send", "--period", period, "--now", stdout=io.StringIO())


def test_watchers_and_team_members_who_chose_a_digest_get_one(
    owner, editor, viewer, mailoutbox, _monday
):
    team = factories.make_team(owner, name="Growth")
    team_set_members(team=team, members=[viewer], by=owner)
    key_result = factories.make_key_result(owner, title="NPS 50")
    watch_start(obj=key_result, by=editor)
    digest_set(by=editor, frequency="daily")
    digest_set(by=viewer, frequency="weekly")
    digest_set(by=owner, frequency="never")
    _monday.shift(datetime.timedelta(hours=1))
    key_result_update(key_result=key_result, by=owner, title="NPS 55", reason="Board ask")
    factories.make_initiative(owner, title="Onboarding v2", team=team)
    _monday.shift(datetime.timedelta(hours=1))

    _send("daily")
    assert [m.to for m in mailoutbox] == [["eddie@acme.test"]]
    text = mailoutbox[0].body
    assert "Olivia Owner edited 'NPS 55' (title NPS 50 → NPS 55): Board ask" in text
    assert "Onboarding v2" not in text  # not the editor's team, not watched
    html, kind = mailoutbox[0].alternatives[0]
    assert kind == "text/html" and "Board ask" in html and "<script" not in html

    _send("weekly")
    assert mailoutbox[1].to == ["vera@acme.test"]
    assert "Olivia Owner created 'Onboarding v2'" in mailoutbox[1].body
    assert mailoutbox[1].subject == "Weekly Tandem digest · Acme Test"


def test_it_lists_action_items_due_and_conflicts_invited_to(owner, editor, mailoutbox, _monday):
    digest_set(by=editor, frequency="daily")
    review = reviews.review_schedule(
        kind="okr_review", title="Q4 review", scheduled_at=MONDAY, attendees=[editor], by=owner
    )
    reviews.action_item_create(
        review=review, title="Call legal", owner=editor, due=datetime.date(2026, 11, 2), by=owner
    )
    reviews.action_item_create(
        review=review, title="Far away", owner=editor, due=datetime.date(2026, 12, 20), by=owner
    )
    conflict = Conflict.objects.create(
        workspace=owner.workspace, rule="orphan_work", key="k", sentence="Nobody owns churn."
    )
    conflict.stakeholders.add(editor)

    assert digest_send(member=editor, period="daily") is True
    text = mailoutbox[0].body
    assert "Call legal (due 2 Nov, from Q4 review)" in text
    assert "Far away" not in text
    assert "Nobody owns churn." in text
    assert f"/w/acme-test/reviews/{review.pk}/" in text


def test_never_the_same_digest_twice(owner, editor, mailoutbox, _monday):
    key_result = factories.make_key_result(owner, title="NPS 50")
    watch_start(obj=key_result, by=editor)
    digest_set(by=editor, frequency="daily")
    key_result_update(key_result=key_result, by=owner, title="NPS 55")
    _monday.shift(datetime.timedelta(minutes=5))

    _send()
    _send()  # cron ran twice, or two workers raced
    assert len(mailoutbox) == 1
    sent_at = DigestPreference.objects.get(member=editor).last_sent_at

    _monday.shift(datetime.timedelta(hours=3))
    key_result_update(key_result=key_result, by=owner, title="NPS 60")
    _send()  # not a day yet
    assert len(mailoutbox) == 1

    _monday.shift(datetime.timedelta(days=1))
    _send()
    assert len(mailoutbox) == 2
    assert "NPS 60" in mailoutbox[1].body and "NPS 50 → NPS 55" not in mailoutbox[1].body
    assert DigestPreference.objects.get(member=editor).last_sent_at > sent_at


def test_nothing_to_say_sends_nothing(owner, editor, mailoutbox, _monday):
    key_result = factories.make_key_result(owner, title="NPS 50")
    watch_start(obj=key_result, by=editor)
    digest_set(by=editor, frequency="daily")
    _monday.shift(datetime.timedelta(days=2))  # its creation is older than a day
    key_result_update(key_result=key_result, by=editor, title="My own edit")
    Conflict.objects.create(
        workspace=owner.workspace, rule="orphan_work", key="k", sentence="Not invited."
    ).stakeholders.add(owner)

    _send()
    assert mailoutbox == []
    assert DigestPreference.objects.get(member=editor).last_sent_at is None


def test_the_command_queues_digests_for_the_worker(owner, editor, mailoutbox, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    key_result = factories.make_key_result(owner, title="NPS 50")
    watch_start(obj=key_result, by=editor)
    digest_set(by=editor, frequency="weekly")
    key_result_update(key_result=key_result, by=owner, title="NPS 55")

    call_command("digest", "send", stdout=io.StringIO())
    assert [m.to for m in mailoutbox] == [["eddie@acme.test"]]
