from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from tandem.accounts.access import in_workspace
from tandem.accounts.models import Role
from tandem.web import shell
from tandem.web.display import density_of, density_toggle_url, folded_objectives


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The current workspace and member (set by workspace_view), the user's workspaces,
    the workspace navigation and the active cycle, for the layout."""
    member = request.member if in_workspace(request) else None
    context: dict[str, Any] = {
        "workspace": request.workspace if in_workspace(request) else None,
        "member": member,
        # What the member's role lets them change, so pages offer no form a viewer cannot
        # use (the services still refuse: this only decides what is shown). A view may
        # set its own can_edit, which wins.
        "can_edit": member is not None and member.has_role(Role.EDITOR),
        "can_admin": member is not None and member.has_role(Role.ADMIN),
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        context["signup_open"] = settings.TANDEM_OPEN_SIGNUP
        return context
    context["user_workspaces"] = shell.user_workspaces(user)
    context["switcher_url_name"] = shell.switcher_url_name(request)
    if in_workspace(request):
        context["nav_items"] = shell.navigation_items(request, request.workspace)
        context["current_cycle"] = SimpleLazyObject(lambda: shell.active_cycle(request))
        # A callable: the template calls it only where the header shows it.
        context["unread_notifications"] = lambda: shell.unread_notification_count(request)
    return context


def display(request: HttpRequest) -> dict[str, Any]:
    """The density pages are drawn in, a link to switch it, and the folded objectives."""
    return {
        "density": density_of(request),
        "density_toggle_url": SimpleLazyObject(lambda: density_toggle_url(request)),
        "folded": SimpleLazyObject(lambda: folded_objectives(request)),
    }
