from collections.abc import Awaitable, Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.http.response import HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render

from tandem.core.params import BadParameter

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """No inline script, nothing from another origin."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", POLICY)
        return response


class BadParameterMiddleware:
    """A malformed query parameter is the caller's mistake: a 422 page naming it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, BadParameter):
            return None
        context = {"parameter": exception.name, "message": exception.message}
        return render(request, "422.html", context, status=422)


def is_token_call(request: HttpRequest) -> bool:
    """An API call with a bearer token and no session cookie: a script, not a browser.

    Without the cookie the session is empty, the user anonymous and the API's views
    CSRF-exempt, so the browser middleware would only spend time finding that out.
    With the cookie, everything runs as before (an unknown token then falls back to the
    session, with its CSRF check)."""
    known = getattr(request, "_tandem_token_call", None)
    if known is None:
        known = (
            request.path_info.startswith("/api/")
            and request.headers.get("Authorization", "")[:7].lower() == "bearer "
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )
        request._tandem_token_call = known  # type: ignore[attr-defined]  # a per-request cache
    return bool(known)


# What Django's middleware mixin returns: sync or async, whichever the chain is.
Response = HttpResponseBase | Awaitable[HttpResponseBase]

# Subclasses of Django's own, so that the checks that look for them (admin, allauth) still
# find them; each passes a token call straight on.


class Sessions(SessionMiddleware):
    def __call__(self, request: HttpRequest) -> Response:
        if is_token_call(request):
            return self.get_response(request)
        return super().__call__(request)


class Csrf(CsrfViewMiddleware):
    def __call__(self, request: HttpRequest) -> Response:
        if is_token_call(request):
            return self.get_response(request)
        return super().__call__(request)

    def process_view(
        self, request: HttpRequest, callback: Any, callback_args: Any, callback_kwargs: Any
    ) -> HttpResponseForbidden | None:
        if is_token_call(request):
            return None
        return super().process_view(request, callback, callback_args, callback_kwargs)


class Authentication(AuthenticationMiddleware):
    def __call__(self, request: HttpRequest) -> Response:
        if is_token_call(request):
            request.user = AnonymousUser()
            return self.get_response(request)
        return super().__call__(request)


class Messages(MessageMiddleware):
    def __call__(self, request: HttpRequest) -> Response:
        if is_token_call(request):
            return self.get_response(request)
        return super().__call__(request)
