"""The drills. Each takes a running stack, does its harm, waits (bounded) for Tandem to
recover, and returns rows for the figures table: (drill, what was measured, the figure, and
whether it is what issue 9 asks for)."""

import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.drill.stack import Stack

Row = tuple[str, str, str, bool]
CHECK_INS = 20


def check_in(stack: Stack, setup: dict[str, Any], value: int) -> tuple[int, Any]:
    status, body, _ = stack.request(
        "POST",
        f"/api/v1/workspaces/{setup['workspace']}/key-results/{setup['key_result']}/check-ins",
        {"value": value, "confidence": 2, "note": f"drill {value}"},
        token=setup["token"],
    )
    return status, (body or {}).get("id") if isinstance(body, dict) else None


def settle(stack: Stack, name: str, *, timeout: float) -> tuple[dict[str, Any], float]:
    """Wait until every delivery of the drill's workspace is delivered and its outbox is empty
    (each check-in makes two: low confidence, and a change to a watched key result)."""
    started = time.monotonic()
    while True:
        state = stack.probe("state", name)
        expected = 2 * len(state["checkins"])
        done = state["deliveries"].get("delivered", 0) >= expected and not state["outbox_left"]
        if done or time.monotonic() - started > timeout:
            return state, time.monotonic() - started
        time.sleep(5)


def delivery_rows(drill: str, stack: Stack, state: dict[str, Any], path: str) -> list[Row]:
    expected = 2 * len(state["checkins"])
    delivered = state["deliveries"].get("delivered", 0)
    seen = stack.receiver.seen_at(path)
    missing = [uuid for uuid in state["delivered"] if seen[uuid] == 0]
    repeats = sum(count - 1 for count in seen.values() if count > 1)
    return [
        (drill, "deliveries delivered", f"{delivered} of {expected}", delivered == expected),
        (
            drill,
            "delivered ids received once or more",
            f"{len(state['delivered']) - len(missing)} of {len(state['delivered'])}"
            f" ({repeats} repeats)",
            not missing and delivered == expected,
        ),
        (drill, "outbox entries left", str(state["outbox_left"]), state["outbox_left"] == 0),
    ]


def lock(stack: Stack) -> list[Row]:
    """SQLite held with BEGIN EXCLUSIVE for 60 s while deliveries are pending."""
    setup = stack.probe("setup", "lock", stack.receiver.url + "/lock")
    stack.receiver.delays["/hook/lock"] = (
        0.5  # so most deliveries are still pending when the lock comes
    )
    for value in range(CHECK_INS):
        check_in(stack, setup, value)
    holder = stack.hold_lock(seconds=60)
    received_at_lock = sum(stack.receiver.seen_at("/hook/lock").values())
    holder.wait(timeout=90)
    worker = stack.worker_state()
    stack.ensure_worker()  # so the figures below say what a dead worker left undone
    stack.receiver.delays["/hook/lock"] = 0
    state, took = settle(stack, "lock", timeout=120)
    return [
        (
            "lock 60 s",
            "deliveries pending when locked",
            f"{2 * CHECK_INS - received_at_lock} of {2 * CHECK_INS}",
            True,
        ),
        ("lock 60 s", "worker after the lock", worker, worker == "running"),
        *delivery_rows("lock 60 s", stack, state, "/hook/lock"),
        ("lock 60 s", "time to settle after unlock", f"{took:.0f} s", True),
    ]


