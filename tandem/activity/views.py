"""Activity pages: the feed (workspace, team, object), notifications, watching, webhooks."""

from typing import Any
from urllib.parse import urlencode

import pydantic
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tandem.accounts.access import TandemRequest, workspace_view
from tandem.accounts.models import Role
from tandem.activity import feeds, watching, webhooks
from tandem.activity.feeds import FEED_OBJECTS, FeedFilters
from tandem.activity.models import (
    Digest,
    DigestPreference,
    Notification,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
    WebhookFormat,
)
from tandem.core.forms import add_service_errors
from tandem.core.params import page_filters, page_refusals
from tandem.core.tenancy import get_in_workspace_or_404
from tandem.strategy.models import Team

PAGE_SIZE = 50


def _page(request: TandemRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
@workspace_view
def activity_feed(request: TandemRequest) -> HttpResponse:
    """The workspace's feed, or with ?entity= or ?team= (the API's filters) one object's or
    a team's, as on that object's own feed page."""
    query = request.GET
    filters = page_filters(FeedFilters, query, feeds.PAGE_NAMES)
    with page_refusals(feeds.PAGE_NAMES):
        feed = feeds.activity_feed(request.workspace, filters)
    kept = urlencode({name: query[name] for name in feeds.PAGE_NAMES if query.get(name)})
    return _feed_page(request, feed, pager_query=f"{kept}&" if kept else "")


def object_feed(kind: str) -> Any:
    """The feed page of one object, named in the path: a team's takes in its work."""

    @require_GET
    @workspace_view
    def view(request: TandemRequest, /, **kwargs: int) -> HttpResponse:
        pk = kwargs[f"{kind}_id"]
        wanted = {"team_id": pk} if kind == "team" else {"entity": f"{kind}-{pk}"}
        try:
            # An id no object can have (0, past 64 bits) or another workspace's: not found.
            filters = FeedFilters.model_validate(wanted)
            feed = feeds.activity_feed(request.workspace, filters)
        except (pydantic.ValidationError, ValidationError):
            raise Http404(f"No {kind.replace('_', ' ')} here.") from None
        return _feed_page(request, feed)

    view.__name__ = f"activity_{kind}"
    return view


def _feed_page(request: TandemRequest, feed: feeds.Feed, *, pager_query: str = "") -> HttpResponse:
    context: dict[str, Any] = {
        "page": _page(request, feed.events),
        "subject": feed.subject,
        "pager_query": pager_query,
    }
    if feed.subject is None:
        context["teams"] = Team.objects.in_workspace(request.workspace)
    else:
        kwargs = {"workspace": request.workspace.slug, f"{feed.kind}_id": feed.subject.pk}
        context |= {
            "kind": feed.kind,
            "kind_label": feed.subject._meta.verbose_name,
            "watch_url": reverse(f"watch_{feed.kind}", kwargs=kwargs),
            "watching": watching.is_watching(obj=feed.subject, by=request.member),
        }
    return render(request, "activity/feed.html", context)


def watch_toggle(kind: str) -> Any:
    model = FEED_OBJECTS[kind]

    @require_POST
    @workspace_view
    def view(request: TandemRequest, /, **kwargs: int) -> HttpResponse:
        obj = get_in_workspace_or_404(model.objects, request.workspace, pk=kwargs[f"{kind}_id"])
        member = request.member
        if request.POST.get("watch") == "off":
            watching.watch_stop(obj=obj, by=member)
            messages.info(request, f"You no longer watch “{obj}”.")
        else:
            watching.watch_start(obj=obj, by=member)
            messages.success(request, f"You now watch “{obj}”: its changes will notify you.")
        return redirect(
            reverse(f"activity_{kind}", kwargs={"workspace": request.workspace.slug, **kwargs})
        )

    view.__name__ = f"watch_{kind}"
    return view


class DigestForm(forms.Form):
    frequency = forms.ChoiceField(
        label="Email digest",
        choices=Digest.choices,
        help_text="What changed in what you watch and your teams, by email.",
    )


@workspace_view
def notification_list(request: TandemRequest) -> HttpResponse:
    member = request.member
    if request.method == "POST":
        if "frequency" in request.POST:
            form = DigestForm(request.POST)
            if form.is_valid():
                watching.digest_set(by=member, frequency=form.cleaned_data["frequency"])
                messages.success(request, "Your digest setting is saved.")
        else:
            count = watching.notifications_mark_read(by=member)
            messages.info(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
        return redirect("notification_list", workspace=request.workspace.slug)
    preference = DigestPreference.objects.filter(member=member).first()
    context = {
        "page": _page(request, Notification.objects.for_member(member)),
        "watches": member.watches.all(),
        "digest_form": DigestForm(
            initial={"frequency": preference.frequency if preference else "never"}
        ),
    }
    return render(request, "activity/notifications.html", context)


class WebhookForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="E.g. “#product channel”.")
    url = forms.CharField(
        label="URL", max_length=500, help_text="The incoming-webhook address, http(s)://..."
    )
    format = forms.ChoiceField(choices=WebhookFormat.choices)
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )


@workspace_view
def webhook_list(request: TandemRequest) -> HttpResponse:
    member = request.member
    if not member.has_role(Role.ADMIN):
        raise PermissionDenied("Webhooks are managed by workspace admins.")
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hook = webhooks.webhook_create(**form.cleaned_data, by=member)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Webhook “{hook.name}” added.")
            return redirect("webhook_list", workspace=request.workspace.slug)
    workspace = request.workspace
    context = {
        "form": form,
        "webhooks": Webhook.objects.in_workspace(workspace),
        "deliveries": WebhookDelivery.objects.in_workspace(workspace).select_related("webhook")[
            :30
        ],
    }
    return render(request, "activity/webhooks.html", context, status=422 if form.errors else 200)


@require_POST
@workspace_view
def webhook_delete(request: TandemRequest, webhook_id: int) -> HttpResponse:
    hook = get_in_workspace_or_404(Webhook.objects, request.workspace, pk=webhook_id)
    webhooks.webhook_delete(webhook=hook, by=request.member)
    messages.info(request, f"Webhook “{hook.name}” removed.")
    return redirect("webhook_list", workspace=request.workspace.slug)


@require_POST
@workspace_view
def webhook_delivery_retry(request: TandemRequest, webhook_delivery_id: int) -> HttpResponse:
    delivery = get_in_workspace_or_404(
        WebhookDelivery.objects.select_related("webhook"),
        request.workspace,
        pk=webhook_delivery_id,
    )
    try:
        webhooks.delivery_retry(delivery=delivery, by=request.member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(request, "The delivery is queued again.")
    return redirect("webhook_list", workspace=request.workspace.slug)
