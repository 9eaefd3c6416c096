"""How numbers, dates and activity read on the pages."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType

from tandem.activity.models import ChangeEvent
from tandem.okrs.models import KeyResult
from tandem.web.templatetags.tandem_ui import action_words, ago, amount, date_span


def kr(**fields) -> KeyResult:
    return KeyResult(kind=fields.pop("kind", "increase"), **fields)


@pytest.mark.parametrize(
    ("value", "key_result", "shown"),
    [
        (Decimal("1200.0000"), kr(unit="number"), "1,200"),
        (Decimal("37.5000"), kr(unit="percent"), "37.5%"),
        (Decimal("25000"), kr(unit="currency", currency="usd"), "$25,000"),
        (Decimal("90"), kr(unit="currency", currency="CHF"), "90 CHF"),
        (Decimal("0.0500"), kr(unit="number"), "0.05"),
        (Decimal("1"), kr(kind="milestone"), "done"),
        (Decimal("0"), kr(kind="milestone"), "not done"),
    ],
)
def test_amounts_read_like_people_write_them(value, key_result, shown):
    assert amount(value, key_result) == shown


def test_date_spans():
    d = datetime.date
    assert date_span(d(2026, 2, 3), d(2026, 3, 14)) == "3 Feb 2026 – 14 Mar 2026"
    assert date_span(d(2025, 12, 28), d(2026, 1, 9)) == "28 Dec 2025 – 9 Jan 2026"
    assert date_span(d(2026, 2, 3), None) == "from 3 Feb 2026"
    assert date_span(None, None) == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "action", "words"),
    [
        (KeyResult, "checked_in", "checked in on"),
        (KeyResult, "created", "created"),
        (ChangeEvent, "changeevent_opened", "opened"),
        (KeyResult, "state_unknown_thing", "state unknown thing"),
    ],
)
def test_activity_words(model, action, words):
    event = ChangeEvent(action=action, content_type=ContentType.objects.get_for_model(model))
    assert action_words(event) == words


@time_machine.travel(datetime.datetime(2026, 11, 15, 12, tzinfo=datetime.UTC))
def test_ago_keeps_one_unit():
    now = datetime.datetime(2026, 11, 15, 12, tzinfo=datetime.UTC)
    assert ago(now - datetime.timedelta(seconds=20)) == "just now"
    assert ago(now - datetime.timedelta(hours=3, minutes=10)) == "3\xa0hours ago"
