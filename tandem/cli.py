"""The `tandem` console script.

tandem serve [--host H] [--port N] [--workers N]   serve with gunicorn
tandem worker                                       run background work; outlasts database errors
tandem digest send [--period daily|weekly] [--now]  queue (or send) the email digests that are due
tandem demo [--reset]                               build the demo workspace
tandem createuser --email E [--password P]          add a user
tandem token create --email E [--scope read] [--workspace S] [--expires D]  print a new API token
tandem backup FILE / restore FILE                   back up the database, put a backup back
tandem dump FILE / load FILE                        move an instance between SQLite and PostgreSQL
tandem <django command> ...                         anything manage.py offers
"""

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    _setup_django()
    if args[:1] == ["serve"]:
        serve(args[1:])
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tandem", *args])


def _setup_django() -> None:
    from tandem.config import ConfigError

    try:
        import django

        django.setup()
    except ConfigError as error:
        print(f"tandem: configuration error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def serve(args: list[str]) -> None:
    from django.core.management import call_command
    from gunicorn.app.base import BaseApplication

    from tandem.config import env_int

    parser = argparse.ArgumentParser(prog="tandem serve", description="Serve Tandem with gunicorn.")
    parser.add_argument("--host", default=os.environ.get("TANDEM_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=env_int("TANDEM_PORT", 8000, minimum=1))
    parser.add_argument("--workers", type=int, default=env_int("TANDEM_WORKERS", 2, minimum=1))
    options = parser.parse_args(args)
    call_command("collectstatic", interactive=False, verbosity=0)
    # Imported only now: whitenoise indexes the static root when the app loads, so files
    # collected afterwards (a fresh data dir, a changed stylesheet) would be 404s.
    from tandem.wsgi import application

    class Server(BaseApplication):  # type: ignore[misc]  # gunicorn ships no types
        def load_config(self) -> None:
            self.cfg.set("bind", f"{options.host}:{options.port}")
            self.cfg.set("workers", options.workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 60)

        def load(self) -> object:
            return application

    print(f"Tandem is serving at http://{options.host}:{options.port}/", flush=True)
    Server().run()
