"""What every API router shares: authentication, the error format, pagination and the
helpers that keep handlers thin and tenant-scoped.

Every 4xx answer has the same shape, so a script needs one error path:

    {"detail": "Some fields are not valid.",
     "errors": [{"field": "name", "message": "A team with this name already exists."}]}

`errors` is present only for 422. Every status an operation can answer is in its OpenAPI
entry: the universal ones through `ERRORS` in each route, the rest from `ERROR_STATUSES`.
"""

import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol, TypeVar, overload

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from tandem.accounts.access import member_for
from tandem.accounts.models import Member, TokenScope, User
from tandem.accounts.tokens import api_token_find, api_token_touch
from tandem.core import api_fields
from tandem.core.bounds import INT32

M = TypeVar("M", bound=models.Model)
M_co = TypeVar("M_co", bound=models.Model, covariant=True)


class Scopable(Protocol[M_co]):
    """Every tenant manager and queryset (and Member's): rows of one workspace. The row
    type comes from `model`: django-stubs types a manager's copy of a queryset method
    loosely."""

    @property
    def model(self) -> type[M_co]: ...

    def in_workspace(self, workspace: Any) -> "models.QuerySet[Any, Any]": ...


SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

# An object's id in a path, a query or a body (defined beside the other field types, where the
# filters of the lists find it too); handlers import it from here.
Id = api_fields.Id

INVALID = "Some fields are not valid."


class BearerToken(HttpBearer):
    """A personal API token, for scripts: `Authorization: Bearer tdm_...`.

    A revoked or expired token, or one of a deactivated account, is a 401 saying which;
    a read-only token is refused any write (403)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = api_token_find(token.strip())
        if found is None:
            return None
        if found.revoked_at is not None:
            raise HttpError(401, "This API token was revoked; create a new one.")
        if found.is_expired:
            raise HttpError(
                401, f"This API token expired on {found.expires_at:%Y-%m-%d %H:%M} UTC."
            )
        if not found.user.is_active:
            raise HttpError(401, "The account of this API token is deactivated.")
        if found.scope == TokenScope.READ and request.method not in SAFE_METHODS:
            raise HttpError(403, "This API token is read-only: it cannot make changes.")
        api_token_touch(found)
        request.api_token = found  # type: ignore[attr-defined]  # read back by member()
        return found.user


class BrowserSession(APIKeyCookie):
    """The logged-in browser session; unsafe methods need Django's CSRF token.

    ninja's own SessionAuth checks CSRF before it knows whether anyone is logged in,
    which answers an anonymous script with 403 "CSRF" instead of 401; here CSRF is
    only checked for a real session.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> User | None:
        user = getattr(request, "user", None)
        if not isinstance(user, User) or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header.")
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        return None  # unused: __call__ reads the session Django already loaded


class Page(LimitOffsetPagination):
    """limit/offset with the total count; a limit out of range is a 422, not a surprise."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500)
        offset: int = Field(0, ge=0, le=INT32[1])

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="The total number of items, across all pages.")


class Message(Schema):
    detail: str


class FieldError(Schema):
    field: str | None = Field(description="The request field at fault; null for the whole.")
    message: str


class Invalid(Schema):
    detail: str
    errors: list[FieldError]


@dataclass(frozen=True)
class ErrorStatus:
    status: int
    schema: type[Schema]
    description: str
    # The HTTP methods of the operations that can answer it; None for every operation.
    methods: frozenset[str] | None = None


# The one list of error statuses the API answers. The OpenAPI document is written from it
# (`DocumentedErrorsAPI`), so a change that makes some operations answer a new
# status adds a line here, limited to the methods that can answer it.
ERROR_STATUSES = [
    ErrorStatus(401, Message, "No valid credentials."),
    ErrorStatus(403, Message, "The caller's role does not allow this, or no CSRF token came."),
    ErrorStatus(404, Message, "No such workspace or object, or one of another workspace."),
    ErrorStatus(
        422, Invalid, "A parameter or field is not valid, or the body is not a JSON object."
    ),
    ErrorStatus(429, Message, "Over TANDEM_API_RATE_LIMIT; Retry-After says when to try again."),
    ErrorStatus(
        412,
        Message,
        "The object changed since the version named in If-Match; nothing was written. "
        "The answer's ETag is the current version.",
        methods=frozenset({"PATCH", "PUT"}),
    ),
    ErrorStatus(
        409,
        Message,
        "A request with the same Idempotency-Key is still being processed.",
        methods=frozenset({"POST"}),
    ),
]

# What every route declares in `response=`; the method-specific statuses come from above.
ERRORS: dict[int | tuple[int, ...], type[Schema]] = {
    error.status: error.schema for error in ERROR_STATUSES if error.methods is None
}


class DocumentedErrorsAPI(NinjaAPI):
    """Writes ERROR_STATUSES into every operation of the OpenAPI document."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        document = super().get_openapi_schema(*args, **kwargs)
        components = document.setdefault("components", {}).setdefault("schemas", {})
        for item in document["paths"].values():
            for method, operation in item.items():
                for error in ERROR_STATUSES:
                    if error.methods is not None and method.upper() not in error.methods:
                        continue
                    name = error.schema.__name__
                    components.setdefault(name, error.schema.model_json_schema())
                    content = {"schema": {"$ref": f"#/components/schemas/{name}"}}
                    operation["responses"][error.status] = {
                        "description": error.description,
                        "content": {"application/json": content},
                    }
        return document


class MalformedBody(ValueError):
    """A body that is not a JSON object; answered as a 422 for the whole request."""


