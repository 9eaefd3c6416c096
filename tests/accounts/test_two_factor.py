"""Two-factor sign-in with allauth's TOTP: enrolment, signing in with a code the test
computes as an authenticator app would (RFC 6238), recovery codes, and an owner who
requires it for the workspace."""

import base64
import datetime
import hashlib
import hmac
import re
import struct

import time_machine
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY
from django.test import Client, TestCase
from django.urls import reverse

from tandem.accounts.models import AccessEvent, AccessKind
from tests.conftest import PASSWORD

START = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def totp(secret: str, at: datetime.datetime) -> str:
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at.timestamp()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def _password_sign_in(client: Client, email: str):
    return client.post(reverse("login"), {"login": email, "password": PASSWORD})


def _enrol(client: Client, email: str) -> str:
    assert _password_sign_in(client, email).status_code == 302
    # Turning it on asks for the password again, as any change to how one signs in does.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    html = page.content.decode()
    assert 'class="qr-code"' in html and secret in html
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert "Incorrect code" in response.content.decode()
    # allauth announces the new authenticator after the commit, as a real request would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": totp(secret, START)})
    assert response.status_code == 302
    return secret


def test_enrol_then_sign_in_with_a_code(owner):
    with time_machine.travel(START, tick=False) as traveller:
        secret = _enrol(Client(), owner.user.email)
        assert Authenticator.objects.filter(user=owner.user, type="totp").exists()
        assert AccessEvent.objects.filter(kind=AccessKind.MFA_ENABLED, actor=owner.user).exists()

        traveller.shift(datetime.timedelta(seconds=60))
        client = Client()
        response = _password_sign_in(client, owner.user.email)
        # The password alone is not enough now.
        assert response["Location"] == reverse("mfa_authenticate")
        assert SESSION_KEY not in client.session
        html = client.post(reverse("mfa_authenticate"), {"code": "123456"}).content.decode()
        assert "Incorrect code" in html
        assert SESSION_KEY not in client.session
        now = START + datetime.timedelta(seconds=60)
        response = client.post(reverse("mfa_authenticate"), {"code": totp(secret, now)})
        assert response.status_code == 302
        assert client.session[SESSION_KEY] == str(owner.user.pk)


def test_a_recovery_code_signs_in_once(owner):
    with time_machine.travel(START, tick=False) as traveller:
        enrolling = Client()
        _enrol(enrolling, owner.user.email)
        codes_page = enrolling.get(reverse("mfa_view_recovery_codes")).content.decode()
        codes = re.findall(r"\b[a-z0-9]{8}\b", codes_page)
        unused = owner.user.authenticator_set.get(type="recovery_codes").wrap().get_unused_codes()
        assert unused and unused[0] in codes
        traveller.shift(datetime.timedelta(minutes=5))
        client = Client()
        _password_sign_in(client, owner.user.email)
        client.post(reverse("mfa_authenticate"), {"code": unused[0]})
        assert client.session[SESSION_KEY] == str(owner.user.pk)
        again = Client()
        _password_sign_in(again, owner.user.email)
        again.post(reverse("mfa_authenticate"), {"code": unused[0]})
        assert SESSION_KEY not in again.session


def test_an_owner_requires_two_factor_and_members_enrol_first(owner, viewer, client_as):
    url = reverse("workspace_two_factor", kwargs={"workspace": "acme-test"})
    owner_client = client_as(owner)
    # Not before the owner has it themself: they would be shut out.
    owner_client.post(url, {"required": "true"})
    owner.workspace.refresh_from_db()
    assert not owner.workspace.require_two_factor
    with time_machine.travel(START, tick=False):
        owner_client = Client()
        _enrol(owner_client, owner.user.email)
        assert client_as(viewer).post(url, {"required": "true"}).status_code == 403
        owner_client.post(url, {"required": "true"})
    owner.workspace.refresh_from_db()
    assert owner.workspace.require_two_factor
    assert AccessEvent.objects.filter(kind=AccessKind.MFA_REQUIRED).count() == 1

    dashboard = reverse("dashboard", kwargs={"workspace": "acme-test"})
    response = client_as(viewer).get(dashboard, follow=True)
    # Sent to turn it on (which first asks for their password again).
    assert response.redirect_chain[0][0] == reverse("mfa_activate_totp")
    assert "Acme Test requires two-factor sign-in" in response.content.decode()
    assert owner_client.get(dashboard).status_code == 200
