"""Personas: an owner, an editor and a viewer of one workspace, and an outsider who owns
another workspace and must never see the first one's data."""

import pytest
from django.test import Client

from tandem.accounts.models import Member, Role
from tandem.accounts.services import member_add, user_create, workspace_create

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher is slow by design; tests only need it to be a hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _person(email: str, name: str):
    return user_create(email=email, password=PASSWORD, name=name)


@pytest.fixture
def owner(db) -> Member:
    user = _person("olivia@acme.test", "Olivia Owner")
    workspace = workspace_create(name="Acme Test", owner=user, slug="acme-test")
    return Member.objects.get(workspace=workspace, user=user)


@pytest.fixture
def workspace(owner):
    return owner.workspace


@pytest.fixture
def editor(owner) -> Member:
    return member_add(user=_person("eddie@acme.test", "Eddie Editor"), role=Role.EDITOR, by=owner)


@pytest.fixture
def viewer(owner) -> Member:
    return member_add(user=_person("vera@acme.test", "Vera Viewer"), role=Role.VIEWER, by=owner)


@pytest.fixture
def outsider(db) -> Member:
    user = _person("oscar@globex.test", "Oscar Outsider")
    workspace = workspace_create(name="Globex", owner=user, slug="globex")
    return Member.objects.get(workspace=workspace, user=user)


@pytest.fixture
def client_as():
    """client_as(member) -> a Django test client logged in as that member's user."""

    def make(member: Member) -> Client:
        client = Client()
        client.force_login(member.user)
        return client

    return make
