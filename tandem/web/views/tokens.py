"""Personal API tokens: list, create (the raw token is shown once) and revoke."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tandem.accounts.access import SignedInRequest
from tandem.accounts.accesslog import client_ip
from tandem.accounts.models import ApiToken
from tandem.accounts.services import api_token_create, api_token_revoke
from tandem.core.forms import add_service_errors
from tandem.web.forms import ApiTokenForm


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: SignedInRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None, user=request.user)
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, raw = api_token_create(
                user=request.user,
                name=data["name"],
                scope=data["scope"],
                workspace=data["workspace"],
                expires_at=_start_of(data["expires_on"]),
                ip=client_ip(request),
            )
        except ValidationError as error:
            add_service_errors(form, _as_form_fields(error))
        else:
            # Rendered straight into this response, never stored: the page is the only copy.
            created = {"token": token, "raw": raw}
            form = ApiTokenForm(user=request.user)
    tokens = ApiToken.objects.filter(user=request.user).select_related("workspace")
    response = render(
        request, "web/tokens.html", {"form": form, "tokens": tokens, "created": created}
    )
    if created:
        response["Cache-Control"] = "no-store"
    return response


def _start_of(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _as_form_fields(error: ValidationError) -> ValidationError:
    if hasattr(error, "error_dict") and "expires_at" in error.error_dict:
        error.error_dict["expires_on"] = error.error_dict.pop("expires_at")
    return error


@login_required
@require_POST
def token_revoke(request: SignedInRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(user=request.user, pk=token_id).first()
    if token is None:
        raise Http404("No token here.")
    api_token_revoke(token=token, by=request.user, ip=client_ip(request))
    messages.success(
        request, f"Token “{token.name}” is revoked: scripts using it are refused from now on."
    )
    return redirect("token_list")
