"""`tandem plan export WORKSPACE [--cycle NAME] [--output FILE]` and
`tandem plan apply WORKSPACE FILE [--dry-run] [--reason TEXT] [--as EMAIL]`."""

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from tandem.accounts.models import Member, Role, Workspace
from tandem.domain.planfile import PlanInvalid
from tandem.domain.planfile_read import read_plan
from tandem.domain.planfile_write import write_plan
from tandem.okrs.models import Cycle
from tandem.plans import yamlio
from tandem.plans.applying import apply_plan
from tandem.plans.exporting import export_plan


class Command(BaseCommand):
    help = "Export a workspace's plan as YAML, or apply a plan file to a workspace."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Write the plan as YAML.")
        export.add_argument("workspace", help="The workspace's slug.")
        export.add_argument("--cycle", help="Only this cycle's OKRs and capacities (its name).")
        export.add_argument("--output", "-o", help="A file to write (default: standard output).")
        apply = actions.add_parser("apply", help="Apply a plan file (see docs/plan-format.md).")
        apply.add_argument("workspace", help="The workspace's slug.")
        apply.add_argument("file", help="The YAML plan file.")
        apply.add_argument(
            "--dry-run", action="store_true", help="Say what would change; write nothing."
        )
        apply.add_argument("--reason", default="", help="Why, recorded with every change.")
        apply.add_argument("--as", dest="email", help="The member applying it (default: an owner).")

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"No workspace {options['workspace']!r}.")
        if options["action"] == "export":
            cycle = None
            if options.get("cycle"):
                cycle = Cycle.objects.filter(workspace=workspace, name=options["cycle"]).first()
                if cycle is None:
                    raise CommandError(f"No cycle named {options['cycle']!r} in {workspace.slug}.")
            text = yamlio.dump(write_plan(export_plan(workspace, cycle=cycle)[0]))
            if options.get("output"):
                Path(options["output"]).write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
            return
        by = self._member(workspace, options.get("email"))
        try:
            data = Path(options["file"]).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}.") from None
        try:
            wanted, locations = read_plan(yamlio.load(data))
            result = apply_plan(
                wanted=wanted,
                locations=locations,
                by=by,
                reason=options["reason"],
                dry_run=options["dry_run"],
            )
        except PermissionDenied as error:
            raise CommandError(f"{options['file']}: nothing was written. {error}") from None
        except PlanInvalid as error:
            raise CommandError(
                f"{options['file']}: nothing was written.\n"
                + "\n".join(f"{options['file']}: {e}" for e in error.errors)
            ) from None
        self.stdout.write(result.text())

    def _member(self, workspace: Workspace, email: str | None) -> Member:
        members = Member.objects.filter(workspace=workspace).select_related("user", "workspace")
        found = (
            members.filter(user__email__iexact=email).first()
            if email
            else members.filter(role=Role.OWNER).order_by("id").first()
        )
        if found is None:
            raise CommandError(f"No member {email or 'owner'} in {workspace.slug}.")
        return found
