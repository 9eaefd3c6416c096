"""Plan files applied on the task queue (`tandem worker`): the request that brings the file
queues it and answers at once; the worker reads it, compares it with the workspace and
applies it through `apply_plan` in one transaction, committing each step as it starts so
the page (or an API client) polling the run can show how far it got.

A run that fails wrote nothing (the apply's transaction rolled back) and keeps the errors,
each naming the file's line and field.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tasks import task

from tandem.accounts.access import require_role
from tandem.accounts.models import Member, Role
from tandem.domain.planfile import PlanError, PlanInvalid
from tandem.domain.planfile_diff import diff_plans
from tandem.domain.planfile_read import read_plan
from tandem.plans import yamlio
from tandem.plans.applying import ApplyResult, apply_plan
from tandem.plans.exporting import export_plan
from tandem.plans.importing import import_file, import_options
from tandem.plans.models import PlanRun, RunState

# A file this large is applied by the worker (a 202 from the API): about 1,500 entries,
# a few seconds of work through the services.
QUEUE_FROM_BYTES = 200_000
STEPS = ("Reading the file", "Comparing it with the workspace", "Writing {n} changes")
DRY_STEP = "Trying {n} changes and the conflicts they make (then undoing them)"


def plan_run_queue(
    *, by: Member, document: bytes | str, reason: str = "", dry_run: bool = False
) -> PlanRun:
    """Queue the apply (or the dry run) of a plan file; refused here already if it is over
    the size limit or the member may not edit, so nothing is queued that cannot run."""
    require_role(by, Role.EDITOR)
    if len(reason) > 500:
        raise ValidationError({"reason": "The reason is at most 500 characters."})
    if len(document) > yamlio.MAX_BYTES:
        yamlio.load(document)  # raises PlanInvalid naming the size and the limit
    try:
        text = document.decode() if isinstance(document, bytes) else document
    except UnicodeDecodeError as error:
        message = f"The file is not UTF-8 text (byte {error.start + 1:,})."
        raise PlanInvalid([PlanError(1, "file", message)]) from None
    run = PlanRun.objects.create(
        workspace=by.workspace,
        requested_by=by,
        document=text,
        reason=reason.strip(),
        dry_run=dry_run,
        steps=len(STEPS),
    )
    run_plan.enqueue(run.pk)
    return run


def import_run_queue(
    *,
    by: Member,
    format_name: str,
    data: bytes,
    roadmap: str,
    teams: dict[str, str],
    columns: dict[str, str],
    file_name: str = "",
    reason: str = "",
) -> PlanRun:
    """Queue a large import from the Import page: the worker carries it out through
    `import_file`, as the page does a small one, with this run's progress."""
    require_role(by, Role.EDITOR)
    run = PlanRun.objects.create(
        workspace=by.workspace,
        requested_by=by,
        import_format=format_name,
        import_options={"roadmap": roadmap, "teams": teams, "columns": columns},
        upload=data,
        file_name=file_name[:200],
        reason=reason.strip(),
        steps=len(STEPS),
    )
    run_plan.enqueue(run.pk)
    return run


def _import(run: PlanRun, by: Member) -> ApplyResult:
    _step(run, 1, STEPS[0])
    options = import_options(by, run.import_format, **run.import_options)
    _step(run, 3, f"Importing {run.file_name or 'the file'}")
    found = import_file(
        format_name=run.import_format,
        data=bytes(run.upload),
        by=by,
        dry_run=run.dry_run,
        options=options,
        file_name=run.file_name,
        reason=run.reason,
    )
    return found.result


def _step(run: PlanRun, number: int, label: str) -> None:
    # Autocommitted on its own, before the apply's transaction opens: readers see it.
    run.state, run.step, run.step_label = RunState.RUNNING, number, label
    run.save(update_fields=["state", "step", "step_label"])


@task()
def run_plan(run_id: int) -> str:
    run = PlanRun.objects.select_related("requested_by__workspace").filter(pk=run_id).first()
    if run is None or run.finished:
        return "nothing to do"
    by = run.requested_by
    try:
        if by is None:
            raise PermissionDenied("Whoever queued this apply is no longer a member.")
        result = _import(run, by) if run.import_format else _apply(run, by)
    except PlanInvalid as error:
        return _failed(run, [_error(e) for e in error.errors])
    except PermissionDenied as error:
        return _failed(run, [{"line": None, "where": "", "message": str(error) or "Not allowed."}])
    except Exception:
        _failed(
            run,
            [
                {
                    "line": None,
                    "where": "",
                    "message": "The apply stopped unexpectedly; nothing was written.",
                }
            ],
        )
        raise
    run.state, run.step = RunState.DONE, run.steps
    run.step_label = "Previewed: nothing was written" if run.dry_run else "Applied"
    run.opened, run.closed = result.opened, result.closed
    run.summary = result.diff.summary()
    run.counts = {a: result.diff.count(a) for a in ("created", "changed", "archived", "removed")}
    run.diff = _shortened(result.diff.text())
    _finish(run)
    return run.summary


def _apply(run: PlanRun, by: Member) -> ApplyResult:
    _step(run, 1, STEPS[0])
    wanted, locations = read_plan(yamlio.load(run.document))
    _step(run, 2, STEPS[1])
    changes = len(diff_plans(export_plan(by.workspace, wanted=wanted)[0], wanted).changes)
    _step(run, 3, (DRY_STEP if run.dry_run else STEPS[2]).format(n=f"{changes:,}"))
    return apply_plan(
        wanted=wanted, locations=locations, by=by, reason=run.reason, dry_run=run.dry_run
    )


def _shortened(text: str, lines: int = 1000) -> str:
    """The diff as the page and the API show it: a plan of 30,000 changes is read by its
    summary and its start, not line by line."""
    found = text.splitlines()
    if len(found) <= lines:
        return text
    return "\n".join([*found[:lines], f"… and {len(found) - lines:,} more lines"])


def _error(error: PlanError) -> dict[str, Any]:
    return {"line": error.line, "unit": error.unit, "where": error.where, "message": error.message}


def _failed(run: PlanRun, errors: list[dict[str, Any]]) -> str:
    run.state, run.step_label, run.errors = RunState.FAILED, "Failed: nothing was written", errors
    _finish(run)
    return "failed"


def plan_run_apply(*, run: PlanRun, by: Member) -> PlanRun:
    """Apply the file a finished preview tried: a new run of the same file and reason."""
    if not run.dry_run or run.state != RunState.DONE or not run.document:
        raise ValidationError({"run": "Only a finished preview can be applied."})
    applied = plan_run_queue(by=by, document=run.document, reason=run.reason)
    run.document = ""
    run.save(update_fields=["document"])
    return applied


def _finish(run: PlanRun) -> None:
    if not (run.dry_run and run.state == RunState.DONE):
        run.document = ""  # kept only by a preview, to be applied from its page
        run.upload = b""
    run.finished_at = timezone.now()
    run.save()
