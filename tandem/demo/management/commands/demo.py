"""`tandem demo [--reset]`: build the demo workspace "Acme" and print the demo password.

Stdout carries only the password and a newline, so scripts can do `PW=$(tandem demo)`;
everything meant for people goes to stderr.
"""

import os
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from tandem.demo import content
from tandem.demo.builder import demo_password, ensure_demo


def _plain(text: str) -> str:
    # Django styles stderr as an error; this message is good news.
    return text


class Command(BaseCommand):
    help = "Build the demo workspace 'Acme' (unless it exists) and print the demo password."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the Acme workspace and build it again. Other workspaces are untouched.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = demo_password()
        workspace, built = ensure_demo(password=password, reset=options["reset"])
        state = "is ready" if built else "is already present, unchanged"
        # `make run PORT=N` passes the port on, so the address printed is the one served.
        address = f"http://127.0.0.1:{os.environ.get('TANDEM_PORT', '8000')}/"
        self.stderr.write(
            f"Demo workspace '{workspace.name}' {state}. Log in at {address} as "
            f"{content.DEMO_EMAIL} with the password: {password}",
            style_func=_plain,
        )
        self.stdout.write(password)
