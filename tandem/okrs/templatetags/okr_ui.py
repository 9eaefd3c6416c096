"""Filters for the OKR pages."""

from decimal import Decimal

from django import template

from tandem.domain.forecast import Forecast
from tandem.okrs.models import KeyResult
from tandem.web.templatetags.tandem_ui import amount

register = template.Library()


@register.filter
def chart_amount(value: float, key_result: KeyResult) -> str:
    """A chart axis or point value in the key result's unit, at most two decimals."""
    return amount(Decimal(str(round(value, 2))), key_result)


@register.simple_tag
def estimate(value: float, forecast: Forecast, key_result: KeyResult) -> str:
    """A forecast figure in the key result's unit, as precise as its band allows."""
    return amount(Decimal(str(round(value, forecast.decimals))), key_result)
