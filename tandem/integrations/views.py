"""The trackers' door (one URL per endpoint, no session, no CSRF: the secret URL and the
vendor's signature are the credentials) and the Integrations page where admins set it up."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tandem.accounts.access import TandemRequest, workspace_view
from tandem.accounts.models import Role
from tandem.core.forms import add_service_errors
from tandem.core.tenancy import get_in_workspace_or_404
from tandem.integrations import services
from tandem.integrations.models import TrackerDelivery, TrackerEndpoint, TrackerKind
from tandem.integrations.vendors import VENDORS


@csrf_exempt
def inbound(request: HttpRequest, token: str) -> HttpResponse:
    if request.method != "POST":
        return JsonResponse({"detail": "Trackers POST their webhooks here."}, status=405)
    # Read no more than the limit (plus one byte, to know it was exceeded).
    body = request.read(services.MAX_BODY_BYTES + 1)
    received = services.receive(token=token, headers=request.headers, body=body)
    return JsonResponse(
        {"outcome": received.outcome, "detail": received.detail, "changed": received.changed},
        status=received.status,
    )


class EndpointForm(forms.Form):
    kind = forms.ChoiceField(label="Tracker", choices=TrackerKind.choices)
    name = forms.CharField(
        max_length=120, required=False, help_text="Which repository, project or site, say."
    )
    secret = forms.CharField(
        max_length=128,
        required=False,
        label="Linear's signing secret",
        help_text="Only for Linear, which makes its own. Tandem makes the others' secrets.",
    )


def _require_admin(request: TandemRequest) -> None:
    if not request.member.has_role(Role.ADMIN):
        raise PermissionDenied("Integrations are managed by workspace admins.")


@workspace_view
def integration_list(request: TandemRequest) -> HttpResponse:
    _require_admin(request)
    workspace = request.workspace
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.endpoint_create(**form.cleaned_data, by=request.member)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{endpoint} is ready: paste its address into {endpoint.get_kind_display()}.",
            )
            return redirect("integration_list", workspace=workspace.slug)
    endpoints = [
        (endpoint, services.endpoint_url(endpoint), VENDORS[endpoint.kind].how)
        for endpoint in TrackerEndpoint.objects.in_workspace(workspace).select_related(
            "acts_for__user"
        )
    ]
    context = {
        "form": form,
        "endpoints": endpoints,
        "deliveries": TrackerDelivery.objects.in_workspace(workspace).select_related("endpoint")[
            :30
        ],
        "tab": "integrations",
    }
    return render(
        request, "integrations/integrations.html", context, status=422 if form.errors else 200
    )


@require_POST
@workspace_view
def integration_rotate(request: TandemRequest, tracker_endpoint_id: int) -> HttpResponse:
    _require_admin(request)
    workspace = request.workspace
    endpoint = get_in_workspace_or_404(TrackerEndpoint.objects, workspace, pk=tracker_endpoint_id)
    try:
        services.endpoint_rotate(
            endpoint=endpoint,
            by=request.member,
            secret=request.POST.get("secret", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(
            request, f"{endpoint} has a new address and secret; the old ones no longer work."
        )
    return redirect("integration_list", workspace=workspace.slug)


@require_POST
@workspace_view
def integration_delete(request: TandemRequest, tracker_endpoint_id: int) -> HttpResponse:
    _require_admin(request)
    workspace = request.workspace
    endpoint = get_in_workspace_or_404(TrackerEndpoint.objects, workspace, pk=tracker_endpoint_id)
    services.endpoint_delete(endpoint=endpoint, by=request.member)
    messages.info(request, f"{endpoint} removed: its address no longer works.")
    return redirect("integration_list", workspace=workspace.slug)