def read_only(stack: Stack) -> list[Row]:
    """The data directory and its files made read-only for the server and the worker."""
    setup = stack.probe("setup", "readonly", stack.receiver.url + "/readonly")
    stack.read_only(True)
    try:
        time.sleep(3)
        health = stack.get("/healthz")
        ready = stack.get("/readyz")
        page = stack.get("/login/")
        write, _ = check_in(stack, setup, 1)
    finally:
        stack.read_only(False)
    started = time.monotonic()
    while time.monotonic() - started < 120:
        if stack.get("/readyz")[0] == 200:
            break
        time.sleep(2)
    recovered = stack.get("/readyz")[0]
    write_after, _ = check_in(stack, setup, 2)
    worker = stack.worker_state()
    stack.ensure_worker()
    return [
        ("read-only dir", "/healthz while read-only", str(health[0]), True),
        (
            "read-only dir",
            "/readyz while read-only",
            f"{ready[0]} {ready[1] if ready[1] else ''}".strip(),
            ready[0] == 503,
        ),
        ("read-only dir", "login page while read-only", str(page[0]), page[0] != 0),
        ("read-only dir", "API write while read-only", str(write), 500 <= write < 600),
        (
            "read-only dir",
            "/readyz, API write after recovery",
            f"{recovered}, {write_after} ({time.monotonic() - started:.0f} s)",
            recovered == 200 and write_after == 201,
        ),
        ("read-only dir", "worker", worker, worker == "running"),
    ]


def kill_worker(stack: Stack) -> list[Row]:
    """kill -9 of `tandem worker` in the middle of deliveries, then a new worker."""
    setup = stack.probe("setup", "killworker", stack.receiver.url + "/killworker")
    stack.ensure_worker()
    stack.receiver.delays["/hook/killworker"] = 1.0  # a delivery is in flight when the kill comes
    for value in range(CHECK_INS):
        check_in(stack, setup, value)
    deadline = time.monotonic() + 60
    while not stack.receiver.seen_at("/hook/killworker") and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(0.5)
    stack.kill_worker()
    stack.receiver.delays["/hook/killworker"] = 0
    stack.start_worker()
    state, took = settle(stack, "killworker", timeout=240)
    running = state["tasks"].get("RUNNING", 0)
    return [
        *delivery_rows("kill -9 worker", stack, state, "/hook/killworker"),
        ("kill -9 worker", "tasks left RUNNING", str(running), running == 0),
        ("kill -9 worker", "time to settle after restart", f"{took:.0f} s", True),
    ]


def kill_app_worker(stack: Stack) -> list[Row]:
    """kill -9 of one gunicorn worker while requests keep coming."""
    setup = stack.probe("setup", "killapp", stack.receiver.url + "/killapp")
    path = f"/api/v1/workspaces/{setup['workspace']}/initiatives"
    statuses: Counter[int] = Counter()
    stop = threading.Event()

    def client() -> None:
        while not stop.is_set():
            status, _, _ = stack.request("GET", path, token=setup["token"], timeout=30)
            statuses[status] += 1

    threads = [threading.Thread(target=client) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    victim = stack.app_workers()[0]
    os.kill(victim, signal.SIGKILL)
    time.sleep(7)
    stop.set()
    for thread in threads:
        thread.join()
    after = stack.get("/healthz")[0]
    ok = sum(n for status, n in statuses.items() if 200 <= status < 300)
    failed = sum(statuses.values()) - ok
    return [
        (
            "kill -9 app worker",
            "requests answered 2xx / not",
            f"{ok} / {failed}",
            ok > 0 and failed <= 3,
        ),
        ("kill -9 app worker", "server answers afterwards", str(after), after == 200),
        (
            "kill -9 app worker",
            "app workers after respawn",
            str(len(stack.app_workers())),
            len(stack.app_workers()) == 2,
        ),
    ]


def terminate(stack: Stack, terminate_all: Callable[[], int], *, writes: int) -> list[Row]:
    """`writes` API check-ins while every connection of the instance is killed 6 times."""
    setup = stack.probe("setup", "terminate", stack.receiver.url + "/terminate")
    answers: list[tuple[int, Any]] = []
    lock = threading.Lock()
    counter = iter(range(writes))

    def writer() -> None:
        for value in counter:
            result = check_in(stack, setup, value)
            with lock:
                answers.append(result)

    killed = []

    def terminator() -> None:
        for round_ in range(1, 7):
            while len(answers) < round_ * writes // 7 and len(answers) < writes:
                time.sleep(0.05)
            killed.append(terminate_all())

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=5) as pool:
        futures = [pool.submit(writer) for _ in range(4)] + [pool.submit(terminator)]
        for future in futures:
            future.result()
    took = time.monotonic() - started
    state, settled = settle(stack, "terminate", timeout=300)
    statuses = Counter(status for status, _ in answers)
    ok_ids = {id_ for status, id_ in answers if 200 <= status < 300}
    in_db = set(state["checkins"])
    lost = ok_ids - in_db
    ok = sum(n for s, n in statuses.items() if 200 <= s < 300)
    server_errors = sum(n for s, n in statuses.items() if s >= 500)
    other = writes - ok - server_errors
    notified = state["notifications"]
    return [
        (
            "pg terminate x6",
            f"{writes} writes: 2xx / 5xx / other",
            f"{ok} / {server_errors} / {other} in {took:.0f} s",
            ok + server_errors == writes,
        ),
        ("pg terminate x6", "connections killed per round", " ".join(map(str, killed)), True),
        ("pg terminate x6", "2xx writes missing from the database", str(len(lost)), not lost),
        (
            "pg terminate x6",
            "check-ins stored / notifications",
            f"{len(in_db)} / {notified}",
            notified == len(in_db),
        ),
        *delivery_rows("pg terminate x6", stack, state, "/hook/terminate"),
        ("pg terminate x6", "time to settle", f"{settled:.0f} s", True),
    ]


