"""`tandem import FORMAT FILE --workspace WS [--dry-run] [--roadmap NAME]
[--team LABEL=TEAM ...] [--column COLUMN=TEMPLATE_COLUMN ...] [--as EMAIL] [--reason TEXT]`:
see docs/importing.md."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from tandem.accounts.models import Member, Role, Workspace
from tandem.plans.importers import FORMATS
from tandem.plans.importing import ImportInvalid, import_file, import_options


def _pairs(values: list[str], option: str) -> dict[str, str]:
    found = {}
    for value in values:
        name, sep, target = value.partition("=")
        if not sep or not name.strip():
            raise CommandError(f"{option} takes NAME=VALUE, not {value!r}.")
        found[name.strip()] = target.strip()
    return found


class Command(BaseCommand):
    help = "Import objectives, key results or initiatives from a file another tool exported."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("format", choices=sorted(FORMATS), help="The file's format.")
        parser.add_argument("file", help="The file to import.")
        parser.add_argument("--workspace", required=True, help="The workspace's slug.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change; write nothing."
        )
        parser.add_argument("--roadmap", default="", help="Roadmap for new initiatives (name).")
        parser.add_argument(
            "--team",
            action="append",
            default=[],
            metavar="LABEL=TEAM",
            help="A component, label or team of the file as a team here (TEAM empty: none).",
        )
        parser.add_argument(
            "--column",
            action="append",
            default=[],
            metavar="COLUMN=TEMPLATE_COLUMN",
            help="A column of the file read as a template column, or =ignore.",
        )
        parser.add_argument("--reason", default="", help="Why, recorded with every change.")
        parser.add_argument("--as", dest="email", help="The member importing (default: an owner).")

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"No workspace {options['workspace']!r}.")
        by = self._member(workspace, options.get("email"))
        path = options["file"]
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        try:
            found = import_file(
                format_name=options["format"],
                data=data,
                by=by,
                dry_run=options["dry_run"],
                options=import_options(
                    by,
                    options["format"],
                    roadmap=options["roadmap"],
                    teams=_pairs(options["team"], "--team"),
                    columns=_pairs(options["column"], "--column"),
                ),
                file_name=Path(path).name,
                reason=options["reason"],
            )
        except PermissionDenied as error:
            raise CommandError(f"{path}: nothing was written. {error}") from None
        except ImportInvalid as error:
            raise CommandError(
                f"{path}: nothing was written.\n" + "\n".join(f"{path}: {e}" for e in error.errors)
            ) from None
        self.stdout.write(found.text())

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
