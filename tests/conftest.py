"""Personas: an owner, an editor and a viewer of one workspace, and an outsider who owns
another workspace and must never see the first one's data."""

import ipaddress
import socket

import pytest
from django.test import Client

from tandem.accounts.models import Member, Role
from tandem.accounts.services import member_add, user_create, workspace_create

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher is slow by design; tests only need it to be a hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_api_rate_limit(settings):
    # Suites (schemathesis) call the API thousands of times as one user;
    # tests/core/test_ratelimit.py sets a small limit where the limit itself is tested.
    settings.TANDEM_API_RATE_LIMIT = None


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


# Looks public to the egress guard; never dialled, since `dns` below keeps tests local.
PUBLIC_ADDRESS = "93.184.215.14"


@pytest.fixture(autouse=True)
def dns(monkeypatch):
    """No test asks real DNS or leaves this machine. Names under `.example` (RFC 2606: never
    a real host) resolve to a public-looking address; add others to the returned dict,
    name -> addresses. Connections reach loopback addresses only."""
    from tandem.core import egress

    names: dict[str, list[str]] = {"localhost": ["127.0.0.1", "::1"]}
    real_connect = egress.connect

    def resolve(host, port):
        if host in names:
            return [ipaddress.ip_address(a) for a in names[host]]
        if host.endswith(".example"):
            return [ipaddress.ip_address(PUBLIC_ADDRESS)]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    def connect(address, port, timeout):
        if not address.is_loopback:
            raise ConnectionRefusedError
        return real_connect(address, port, timeout)

    monkeypatch.setattr(egress, "resolve", resolve)
    monkeypatch.setattr(egress, "connect", connect)
    return names


@pytest.fixture
def allow_egress(settings):
    """allow_egress("127.0.0.1", "receiver.test"): as TANDEM_EGRESS_ALLOW would."""
    from tandem import config

    def allow(*items: str) -> None:
        env = {"TANDEM_EGRESS_ALLOW": ",".join(items)}
        settings.TANDEM_EGRESS_ALLOW = config.env_egress_allow("TANDEM_EGRESS_ALLOW", env)

    return allow
