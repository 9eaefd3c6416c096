from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from tandem.backups.files import BackupError
from tandem.backups.moving import load


class Command(BaseCommand):
    help = (
        "Load a dump written by `tandem dump` into this database, which must be new and "
        "migrated (`tandem migrate`) and empty; all of it or nothing, checked table by table."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a file written by tandem dump")

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["file"]
        try:
            rows = load(source=source)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Loaded {rows} rows from {source} into {connection.display_name}; "
            "every table's checksum matches the dump"
        )
