"""Issue 15: Tandem against the framework's floor, side by side.

Tandem (production settings, the demo workspace) and a bare django-ninja app
(tests/bench/bare.py) are served the same way: gunicorn, 2 sync workers, no access log.
wrk (or, without it, a small Python load generator) drives each with 4 connections;
Tandem's req/s are printed as a ratio of the bare endpoint's, with the API rate limit
counted (on: a limit too high to refuse, counted as production counts 600/minute, a lease
of 12 calls per write) and off. A check-in's median is timed alone, one request after
another, first, on a demo key result of its own that no load has touched.
"""

import http.client
import io
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import Member, User
from tandem.accounts.tokens import api_token_create
from tandem.demo import content
from tandem.okrs.models import KeyResult, Objective

WORKERS = 2
CONNECTIONS = 4
SECONDS = 5
CHECK_IN_BODY = '{"value": 5, "confidence": 7, "note": "Bench"}'
GOALS = {"/me": 0.4, "one objective": 0.3, "20 key results": 0.2}


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    headers: Mapping[str, str]
    body: str | None = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(app: str, env: Mapping[str, str], *, workers: int = WORKERS) -> Iterator[int]:
    """gunicorn serving `app` on a free port until the block ends."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                app,
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--worker-class=sync",
                "--log-level=warning",
            ],
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until_up(port, process, log)
            yield port
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_until_up(port: int, process: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError("server did not start:\n" + log.read().decode())
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not start within a minute")


def request(port: int, target: Target) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        method = "GET" if target.body is None else "POST"
        conn.request(method, target.path, body=target.body, headers=dict(target.headers))
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def throughput(port: int, target: Target, seconds: int = SECONDS) -> tuple[float, int]:
    """Requests a second and the number of answers that were not 2xx/3xx."""
    status, body = request(port, target)  # warm up, and fail loudly on a wrong request
    if status >= 400:
        raise RuntimeError(f"{target.name}: {status} {body[:300]!r}")
    if shutil.which("wrk"):
        return _wrk(port, target, seconds)
    return _python_load(port, target, seconds)


def _wrk(port: int, target: Target, seconds: int) -> tuple[float, int]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(f'wrk.method = "{"GET" if target.body is None else "POST"}"\n')
        if target.body is not None:
            script.write(f"wrk.body = [[{target.body}]]\n")
        for name, value in target.headers.items():
            script.write(f'wrk.headers["{name}"] = "{value}"\n')
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{CONNECTIONS}",
                f"-d{seconds}s",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}{target.path}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, int(bad.group(1)) if bad else 0


def _python_load(port: int, target: Target, seconds: int) -> tuple[float, int]:
    counts = [0] * CONNECTIONS
    bad = [0] * CONNECTIONS
    stop = time.monotonic() + seconds

    def drive(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        method = "GET" if target.body is None else "POST"
        while time.monotonic() < stop:
            conn.request(method, target.path, body=target.body, headers=dict(target.headers))
            response = conn.getresponse()
            response.read()
            counts[i] += 1
            bad[i] += response.status >= 400

    threads = [threading.Thread(target=drive, args=(i,)) for i in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds, sum(bad)


def median_request_ms(port: int, target: Target, repeat: int = 100) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        conn.request("POST", target.path, body=target.body, headers=dict(target.headers))
        response = conn.getresponse()
        response.read()
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status == 201, response.status
    conn.close()
    return statistics.median(timings)


def check_in_target(path: str, token: dict[str, str]) -> Target:
    return Target(
        "check-in POST", path, {**token, "Content-Type": "application/json"}, CHECK_IN_BODY
    )


def tandem_targets() -> tuple[list[Target], list[Target]]:
    """What is driven side by side, and for each rate-limit setting a check-in on a key
    result of its own that no load has touched: the median is timed at demo size, not on
    a key result the throughput run has given hundreds of readings."""
    from django.core.management import call_command

    call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())  # it prints a password
    call_command("collectstatic", interactive=False, verbosity=0)
    user = User.objects.get(email=content.DEMO_EMAIL)
    member = Member.objects.select_related("workspace").get(
        user=user, workspace__slug=content.WORKSPACE_SLUG
    )
    slug = member.workspace.slug
    _, raw = api_token_create(user=user, name="bench")
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    objective = Objective.objects.filter(workspace=member.workspace, cycle__state="active").first()
    # Check-ins go to key results at the end of the list's order, off the page of 20 that
    # is timed: each check-in adds a reading that page's forecasts would read.
    listed = KeyResult.objects.filter(workspace=member.workspace, status="active")
    first_page = set(listed.order_by("position", "id").values_list("pk", flat=True)[:20])
    live = [
        kr
        for kr in listed.filter(objective__cycle__state="active").order_by("-position", "-id")
        if kr.pk not in first_page
    ]
    assert objective is not None and len(live) >= 3
    key_result = live[0]
    token = {"Authorization": f"Bearer {raw}"}
    base = f"/api/v1/workspaces/{slug}"
    untouched = [kr.pk for kr in live[1:3]]
    alone = [check_in_target(f"{base}/key-results/{pk}/check-ins", token) for pk in untouched]
    return [
        Target("/me", "/api/v1/me", token),
        Target("one objective", f"{base}/objectives/{objective.pk}", token),
        Target("20 key results", f"{base}/key-results?limit=20", token),
        Target(
            "board page",
            reverse("roadmap_board", kwargs={"workspace": slug}),
            {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
        ),
        check_in_target(f"{base}/key-results/{key_result.pk}/check-ins", token),
    ], alone


def run() -> None:
    print(
        f"== HTTP side by side: gunicorn, {WORKERS} sync workers each, "
        f"{'wrk' if shutil.which('wrk') else 'a Python load generator'}, "
        f"{CONNECTIONS} connections, {SECONDS} s a figure",
        flush=True,
    )
    targets, alone = tandem_targets()
    for conn in connections.all():
        conn.close()
    bare_env = {"DJANGO_SETTINGS_MODULE": "tests.bench.bare_settings"}
    with served("tests.bench.bare:application", bare_env) as port:
        floor_get, _ = throughput(port, Target("bare GET", "/api/hello", {}))
        floor_post, _ = throughput(
            port,
            Target(
                "bare POST", "/api/reading", {"Content-Type": "application/json"}, CHECK_IN_BODY
            ),
        )
    print(f"   bare django-ninja:  GET {floor_get:7.0f} req/s   POST {floor_post:7.0f} req/s")
    print(f"   {'':<16}{'limit counted':>24}{'limit off':>24}")
    figures: dict[str, dict[str, tuple[float, int]]] = {}
    median = {}
    for limit, check_in in zip(("1000000/minute", "off"), alone, strict=True):
        env = {"DJANGO_SETTINGS_MODULE": "tandem.settings", "TANDEM_API_RATE_LIMIT": limit}
        with served("tandem.wsgi:application", env) as port:
            median_request_ms(port, check_in, repeat=5)  # the workers' first requests
            median[limit] = median_request_ms(port, check_in)
            for target in targets:
                figures.setdefault(target.name, {})[limit] = throughput(port, target)
    for target in targets:
        floor = floor_get if target.body is None else floor_post
        cells = []
        for limit in ("1000000/minute", "off"):
            rate, bad = figures[target.name][limit]
            cell = f"{rate:6.0f} req/s {rate / floor:5.2f}x"
            cells.append(cell + (f" ({bad} failed)" if bad else ""))
        goal = GOALS.get(target.name)
        worst = min(figures[target.name][limit][0] for limit in figures[target.name]) / floor
        verdict = "" if goal is None else ("  ok" if worst >= goal else f"  under {goal}x")
        print(f"   {target.name:<16}{cells[0]:>24}{cells[1]:>24}{verdict}")
    for limit, label in (("1000000/minute", "limit counted"), ("off", "limit off")):
        verdict = "ok" if median[limit] <= 15 else "over the 15 ms goal"
        print(f"   check-in median, one at a time ({label}): {median[limit]:.1f} ms ({verdict})")
