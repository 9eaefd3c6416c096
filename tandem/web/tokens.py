"""Personal API tokens: list, create (the raw token is shown once) and revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from tandem.accounts.models import ApiToken
from tandem.accounts.services import api_token_create, api_token_revoke
from tandem.web.forms import ApiTokenForm


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        token, raw = api_token_create(user=request.user, name=form.cleaned_data["name"])
        # Rendered straight into this response, never stored: the page is the only copy.
        created = {"token": token, "raw": raw}
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    response = render(
        request, "web/tokens.html", {"form": form, "tokens": tokens, "created": created}
    )
    if created:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(user=request.user, pk=token_id).first()
    if token is None:
        raise Http404("No token here.")
    api_token_revoke(token=token, by=request.user)
    messages.success(
        request, f"Token “{token.name}” is revoked: scripts using it are refused from now on."
    )
    return redirect("token_list")
