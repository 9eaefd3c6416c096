"""ChangeEvents in words, for feeds and for explaining why a conflict closed."""

from typing import Any

from tandem.activity.models import ChangeEvent

ACTION_WORDS = {
    "created": "created",
    "updated": "edited",
    "moved": "moved",
    "archived": "archived",
    "deleted": "removed",
    "checked_in": "checked in on",
}


def _value(value: Any) -> str:
    if value is None or value == "":
        return "none"
    return str(value)


def describe_change(event: ChangeEvent) -> str:
    """E.g. "Dana Demo moved 'Self-serve onboarding' (end date 2026-04-20 → 2026-03-31)"."""
    who = event.actor.display_name if event.actor_id and event.actor else "Tandem"
    verb = ACTION_WORDS.get(event.action, event.action.replace("_", " "))
    text = f"{who} {verb} '{event.object_repr}'"
    if event.action == "plan_applied":
        # In this order: PostgreSQL's jsonb keeps no key order.
        actions = ("created", "changed", "archived", "removed")
        counts = ", ".join(f"{event.after[a]} {a}" for a in actions if event.after.get(a))
        return f"{who} applied a plan file ({counts or 'no change'})"
    if event.action in {"updated", "moved", "checked_in"} and event.after:
        changes = ", ".join(
            f"{name.replace('_', ' ')} {_value(event.before.get(name))} → {_value(value)}"
            for name, value in event.after.items()
        )
        text += f" ({changes})"
    return text
