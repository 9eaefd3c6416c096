import pytest

from tandem.activity.models import ChangeEvent
from tandem.strategy.services import team_create, team_update
from tests.factories import make_initiative, make_key_result


def test_every_write_is_recorded_with_before_after_and_reason(owner):
    team = team_create(name="Growth", by=owner)
    team_update(team=team, name="Growth & Activation", by=owner, reason="Merged with Activation")
    events = list(ChangeEvent.objects.about(team).order_by("at", "id"))
    assert [e.action for e in events] == ["created", "updated"]
    assert events[0].after["name"] == "Growth"
    assert events[1].before == {"name": "Growth"}
    assert events[1].after == {"name": "Growth & Activation"}
    assert events[1].reason == "Merged with Activation"
    assert events[1].actor == owner.user


def test_an_update_that_changes_nothing_records_nothing(owner):
    team = team_create(name="Growth", by=owner)
    before = ChangeEvent.objects.count()
    team_update(team=team, name="Growth", by=owner)
    assert ChangeEvent.objects.count() == before


def test_change_events_are_append_only(owner):
    team = team_create(name="Growth", by=owner)
    event = ChangeEvent.objects.about(team).get()
    event.reason = "rewritten history"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()


def test_values_are_stored_as_json(owner):
    key_result = make_key_result(owner)
    initiative = make_initiative(owner, effort="2.50")
    kr_event = ChangeEvent.objects.about(key_result).get()
    assert kr_event.after["target_value"] == "100"
    assert ChangeEvent.objects.about(initiative).get().after["effort"] == "2.5"
