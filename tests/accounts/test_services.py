import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.accounts.models import ApiToken, Member, Role, User
from tandem.accounts.services import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    member_add,
    member_set_role,
    user_create,
)
from tests.conftest import PASSWORD


def test_emails_are_case_insensitive_and_unique(owner):
    assert owner.user.email == "olivia@acme.test"
    with pytest.raises(ValidationError) as error:
        user_create(email="OLIVIA@acme.test", password=PASSWORD)
    assert "email" in error.value.message_dict
    assert User.objects.filter(email="olivia@acme.test").count() == 1


def test_the_creator_owns_the_new_workspace(owner, workspace):
    assert owner.role == Role.OWNER
    assert workspace.slug == "acme-test"


def test_only_admins_add_members_and_only_owners_make_owners(owner, editor):
    newcomer = user_create(email="new@acme.test", password=PASSWORD)
    with pytest.raises(PermissionDenied):
        member_add(user=newcomer, role=Role.VIEWER, by=editor)
    assert not Member.objects.filter(user=newcomer).exists()
    member_set_role(member=editor, role=Role.ADMIN, by=owner)
    with pytest.raises(PermissionDenied):
        member_add(user=newcomer, role=Role.OWNER, by=editor)
    assert member_add(user=newcomer, role=Role.EDITOR, by=editor).role == Role.EDITOR


def test_a_workspace_keeps_at_least_one_owner(owner):
    with pytest.raises(ValidationError) as error:
        member_set_role(member=owner, role=Role.VIEWER, by=owner)
    assert error.value.message_dict == {"role": ["A workspace keeps at least one owner."]}
    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_a_user_cannot_join_the_same_workspace_twice(owner, editor):
    with pytest.raises(ValidationError):
        member_add(user=editor.user, role=Role.VIEWER, by=owner)


def test_tokens_are_stored_hashed_and_authenticate_until_revoked(owner):
    token, raw = api_token_create(user=owner.user, name="CI")
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw not in (stored.token_hash, stored.hint, stored.name)
    assert raw.startswith(stored.hint)
    assert api_token_authenticate(raw) == owner.user
    assert api_token_authenticate(raw + "x") is None
    api_token_revoke(token=token, by=owner.user)
    assert api_token_authenticate(raw) is None


def test_nobody_revokes_someone_elses_token(owner, outsider):
    token, raw = api_token_create(user=owner.user, name="CI")
    with pytest.raises(ValidationError):
        api_token_revoke(token=token, by=outsider.user)
    assert api_token_authenticate(raw) == owner.user


def test_a_deactivated_users_token_stops_working(owner):
    _, raw = api_token_create(user=owner.user, name="CI")
    owner.user.is_active = False
    owner.user.save()
    assert api_token_authenticate(raw) is None
