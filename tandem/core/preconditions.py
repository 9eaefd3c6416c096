"""The API's side of optimistic concurrency and idempotency: ETag on every object it
answers with, If-Match on every PATCH and PUT and on an initiative's move (412 when stale),
Idempotency-Key on every POST, and the OpenAPI document saying so.

The rule itself (a stale version is refused) lives in the services
(tandem.core.versioning); handlers only pass `expected_version(request)` on.
"""

import re
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from tandem.core import idempotency
from tandem.core.api import DocumentedErrorsAPI
from tandem.core.versioning import StaleVersion, etag, version_of

IF_MATCH = "If-Match"
# One entity tag as we hand them out ("3"); W/"3" too, because a proxy that compresses
# the answer may have weakened it on the way.
_TAG = re.compile(r'\s*(?:W/)?"([0-9]{1,9})"\s*')


def expected_version(request: HttpRequest) -> int | None:
    """The version named by If-Match, or None without one (last write wins) or with *."""
    value = request.headers.get(IF_MATCH)
    if value is None or value.strip() == "*":
        return None
    match = _TAG.fullmatch(value)
    if match is None:
        raise ValidationError(
            {IF_MATCH: 'Send the ETag you read, e.g. If-Match: "3", or * for any version.'}
        )
    return int(match.group(1))


def _stale(request: HttpRequest, exc: StaleVersion, api: NinjaAPI) -> HttpResponse:
    response = api.create_response(request, {"detail": str(exc)}, status=412)
    if exc.current is not None:
        response["ETag"] = etag(exc.current)
    return response


_HEADERS = {
    "patch": {
        "name": IF_MATCH,
        "in": "header",
        "required": False,
        "description": 'The ETag you read (e.g. "3"): refused with 412 if the object has '
        "changed since. Without it the last write wins.",
        "schema": {"type": "string", "pattern": r'^(\*|(W/)?"[0-9]{1,9}")$'},
    },
    "post": {
        "name": idempotency.HEADER,
        "in": "header",
        "required": False,
        "description": "Any unique string (1-255 printable ASCII characters): a repeat with "
        "the same key and body within 24 hours returns the first answer (with "
        "Idempotent-Replayed: true) and does nothing again; the same key with another body "
        "is a 422.",
        "schema": {
            "type": "string",
            "minLength": 1,
            "maxLength": idempotency.MAX_LENGTH,
            "pattern": "^[!-~]([ -~]*[!-~])?$",
        },
    },
}
_HEADERS["put"] = _HEADERS["patch"]
# For a POST that honours If-Match too (the move on the board): its `openapi_extra`.
IF_MATCH_PARAMETER = _HEADERS["patch"]


class TandemAPI(DocumentedErrorsAPI):
    """NinjaAPI with an ETag on every answer that is one versioned object, and the
    precondition headers in the OpenAPI document (their statuses, 412 and 409, are in
    tandem.core.api.ERROR_STATUSES)."""

    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        version = version_of(data)
        if version is not None and 200 <= response.status_code < 300:
            response["ETag"] = etag(version)
        return response

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                header = _HEADERS.get(method)
                if header is not None:
                    operation.setdefault("parameters", []).append(header)
        return schema


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(StaleVersion, partial(_stale, api=api))
    idempotency.install(api)
