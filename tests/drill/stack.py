"""A local Tandem for the drill: `tandem serve` and `tandem worker` on a data directory (and,
on PostgreSQL, a database) of its own, and a webhook receiver on 127.0.0.1 that records the
delivery ids it is sent. Everything it starts it stops, by process id."""

import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from tests.backups.instances import TANDEM


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Receiver:
    """Answers 200 to every POST (after `delays[path]` seconds) and counts the
    X-Tandem-Delivery ids it gets, per path: each drill's webhook has a path of its own."""

    def __init__(self) -> None:
        self.seen: dict[str, Counter[str]] = {}
        self.delays: dict[str, float] = {}
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                time.sleep(receiver.delays.get(self.path, 0.0))
                with receiver.lock:
                    counts = receiver.seen.setdefault(self.path, Counter())
                    counts[self.headers.get("X-Tandem-Delivery", "")] += 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def seen_at(self, path: str) -> Counter[str]:
        with self.lock:
            return Counter(self.seen.get(path, Counter()))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Stack:
    def __init__(self, root: Path, database_url: str | None, receiver: Receiver) -> None:
        self.root = root
        self.data_dir = root / "data"
        self.port = free_port()
        self.receiver = receiver
        self.database_url = database_url
        self.server: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("TANDEM_")}
        self.env.update(
            TANDEM_DATA_DIR=str(self.data_dir),
            TANDEM_ALLOWED_HOSTS="127.0.0.1,localhost",
            TANDEM_EGRESS_ALLOW="127.0.0.1,127.0.0.0/8",
            TANDEM_BASE_URL=f"http://127.0.0.1:{self.port}",
            # Thousands of writes by one user in minutes: the drill is not about the API limit.
            TANDEM_API_RATE_LIMIT="off",
            PYTHONPATH=str(Path(__file__).resolve().parents[2]),
        )
        if database_url:
            self.env["TANDEM_DATABASE_URL"] = database_url

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def tandem(self, *args: str) -> str:
        result = subprocess.run(
            [TANDEM, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            raise RuntimeError(f"tandem {' '.join(args)}: {result.stderr.strip()[-500:]}")
        return result.stdout

    def probe(self, *args: str) -> Any:
        result = subprocess.run(
            [sys.executable, "-m", "tests.drill.probe", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            raise RuntimeError(f"probe {' '.join(args)}: {result.stderr.strip()[-800:]}")
        return json.loads(result.stdout)

    def start_server(self, workers: int = 2) -> None:
        log = (self.root / "serve.log").open("ab")
        self.server = subprocess.Popen(
            [TANDEM, "serve", "--port", str(self.port), "--workers", str(workers)],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.get("/healthz")[0] == 200:
                return
            if self.server.poll() is not None:
                break
            time.sleep(0.5)
        raise RuntimeError(f"tandem serve did not come up; see {self.root / 'serve.log'}")

    def start_worker(self) -> None:
        log = (self.root / "worker.log").open("ab")
        self.worker = subprocess.Popen(
            [TANDEM, "worker"], env=self.env, stdout=log, stderr=subprocess.STDOUT
        )

    def hold_lock(self, *, seconds: float) -> "subprocess.Popen[str]":
        """Another process holding the SQLite database with BEGIN EXCLUSIVE; returns once it
        holds it."""
        holder = subprocess.Popen(
            [sys.executable, "-c", _HOLD, str(self.data_dir / "tandem.sqlite3"), str(seconds)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert holder.stdout is not None
        if holder.stdout.readline().strip() != "locked":
            raise RuntimeError("could not lock the SQLite database")
        return holder

    def read_only(self, on: bool) -> None:
        """Make the data directory and its files read-only (or writable again). Root ignores
        permission bits, so as root the files are made immutable instead (chattr)."""
        paths = [self.data_dir, *(p for p in self.data_dir.iterdir() if p.is_file())]
        if os.geteuid() == 0:
            flag = "+i" if on else "-i"
            subprocess.run(["chattr", flag, *map(str, paths)], check=True)
            return
        for path in paths:
            writable = 0o755 if path.is_dir() else 0o644
            path.chmod((writable & 0o555) if on else writable)

    def app_workers(self) -> list[int]:
        """The gunicorn workers: the children of the serve process."""
        assert self.server is not None
        path = Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def worker_state(self) -> str:
        """ "running", or how the worker ended and the last line it logged."""
        if self.worker is None or self.worker.poll() is None:
            return "running"
        lines = (self.root / "worker.log").read_text(errors="replace").strip().splitlines()
        code = self.worker.returncode
        how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exited {code}"
        return f"{how}: {lines[-1][:90]}" if lines else how

    def ensure_worker(self) -> None:
        if self.worker is None or self.worker.poll() is not None:
            self.start_worker()

    def kill_worker(self) -> None:
        assert self.worker is not None
        os.kill(self.worker.pid, signal.SIGKILL)
        self.worker.wait()

    def stop(self) -> None:
        if self.data_dir.exists():
            self.read_only(False)  # whatever happened in the read-only drill
        for process in (self.worker, self.server):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    def request(
        self,
        method: str,
        path: str,
        body: object = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30,
    ) -> tuple[int, Any, dict[str, str]]:
        """(status, parsed JSON or None, headers); status 0 when no HTTP answer came."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, _json(response.read()), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, _json(error.read()), dict(error.headers)
        except (OSError, urllib.error.URLError):
            return 0, None, {}

    def get(self, path: str) -> tuple[int, Any, dict[str, str]]:
        return self.request("GET", path, timeout=10)


_HOLD = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=60, isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("ROLLBACK")
"""


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None
