from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from tandem.backups.files import BackupError, size
from tandem.backups.moving import dump


class Command(BaseCommand):
    help = (
        "Write the whole instance to FILE as database-neutral JSON Lines (gzipped when FILE "
        "ends in .gz), to move it between SQLite and PostgreSQL with `tandem load`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="where to write the dump, e.g. tandem.jsonl.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["file"]
        try:
            rows = dump(target=target)
        except (BackupError, OSError) as error:
            raise CommandError(f"dump to {target} failed: {error}") from None
        self.stdout.write(
            f"Dumped {sum(rows.values())} rows of {len(rows)} tables from "
            f"{connection.display_name} to {target} ({size(target)})"
        )
