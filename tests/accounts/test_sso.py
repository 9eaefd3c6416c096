"""Single sign-on against a real OpenID Connect provider: tests/oidc_provider, a Django
project of its own with django-oauth-toolkit, served from a subprocess on 127.0.0.1.
Tandem talks to it over HTTP exactly as to a company's provider (discovery, token, JWKS,
userinfo); the test plays the browser between the two."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import SESSION_KEY
from django.test import Client

from tandem import config
from tandem.accounts.models import AccessEvent, AccessKind, Member, User

REPO = Path(__file__).resolve().parents[2]
CLIENT_ID = "tandem-test"
SECRET = "a-client-secret-for-tests"
CALLBACK = "http://testserver/oidc/oidc/login/callback/"


@dataclass(frozen=True)
class IdentityProvider:
    url: str


@pytest.fixture(scope="module")
def identity_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IdentityProvider]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    directory = tmp_path_factory.mktemp("idp")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TANDEM_"))},
        "IDP_DATABASE": str(directory / "idp.sqlite3"),
        "IDP_RSA_KEY": pem,
    }
    log = (directory / "idp.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider", str(port), CLIENT_ID, SECRET, CALLBACK],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{url}/o/.well-known/openid-configuration", process, directory / "idp.log")
        yield IdentityProvider(url=url)
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the identity provider exited:\n{log.read_text()}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the identity provider did not answer:\n{log.read_text()}")


@pytest.fixture
def sso(identity_provider, settings):
    """sso(email, verified=True) -> Tandem's test client after a whole sign-in round trip."""
    env = {
        "TANDEM_OIDC_SERVER_URL": f"{identity_provider.url}/o",
        "TANDEM_OIDC_CLIENT_ID": CLIENT_ID,
        "TANDEM_OIDC_SECRET": SECRET,
        "TANDEM_OIDC_NAME": "Acme ID",
        "TANDEM_OIDC_JOIN_DOMAIN": "acme.test",
        "TANDEM_OIDC_JOIN_WORKSPACE": "acme-test",
        "TANDEM_OIDC_JOIN_ROLE": "editor",
    }
    settings.SOCIALACCOUNT_PROVIDERS = config.oidc_providers(env)
    settings.TANDEM_OIDC_JOIN = config.oidc_join(env)

    def sign_in(email: str, *, verified: bool = True, name: str = "") -> Client:
        client = Client()
        start = client.post("/oidc/oidc/login/")
        assert start.status_code == 302
        authorize = start["Location"]
        assert authorize.startswith(f"{identity_provider.url}/o/authorize/")
        browser = requests.Session()
        signed_in = browser.get(
            f"{identity_provider.url}/sign-in-as/",
            params={
                "email": email,
                "verified": "yes" if verified else "no",
                "name": name,
                "next": authorize,
            },
            allow_redirects=False,
        )
        back = browser.get(signed_in.headers["Location"], allow_redirects=False)
        callback = urlsplit(back.headers["Location"])
        assert f"{callback.scheme}://{callback.netloc}{callback.path}" == CALLBACK
        client.landing = client.get(f"{callback.path}?{callback.query}", follow=True)  # type: ignore[attr-defined]
        return client

    return sign_in


def test_the_login_page_offers_the_provider(sso, db):
    html = Client().get("/login/").content.decode()
    assert "Sign in with Acme ID" in html


def test_first_sign_in_creates_the_account_and_joins_by_domain(sso, owner):
    client = sso("nina@acme.test", name="Nina Newcomer")
    user = User.objects.get(email="nina@acme.test")
    assert client.session[SESSION_KEY] == str(user.pk)
    assert user.name == "Nina Newcomer"
    assert not user.has_usable_password()
    member = Member.objects.get(user=user)
    assert (member.workspace, member.role) == (owner.workspace, "editor")
    assert client.landing.redirect_chain[-1][0] == "/w/acme-test/"
    kinds = set(AccessEvent.objects.filter(actor=user).values_list("kind", "detail"))
    assert (AccessKind.SIGN_IN, "with single sign-on") in kinds
    assert (AccessKind.SSO_JOINED, "as editor, by the domain acme.test") in kinds


def test_an_existing_account_is_matched_by_its_verified_email(sso, owner):
    users = User.objects.count()
    client = sso("Olivia@acme.test")
    assert client.session[SESSION_KEY] == str(owner.user.pk)
    assert User.objects.count() == users
    assert SocialAccount.objects.get(user=owner.user).provider == "oidc"
    # Joining by domain is for new accounts; the owner stays owner.
    assert Member.objects.get(user=owner.user).role == "owner"


def test_an_unverified_email_is_refused(sso, owner):
    users = User.objects.count()
    client = sso("olivia@acme.test", verified=False)
    assert SESSION_KEY not in client.session
    assert "did not confirm your email address as verified" in client.landing.content.decode()
    assert User.objects.count() == users
    assert not SocialAccount.objects.exists()


def test_an_email_outside_the_domain_without_an_account_is_refused(sso, owner):
    client = sso("mallory@elsewhere.test")
    assert SESSION_KEY not in client.session
    assert "No Tandem account uses mallory@elsewhere.test" in client.landing.content.decode()
    assert not User.objects.filter(email="mallory@elsewhere.test").exists()


def test_a_deactivated_account_cannot_come_back_by_single_sign_on(sso, owner):
    from tandem.accounts.services import user_deactivate

    user_deactivate(user=owner.user, by=None)
    users = User.objects.count()
    client = sso("olivia@acme.test")
    assert SESSION_KEY not in client.session
    assert User.objects.count() == users
    assert "This account is deactivated." in client.landing.content.decode()
