"""Template filters shared by every page: Markdown, key result amounts, activity wording."""

import datetime
from decimal import Decimal

from django import template
from django.utils.safestring import SafeString

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
def action_words(action: str) -> str:
    return ACTION_WORDS.get(action, action.replace("_", " "))


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
