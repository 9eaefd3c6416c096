from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.shortcuts import render
from django.urls import resolve

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
    return (
        request.path_info.startswith("/api/")
        and request.headers.get("Authorization", "")[:7].lower() == "bearer "
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _view(request: HttpRequest) -> HttpResponseBase:
    """The URL's view, as Django's handler calls it (the API's views need no view
    middleware: CSRF is the only one there, and a token call is exempt)."""
    match = resolve(request.path_info)
    request.resolver_match = match
    response: HttpResponseBase = match.func(request, *match.args, **match.kwargs)
    return response


class TokenCalls:
    """A token call (`is_token_call`) goes from here straight to its view, past the
    middleware that serves browsers (sessions, CSRF, sign-in, messages, allauth, htmx,
    display preferences, static files), each of which would only find it has nothing to
    do: a fifth of the cost of `/api/v1/me`. It still passes through what every answer
    needs, the same classes as in MIDDLEWARE: the host check and Content-Length
    (CommonMiddleware), X-Frame-Options and the Content-Security-Policy; the
    SecurityMiddleware before this one has run already."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        view = cast(Callable[[HttpRequest], HttpResponse], convert_exception_to_response(_view))
        self.direct = CommonMiddleware(
            XFrameOptionsMiddleware(ContentSecurityPolicyMiddleware(view))
        )

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if is_token_call(request):
            request.user = AnonymousUser()  # as the authentication middleware would
            response = self.direct(request)
            assert isinstance(response, HttpResponseBase)  # the chain is synchronous
            return response
        return self.get_response(request)
