from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("conflicts/includes/badge.html", takes_context=True)
def conflict_badge(context: Any, badges: Any, kind: str, id: int) -> dict[str, Any]:
    workspace = context.get("workspace")
    return {
        "badge": badges.get((kind, id)) if badges else None,
        "workspace": workspace,
        "kind": kind,
        "id": id,
    }
