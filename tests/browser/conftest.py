"""The real Tandem, served by gunicorn in a subprocess, and Debian's Chromium to drive it.

The server gets a data directory of its own and, when the suite runs on PostgreSQL, a
throwaway database of its own, so browser tests never see or leave test data elsewhere.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.browser.outbox import Outbox, SmtpOutbox

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "var" / "screenshots"
TANDEM = Path(sys.executable).with_name("tandem")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
DEMO_EMAIL = "demo@example.com"


@dataclass(frozen=True)
class TandemServer:
    url: str
    demo_password: str
    # The server's environment, for running `tandem` commands against the same data.
    env: dict[str, str]
    outbox: Outbox


@pytest.fixture(scope="session")
def smtp_outbox() -> Iterator[SmtpOutbox]:
    server = SmtpOutbox()
    server.thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def tandem_server(
    tmp_path_factory: pytest.TempPathFactory, smtp_outbox: SmtpOutbox
) -> Iterator[TandemServer]:
    data_dir = tmp_path_factory.mktemp("tandem-data")
    env = {
        k: v for k, v in os.environ.items() if k not in {"TANDEM_DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env["TANDEM_DATA_DIR"] = str(data_dir)
    # Mail goes out over real SMTP to the test outbox.
    env["TANDEM_EMAIL_URL"] = smtp_outbox.url
    with _throwaway_database(env.get("TANDEM_DATABASE_URL")) as database_url:
        if database_url:
            env["TANDEM_DATABASE_URL"] = database_url
        # The steps of `make run`: collectstatic first, so whitenoise, which indexes the
        # static root when the app loads, knows the hashed file names.
        _tandem(env, "migrate", "--no-input")
        _tandem(env, "collectstatic", "--no-input")
        demo_output = _tandem(env, "demo")
        assert len(demo_output.splitlines()) == 1, f"stdout is not just a password: {demo_output!r}"
        password = demo_output.strip()
        port = _free_port()
        # Links in mails point at this server.
        env["TANDEM_BASE_URL"] = f"http://127.0.0.1:{port}"
        log = (data_dir / "server.log").open("w")
        server = subprocess.Popen(
            [str(TANDEM), "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_serving(url, server, data_dir / "server.log")
            yield TandemServer(url=url, demo_password=password, env=env, outbox=smtp_outbox.outbox)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.close()


def _tandem(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(TANDEM), *args], env=env, capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0:
        pytest.fail(f"tandem {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_serving(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"tandem serve exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/login/", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    pytest.fail(f"tandem serve did not answer within 60 s:\n{log.read_text()}")


@contextmanager
def _throwaway_database(url: str | None) -> Iterator[str | None]:
    """On PostgreSQL, a fresh database for the server, dropped afterwards. On SQLite there is
    nothing to do: the database lives in the server's own data directory."""
    if not url or not url.startswith(("postgres://", "postgresql://")):
        yield None
        return
    import psycopg
    from psycopg import sql

    database = f"tandem_browser_{secrets.token_hex(6)}"
    name = sql.Identifier(database)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(name))
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{database}"))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


@pytest.fixture(scope="module")
def browser():
    # Module scope, not session: while Playwright's sync API runs, Django refuses ORM calls
    # from this thread, so it must be gone before the database tests of other modules.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """screenshot(page, name) saves a full-page PNG into var/screenshots/ and returns it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
