"""Lost updates and duplicates against a real server: `tandem serve` with four worker
processes over its own database (a SQLite file, or a throwaway PostgreSQL database when
the suite runs on PostgreSQL), hit by many threads at once."""

import json
import os
import subprocess
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest

from tests.browser.conftest import (
    DEMO_EMAIL,
    TANDEM,
    _free_port,
    _tandem,
    _throwaway_database,
    _wait_until_serving,
)

THREADS = 50


@dataclass(frozen=True)
class Live:
    url: str
    token: str

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> tuple[int, Any]:
        request = urllib.request.Request(
            f"{self.url}/api/v1{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
                **headers,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, (json.loads(response.read()), dict(response.headers))
        except urllib.error.HTTPError as error:
            return error.code, (json.loads(error.read()), dict(error.headers))


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    data_dir = tmp_path_factory.mktemp("tandem-live")
    env = {
        k: v for k, v in os.environ.items() if k not in {"TANDEM_DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env["TANDEM_DATA_DIR"] = str(data_dir)
    with _throwaway_database(env.get("TANDEM_DATABASE_URL")) as database_url:
        if database_url:
            env["TANDEM_DATABASE_URL"] = database_url
        _tandem(env, "migrate", "--no-input")
        _tandem(env, "demo")
        token = _tandem(env, "token", "create", "--email", DEMO_EMAIL).strip()
        port = _free_port()
        log = (data_dir / "server.log").open("w")
        server = subprocess.Popen(
            [str(TANDEM), "serve", "--port", str(port), "--workers", "4"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_serving(url, server, data_dir / "server.log")
            yield Live(url=url, token=token)
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()


def _workspace(live: Live) -> str:
    status, (body, _) = live.call("GET", "/workspaces")
    assert status == 200
    return str(body["items"][0]["slug"])


def test_50_concurrent_patches_with_one_if_match_make_one_winner_and_49_412s(live):
    ws = f"/workspaces/{_workspace(live)}"
    status, (page, _) = live.call("GET", f"{ws}/initiatives?limit=1")
    assert status == 200
    initiative = page["items"][0]
    url = f"{ws}/initiatives/{initiative['id']}"
    status, (read, headers) = live.call("GET", url)
    tag = headers["ETag"]
    assert tag == f'"{read["version"]}"'

    def patch(n: int) -> tuple[int, str]:
        title = f"Writer {n}"
        status, _ = live.call("PATCH", url, {"title": title}, **{"If-Match": tag})
        return status, title

    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(patch, range(THREADS)))

    assert Counter(status for status, _ in answers) == {200: 1, 412: THREADS - 1}
    winner = next(title for status, title in answers if status == 200)
    status, (final, headers) = live.call("GET", url)
    assert final["title"] == winner
    assert final["version"] == read["version"] + 1
    assert headers["ETag"] == f'"{final["version"]}"'


def test_concurrent_posts_with_one_idempotency_key_create_one_object(live):
    ws = f"/workspaces/{_workspace(live)}"
    status, (roadmaps, _) = live.call("GET", f"{ws}/roadmaps?limit=1")
    body = {"roadmap_id": roadmaps["items"][0]["id"], "title": "Exactly once"}
    key = {"Idempotency-Key": "live-7f3e"}

    with ThreadPoolExecutor(10) as pool:
        answers = list(
            pool.map(lambda _: live.call("POST", f"{ws}/initiatives", body, **key), range(10))
        )

    statuses = Counter(status for status, _ in answers)
    assert set(statuses) <= {201, 409}
    created = {answer[0]["id"] for status, answer in answers if status == 201}
    assert len(created) == 1
    status, (found, _) = live.call("GET", f"{ws}/initiatives?limit=500")
    assert [i["title"] for i in found["items"]].count("Exactly once") == 1
    # Once the first has finished, a repeat is answered from the stored response.
    status, (again, headers) = live.call("POST", f"{ws}/initiatives", body, **key)
    assert status == 201
    assert again["id"] in created
    assert headers["Idempotent-Replayed"] == "true"
