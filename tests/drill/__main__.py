"""Run with `make drill` (not part of `make test`; about ten minutes). Starts a Tandem of its
own (a temporary data directory, its SQLite file, and a PostgreSQL database it creates and
drops), with `tandem serve`, `tandem worker` and a webhook receiver on 127.0.0.1, does harm
to it and prints what held. Only ever touches what it created.

    python -m tests.drill [--only lock,readonly,killworker,killapp,concurrency,terminate]
                          [--writes 2000]
"""

import argparse
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.backups.instances import postgres_reachable, postgres_server, throwaway_postgres
from tests.drill import drills
from tests.drill.stack import Receiver, Stack

SQLITE_DRILLS = ["lock", "readonly", "killworker", "killapp", "concurrency"]
POSTGRES_DRILLS = ["terminate", "concurrency"]


def main() -> int:
    parser = argparse.ArgumentParser(prog="make drill")
    parser.add_argument("--only", default="", help="comma-separated drill names")
    parser.add_argument("--writes", type=int, default=2000, help="API writes of the PG drill")
    parser.add_argument("--keep", action="store_true", help="keep the logs and data dirs")
    options = parser.parse_args()
    wanted = set(filter(None, options.only.split(","))) or set(SQLITE_DRILLS + POSTGRES_DRILLS)
    receiver = Receiver()
    root = Path(tempfile.mkdtemp(prefix="tandem-drill-"))
    started = time.monotonic()
    try:
        # The two instances run side by side: much of each drill is waiting for recovery.
        with ThreadPoolExecutor(max_workers=2) as pool:
            sqlite = pool.submit(_sqlite, root, receiver, wanted)
            postgres = pool.submit(_postgres, root, receiver, wanted, options.writes)
            rows = sqlite.result() + postgres.result()
    finally:
        receiver.close()
        if options.keep:
            print(f"drill: logs and data kept in {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    _print(rows, time.monotonic() - started)
    return 0 if all(ok for *_, ok in rows) else 1


def _sqlite(root: Path, receiver: Receiver, wanted: set[str]) -> list[drills.Row]:
    names = [name for name in SQLITE_DRILLS if name in wanted]
    return _on(Stack(root / "sqlite", None, receiver), names, 0) if names else []


def _postgres(root: Path, receiver: Receiver, wanted: set[str], writes: int) -> list[drills.Row]:
    names = [name for name in POSTGRES_DRILLS if name in wanted]
    if not names:
        return []
    if not postgres_reachable():
        return [("postgresql", "server at 127.0.0.1:5432", "unreachable", False)]
    with throwaway_postgres("tandem_drill") as url:
        return _on(Stack(root / "postgres", url, receiver), names, writes)


def _on(stack: Stack, names: list[str], writes: int) -> list[drills.Row]:
    database = "PostgreSQL" if stack.database_url else "SQLite"
    runs: dict[str, Callable[[], list[drills.Row]]] = {
        "lock": lambda: drills.lock(stack),
        "readonly": lambda: drills.read_only(stack),
        "killworker": lambda: drills.kill_worker(stack),
        "killapp": lambda: drills.kill_app_worker(stack),
        "concurrency": lambda: drills.concurrency(stack, database.lower()),
        "terminate": lambda: drills.terminate(stack, _terminator(stack), writes=writes),
    }
    rows: list[drills.Row] = []
    try:
        stack.tandem("migrate", "--no-input", "--verbosity", "0")
        stack.start_server(workers=2)
        stack.start_worker()
        for name in names:
            print(f"drill: {name} on {database}...", file=sys.stderr, flush=True)
            try:
                rows += runs[name]()
            except Exception as error:
                traceback.print_exc()
                rows.append((name, f"{database}: the drill itself failed", repr(error)[:80], False))
    finally:
        stack.stop()
    return rows


def _terminator(stack: Stack) -> Callable[[], int]:
    """Kills every connection to the drill's own database, and only those."""
    import psycopg

    assert stack.database_url is not None
    name = stack.database_url.rsplit("/", 1)[1]

    def terminate_all() -> int:
        with psycopg.connect(postgres_server(), autocommit=True) as admin:
            rows = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            ).fetchall()
        return sum(1 for (done,) in rows if done)

    return terminate_all


def _print(rows: list[drills.Row], took: float) -> None:
    widths = [max(len(str(row[i])) for row in rows) if rows else 0 for i in range(3)]
    print()
    for drill, what, figure, ok in rows:
        print(
            f"{drill:<{widths[0]}}  {what:<{widths[1]}}  {figure:<{widths[2]}}  "
            f"{'ok' if ok else 'FAIL'}"
        )
    failed = sum(1 for *_, ok in rows if not ok)
    print(f"\n{len(rows) - failed} of {len(rows)} figures as issue 9 asks; drill took {took:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
