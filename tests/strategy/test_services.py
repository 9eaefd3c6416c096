import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.activity.models import ChangeEvent
from tandem.strategy.models import Strategy, Team
from tandem.strategy.services import (
    pillar_archive,
    pillar_create,
    strategy_set_vision,
    team_create,
    team_set_members,
    team_update,
)


def test_team_names_are_unique_within_a_workspace_only(owner, outsider):
    team_create(name="Growth", by=owner)
    team_create(name="Growth", by=outsider)
    with pytest.raises(ValidationError) as excinfo:
        team_create(name="Growth", by=owner)
    assert excinfo.value.message_dict == {"name": ["A team with this name already exists."]}


def test_a_team_is_not_its_own_parent(owner):
    team = team_create(name="Growth", by=owner)
    with pytest.raises(ValidationError) as excinfo:
        team_update(team=team, parent=team, by=owner)
    assert excinfo.value.message_dict == {"parent": ["A team cannot be its own parent."]}
    assert Team.objects.get(pk=team.pk).parent is None


def test_a_colour_must_be_hex(owner):
    with pytest.raises(ValidationError) as excinfo:
        team_create(name="Growth", color="red", by=owner)
    assert excinfo.value.message_dict == {"color": ["Enter a colour as #rrggbb."]}


def test_team_members_come_from_the_workspace(owner, editor, outsider):
    team = team_create(name="Growth", by=owner)
    with pytest.raises(ValidationError) as excinfo:
        team_set_members(team=team, members=[editor, outsider], by=owner)
    assert "members" in excinfo.value.message_dict
    assert not team.members.exists()
    team_set_members(team=team, members=[editor], by=owner)
    assert list(team.members.all()) == [editor]


def test_editors_do_not_change_strategy(editor):
    with pytest.raises(PermissionDenied):
        strategy_set_vision(vision="Win", by=editor)
    assert not Strategy.objects.exists()


def test_vision_and_pillars_are_recorded(owner):
    strategy_set_vision(vision="# Be the **obvious** choice", by=owner)
    pillar = pillar_create(name="Retention", by=owner)
    pillar_archive(pillar=pillar, by=owner, reason="Folded into Growth")
    pillar.refresh_from_db()
    assert pillar.archived_at is not None
    assert ChangeEvent.objects.about(pillar).get(action="archived").reason == "Folded into Growth"


def test_a_team_hierarchy_cannot_loop(owner):
    platform = team_create(name="Platform", by=owner)
    data = team_create(name="Data", parent=platform, by=owner)
    with pytest.raises(ValidationError) as excinfo:
        team_update(team=platform, parent=data, by=owner)
    assert excinfo.value.message_dict == {
        "parent": ["This would make a loop: 'Platform' → 'Data' → 'Platform'."]
    }
    assert Team.objects.get(pk=platform.pk).parent is None
