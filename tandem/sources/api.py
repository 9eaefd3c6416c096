"""A key result's data source: GET, PUT, DELETE /workspaces/{ws}/key-results/{id}/source,
rotating a push secret, running a pull now, and its runs."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.core.api import ERRORS, Id, Page, get_or_404, member
from tandem.core.preconditions import expected_version
from tandem.okrs.models import KeyResult
from tandem.sources import selectors, services
from tandem.sources.models import DataSource, SourceRun
from tandem.sources.schemas import SourceIn, SourceOut, SourceRunOut

router = Router(tags=["data sources"])

PATH = "/workspaces/{workspace}/key-results/{key_result_id}/source"


def _source(request: HttpRequest, workspace: str, key_result_id: int) -> tuple[Any, DataSource]:
    by = member(request, workspace)
    key_result = get_or_404(KeyResult.objects, by, key_result_id)
    source = selectors.source_of(key_result)
    if source is None:
        raise Http404
    return by, source


@router.get(PATH, response={200: SourceOut, **ERRORS}, summary="A key result's data source")
def source_read(request: HttpRequest, workspace: str, key_result_id: Id) -> dict[str, Any]:
    """404 when the key result has none."""
    _, source = _source(request, workspace, key_result_id)
    return selectors.as_api(request, source)


@router.put(
    PATH, response={200: SourceOut, 201: SourceOut, **ERRORS}, summary="Set its data source"
)
def source_put(
    request: HttpRequest, workspace: str, key_result_id: Id, payload: SourceIn
) -> Status[dict[str, Any]]:
    """Editors. A push source's answer carries `push_url` and `secret` (this once only).
    A pull source runs within a minute, then hourly, daily or weekly. Changing the kind
    from push drops the secret."""
    by = member(request, workspace)
    key_result = get_or_404(KeyResult.objects.select_related("objective__cycle"), by, key_result_id)
    existed = selectors.source_of(key_result) is not None
    fields = payload.dict()
    source, secret = services.source_set(
        key_result=key_result, by=by, expected_version=expected_version(request), **fields
    )
    return Status(200 if existed else 201, selectors.as_api(request, source, secret=secret))


@router.delete(PATH, response={204: None, **ERRORS}, summary="Remove its data source")
def source_remove(request: HttpRequest, workspace: str, key_result_id: Id) -> Status[None]:
    """Its check-ins stay; its runs go with it."""
    by, source = _source(request, workspace, key_result_id)
    services.source_delete(source=source, by=by)
    return Status(204, None)


@router.post(f"{PATH}/secret", response={200: SourceOut, **ERRORS}, summary="New push secret")
def source_rotate(request: HttpRequest, workspace: str, key_result_id: Id) -> dict[str, Any]:
    """The old secret stops working at once; the answer carries the new one, this once."""
    by, source = _source(request, workspace, key_result_id)
    secret = services.source_rotate_secret(source=source, by=by)
    return selectors.as_api(request, source, secret=secret)


@router.post(f"{PATH}/run", response={200: SourceRunOut, **ERRORS}, summary="Run a pull now")
def source_run(request: HttpRequest, workspace: str, key_result_id: Id) -> SourceRun:
    """Fetch or query now: the run, with its value or its error."""
    by, source = _source(request, workspace, key_result_id)
    source.key_result = KeyResult.objects.select_related("objective__cycle", "workspace").get(
        pk=source.key_result_id
    )
    return services.source_run(source=source, by=by)


@router.get(f"{PATH}/runs", response={200: list[SourceRunOut], **ERRORS}, summary="Its runs")
@paginate(Page)
def source_runs(request: HttpRequest, workspace: str, key_result_id: Id) -> object:
    """Latest first."""
    _, source = _source(request, workspace, key_result_id)
    return SourceRun.objects.in_workspace(source.workspace).filter(source=source)
