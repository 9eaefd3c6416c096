"""The plan as code over HTTP: read it (YAML or JSON), dry-run or apply a file, and the
JSON Schema of the file."""

import datetime
import decimal
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.errors import HttpError

from tandem.accounts.access import require_role
from tandem.accounts.models import Role
from tandem.core.api import ERRORS, member
from tandem.domain.planfile import PlanInvalid, read_plan, write_plan
from tandem.plans import yamlio
from tandem.plans.applying import apply_plan
from tandem.plans.exporting import export_plan
from tandem.plans.schema import plan_json_schema

router = Router(tags=["plan"])
WS = "workspaces/{workspace}"
YAML = "application/yaml"
PLAN_RESPONSES = {
    "content": {
        YAML: {"schema": {"type": "string"}},
        "application/json": {"schema": plan_json_schema()},
    }
}

# The same file as read back: the YAML is the JSON's structure with YAML's own dates and
# numbers, which a JSON Schema of strings cannot describe, so only its media type is given.
PLAN_FILES = {"content": {YAML: {}, "application/json": {"schema": plan_json_schema()}}}


def _json(value: object) -> object:
    if isinstance(value, decimal.Decimal):
        return float(value) if value % 1 else int(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and YAML not in accept


@router.get(
    f"{WS}/plan",
    response={200: dict[str, Any], **ERRORS},
    summary="The workspace's plan file",
    description="YAML by default; JSON with `Accept: application/json`. See docs/plan-format.md.",
    openapi_extra={"responses": {200: {"description": "The plan.", **PLAN_FILES}}},
)
def plan_read(request: HttpRequest, workspace: str) -> HttpResponse:
    by = member(request, workspace)
    document = write_plan(export_plan(by.workspace)[0])
    if _wants_json(request):
        body = json.dumps(yamlio.typed(document), default=_json, ensure_ascii=False)
        return HttpResponse(body, content_type="application/json")
    return HttpResponse(yamlio.dump(document), content_type=f"{YAML}; charset=utf-8")


@router.post(
    f"{WS}/plan",
    response={200: dict[str, Any], **ERRORS},
    summary="Apply a plan file (or dry-run it)",
    description=(
        "The body is a plan file, YAML (`Content-Type: application/yaml`) or JSON. With "
        "`dry_run=true` nothing is written; the answer says what would be created, changed "
        "and archived and which conflicts would open and close. A file with an error is a "
        "422 naming each line and field, and nothing is written."
    ),
    openapi_extra={
        "requestBody": {"required": True, **PLAN_RESPONSES},
    },
)
def plan_apply(
    request: HttpRequest, workspace: str, dry_run: bool = True, reason: str = ""
) -> dict[str, Any]:
    by = member(request, workspace)
    require_role(by, Role.EDITOR)
    if len(reason) > 500:
        raise HttpError(422, "The reason is at most 500 characters.")
    try:
        document = yamlio.load(request.body)
        wanted, locations = read_plan(document)
        result = apply_plan(
            wanted=wanted, locations=locations, by=by, reason=reason, dry_run=dry_run
        )
    except PlanInvalid as error:
        raise PlanRefused(error) from None
    return {
        "applied": result.applied,
        "summary": result.diff.summary(),
        "diff": result.diff.text(),
        "counts": {a: result.diff.count(a) for a in ("created", "changed", "archived", "removed")},
        "conflicts_opened": result.opened,
        "conflicts_closed": result.closed,
    }


class PlanRefused(Exception):
    def __init__(self, error: PlanInvalid, what: str = "plan file") -> None:
        self.error, self.what = error, what


def invalid_plan(request: HttpRequest, exc: "PlanRefused", api: Any) -> HttpResponse:
    errors = [
        {"field": f"{e.unit} {e.line}: {e.where}", "message": e.message} for e in exc.error.errors
    ]
    return api.create_response(  # type: ignore[no-any-return]
        request,
        {"detail": f"The {exc.what} is not valid; nothing was written.", "errors": errors},
        status=422,
    )


@router.get(
    "plan-schema",
    response={200: dict[str, Any]},
    summary="The JSON Schema of a plan file",
    auth=None,
)
def plan_schema(request: HttpRequest) -> dict[str, Any]:
    return plan_json_schema()
