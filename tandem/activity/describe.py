"""ChangeEvents in words, for history, feeds, agendas, digests and for explaining why a
conflict closed: one describer, so every place reads the same and none shows internals
(board positions, row ids, ISO dates, choice codes)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from tandem.activity.models import ChangeEvent
from tandem.domain.calendar import day_words

# How an action reads after the actor's name; anything else is shown as is.
ACTION_WORDS = {
    "created": "created",
    "updated": "edited",
    "moved": "moved",
    "archived": "archived",
    "deleted": "removed",
    "checked_in": "checked in on",
    "members_changed": "changed the members of",
    "state_active": "started",
    "state_closed": "closed",
    "state_planning": "moved back to planning",
    "decision_recorded": "recorded a decision on",
    "stakeholders_invited": "invited stakeholders to",
}

# Bookkeeping a person never chose as such: the order within a board column (a drag shows
# it well enough) and the row version.
HIDDEN_FIELDS = {"position", "version"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str | None  # None: the field was not there before (a creation)
    after: str


def action_words(event: ChangeEvent) -> str:
    """What the actor did, to be followed by the object: "created", "checked in on", a
    conflict's "conflict_opened" as plain "opened", a move within a column "reordered"."""
    action = event.action
    if action == "moved" and set(event.after) <= HIDDEN_FIELDS:
        return "reordered"
    if action in ACTION_WORDS:
        return ACTION_WORDS[action]
    own_prefix = f"{ContentType.objects.get_for_id(event.content_type_id).model}_"
    if action.startswith(own_prefix):
        action = action.removeprefix(own_prefix)
    return action.replace("_", " ")


def _field(event: ChangeEvent, name: str) -> models.Field[Any, Any] | None:
    # The content type cache, not the event's relation: no query per event in a feed.
    model = ContentType.objects.get_for_id(event.content_type_id).model_class()
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _label(name: str, field: models.Field[Any, Any] | None) -> str:
    if field is not None and field.verbose_name:
        label = str(field.verbose_name)
    else:
        label = name.replace("_", " ")
    return label.removesuffix(" value").removesuffix(" id")


def value_words(value: Any, field: models.Field[Any, Any] | None = None) -> str:
    """A recorded value as a page shows it: a choice by its label, a date as '1 Dec 2026'."""
    if value is None or value == "":
        return "none"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        return f"{day_words(moment.date())}, {moment:%H:%M}"
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return day_words(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def field_changes(event: ChangeEvent) -> list[FieldChange]:
    """The visible fields an update or move changed, each before and after in words. A
    relation is named but not valued: the event keeps only its id."""
    if event.action not in {"updated", "moved", "checked_in"}:
        return []
    changes = []
    for name, value in event.after.items():
        if name in HIDDEN_FIELDS:
            continue
        field = _field(event, name)
        label = _label(name, field)
        if field is not None and field.is_relation:
            changes.append(FieldChange(label=label, before=None, after="changed"))
            continue
        before = event.before.get(name) if name in event.before else None
        changes.append(
            FieldChange(
                label=label,
                before=value_words(before, field) if name in event.before else None,
                after=value_words(value, field),
            )
        )
    return changes


def change_words(event: ChangeEvent) -> str:
    """The changes of one event in a phrase: 'from Later to Now', 'end date 20 Apr 2026 →
    31 Mar 2026, status Planned → Building', or '' when nothing visible changed."""
    parts = []
    for change in field_changes(event):
        if change.label == "horizon" and change.before is not None:
            parts.append(f"from {change.before} to {change.after}")
        elif change.before is None:
            parts.append(f"{change.label} {change.after}")
        else:
            parts.append(f"{change.label} {change.before} → {change.after}")
    return ", ".join(parts)


def describe_change(event: ChangeEvent) -> str:
    """E.g. "Dana Demo moved 'Self-serve onboarding' (from Next to Now, end date 20 Apr 2026
    → 31 Mar 2026)"."""
    who = event.actor.display_name if event.actor_id and event.actor else "Tandem"
    if event.action == "plan_applied":
        # In this order: PostgreSQL's jsonb keeps no key order.
        actions = ("created", "changed", "archived", "removed")
        counts = ", ".join(f"{event.after[a]} {a}" for a in actions if event.after.get(a))
        return f"{who} applied a plan file ({counts or 'no change'})"
    text = f"{who} {action_words(event)} '{event.object_repr}'"
    details = change_words(event)
    return f"{text} ({details})" if details else text
