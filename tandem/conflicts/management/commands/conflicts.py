import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.accounts.models import Workspace
from tandem.conflicts.detection import conflicts_detect


class Command(BaseCommand):
    help = "Conflict detection. `conflicts detect [--workspace SLUG]` re-runs every rule."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        detect = actions.add_parser("detect", help="Detect conflicts now.")
        detect.add_argument("--workspace", help="A workspace slug; all workspaces if absent.")

    def handle(self, *args: object, **options: object) -> None:
        workspaces = Workspace.objects.order_by("slug")
        if options["workspace"]:
            workspaces = workspaces.filter(slug=options["workspace"])
            if not workspaces:
                raise CommandError(f"--workspace: no workspace {options['workspace']!r}")
        for workspace in workspaces:
            started = time.perf_counter()
            result = conflicts_detect(workspace=workspace)
            self.stdout.write(
                f"{workspace.slug}: {len(result.opened)} opened, {len(result.reopened)} reopened, "
                f"{len(result.closed)} closed, {result.refreshed} still open "
                f"({(time.perf_counter() - started) * 1000:.0f} ms)"
            )
