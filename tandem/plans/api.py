"""The plan as code over HTTP: read it (YAML or JSON), dry-run or apply a file, and the
JSON Schema of the file."""

import datetime
import decimal
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from tandem.accounts.access import require_role
from tandem.accounts.models import Role
from tandem.core.api import ERRORS, Id, get_or_404, member
from tandem.domain.planfile import PlanInvalid
from tandem.domain.planfile_read import read_plan
from tandem.domain.planfile_write import write_plan
from tandem.plans import runs, yamlio
from tandem.plans.applying import apply_plan
from tandem.plans.exporting import export_plan
from tandem.plans.models import PlanRun
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


class PlanRunError(Schema):
    line: int | None
    where: str
    message: str


class PlanRunOut(Schema):
    id: int
    state: str = Field(description="queued, running, done or failed.")
    step: int
    steps: int
    step_label: str
    status_url: str
    summary: str
    counts: dict[str, int]
    diff: str
    errors: list[PlanRunError]
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


def _run_url(request: HttpRequest, run: PlanRun) -> str:
    return request.build_absolute_uri(
        reverse("api:plan_run_read", kwargs={"workspace": run.workspace.slug, "run_id": run.pk})
    )


def _run_out(request: HttpRequest, run: PlanRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "state": run.state,
        "step": run.step,
        "steps": run.steps,
        "step_label": run.step_label,
        "status_url": _run_url(request, run),
        "summary": run.summary,
        "counts": run.counts,
        "diff": run.diff,
        "errors": [
            {"line": e.get("line"), "where": e.get("where", ""), "message": e["message"]}
            for e in run.errors
        ],
        "created_at": run.created_at,
        "finished_at": run.finished_at,
    }


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
    response={200: dict[str, Any], 202: PlanRunOut, **ERRORS},
    summary="Apply a plan file (or dry-run it)",
    description=(
        "The body is a plan file, YAML (`Content-Type: application/yaml`) or JSON. With "
        "`dry_run=true` nothing is written; the answer says what would be created, changed "
        "and archived and which conflicts would open and close. A file with an error is a "
        "422 naming each line and field, and nothing is written. An apply of a file over "
        f"{runs.QUEUE_FROM_BYTES:,} bytes runs on the task queue: the answer is a 202 whose "
        "`Location` (and `status_url`) tells how far it got, then what it did or why it "
        "failed (a failed apply writes nothing)."
    ),
    openapi_extra={
        "requestBody": {"required": True, **PLAN_RESPONSES},
    },
)
def plan_apply(
    request: HttpRequest,
    response: HttpResponse,
    workspace: str,
    dry_run: bool = True,
    reason: str = "",
) -> Any:
    by = member(request, workspace)
    require_role(by, Role.EDITOR)
    if len(reason) > 500:
        raise HttpError(422, "The reason is at most 500 characters.")
    if not dry_run and len(request.body) > runs.QUEUE_FROM_BYTES:
        try:
            run = runs.plan_run_queue(by=by, document=request.body, reason=reason)
        except PlanInvalid as error:
            raise PlanRefused(error) from None
        response["Location"] = _run_url(request, run)
        return Status(202, _run_out(request, run))
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


@router.get(
    f"{WS}/plan/runs/{{run_id}}",
    response={200: PlanRunOut, **ERRORS},
    summary="How far a queued plan apply got",
    url_name="plan_run_read",
)
def plan_run_read(request: HttpRequest, workspace: str, run_id: Id) -> dict[str, Any]:
    """Poll it until `state` is done (with the summary, counts and the start of the diff)
    or failed (with the errors, each naming the file's line and field; nothing written)."""
    by = member(request, workspace)
    return _run_out(request, get_or_404(PlanRun.objects.select_related("workspace"), by, run_id))


class PlanRefused(Exception):
    def __init__(self, error: PlanInvalid, what: str = "plan file") -> None:
        self.error, self.what = error, what


def invalid_plan(request: HttpRequest, exc: "PlanRefused", api: Any) -> HttpResponse:
    errors = [
        {"field": f"{e.unit} {e.line}: {e.where}", "message": e.message} for e in exc.error.errors
    ]
    return api.create_response(  # type: ignore[no-any-return]  # ninja's create_response is untyped
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
