from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The current workspace and member, set by workspace_view, for the layout."""
    return {
        "workspace": getattr(request, "workspace", None),
        "member": getattr(request, "member", None),
    }
