"""Resolving the current workspace and member for a request: the tenant access path.

Every view takes the workspace slug from its URL and goes through `workspace_view`;
every API handler goes through `member_for`. A workspace the user is not a member of
is a 404, exactly like one that does not exist.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeGuard, cast

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django_htmx.middleware import HtmxDetails

from tandem.accounts.models import Member, Role, User, Workspace
from tandem.accounts.zones import zone_of
from tandem.core.rows import one_row

P = ParamSpec("P")


class SignedInRequest(HttpRequest):
    """A request behind `login_required`; `htmx` is set on every request by django-htmx's
    middleware."""

    user: User
    htmx: HtmxDetails


class TandemRequest(SignedInRequest):
    """A page request inside a workspace, as `@workspace_view` hands it to the view: the
    workspace of the URL and the signed-in person's membership of it."""

    workspace: Workspace
    member: Member


def in_workspace(request: HttpRequest) -> TypeGuard[TandemRequest]:
    """Whether `@workspace_view` has set the request's workspace (the layout asks)."""
    return hasattr(request, "workspace")


def member_for(user: Any, workspace_slug: str) -> Member:
    if not user or not user.is_authenticated:
        raise Http404("No workspace here.")
    # Read on every API call and page: its SQL is written once (tandem.core.rows). As
    # Member.objects.of_user: a deactivated user is a member of nothing.
    member = one_row(
        Member,
        joins=["workspace", "user"],
        where={"user": user.pk, "user.is_active": True, "workspace.slug": workspace_slug},
    )
    if member is None:
        raise Http404("No workspace here.")
    return member


def require_role(member: Member, role: str) -> None:
    if not member.has_role(role):
        raise PermissionDenied(f"This needs the {Role(role).label.lower()} role or higher.")


def workspace_view(
    view: Callable[Concatenate[TandemRequest, P], HttpResponse],
) -> Callable[..., HttpResponse]:
    """Set request.workspace and request.member from the `workspace` URL argument (the URL
    resolver passes it by name, hence the loose type of the view it returns)."""

    @login_required
    @wraps(view)
    def wrapper(
        request: HttpRequest, workspace: str, *args: P.args, **kwargs: P.kwargs
    ) -> HttpResponse:
        member = member_for(request.user, workspace)
        if member.workspace.require_two_factor and not is_mfa_enabled(member.user):
            # The owner requires two-factor sign-in: turn it on first.
            messages.warning(
                request,
                f"{member.workspace.name} requires two-factor sign-in. Turn it on to continue.",
            )
            return redirect("mfa_activate_totp")
        tandem_request = cast(TandemRequest, request)
        tandem_request.member = member
        tandem_request.workspace = member.workspace
        # Dates on the page, and "today", in the member's zone (or the workspace's).
        with timezone.override(zone_of(member.workspace, member)):
            return view(tandem_request, *args, **kwargs)

    return wrapper
