"""The `tandem` console script, run as a user runs it."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

TANDEM = str(Path(sys.executable).with_name("tandem"))


@pytest.fixture
def env(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TANDEM_")}
    clean["TANDEM_DATA_DIR"] = str(tmp_path / "data")
    if url := os.environ.get("TANDEM_DATABASE_URL"):
        pytest.skip(f"runs on the embedded SQLite only (suite is on {url.split(':')[0]})")
    return clean


def tandem(*args: str, env: dict[str, str], input: str | None = None):
    return subprocess.run(
        [TANDEM, *args], env=env, capture_output=True, text=True, timeout=120, input=input
    )


def test_token_create_prints_only_the_token(env):
    assert tandem("migrate", "--verbosity", "0", env=env).returncode == 0
    created = tandem(
        "createuser", "--email", "Ann@Example.com", "--password", "s3cret-pass", env=env
    )
    assert created.stdout.strip() == "Created ann@example.com"
    result = tandem("token", "create", "--email", "ann@example.com", env=env)
    assert result.returncode == 0
    assert re.fullmatch(r"tdm_[A-Za-z0-9_-]{40,}\n", result.stdout)


def test_token_create_for_an_unknown_email_names_the_field(env):
    assert tandem("migrate", "--verbosity", "0", env=env).returncode == 0
    result = tandem("token", "create", "--email", "nobody@example.com", env=env)
    assert result.returncode != 0
    assert result.stdout == ""
    assert "--email" in result.stderr


def test_serve_on_a_fresh_data_dir_serves_its_stylesheet(env):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [TANDEM, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        page = _get_when_up(f"{base}/login/")
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
        with urllib.request.urlopen(base + stylesheet, timeout=10) as response:
            assert response.status == 200
            assert "max-age" in response.headers["Cache-Control"]
    finally:
        server.terminate()
        server.wait(timeout=20)


def _get_when_up(url: str) -> str:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
