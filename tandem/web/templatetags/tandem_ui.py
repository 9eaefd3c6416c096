"""Template filters shared by every page: Markdown, key result amounts, days, activity
wording (from tandem.activity.describe, the one describer)."""

import datetime
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.timesince import timesince

from tandem.activity import describe
from tandem.activity.models import ChangeEvent
from tandem.domain.calendar import day_words
from tandem.okrs.models import KeyResult, KeyResultKind, Unit
from tandem.web.markdown import render_markdown

register = template.Library()

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


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
    return describe.action_words(event)


@register.filter
def change_words(event: ChangeEvent) -> str:
    return describe.change_words(event)


@register.filter
def field_changes(event: ChangeEvent) -> list[describe.FieldChange]:
    return describe.field_changes(event)


@register.filter
def day(moment: datetime.date | None) -> str:
    """The one way pages write a day: '1 Dec 2026'; a moment in the viewer's time zone."""
    if moment is None:
        return ""
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return day_words(moment)


@register.filter
def ago(moment: datetime.datetime) -> str:
    """'just now', '5 minutes ago', '3 days ago': one unit is enough for a feed."""
    if timezone.now() - moment < datetime.timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment, depth=1)} ago"


@register.filter
def date_span(start: datetime.date | None, end: datetime.date | None) -> str:
    """'3 Feb 2026 – 14 Mar 2026', 'from 3 Feb 2026', 'until 14 Mar 2026', or '': each
    day written the one way pages write days."""
    if start and end:
        return f"{day_words(start)} – {day_words(end)}"
    if start:
        return f"from {day_words(start)}"
    if end:
        return f"until {day_words(end)}"
    return ""
