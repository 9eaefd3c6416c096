from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from tandem.backups import postgres, sqlite
from tandem.backups.files import BackupError, size


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database to FILE, also while Tandem serves: "
        "SQLite's online backup, or pg_dump's custom format on PostgreSQL. "
        "`tandem restore FILE` puts it back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="where to write the backup")

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["file"]
        database = settings.DATABASES["default"]
        try:
            if connection.vendor == "sqlite":
                sqlite.backup(database=Path(str(database["NAME"])), target=target)
            else:
                postgres.backup(database=database, target=target)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up the {connection.display_name} database to {target} ({size(target)})"
        )
