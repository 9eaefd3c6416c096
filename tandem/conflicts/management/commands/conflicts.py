import datetime
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.accounts.models import Workspace
from tandem.conflicts.detection import conflicts_as_of, conflicts_detect


class Command(BaseCommand):
    help = (
        "Conflict detection. `conflicts detect [--workspace SLUG]` re-runs every rule; "
        "`--as-of DATE` lists the conflicts as the plan stood that day, storing nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        detect = actions.add_parser("detect", help="Detect conflicts now.")
        detect.add_argument("--workspace", help="A workspace slug; all workspaces if absent.")
        detect.add_argument(
            "--as-of",
            type=_past_date,
            help="YYYY-MM-DD: list the conflicts as they stood that day (stores nothing).",
        )

    def handle(self, *args: object, **options: object) -> None:
        workspaces = Workspace.objects.order_by("slug")
        if options["workspace"]:
            workspaces = workspaces.filter(slug=options["workspace"])
            if not workspaces:
                raise CommandError(f"--workspace: no workspace {options['workspace']!r}")
        day = options["as_of"]
        for workspace in workspaces:
            if isinstance(day, datetime.date):
                found = conflicts_as_of(workspace=workspace, day=day)
                self.stdout.write(f"{workspace.slug} as of {day}: {len(found)} conflicts")
                for conflict in found:
                    self.stdout.write(f"  [{conflict.severity}] {conflict.sentence}")
                continue
            started = time.perf_counter()
            result = conflicts_detect(workspace=workspace)
            self.stdout.write(
                f"{workspace.slug}: {len(result.opened)} opened, {len(result.reopened)} reopened, "
                f"{len(result.closed)} closed, {result.refreshed} still open "
                f"({(time.perf_counter() - started) * 1000:.0f} ms)"
            )


def _past_date(text: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of: {text!r} is not a date such as 2026-11-01") from None
    if day > datetime.date.today():
        raise CommandError("--as-of: a look back takes a date up to today")
    return day
