"""Issue 15: two Tandem app servers on one PostgreSQL behind haproxy (round robin).

Each server is `tandem.wsgi` under gunicorn with one sync worker, a data directory of its
own and the same secret key. Prints the throughput of one server and of two (both through
haproxy), then shows that nothing lives in one server: a session and its CSRF token made on
one are honoured by the other, the API rate limit and the sign-in lockout count requests to
both together, and a job asked of one (a demo copy, built by the worker) is seen through
the other. Run it with `make bench-pg`.
"""

import io
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

import requests
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse

from tandem.accounts.models import User
from tandem.accounts.services import user_create
from tandem.accounts.tokens import api_token_create
from tandem.demo import content
from tests.bench.http import (
    CONNECTIONS,
    Target,
    free_port,
    request,
    served,
    throughput,
    wait_until_up,
)

LIMIT = 12  # API calls a minute while the throttles are checked


@contextmanager
def haproxy(backends: list[int]) -> Iterator[int]:
    port = free_port()
    servers = "\n".join(f"    server s{i} 127.0.0.1:{p}" for i, p in enumerate(backends))
    config = f"""global
    maxconn 256
defaults
    mode http
    option http-server-close
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend tandem
    bind 127.0.0.1:{port}
    default_backend app
backend app
    balance roundrobin
{servers}
"""
    with tempfile.NamedTemporaryFile("w", suffix=".cfg") as file:
        file.write(config)
        file.flush()
        process = subprocess.Popen(
            ["haproxy", "-db", "-f", file.name],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            with tempfile.TemporaryFile() as log:
                wait_until_up(port, process, log)  # type: ignore[arg-type]
            yield port
        finally:
            process.terminate()
            process.wait(timeout=10)


@contextmanager
def two_servers(env: Mapping[str, str]) -> Iterator[list[int]]:
    with ExitStack() as stack:
        ports = []
        for _ in range(2):
            own = {**env, "TANDEM_DATA_DIR": tempfile.mkdtemp(prefix="tandem-server-")}
            ports.append(stack.enter_context(served("tandem.wsgi:application", own, workers=1)))
        yield ports


def run() -> None:
    if connection.vendor != "postgresql":
        print("== Two app servers: skipped (needs TANDEM_DATABASE_URL; see make bench-pg)")
        return
    if shutil.which("haproxy") is None:
        print("== Two app servers: skipped (haproxy is not installed; make bench-pg installs it)")
        return
    print(
        f"== Two app servers, one PostgreSQL, haproxy round robin; gunicorn with 1 sync worker "
        f"each; {CONNECTIONS} connections",
        flush=True,
    )
    password_out = io.StringIO()
    call_command("demo", stdout=password_out, stderr=io.StringIO())
    password = password_out.getvalue().strip()
    user = User.objects.get(email=content.DEMO_EMAIL)
    _, raw = api_token_create(user=user, name="bench")
    slug = content.WORKSPACE_SLUG
    connections.close_all()
    env = {
        "DJANGO_SETTINGS_MODULE": "tandem.settings",
        "TANDEM_SECRET_KEY": secrets.token_urlsafe(50),
        "TANDEM_API_RATE_LIMIT": "off",
    }
    token = {"Authorization": f"Bearer {raw}"}
    targets = [
        Target("/me", "/api/v1/me", token),
        Target("20 key results", f"/api/v1/workspaces/{slug}/key-results?limit=20", token),
    ]
    with two_servers(env) as ports:
        # Each server answers its first request slowly (URLs, the API schema): not on the clock.
        for port in ports:
            for target in targets:
                request(port, target)
        for target in targets:
            with haproxy(ports[:1]) as one:
                alone, _ = throughput(one, target)
            with haproxy(ports) as both:
                together, _ = throughput(both, target)
            print(
                f"   {target.name:<16} one server {alone:6.0f} req/s, two {together:6.0f} req/s "
                f"({together / alone:.2f}x)"
            )
    with two_servers({**env, "TANDEM_API_RATE_LIMIT": f"{LIMIT}/minute"}) as ports:
        _check_sessions_and_jobs(ports, slug, password)
        _check_rate_limit(ports, token)
        _check_lockout(ports)


def _url(port: int, path: str) -> str:
    return f"http://127.0.0.1:{port}{path}"


def _csrf(session: requests.Session, port: int, path: str) -> str:
    page = session.get(_url(port, path), timeout=30)
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, f"no CSRF token on {path} ({page.status_code})"
    return found.group(1)


def _log_in(session: requests.Session, port: int, email: str, password: str) -> requests.Response:
    login = reverse("login")  # Tandem's sign-in, with the lockout
    token = _csrf(session, port, login)
    return session.post(
        _url(port, login),
        data={"login": email, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": _url(port, login)},
        allow_redirects=False,
        timeout=30,
    )


def _check_sessions_and_jobs(ports: list[int], slug: str, password: str) -> None:
    a, b = ports
    browser = requests.Session()
    signed_in = _log_in(browser, a, content.DEMO_EMAIL, password)
    assert signed_in.status_code == 302, signed_in.status_code
    board = browser.get(_url(b, reverse("roadmap_board", kwargs={"workspace": slug})), timeout=30)
    assert board.status_code == 200 and "Sign in" not in board.text[:2000], board.status_code
    print("   session: signed in through server A, the board opens through server B")

    # A write through B with the CSRF token A's page handed out; the worker, asked through
    # A, builds a demo copy that B then finds.
    token = browser.cookies.get("csrftoken")
    made = browser.post(
        _url(b, f"/api/v1/workspaces/{slug}/teams"),
        json={"name": "Made through server B"},
        headers={"X-CSRFToken": token or ""},
        timeout=30,
    )
    assert made.status_code == 201, (made.status_code, made.text[:300])
    refused = requests.post(
        _url(b, f"/api/v1/workspaces/{slug}/teams"),
        json={"name": "No token"},
        cookies=browser.cookies,
        timeout=30,
    )
    assert refused.status_code == 403, refused.status_code
    print("   CSRF: a write through B with A's token is taken (201), one without it refused (403)")

    asked = browser.post(
        _url(a, reverse("demo_copy")),
        data={"csrfmiddlewaretoken": token or ""},
        headers={"Referer": _url(a, "/")},
        allow_redirects=False,
        timeout=30,
    )
    assert asked.status_code == 302, asked.status_code
    wait = asked.headers["Location"]
    worker = subprocess.Popen(
        [str(Path(sys.executable).with_name("tandem")), "worker"],
        env={**os.environ, "TANDEM_DATA_DIR": tempfile.mkdtemp(prefix="tandem-worker-")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        started = time.monotonic()
        while time.monotonic() - started < 600:
            polled = browser.get(_url(b, wait), allow_redirects=False, timeout=30)
            if polled.status_code == 302:
                break
            time.sleep(1)
        else:
            raise AssertionError("the demo copy was not built within ten minutes")
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
    print(
        f"   jobs: a demo copy asked through A, built by the worker, found through B after "
        f"{time.monotonic() - started:.0f} s"
    )


def _check_rate_limit(ports: list[int], token: dict[str, str]) -> None:
    # Twice the limit, alternating: counted per server, every call would pass.
    answers = [
        requests.get(_url(ports[i % 2], "/api/v1/me"), headers=token, timeout=30).status_code
        for i in range(2 * LIMIT)
    ]
    passed = answers.count(200)
    assert 429 in answers and passed <= LIMIT, answers
    print(
        f"   rate limit: {LIMIT}/minute; {2 * LIMIT} calls alternating A and B: {passed} "
        f"answered, the rest refused (429) by both (the user's earlier calls count too)"
    )


def _check_lockout(ports: list[int]) -> None:
    email = "lockout@example.com"
    user_create(email=email, password="the right one, long enough", name="Locked Out")
    connections.close_all()
    for attempt in range(5):
        failed = _log_in(requests.Session(), ports[attempt % 2], email, "wrong")
        assert failed.status_code == 200, failed.status_code
    locked = _log_in(requests.Session(), ports[1], email, "the right one, long enough")
    assert locked.status_code != 302, "the sixth sign-in was let through"
    print("   sign-in lockout: 5 failures alternating A and B lock the account on both")
