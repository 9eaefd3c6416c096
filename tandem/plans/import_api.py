"""Imports over HTTP: the file is the request body; a dry run is the preview."""

from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from pydantic import StringConstraints

from tandem.accounts.access import require_role
from tandem.accounts.models import Role
from tandem.core.api import ERRORS, member
from tandem.plans.api import PlanRefused
from tandem.plans.importers import FORMATS, TEMPLATES
from tandem.plans.importers.spreadsheets import template
from tandem.plans.importing import ImportInvalid, import_file, import_options

router = Router(tags=["imports"])
FormatName = Literal[
    "csv-okrs",
    "xlsx-okrs",
    "csv-initiatives",
    "xlsx-initiatives",
    "jira-csv",
    "jira-json",
    "linear-csv",
    "github-project",
]
assert set(FormatName.__args__) == set(FORMATS)  # type: ignore[attr-defined]  # a Literal's members, read at run time
PAIR = r"^[^=]{1,200}=[^=]{0,200}$"
Pair = Annotated[str, StringConstraints(pattern=PAIR, max_length=401)]
FILE_TYPES = ("text/csv", "application/json", "application/octet-stream")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportParams(Schema):
    format: FormatName = Field(description="The file's format: see docs/importing.md.")
    dry_run: bool = Field(True, description="Preview only: nothing is written.")
    roadmap: str = Field(
        "",
        max_length=120,
        description="The roadmap new initiatives go on (its name); default: the first by name.",
    )
    team: list[Pair] = Field(
        [],
        max_length=500,
        description="LABEL=TEAM, repeatable: a component, label or team named in the file "
        "as the name of a team here (TEAM empty: no team).",
    )
    column: list[Pair] = Field(
        [],
        max_length=500,
        description="COLUMN=TEMPLATE_COLUMN, repeatable: a column of the file the template "
        "does not know, read as a template column (or `ignore`).",
    )
    reason: str = Field("", max_length=500, description="Why, recorded with every change.")
    file_name: str = Field("", max_length=200, description="The file's name, for the record.")


class PreviewRowOut(Schema):
    line: int = Field(description="The row (tables) or line (JSON) of the file.")
    kind: str
    label: str
    action: str = Field(description="created, changed or unchanged.")
    fields: list[str] = Field(description="The fields it sets (created) or changes (changed).")


class ImportOut(Schema):
    applied: bool
    unit: str = Field(description="How `line` counts: row or line.")
    summary: str
    counts: dict[str, int]
    rows: list[PreviewRowOut]
    skipped: list[str] = Field(description="What the file held that was left out, and why.")
    mappable: dict[str, list[str]] = Field(
        description="Values the caller may map: teams (labels, components...) and columns."
    )
    conflicts_opened: list[str]
    conflicts_closed: list[str]


def _pairs(values: list[str]) -> dict[str, str]:
    return {name.strip(): value.strip() for name, _, value in (v.partition("=") for v in values)}


@router.post(
    "workspaces/{workspace}/imports",
    response={200: ImportOut, **ERRORS},
    summary="Import a file from another tool (or preview it)",
    description=(
        "The body is the file as exported (CSV, XLSX or JSON, per `format`). With "
        "`dry_run=true` (the default) nothing is written and the answer lists, per row, what "
        "would be created, changed or left unchanged. A file with an error is a 422 naming "
        "each row (or line) and column, and nothing is written. See docs/importing.md."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                **{media: {"schema": {"type": "string"}} for media in FILE_TYPES},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
def import_run(request: HttpRequest, workspace: str, params: Query[ImportParams]) -> dict[str, Any]:
    by = member(request, workspace)
    require_role(by, Role.EDITOR)
    teams, columns = _pairs(params.team), _pairs(params.column)
    try:
        found = import_file(
            format_name=params.format,
            data=request.body,
            by=by,
            dry_run=params.dry_run,
            options=import_options(
                by, params.format, roadmap=params.roadmap, teams=teams, columns=columns
            ),
            file_name=params.file_name,
            reason=params.reason,
        )
    except ImportInvalid as error:
        raise PlanRefused(error, "file") from None
    result = found.result
    return {
        "applied": result.applied,
        "unit": found.fragment.unit,
        "summary": result.diff.summary(),
        "counts": {a: found.count(a) for a in ("created", "changed", "unchanged")},
        "rows": [
            {
                "line": r.line,
                "kind": r.kind,
                "label": r.label,
                "action": r.action,
                "fields": list(r.fields),
            }
            for r in found.rows
        ],
        "skipped": found.fragment.skipped,
        "mappable": found.fragment.mappable,
        "conflicts_opened": result.opened,
        "conflicts_closed": result.closed,
    }


@router.get(
    "import-template",
    response={200: dict[str, Any], **ERRORS},
    summary="A spreadsheet template to fill in and import",
    description="`okrs` (objectives with key results) or `initiatives`, as CSV or XLSX.",
    auth=None,
    openapi_extra={
        "responses": {
            200: {
                "description": "The template.",
                "content": {"text/csv": {"schema": {"type": "string"}}, XLSX: {}},
            }
        }
    },
)
def import_template(
    request: HttpRequest,
    kind: Literal["okrs", "initiatives"] = "okrs",
    file_format: Literal["csv", "xlsx"] = "csv",
) -> HttpResponse:
    assert kind in TEMPLATES
    body, media = template(kind, file_format)
    response = HttpResponse(body, content_type=media)
    response["Content-Disposition"] = f'attachment; filename="tandem-{kind}.{file_format}"'
    return response