def _refuse_constant(name: str) -> Any:
    raise MalformedBody(f"{name} is not a number JSON allows.")


class JsonBody(Parser):
    """ninja answers an unparsable body with an undocumented 400; here it is a MalformedBody
    (ninja wraps it in an HttpError, which `_http_error` answers as a 422)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        try:
            data = json.loads(request.body, parse_constant=_refuse_constant)
        except MalformedBody:
            raise
        except (ValueError, RecursionError) as error:
            raise MalformedBody(f"The body is not valid JSON: {error}") from None
        if not isinstance(data, dict):
            raise MalformedBody("Send a JSON object as the request body.")
        return data


def caller(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]  # set by ninja's authentication: a User


def member(request: HttpRequest, workspace: str) -> Member:
    """The caller's membership of `workspace` — the one tenant access path (404 otherwise).
    A token bound to another workspace reaches this one no more than a non-member does."""
    found = member_for(caller(request), workspace)
    token = getattr(request, "api_token", None)
    if token is not None and token.workspace_id not in (None, found.workspace_id):
        raise Http404
    return found


def get_or_404(queryset: Scopable[M], by: Member, pk: int) -> M:
    """An object of the caller's workspace by id; another workspace's is simply not found."""
    # By id there is one row at most: no ORDER BY for the database, or for the ORM to write.
    found = list(_scoped(queryset, by).filter(pk=pk).order_by()[:1])
    if not found:
        raise Http404
    return found[0]


@overload
def resolve(queryset: Scopable[M], by: Member, pk: int, *, field: str) -> M: ...
@overload
def resolve(queryset: Scopable[M], by: Member, pk: int | None, *, field: str) -> M | None: ...
def resolve(queryset: Scopable[M], by: Member, pk: int | None, *, field: str) -> M | None:
    """A referenced id from a request body, resolved within the workspace, or a 422."""
    if pk is None:
        return None
    return resolve_many(queryset, by, [pk], field=field)[0]


def resolve_many(queryset: Scopable[M], by: Member, pks: Iterable[int], *, field: str) -> list[M]:
    wanted = list(dict.fromkeys(pks))
    found = {obj.pk: obj for obj in _scoped(queryset, by).filter(pk__in=wanted)}
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        name = _scoped(queryset, by).model._meta.verbose_name
        ids = ", ".join(str(pk) for pk in missing)
        raise DjangoValidationError({field: f"No {name} with id {ids} in this workspace."})
    return [found[pk] for pk in wanted]


def _scoped(queryset: Scopable[M], by: Member) -> "models.QuerySet[M, M]":
    return queryset.in_workspace(by.workspace)


@contextmanager
def fields_as(**names: str) -> Iterator[None]:
    """Report a service's model-field errors under the request's field names
    (`parent` → `parent_id`), so clients are told which field they sent wrong."""
    try:
        yield
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise DjangoValidationError(
            {names.get(field, field): errors for field, errors in error.error_dict.items()}
        ) from None


def _invalid(request: HttpRequest, errors: list[dict[str, Any]], api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, {"detail": INVALID, "errors": errors}, status=422)


def _django_validation_error(
    request: HttpRequest, exc: DjangoValidationError, api: NinjaAPI
) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        fields: Mapping[str, list[str]] = exc.message_dict
    else:
        fields = {NON_FIELD_ERRORS: exc.messages}
    errors = [
        {"field": None if field == NON_FIELD_ERRORS else field, "message": message}
        for field, messages in fields.items()
        for message in messages
    ]
    return _invalid(request, errors, api)


def _input_validation_error(
    request: HttpRequest, exc: NinjaValidationError, api: NinjaAPI
) -> HttpResponse:
    errors = [_input_error(error) for error in exc.errors]
    return _invalid(request, errors, api)


def _input_error(error: dict[str, Any]) -> dict[str, Any]:
    """ninja locates an error as (source, name...) and, for a JSON body, puts the handler's
    parameter name after the source: ("body", "payload", "name"). The client knows
    neither, so the field is what follows them."""
    loc = [str(part) for part in error.get("loc", ())]
    source, names = (loc[0], loc[1:]) if loc else ("", [])
    if source == "body":
        names = names[1:]
        if not names:
            return {"field": None, "message": "Send a JSON object as the request body."}
    return {"field": ".".join(names) or None, "message": str(error.get("msg", "Not valid."))}


def _unauthenticated(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    detail = "Authentication required: send 'Authorization: Bearer <API token>' or log in."
    response = api.create_response(request, {"detail": detail}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="tandem"'
    return response


def _http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    if isinstance(exc.__cause__, MalformedBody):
        return _invalid(request, [{"field": None, "message": str(exc.__cause__)}], api)
    response = api.create_response(request, {"detail": exc.message}, status=exc.status_code)
    if exc.status_code == 401:
        response["WWW-Authenticate"] = 'Bearer realm="tandem", error="invalid_token"'
    return response


def _forbidden(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    detail = str(exc) or "You do not have permission to do this."
    return api.create_response(request, {"detail": detail}, status=403)


def _not_found(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    # One message for "does not exist" and "not yours": a 404 must not tell them apart.
    return api.create_response(request, {"detail": "Not found."}, status=404)


def install_error_handlers(api: NinjaAPI) -> None:
    handlers: list[tuple[type[Exception], Any]] = [
        (DjangoValidationError, _django_validation_error),
        (NinjaValidationError, _input_validation_error),
        (AuthenticationError, _unauthenticated),
        (HttpError, _http_error),
        (PermissionDenied, _forbidden),
        (Http404, _not_found),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, partial(handler, api=api))
