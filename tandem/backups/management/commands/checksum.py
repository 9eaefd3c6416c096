import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tandem.backups.checksum import as_json, table_checksums


class Command(BaseCommand):
    help = (
        "Print each table's row count and checksum. Two instances that print the same hold "
        "the same data, whether on SQLite or PostgreSQL (e.g. after tandem load or restore)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        sums = table_checksums()
        if options["json"]:
            self.stdout.write(json.dumps(as_json(sums), indent=1, sort_keys=True))
            return
        width = max(len(table) for table in sums)
        for table, entry in sums.items():
            self.stdout.write(f"{table:<{width}}  {entry.rows:>8}  {entry.sha256[:16]}")
