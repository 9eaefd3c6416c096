"""`tandem search reindex [WORKSPACE]`: rebuild the search index from the plan (after a bulk
import that bypassed the services, say)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.accounts.models import Workspace
from tandem.search.index import reindex


class Command(BaseCommand):
    help = "Rebuild the search index of one workspace (by slug) or of all."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        rebuild = actions.add_parser("reindex", help=self.help)
        rebuild.add_argument("workspace", nargs="?", help="a workspace slug; all when omitted")

    def handle(self, *args: Any, **options: Any) -> None:
        workspaces = Workspace.objects.order_by("pk")
        if options["workspace"]:
            workspaces = workspaces.filter(slug=options["workspace"])
            if not workspaces.exists():
                raise CommandError(f"No workspace {options['workspace']!r}.")
        for workspace in workspaces:
            count = reindex(workspace_id=workspace.pk)
            self.stdout.write(f"{workspace.slug}: {count} entries")
