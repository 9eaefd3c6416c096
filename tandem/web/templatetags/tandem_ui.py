"""Template filters shared by every page: Markdown, key result amounts, activity wording."""

import datetime
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.timesince import timesince

from tandem.activity.models import ChangeEvent
from tandem.okrs.models import KeyResult, KeyResultKind, Unit
from tandem.web.markdown import render_markdown

register = template.Library()

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}

# How a ChangeEvent's action reads after the actor's name; anything else is shown as is.
ACTION_WORDS = {
    "created": "created",
    "updated": "updated",
    "deleted": "deleted",
    "archived": "archived",
    "checked_in": "checked in on",
    "members_changed": "changed the members of",
    "state_active": "started",
    "state_closed": "closed",
    "state_planning": "moved back to planning",
    "decision_recorded": "recorded a decision on",
    "stakeholders_invited": "invited stakeholders to",
}


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text)


def plain_number(value: Decimal) -> str:
    """1200.5000 -> '1,200.5' and 100.0000 -> '100': no trailing zeros, no exponent."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


@register.filter
def amount(value: Decimal | None, key_result: KeyResult) -> str:
    """A key result value in its unit: '45%', '$12,000', '1,200', or done / not done."""
    if value is None:
        return "–"
    if key_result.kind == KeyResultKind.MILESTONE:
        return "done" if value >= 1 else "not done"
    number = plain_number(Decimal(value))
    if key_result.unit == Unit.PERCENT:
        return f"{number}%"
    if key_result.unit == Unit.CURRENCY:
        code = (key_result.currency or "").upper()
        symbol = CURRENCY_SYMBOLS.get(code)
        return f"{symbol}{number}" if symbol else f"{number} {code}".strip()
    return number


@register.filter
def action_words(event: ChangeEvent) -> str:
    """What the actor did, to be followed by the object: "created", "checked in on", and
    "conflict_opened" on a conflict as plain "opened"."""
    action = event.action
    if action in ACTION_WORDS:
        return ACTION_WORDS[action]
    own_prefix = f"{event.content_type.model}_"
    if action.startswith(own_prefix):
        action = action.removeprefix(own_prefix)
    return action.replace("_", " ")


@register.filter
def ago(moment: datetime.datetime) -> str:
    """'just now', '5 minutes ago', '3 days ago': one unit is enough for a feed."""
    if timezone.now() - moment < datetime.timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment, depth=1)} ago"


@register.filter
def date_span(start: datetime.date | None, end: datetime.date | None) -> str:
    """'3 Feb – 14 Mar 2026', '28 Dec 2025 – 9 Jan 2026', 'from 3 Feb 2026', or ''."""
    if start and end:
        if start.year == end.year:
            return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
        return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"
    if start:
        return f"from {start.day} {start:%b %Y}"
    if end:
        return f"until {end.day} {end:%b %Y}"
    return ""
