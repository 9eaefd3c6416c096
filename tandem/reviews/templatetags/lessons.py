"""`{% cycle_lessons cycle %}`: the retrospective lessons that apply to a cycle, for the
OKR pages (which cannot import reviews: a template library keeps the layers apart)."""

from typing import Any

from django import template

from tandem.reviews.closing import lessons_for

register = template.Library()


@register.inclusion_tag("reviews/_lessons.html")
def cycle_lessons(cycle: Any, heading_level: int = 2) -> dict[str, Any]:
    return {"cycle": cycle, "retro": lessons_for(cycle), "h": heading_level}
