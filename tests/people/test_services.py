"""The rules of workspaces, members and invitations, at the services every door uses.
Each refusal names the field and writes nothing."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.accounts import invitations
from tandem.accounts.models import Invitation, Member, Role, Workspace, WorkspaceDeletion
from tandem.accounts.services import (
    SLUG_NOT_AVAILABLE,
    member_add,
    member_owned,
    member_reassign,
    member_remove,
    member_set_role,
    member_set_time_zone,
    user_create,
    workspace_create,
    workspace_delete,
    workspace_update,
)
from tandem.accounts.zones import local_today
from tandem.activity.models import ChangeEvent
from tandem.strategy.services import team_set_members, team_update
from tests import factories
from tests.conftest import PASSWORD


def _refused(call, field):
    """Run `call`, expect a ValidationError on `field`, and that no row changed."""
    counts = (Member.objects.count(), Invitation.objects.count(), ChangeEvent.objects.count())
    with pytest.raises(ValidationError) as refused:
        call()
    assert field in refused.value.message_dict, refused.value.message_dict
    assert (
        Member.objects.count(),
        Invitation.objects.count(),
        ChangeEvent.objects.count(),
    ) == counts
    return refused.value.message_dict[field][0]


# ---------------------------------------------------------------- workspace settings


def test_settings_change_name_slug_zone_and_cycle_length(owner):
    workspace = workspace_update(
        by=owner, name=" Acme Inc ", slug="acme-inc", time_zone="Asia/Tokyo", cycle_weeks=6
    )

    workspace.refresh_from_db()
    assert (workspace.name, workspace.slug) == ("Acme Inc", "acme-inc")
    assert (workspace.time_zone, workspace.cycle_weeks) == ("Asia/Tokyo", 6)
    event = ChangeEvent.objects.in_workspace(workspace).latest("pk")
    assert event.after["slug"] == "acme-inc" and event.before["slug"] == "acme-test"


def test_a_taken_slug_is_only_not_available(owner, outsider):
    message = _refused(lambda: workspace_update(by=owner, slug="globex"), "slug")

    assert message == SLUG_NOT_AVAILABLE
    assert "globex" not in message.lower() and "exists" not in message
    assert Workspace.objects.get(pk=owner.workspace_id).slug == "acme-test"


def test_creating_with_a_taken_slug_says_the_same(outsider, owner):
    message = _refused(
        lambda: workspace_create(name="Globex", slug="globex", owner=owner.user), "slug"
    )
    assert message == SLUG_NOT_AVAILABLE


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"cycle_weeks": 0}, "cycle_weeks"),
        ({"cycle_weeks": 500}, "cycle_weeks"),
        ({"name": "  "}, "name"),
        ({"slug": "not a slug"}, "slug"),
    ],
)
def test_bad_settings_name_the_field(owner, changes, field):
    _refused(lambda: workspace_update(by=owner, **changes), field)


def test_editors_cannot_change_settings(editor):
    with pytest.raises(PermissionDenied):
        workspace_update(by=editor, name="Mine")


def test_today_follows_the_workspace_zone_and_then_the_members(owner):
    # 23:30 UTC on 1 Dec is already 2 Dec in Tokyo and still 1 Dec in New York.
    with time_machine.travel(datetime.datetime(2026, 12, 1, 23, 30, tzinfo=datetime.UTC)):
        assert local_today(owner.workspace) == datetime.date(2026, 12, 1)
        workspace_update(by=owner, time_zone="Asia/Tokyo")
        assert local_today(owner.workspace) == datetime.date(2026, 12, 2)
        member_set_time_zone(member=owner, time_zone="America/New_York")
        assert local_today(owner.workspace, owner) == datetime.date(2026, 12, 1)


def test_a_members_unknown_zone_is_refused(owner):
    _refused(lambda: member_set_time_zone(member=owner, time_zone="Nowhere/City"), "time_zone")


def test_deleting_needs_the_owner_and_the_typed_slug(owner, editor, outsider):
    factories.make_team(owner)
    with pytest.raises(PermissionDenied):
        workspace_delete(
            workspace=owner.workspace, confirm="acme-test", by=Member.objects.get(pk=editor.pk)
        )
    _refused(
        lambda: workspace_delete(workspace=owner.workspace, confirm="acme", by=owner), "confirm"
    )

    record = workspace_delete(workspace=owner.workspace, confirm="acme-test", by=owner)

    assert not Workspace.objects.filter(slug="acme-test").exists()
    assert record.removed["strategy.Team"] == 1
    assert record.removed["accounts.Member"] == 2
    assert WorkspaceDeletion.objects.get().deleted_by == owner.user
    assert Workspace.objects.filter(slug="globex").exists()


# ---------------------------------------------------------------- roles and removal


def test_the_last_owner_cannot_be_demoted_or_removed(owner, editor):
    _refused(lambda: member_set_role(member=owner, role=Role.ADMIN, by=owner), "role")
    _refused(lambda: member_remove(member=owner, by=owner), "member")


def test_with_a_second_owner_the_first_may_leave(owner, editor):
    member_set_role(member=editor, role=Role.OWNER, by=owner)
    member_remove(member=owner, by=owner)
    assert list(Member.objects.in_workspace(editor.workspace)) == [editor]


def test_an_admin_cannot_make_an_owner_or_remove_one(owner, editor):
    admin = member_set_role(member=editor, role=Role.ADMIN, by=owner)
    with pytest.raises(PermissionDenied):
        member_set_role(member=admin, role=Role.OWNER, by=admin)
    with pytest.raises(PermissionDenied):
        member_remove(member=owner, by=admin)
    assert Member.objects.get(pk=admin.pk).role == Role.ADMIN


def test_what_a_member_owns_is_listed_and_handed_over(owner, editor):
    team = factories.make_team(owner)
    team_set_members(team=team, members=[editor], by=owner)
    team_update(team=team, lead=editor, by=owner)
    objective = factories.make_objective(owner, owner=editor)
    factories.make_objective(owner)  # owned by nobody: not listed

    assert set(member_owned(editor)) == {team, objective}
    assert member_reassign(member=editor, to=owner, by=owner) == 2

    assert member_owned(editor) == []
    objective.refresh_from_db()
    assert objective.owner == owner
    member_remove(member=editor, by=owner)
    assert not Member.objects.filter(pk=editor.pk).exists()


def test_handing_over_to_the_leaver_is_refused(owner, editor):
    _refused(lambda: member_reassign(member=editor, to=editor, by=owner), "to")


# ---------------------------------------------------------------- invitations


def test_an_invitation_mails_a_link_that_makes_a_member(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, raw = invitations.invitation_create(
            email=" Nina@Acme.test ", role=Role.EDITOR, by=owner
        )

    assert invitation.email == "nina@acme.test"
    (message,) = mail.outbox
    assert message.to == ["nina@acme.test"]
    assert "Acme Test" in message.subject
    assert f"/invitations/{raw}/" in message.body
    assert raw not in invitation.token_hash

    member = invitations.invitation_accept_new_account(raw=raw, name="Nina", password=PASSWORD)
    assert member.role == Role.EDITOR and member.workspace == owner.workspace
    assert member.user.check_password(PASSWORD)
    _refused(lambda: invitations.invitation_accept(raw=raw, user=member.user), "token")


@pytest.mark.parametrize(
    ("email", "role", "field"),
    [
        ("not-an-address", Role.VIEWER, "email"),
        ("eddie@acme.test", Role.VIEWER, "email"),  # already a member
        ("nina@acme.test", "emperor", "role"),
    ],
)
def test_bad_invitations_name_the_field(owner, editor, email, role, field):
    _refused(lambda: invitations.invitation_create(email=email, role=role, by=owner), field)


def test_one_waiting_invitation_per_address(owner):
    invitations.invitation_create(email="nina@acme.test", role=Role.VIEWER, by=owner)
    message = _refused(
        lambda: invitations.invitation_create(email="nina@acme.test", role=Role.EDITOR, by=owner),
        "email",
    )
    assert "resend" in message


def test_an_admin_cannot_invite_an_owner_and_an_editor_cannot_invite(owner, editor, viewer):
    admin = member_set_role(member=editor, role=Role.ADMIN, by=owner)
    with pytest.raises(PermissionDenied):
        invitations.invitation_create(email="x@acme.test", role=Role.OWNER, by=admin)
    with pytest.raises(PermissionDenied):
        invitations.invitation_create(email="x@acme.test", role=Role.VIEWER, by=viewer)
    assert not Invitation.objects.exists()


def test_an_expired_invitation_is_refused_until_resent(owner):
    invitation, raw = invitations.invitation_create(
        email="nina@acme.test", role=Role.VIEWER, by=owner
    )
    with time_machine.travel(invitation.expires_at + datetime.timedelta(seconds=1)):
        message = _refused(
            lambda: invitations.invitation_accept_new_account(
                raw=raw, name="Nina", password=PASSWORD
            ),
            "token",
        )
        assert "expired" in message
        new_raw = invitations.invitation_resend(invitation=invitation, by=owner)
    _refused(
        lambda: invitations.invitation_accept_new_account(raw=raw, name="N", password=PASSWORD),
        "token",
    )
    member = invitations.invitation_accept_new_account(raw=new_raw, name="Nina", password=PASSWORD)
    assert member.role == Role.VIEWER


def test_a_revoked_invitation_cannot_be_accepted(owner):
    invitation, raw = invitations.invitation_create(
        email="nina@acme.test", role=Role.VIEWER, by=owner
    )
    invitations.invitation_revoke(invitation=invitation, by=owner)
    message = _refused(
        lambda: invitations.invitation_accept_new_account(raw=raw, name="N", password=PASSWORD),
        "token",
    )
    assert "withdrawn" in message
    _refused(lambda: invitations.invitation_revoke(invitation=invitation, by=owner), "invitation")


def test_a_weak_password_is_refused_under_password(owner):
    _, raw = invitations.invitation_create(email="nina@acme.test", role=Role.VIEWER, by=owner)
    _refused(
        lambda: invitations.invitation_accept_new_account(raw=raw, name="Nina", password="abc"),
        "password",
    )
    assert not Member.objects.filter(user__email="nina@acme.test").exists()


def test_the_invitation_is_for_its_address_only(owner, outsider):
    _, raw = invitations.invitation_create(email="nina@acme.test", role=Role.VIEWER, by=owner)
    message = _refused(lambda: invitations.invitation_accept(raw=raw, user=outsider.user), "token")
    assert "nina@acme.test" in message


def test_an_existing_user_accepts_while_logged_in(owner):
    user = user_create(email="nina@acme.test", password=PASSWORD, name="Nina")
    _, raw = invitations.invitation_create(email="nina@acme.test", role=Role.ADMIN, by=owner)
    _refused(
        lambda: invitations.invitation_accept_new_account(raw=raw, name="N", password=PASSWORD),
        "token",
    )
    assert invitations.invitation_accept(raw=raw, user=user).role == Role.ADMIN


def test_an_unknown_link_is_not_valid(db):
    assert invitations.invitation_for_token("nope") is None
    with pytest.raises(ValidationError) as refused:
        invitations.check_acceptable(None)
    assert "token" in refused.value.message_dict


def test_member_add_still_refuses_a_second_membership(owner, editor):
    _refused(lambda: member_add(user=editor.user, role=Role.VIEWER, by=owner), "user")
