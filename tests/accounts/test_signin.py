"""Signing in through allauth: existing accounts, the lockout, password reset by email,
sign-up closed by default, and the command line's password rules."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import AccessEvent, AccessKind, User
from tests.conftest import PASSWORD

START = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def _sign_in(client: Client, email: str, password: str):
    return client.post(reverse("login"), {"login": email, "password": password})


def test_a_session_from_before_allauth_keeps_working(owner):
    # Django's own login named ModelBackend in the session; that backend is still there.
    client = Client()
    client.force_login(owner.user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("dashboard", kwargs={"workspace": "acme-test"})).status_code == 200


def test_sign_in_is_recorded_with_the_address(owner):
    client = Client(REMOTE_ADDR="203.0.113.7")
    response = _sign_in(client, "OLIVIA@acme.test", PASSWORD)
    assert response.status_code == 302
    event = AccessEvent.objects.get(kind=AccessKind.SIGN_IN)
    assert (event.actor, event.ip, event.detail) == (owner.user, "203.0.113.7", "with password")


def test_lockout_refuses_the_right_password_until_the_window_passes(owner):
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            html = _sign_in(client, owner.user.email, "wrong").content.decode()
            assert "do not match an account" in html
        response = _sign_in(client, owner.user.email, PASSWORD)
        assert response.status_code == 200
        assert "Signing in is locked for 15 minutes" in response.content.decode()
        assert SESSION_KEY not in client.session

        traveller.shift(datetime.timedelta(minutes=14))
        assert "locked" in _sign_in(client, owner.user.email, PASSWORD).content.decode()

        traveller.shift(datetime.timedelta(minutes=2))
        assert _sign_in(client, owner.user.email, PASSWORD).status_code == 302
        assert client.session[SESSION_KEY] == str(owner.user.pk)
    kinds = list(AccessEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == [AccessKind.SIGN_IN_FAILED] * 5 + [AccessKind.LOCKED_OUT] * 2 + [
        AccessKind.SIGN_IN
    ]


def test_lockout_holds_whatever_host_name_the_server_is_reached_by(owner, settings):
    # allauth keys the count by the request's site, which without django.contrib.sites is
    # the Host header (with its port): two app servers reached by their own addresses, or
    # one reached by two of its names, would each count five failures of their own.
    settings.ALLOWED_HOSTS = ["a.example", "b.example", "localhost"]
    hosts = ["a.example:8001", "b.example:8002"]
    with time_machine.travel(START, tick=False):
        for attempt in range(5):
            client = Client(HTTP_HOST=hosts[attempt % 2])
            assert (
                "do not match an account"
                in _sign_in(client, owner.user.email, "wrong").content.decode()
            )
        client = Client(HTTP_HOST="localhost")
        response = _sign_in(client, owner.user.email.upper(), PASSWORD)
        assert "Signing in is locked for 15 minutes" in response.content.decode()
        assert SESSION_KEY not in client.session


def test_password_reset_by_email(owner):
    client = Client()
    response = client.post(reverse("account_reset_password"), {"email": owner.user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.user.email]
    link = re.search(r"http://testserver(/password/reset/key/\S+)", message.body)[1]
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url, {"password1": "a new long passphrase", "password2": "a new long passphrase"}
    )
    assert response.status_code == 302
    owner.user.refresh_from_db()
    assert owner.user.check_password("a new long passphrase")
    assert AccessEvent.objects.filter(kind=AccessKind.PASSWORD_RESET, actor=owner.user).exists()


def test_password_change_needs_the_current_one_and_the_validators(owner, client_as):
    client = client_as(owner)
    url = reverse("account_change_password")
    html = client.post(
        url, {"oldpassword": PASSWORD, "password1": "abc", "password2": "abc"}
    ).content.decode()
    assert "This password is too short" in html
    response = client.post(
        url,
        {
            "oldpassword": PASSWORD,
            "password1": "plum tree at dusk",
            "password2": "plum tree at dusk",
        },
    )
    assert response.status_code == 302
    owner.user.refresh_from_db()
    assert owner.user.check_password("plum tree at dusk")


def test_sign_up_is_closed_by_default(db):
    client = Client()
    response = client.post(
        reverse("account_signup"),
        {"email": "eve@example.test", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert "Sign Up Closed" in response.content.decode()
    assert not User.objects.filter(email="eve@example.test").exists()
    assert "Create an account" not in client.get(reverse("login")).content.decode()


def test_sign_up_opens_with_the_instance_setting(db, settings):
    settings.TANDEM_OPEN_SIGNUP = True
    client = Client()
    assert "Create an account" in client.get(reverse("login")).content.decode()
    client.post(
        reverse("account_signup"),
        {"email": "eve@example.test", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert User.objects.filter(email="eve@example.test").exists()


def test_createuser_enforces_the_password_validators(db):
    with pytest.raises(CommandError, match="password: This password is too short"):
        call_command("createuser", "--email", "ann@example.test", "--password", "short")
    with pytest.raises(CommandError, match="too common"):
        call_command("createuser", "--email", "ann@example.test", "--password", "password123")
    assert not User.objects.filter(email="ann@example.test").exists()
