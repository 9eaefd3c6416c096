"""The key result page's data source card (set, new secret, run now, remove) and the push
endpoint scripts post values to."""

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tandem.accounts.access import TandemRequest, workspace_view
from tandem.core.forms import add_service_errors
from tandem.core.tenancy import get_in_workspace_or_404
from tandem.core.versioning import StaleVersion
from tandem.okrs.models import KeyResult
from tandem.okrs.views.pages import key_result_context
from tandem.sources import selectors, services
from tandem.sources.forms import SourceForm

# A push carries one number: anything much larger is not a push.
MAX_PUSH_BYTES = 4096


def _key_result(request: TandemRequest, key_result_id: int) -> KeyResult:
    return get_in_workspace_or_404(
        KeyResult.objects.select_related(
            "objective__cycle", "objective__team", "owner__user", "workspace"
        ),
        request.workspace,
        pk=key_result_id,
    )


def _page(
    request: TandemRequest, key_result: KeyResult, status: int = 200, **extra: Any
) -> HttpResponse:
    context = key_result_context(request, key_result, **extra)
    return render(request, "okrs/key_result_detail.html", context, status=status)


def _back(request: TandemRequest, key_result: KeyResult) -> HttpResponse:
    url = reverse(
        "key_result_detail",
        kwargs={"workspace": request.workspace.slug, "key_result_id": key_result.pk},
    )
    return redirect(f"{url}#source-heading")


@workspace_view
@require_POST
def source_set(request: TandemRequest, key_result_id: int) -> HttpResponse:
    key_result = _key_result(request, key_result_id)
    databases = selectors.panel(request, key_result)["sql_databases"]
    form = SourceForm(request.POST, databases=databases)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            source, secret = services.source_set(
                key_result=key_result,
                by=request.member,
                expected_version=version,
                **data,
            )
        except StaleVersion:
            form.add_error(
                None, "Someone changed this source meanwhile; see it below and try again."
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                form.add_error(None, str(error) or "Only editors can set a data source.")
            else:
                add_service_errors(form, error)
        else:
            if secret:
                # Shown once: the page itself, not a redirect, carries it.
                return _page(request, key_result, secret=secret)
            messages.success(request, _saved(source.kind))
            return _back(request, key_result)
    return _page(request, key_result, status=422, source_form=form)


def _saved(kind: str) -> str:
    if kind == "push":
        return "Data source saved."
    return "Data source saved: its first pull runs within a minute (or run it now)."


@workspace_view
@require_POST
def source_rotate(request: TandemRequest, key_result_id: int) -> HttpResponse:
    key_result = _key_result(request, key_result_id)
    source = selectors.source_of(key_result)
    if source is None:
        return _back(request, key_result)
    try:
        secret = services.source_rotate_secret(source=source, by=request.member)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return _back(request, key_result)
    return _page(request, key_result, secret=secret)


@workspace_view
@require_POST
def source_run(request: TandemRequest, key_result_id: int) -> HttpResponse:
    key_result = _key_result(request, key_result_id)
    source = selectors.source_of(key_result)
    if source is not None:
        source.key_result = key_result
        try:
            run = services.source_run(source=source, by=request.member)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            if run.error:
                messages.error(request, f"The run failed: {run.error}")
            else:
                messages.success(request, f"Read {run.value.normalize():f}.")  # type: ignore[union-attr]  # a successful run has a value
    return _back(request, key_result)


@workspace_view
@require_POST
def source_remove(request: TandemRequest, key_result_id: int) -> HttpResponse:
    key_result = _key_result(request, key_result_id)
    source = selectors.source_of(key_result)
    if source is not None:
        try:
            services.source_delete(source=source, by=request.member)
            messages.success(request, "Data source removed; its check-ins stay.")
        except PermissionDenied as error:
            messages.error(request, str(error) or "Only editors can remove a data source.")
    return _back(request, key_result)


def _problem(status: int, detail: str, field: str | None = None) -> JsonResponse:
    body: dict[str, Any] = {"detail": detail}
    if field:
        body["errors"] = [{"field": field, "message": detail}]
    response = JsonResponse(body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="tandem push"'
    return response


@csrf_exempt
def source_push(request: HttpRequest, push_id: str) -> HttpResponse:
    """`POST` a value with the source's secret as Bearer token: JSON `{"value": 42}` or a
    form field `value=42`. 201 with what it recorded; 401 (nothing written) for a wrong
    secret; 413 past 4 KB; 422 naming `value` for one the key result does not take."""
    if request.method != "POST":
        response = _problem(405, "POST the value.")
        response["Allow"] = "POST"
        return response
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    source = (
        services.source_find_push(push_id, secret.strip()) if scheme.lower() == "bearer" else None
    )
    if source is None:
        return _problem(401, "Send this source's secret: Authorization: Bearer <secret>.")
    length = request.headers.get("Content-Length", "0")
    if not length.isdigit() or int(length) > MAX_PUSH_BYTES:
        return _problem(413, f"A push carries one value: at most {MAX_PUSH_BYTES} bytes.")
    body = request.body
    if len(body) > MAX_PUSH_BYTES:
        return _problem(413, f"A push carries one value: at most {MAX_PUSH_BYTES} bytes.")
    raw = _pushed_value(request.content_type or "", body, request)
    if raw is None:
        return _problem(
            422, 'Send {"value": 42} as JSON, or the form field value=42.', field="value"
        )
    try:
        run = services.source_push(source=source, raw=raw)
    except ValidationError as error:
        messages_ = (
            error.message_dict if hasattr(error, "error_dict") else {"value": error.messages}
        )
        field, [message, *_] = next(iter(messages_.items()))
        return _problem(422, message, field=field)
    key_result = source.key_result
    return JsonResponse(
        {
            "value": str(run.value),
            "check_in_id": run.check_in_id,
            "key_result": {"id": key_result.pk, "current_value": str(key_result.current_value)},
        },
        status=201,
    )


def _pushed_value(content_type: str, body: bytes, request: HttpRequest) -> str | None:
    if content_type == "application/json":
        try:
            document = json.loads(body)
        except (ValueError, RecursionError):
            return None
        value = document.get("value") if isinstance(document, dict) else None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return None
        return str(value)
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        value = request.POST.get("value")
        return value if isinstance(value, str) else None
    return None
