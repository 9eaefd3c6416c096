import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from tandem.backups import postgres, sqlite
from tandem.backups.files import BackupError, Kind, kind_of, refusal
from tandem.backups.moving import applied_migrations


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by `tandem backup`, in one step: "
        "a failed restore changes nothing. Stop the servers and workers first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a file written by tandem backup")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["file"]
        database = settings.DATABASES["default"]
        vendor = connection.display_name
        try:
            found = kind_of(source)
            if found is not (Kind.SQLITE if connection.vendor == "sqlite" else Kind.POSTGRES):
                raise refusal(source, found, vendor)
            if options["interactive"] and sys.stdin.isatty():
                answer = input(f"Replace everything in the {vendor} database with {source}? [y/N] ")
                if answer.strip().lower() not in {"y", "yes"}:
                    raise CommandError("restore cancelled, nothing changed")
            live = applied_migrations("default")
            # Our own connection must not hold the database while it is replaced.
            connection.close()
            if connection.vendor == "sqlite":
                predates = sqlite.restore(backup_file=source, database=Path(str(database["NAME"])))
            else:
                predates = postgres.restore(backup_file=source, database=database, live=live)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored the {vendor} database from {source}")
        if predates:
            self.stdout.write(
                f"The backup predates {len(predates)} migrations of this Tandem: run tandem migrate"
            )