def concurrency(stack: Stack, label: str) -> list[Row]:
    """50 PATCHes with one If-Match at once; 5 POSTs with one Idempotency-Key at once."""
    setup = stack.probe("setup", f"concurrency-{label}", stack.receiver.url + "/concurrency")
    path = f"/api/v1/workspaces/{setup['workspace']}/initiatives/{setup['initiative']}"
    _, _, headers = stack.request("GET", path, token=setup["token"])
    etag = headers.get("ETag", "")

    def patch(index: int) -> tuple[int, str]:
        status, _, _ = stack.request(
            "PATCH",
            path,
            {"title": f"Drill title {index}"},
            token=setup["token"],
            headers={"If-Match": etag} if etag else {},
        )
        return status, f"Drill title {index}"

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(patch, range(50)))
    statuses = Counter(status for status, _ in results)
    winners = [title for status, title in results if status == 200]
    _, final, _ = stack.request("GET", path, token=setup["token"])
    kept = len(winners) == 1 and isinstance(final, dict) and final.get("title") == winners[0]

    before = len(stack.probe("state", f"concurrency-{label}")["checkins"])
    key = f"drill-{label}-{time.time_ns()}"

    def post(_: int) -> int:
        status, _, _ = stack.request(
            "POST",
            f"/api/v1/workspaces/{setup['workspace']}/key-results/{setup['key_result']}/check-ins",
            {"value": 7, "confidence": 8},
            token=setup["token"],
            headers={"Idempotency-Key": key},
        )
        return status

    with ThreadPoolExecutor(max_workers=5) as pool:
        posts = Counter(pool.map(post, range(5)))
    created = len(stack.probe("state", f"concurrency-{label}")["checkins"]) - before
    return [
        (
            f"concurrency {label}",
            "50 PATCHes, one If-Match: 200 / 412 / other",
            f"{statuses[200]} / {statuses[412]} / {50 - statuses[200] - statuses[412]}"
            + ("" if etag else " (no ETag)"),
            statuses[200] == 1 and statuses[412] == 49,
        ),
        (f"concurrency {label}", "no update lost", "yes" if kept else "no", kept),
        (
            f"concurrency {label}",
            "5 POSTs, one Idempotency-Key: statuses → objects",
            f"{dict(sorted(posts.items()))} → {created}",
            created == 1,
        ),
    ]
