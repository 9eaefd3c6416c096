"""Importing a file from another tool: read it (tandem.plans.importers), merge its rows into
the workspace's plan (tandem.domain.importing) and apply that like a plan file, in one
transaction through the same services. A dry run is the preview; nothing is written
unless every row can be."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from tandem.accounts.access import require_role
from tandem.accounts.models import Member, Role
from tandem.domain.importing import Fragment, PreviewRow, merge_import, preview_rows
from tandem.domain.planfile import PlanError, PlanInvalid
from tandem.plans.applying import ApplyResult, apply_plan
from tandem.plans.importers import FORMATS, Options, read
from tandem.roadmaps.models import Roadmap
from tandem.strategy.models import Team


class ImportInvalid(PlanInvalid):
    """The file's errors, with what it could read of it (what the person may map)."""

    def __init__(self, errors: list[PlanError], fragment: Fragment | None = None) -> None:
        super().__init__(errors)
        self.fragment = fragment


@dataclass
class ImportResult:
    fragment: Fragment
    result: ApplyResult
    rows: list[PreviewRow] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    def text(self) -> str:
        lines = [
            f"{self.fragment.unit} {row.line}: {row.label}: {row.action}"
            + (f" ({', '.join(row.fields)})" if row.action == "changed" else "")
            for row in self.rows
        ]
        return "\n".join([*lines, *self.fragment.skipped, self.result.text()])


def import_options(
    by: Member,
    format_name: str,
    *,
    roadmap: str = "",
    teams: Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
) -> Options:
    team_names = tuple(
        Team.objects.filter(workspace=by.workspace, archived_at=None)
        .order_by("name")
        .values_list("name", flat=True)
    )
    if FORMATS[format_name].initiatives and not roadmap:
        first = Roadmap.objects.filter(workspace=by.workspace).order_by("name").first()
        if first is None:
            message = "This workspace has no roadmap yet: create one to import initiatives."
            raise ImportInvalid([PlanError(1, "roadmap", message)])
        roadmap = first.name
    return Options(roadmap=roadmap, team_names=team_names, teams=teams or {}, columns=columns or {})


def import_file(
    *,
    format_name: str,
    data: bytes,
    by: Member,
    dry_run: bool,
    options: Options,
    file_name: str = "",
    reason: str = "",
) -> ImportResult:
    """Preview (dry run) or carry out an import; ImportInvalid naming each row and column
    at fault, with nothing written, when any row cannot be imported."""
    require_role(by, Role.EDITOR)
    if format_name not in FORMATS:
        raise ImportInvalid([PlanError(1, "format", "Unknown format.")])
    try:
        fragment = read(format_name, data, options)
    except ImportInvalid:
        raise
    except PlanInvalid as error:
        raise ImportInvalid(error.errors) from None
    if fragment.errors:
        raise ImportInvalid(sorted(fragment.errors, key=lambda e: e.line)[:100], fragment)
    if not fragment.rows:
        what = "; ".join(fragment.skipped) or "The file has no rows."
        raise ImportInvalid([PlanError(1, "file", f"Nothing to import. {what}")], fragment)
    reason = reason.strip() or f"Imported {file_name or 'a file'} ({format_name})"
    try:
        result = apply_plan(
            wanted=fragment.hints(),
            locations={},
            by=by,
            reason=reason,
            dry_run=dry_run,
            merge=lambda current: merge_import(current, fragment),
            unit=fragment.unit,
        )
    except PlanInvalid as error:
        raise ImportInvalid(error.errors, fragment) from None
    changes = [(c.kind, c.key, c.action, tuple(c.fields)) for c in result.diff.changes]
    return ImportResult(fragment, result, preview_rows(fragment, changes))
