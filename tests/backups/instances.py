"""Tandem instances run as an operator runs them: the `tandem` script with a data directory
of its own, on SQLite or on a PostgreSQL database created for it and dropped afterwards.
Used by the backup tests and by `make drill`."""

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

TANDEM = str(Path(sys.executable).with_name("tandem"))
# The suite's PostgreSQL server when it runs on SQLite (CI has both).
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def postgres_server() -> str:
    url = os.environ.get("TANDEM_DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else POSTGRES_SERVER


def postgres_reachable() -> bool:
    import psycopg

    try:
        psycopg.connect(postgres_server(), connect_timeout=5).close()
    except psycopg.OperationalError:
        return False
    return True


@contextmanager
def throwaway_postgres(prefix: str = "tandem_throwaway") -> Iterator[str]:
    """A new database on the PostgreSQL server, with a name no one else uses; dropped after."""
    import psycopg
    from psycopg import sql

    server = postgres_server()
    name = f"{prefix}_{secrets.token_hex(6)}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@dataclass(frozen=True)
class Instance:
    data_dir: Path
    database_url: str | None = None

    @property
    def vendor(self) -> str:
        return "postgresql" if self.database_url else "sqlite"

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TANDEM_")}
        env["TANDEM_DATA_DIR"] = str(self.data_dir)
        if self.database_url:
            env["TANDEM_DATABASE_URL"] = self.database_url
        return env

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [TANDEM, *args], env=self.env, capture_output=True, text=True, timeout=300
        )
        if check and result.returncode != 0:
            raise AssertionError(f"tandem {' '.join(args)} failed:\n{result.stderr}")
        return result

    def checksums(self) -> dict[str, list[object]]:
        return json.loads(self.run("checksum", "--json").stdout)


@contextmanager
def new_instance(data_dir: Path, vendor: str) -> Iterator[Instance]:
    """A migrated, empty instance on SQLite or on a throwaway PostgreSQL database."""
    if vendor == "sqlite":
        instance = Instance(data_dir)
        instance.run("migrate", "--no-input", "--verbosity", "0")
        yield instance
        return
    with throwaway_postgres() as url:
        instance = Instance(data_dir, url)
        instance.run("migrate", "--no-input", "--verbosity", "0")
        yield instance


def suite_vendor() -> str:
    url = os.environ.get("TANDEM_DATABASE_URL", "")
    return "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
