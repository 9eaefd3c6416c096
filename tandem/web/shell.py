"""What the layout shows around every page: the user's workspaces, the navigation and the
current cycle. Everything here is lazy, so an htmx partial that skips the layout pays no
query for it, and cached on the request, so a page that shows the cycle twice pays once."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.urls import reverse

from tandem.accounts.access import TandemRequest
from tandem.accounts.models import User, Workspace
from tandem.activity.models import Notification
from tandem.conflicts.models import Conflict
from tandem.okrs.models import Cycle


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool
    # A number worth seeing from every page (open conflicts), computed only if shown.
    count: Callable[[], int] | None = None


# (label, URL name) of the workspace navigation, in the order the product tells its story.
WORKSPACE_SECTIONS = [
    ("Overview", "dashboard"),
    ("OKRs", "okr_list"),
    ("Roadmap", "roadmap_board"),
    ("Conflicts", "conflict_list"),
    ("Scenarios", "scenario_list"),
    ("Reviews", "review_list"),
    ("Strategy", "strategy"),
]
SECTION_URL_NAMES = {url_name for _, url_name in WORKSPACE_SECTIONS}


def navigation_items(request: TandemRequest, workspace: Workspace) -> list[NavItem]:
    """A section is current for its own URL and every page below it (an objective page
    belongs to OKRs); the overview only for itself, since every URL lies below it."""
    items = []
    for label, url_name in WORKSPACE_SECTIONS:
        url = reverse(url_name, kwargs={"workspace": workspace.slug})
        current = request.path == url if url_name == "dashboard" else request.path.startswith(url)
        count = partial(open_conflict_count, request) if url_name == "conflict_list" else None
        items.append(NavItem(label, url, current, count))
    return items


def switcher_url_name(request: HttpRequest) -> str:
    """Switching workspace keeps you in the same section when that section is a top page."""
    match = request.resolver_match
    if match is not None and match.url_name in SECTION_URL_NAMES:
        return match.url_name
    return "dashboard"


def user_workspaces(user: User) -> QuerySet[Workspace]:
    # Archived workspaces last: home opens the first one.
    return Workspace.objects.filter(members__user=user).order_by(
        F("archived_at").asc(nulls_first=True), "name"
    )


def open_conflict_count(request: TandemRequest) -> int:
    """Conflicts needing attention (open or acknowledged), once per request."""
    if not hasattr(request, "_tandem_open_conflicts"):
        workspace = request.workspace
        count = Conflict.objects.in_workspace(workspace).needing_attention().count()
        request._tandem_open_conflicts = count  # type: ignore[attr-defined]  # a per-request cache
    return request._tandem_open_conflicts  # type: ignore[attr-defined, no-any-return]  # the per-request cache set above


def active_cycle(request: HttpRequest) -> Cycle | None:
    """The workspace's active cycle (the latest, should several be active), once per request."""
    if not hasattr(request, "_tandem_active_cycle"):
        workspace = getattr(request, "workspace", None)
        cycle = None
        if workspace is not None:
            cycle = Cycle.objects.in_workspace(workspace).active().order_by("-start").first()
        request._tandem_active_cycle = cycle  # type: ignore[attr-defined]  # a per-request cache
    return request._tandem_active_cycle  # type: ignore[attr-defined, no-any-return]  # the per-request cache set above


def unread_notification_count(request: HttpRequest) -> int:
    """The member's unread notifications, for the header: one count query, once per request."""
    if not hasattr(request, "_tandem_unread"):
        member = getattr(request, "member", None)
        count = Notification.objects.for_member(member).unread().count() if member else 0
        request._tandem_unread = count  # type: ignore[attr-defined]  # a per-request cache
    return request._tandem_unread  # type: ignore[attr-defined, no-any-return]  # the per-request cache set above
